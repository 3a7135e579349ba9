// throughput_bench: mqttsim end to end on the fan-out workload of the
// performance issue, next to the same workload through a real Mosquitto.
//
// Workload: 1 publisher and SUBSCRIBERS persistent subscribers on "t/#" at
// QoS q; the publisher sends MESSAGES messages to "t/a"; every subscriber
// expects every one. For q = 0, 1, 2:
//
// - mqttsim: the scenario as `mqttsim run` plays it (codec, network,
//   reference broker, trace, trace hash, oracle, expectations), each QoS in
//   its own child process so that its peak RSS (wait4) is its own; with
//   the whole trace (`--trace full`) and with what the oracle reads
//   (`--trace judged`), unless --trace names one. Printed: deliveries per
//   wall second and peak RSS per delivery.
// - Mosquitto (with --mosquitto HOST:PORT): Debian's mosquitto_sub and
//   mosquitto_pub against that broker. SUBSCRIBERS `mosquitto_sub -c -C
//   MESSAGES` (clean session 0) are started; once each has printed its
//   SUBACK (-d, line-buffered by stdbuf), one `mosquitto_pub -l` sends the
//   messages. Timed from the publisher's start to the last subscriber's
//   exit. Printed: deliveries per wall second, and mqttsim's ratio to it
//   (above 1: mqttsim faster). A broker that does not answer (no SUBACK
//   within 30 s), or a publisher that cannot start, fails the figure at
//   once and leaves no client behind.
//
//   build/release/bin/throughput_bench [--messages N] [--subscribers S]
//                                      [--trace full|judged|none]
//                                      [--mosquitto HOST:PORT]
//   (defaults: 1000 messages, 100 subscribers: 100,000 deliveries per QoS)

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "in_child.hpp"
#include "runner/scenario_player.hpp"
#include "scenario/scenario_loader.hpp"
#include "trace/trace.hpp"

extern char** environ;

namespace {

using namespace mqttsim;
using Clock = std::chrono::steady_clock;

struct Workload {
  int messages = 1000;
  int subscribers = 100;
  long deliveries() const { return static_cast<long>(messages) * subscribers; }
};

std::string scenario_text(const Workload& w, int qos) {
  std::string y = "name: throughput " + std::to_string(w.subscribers) + " x " +
                  std::to_string(w.messages) + " QoS " + std::to_string(qos) + "\n";
  y += "protocol: 3.1.1\nclients:\n  pub:\n";
  for (int i = 0; i < w.subscribers; ++i) y += "  s" + std::to_string(i) + ":\n";
  y += "steps:\n  - connect: pub\n";
  for (int i = 0; i < w.subscribers; ++i) {
    const std::string s = "s" + std::to_string(i);
    y += "  - connect: " + s + "\n    clean_session: false\n";
    y += "  - subscribe: " + s + "\n    filter: t/#\n    qos: " + std::to_string(qos) + "\n";
  }
  y += "  - publish: pub\n    topic: t/a\n    qos: " + std::to_string(qos) +
       "\n    payload: \"m{n}\"\n    count: " + std::to_string(w.messages) + "\n";
  for (int i = 0; i < w.subscribers; ++i) {
    y += "  - expect: s" + std::to_string(i) +
         "\n    messages:\n      - {topic: t/a, payload: \"m{n}\", count: " +
         std::to_string(w.messages) + "}\n    within: 1000s\n";
  }
  return y;
}

struct Measured {
  double seconds = 0;
  long peak_kib = 0;  // of the child that ran it
  bool ok = false;
};

// Plays the workload at `qos` in a child process (in_child.hpp); it passes
// if every expectation is met and there is no violation.
Measured measure_mqttsim(const Workload& w, int qos, trace::Level level) {
  const auto run = bench::in_child<double>([&] {
    const scenario::Scenario loaded =
        scenario::load_scenario_text(scenario_text(w, qos), "bench.yaml");
    const auto start = Clock::now();
    const runner::RunResult result =
        runner::run_scenario(loaded, {.seed = 1, .trace_level = level});
    volatile std::uint64_t digest = trace::hash(result.trace);  // as `mqttsim run` prints it
    (void)digest;
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return std::pair{seconds, result.passed()};
  });
  return {.seconds = run.figures.value_or(0),
          .peak_kib = run.peak_kib,
          .ok = run.passed && run.figures.value_or(0) > 0};
}

// Starts `args` with its standard input from `stdin_fd` (-1: inherited)
// and its standard output to `stdout_fd` (-1: /dev/null). Pipes are made
// close-on-exec, so that no child holds another's write end open (the
// publisher would never see the end of its input).
pid_t spawn(const std::vector<std::string>& args, int stdin_fd = -1, int stdout_fd = -1) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (stdout_fd >= 0) {
    posix_spawn_file_actions_adddup2(&actions, stdout_fd, STDOUT_FILENO);
  } else {
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  }
  if (stdin_fd >= 0) posix_spawn_file_actions_adddup2(&actions, stdin_fd, STDIN_FILENO);
  pid_t pid = -1;
  if (posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

bool exited_zero(pid_t pid) {
  int status = 0;
  return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
         WEXITSTATUS(status) == 0;
}

// A subscriber process whose debug output (mosquitto_sub -d) is read to
// know when its subscription is in place, then drained.
struct Subscriber {
  pid_t pid = -1;
  int output = -1;   // read end; -1 once at end of file
  std::string tail;  // the last bytes read, to find a marker split across reads
  bool subscribed = false;
};

// Reads what the subscribers wrote until each has said SUBACK
// (`until_subscribed`) or every output ended. Returns false if `within`
// passed first (a broker that does not answer).
bool drain(std::vector<Subscriber>& subs, bool until_subscribed, std::chrono::seconds within) {
  const auto deadline = Clock::now() + within;
  const auto waiting = [&] {
    for (const Subscriber& s : subs) {
      if (s.output >= 0 && (!until_subscribed || !s.subscribed)) return true;
    }
    return false;
  };
  char buffer[65536];
  while (waiting()) {
    std::vector<pollfd> fds;
    for (const Subscriber& s : subs) {
      if (s.output >= 0) fds.push_back({s.output, POLLIN, 0});
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    if (poll(fds.data(), fds.size(), static_cast<int>(left.count())) < 0) return false;
    for (Subscriber& s : subs) {
      if (s.output < 0) continue;
      const auto ready =
          std::find_if(fds.begin(), fds.end(), [&](const pollfd& f) { return f.fd == s.output; });
      if (ready == fds.end() || ready->revents == 0) continue;
      const ssize_t n = read(s.output, buffer, sizeof buffer);
      if (n <= 0) {
        close(s.output);
        s.output = -1;
        continue;
      }
      if (!s.subscribed) {
        s.tail.append(buffer, static_cast<std::size_t>(n));
        s.subscribed = s.tail.find("SUBACK") != std::string::npos;
        if (s.tail.size() > 16) s.tail.erase(0, s.tail.size() - 16);
      }
    }
  }
  return true;
}

// Ends subscribers that can no longer finish (no SUBACK in time, or the
// publisher could not start or send), so a failed run does not wait out
// their -W timeout. Their exit status is gone: the run counts as failed.
void stop(std::vector<Subscriber>& subs) {
  for (Subscriber& s : subs) {
    if (s.pid > 0) kill(s.pid, SIGTERM);
    if (s.output >= 0) close(s.output);
    s.output = -1;
  }
  for (const Subscriber& s : subs) {
    if (s.pid > 0) waitpid(s.pid, nullptr, 0);
  }
}

// The workload through Mosquitto: timed from the publisher's start, once
// every subscriber's subscription is in place, to the last subscriber's
// exit after its MESSAGES messages.
Measured measure_mosquitto(const Workload& w, int qos, const std::string& host,
                           const std::string& port) {
  const std::string q = std::to_string(qos);
  const std::string run = "tp-" + std::to_string(getpid()) + "-q" + q + "-";
  std::vector<Subscriber> subs(static_cast<std::size_t>(w.subscribers));
  bool started = true;
  for (std::size_t i = 0; i < subs.size(); ++i) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
      stop(subs);
      return {};
    }
    // Line-buffered (stdbuf -oL): mosquitto_sub writes to a pipe in blocks,
    // and its SUBACK line must come through at once. That costs it a write
    // per line, which counts against Mosquitto's figure.
    subs[i].pid = spawn(
        {"stdbuf", "-oL", "mosquitto_sub", "-h", host, "-p", port, "-i", run + std::to_string(i),
         "-c", "-q", q, "-t", "t/#", "-d", "-C", std::to_string(w.messages), "-W", "600"},
        -1, fds[1]);
    close(fds[1]);
    subs[i].output = fds[0];
    started = started && subs[i].pid > 0;
  }
  const bool subscribed = drain(subs, true, std::chrono::seconds{30});
  int fds[2];
  if (!started || !subscribed || pipe2(fds, O_CLOEXEC) != 0) {
    stop(subs);
    return {};
  }
  const auto start = Clock::now();
  const pid_t pub = spawn(
      {"mosquitto_pub", "-h", host, "-p", port, "-i", run + "pub", "-q", q, "-t", "t/a", "-l"},
      fds[0]);
  close(fds[0]);
  std::string lines;
  for (int n = 1; n <= w.messages; ++n) lines += "m" + std::to_string(n) + "\n";
  // SIGPIPE is ignored (main): a publisher that died early makes this fail.
  const bool written =
      pub > 0 && write(fds[1], lines.data(), lines.size()) == static_cast<ssize_t>(lines.size());
  close(fds[1]);
  if (!written) stop(subs);
  // mosquitto_sub -W 600 bounds this too; the drain's bound is a second guard.
  if (!drain(subs, false, std::chrono::seconds{660})) stop(subs);
  Measured m;
  m.ok = written && exited_zero(pub);
  for (const Subscriber& s : subs) m.ok = exited_zero(s.pid) && m.ok;
  m.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // each figure as soon as it is known
  std::signal(SIGPIPE, SIG_IGN);  // a dead child's pipe is an error to report, not a kill
  Workload w;
  std::optional<std::string> mosquitto;
  std::vector<trace::Level> levels{trace::Level::full, trace::Level::judged};
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--messages" && has_value) {
      w.messages = std::atoi(argv[++i]);
    } else if (arg == "--subscribers" && has_value) {
      w.subscribers = std::atoi(argv[++i]);
    } else if (arg == "--mosquitto" && has_value) {
      mosquitto = argv[++i];
    } else if (const auto level = has_value ? trace::parse_level(argv[i + 1]) : std::nullopt;
               arg == "--trace" && level) {
      levels = {*level};
      ++i;
    } else {
      std::fprintf(stderr,
                   "usage: throughput_bench [--messages N] [--subscribers S] "
                   "[--trace full|judged|none] [--mosquitto HOST:PORT]\n");
      return 2;
    }
  }
  std::string host;
  std::string port;
  if (mosquitto) {
    const auto colon = mosquitto->rfind(':');
    if (colon == std::string::npos) {
      std::fprintf(stderr, "throughput_bench: --mosquitto takes HOST:PORT\n");
      return 2;
    }
    host = mosquitto->substr(0, colon);
    port = mosquitto->substr(colon + 1);
  }
  if (w.messages < 1 || w.subscribers < 1) {
    std::fprintf(stderr, "throughput_bench: --messages and --subscribers take a number from 1\n");
    return 2;
  }
  std::printf(
      "workload: 1 publisher, %d persistent subscribers on t/#, %d messages: %ld deliveries\n",
      w.subscribers, w.messages, w.deliveries());
  int status = 0;
  for (const int qos : {0, 1, 2}) {
    double rate = 0;  // the last level's, for the ratio to Mosquitto
    for (const trace::Level level : levels) {
      const Measured sim = measure_mqttsim(w, qos, level);
      rate = sim.seconds > 0 ? static_cast<double>(w.deliveries()) / sim.seconds : 0;
      std::printf(
          "QoS %d mqttsim run --trace %-6s %8.2f s  %10.0f deliveries/s  peak %7ld MiB  "
          "%6.2f KiB/delivery%s\n",
          qos, std::string{trace::to_string(level)}.c_str(), sim.seconds, rate, sim.peak_kib / 1024,
          static_cast<double>(sim.peak_kib) / static_cast<double>(w.deliveries()),
          sim.ok ? "" : "  (FAILED: the run did not pass)");
      if (!sim.ok) status = 1;
    }
    if (!mosquitto) continue;
    const Measured real = measure_mosquitto(w, qos, host, port);
    if (!real.ok) {
      std::printf("QoS %d Mosquitto:    FAILED: a client did not finish (no SUBACK within 30 s, "
                  "or a message short)\n",
                  qos);
      status = 1;
      continue;
    }
    const double real_rate = static_cast<double>(w.deliveries()) / real.seconds;
    std::printf("QoS %d Mosquitto:    %8.2f s  %10.0f deliveries/s  (mosquitto_pub/_sub)\n", qos,
                real.seconds, real_rate);
    std::printf("QoS %d ratio mqttsim (--trace %s)/Mosquitto: %.2f\n", qos,
                std::string{trace::to_string(levels.back())}.c_str(), rate / real_rate);
  }
  if (!mosquitto) std::printf("Mosquitto: not measured (give --mosquitto HOST:PORT)\n");
  return status;
}
