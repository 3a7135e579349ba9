// scale_bench: a population of persistent clients over a simulated hour,
// end to end (scenario loader, network, reference broker, trace, oracle),
// against the clock: how many times faster than real time the simulation
// runs, and what it holds in memory.
//
// Workload (the performance issue's, scaled by --clients): CLIENTS
// persistent 3.1.1 clients ("subs", a population), each subscribed at QoS 1
// to its own topic own/{i} and to the shared wildcard news/#; PUBLISHERS
// publishers, each serving an equal slice of the clients. Every simulated
// minute each client's own topic gets one QoS 1 message, at a moment drawn
// from the seed within the minute; every 10 minutes one message on
// news/all goes to every client. Each client is offline for about a tenth
// of the run: the clients are cut into ten slices, and slice w drops at
// random moments in the first half of the w-th tenth of the run and comes
// back (clean session 0) in the first half of the next, so its messages
// queue in its session meanwhile. The oracle judges the trace (`judged`
// unless --trace says otherwise): nothing may be lost.
//
// Printed: wall time and the ratio of simulated to wall time (the baseline:
// real time), simulator events and deliveries per wall second, peak RSS
// (the child that ran it, wait4) per delivery and per client, the verdict,
// and a linear extrapolation to the goal of 100,000 clients; and,
// in the reference broker alone, the heap bytes an idle persistent session
// of this workload's shape costs against its raw content (idle_sessions.hpp:
// two subscriptions and the six 9-byte messages a tenth of an hour offline
// queues).
//
//   build/release/bin/scale_bench [--clients N] [--publishers P]
//                                 [--minutes M] [--trace full|judged|none]
//                                 [--write-scenario FILE]
//   (defaults: 2,000 clients, one publisher per 100 clients, 60 minutes)
//
// --write-scenario FILE writes the scenario instead, for `mqttsim run` or a
// profiler. A scenario holds at most 10,000 clients (scenarios/README.md,
// Limits).

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "idle_sessions.hpp"
#include "in_child.hpp"
#include "runner/scenario_player.hpp"
#include "scenario/scenario_loader.hpp"
#include "trace/trace.hpp"

namespace {

using namespace mqttsim;
using Clock = std::chrono::steady_clock;

struct Workload {
  int clients = 2000;
  int publishers = 0;  // 0: one per 100 clients
  int minutes = 60;
  trace::Level level = trace::Level::judged;
  std::string write_to;  // --write-scenario: the file to write the scenario to, not run
};

// When the hour starts: after every publisher's connect (a CONNACK's round
// trip each), the clients' connects spread over a minute and their two
// subscriptions spread over 10 s each.
constexpr long hour_starts_s = 180;

std::string at(long seconds) { return "    at: " + std::to_string(seconds) + "s\n"; }

std::string slice(int first, int last) {
  return "subs[" + std::to_string(first) + ".." + std::to_string(last) + "]";
}

std::string scenario_text(const Workload& w) {
  std::string y =
      "name: scale " + std::to_string(w.clients) + " clients, " + std::to_string(w.publishers) +
      " publishers, " + std::to_string(w.minutes) +
      " minutes\nprotocol: 3.1.1\nclients:\n  subs:\n    count: " + std::to_string(w.clients) +
      "\n    client_id: \"s-{i}\"\n";
  for (int p = 0; p < w.publishers; ++p) y += "  p" + std::to_string(p) + ":\n";
  y += "steps:\n";
  for (int p = 0; p < w.publishers; ++p) y += "  - connect: p" + std::to_string(p) + "\n";
  y += "  - connect: subs\n    clean_session: false\n    spread: 60s\n  - wait: 61s\n";
  y += "  - subscribe: subs\n    filter: \"own/{i}\"\n    qos: 1\n    spread: 10s\n";
  y += "  - subscribe: subs\n    filter: \"news/#\"\n    qos: 1\n    spread: 10s\n";

  const long run_s = 60L * w.minutes;
  const long tenth_s = run_s / 10;
  const int per_slice = w.clients / 10;
  // The steps of the hour in time order: a drop or reconnect of a slice at
  // the start of each tenth, and each minute's messages.
  for (long minute = 0; minute < w.minutes; ++minute) {
    const long now = hour_starts_s + 60 * minute;
    for (int w10 = 0; w10 < 10 && per_slice > 0; ++w10) {
      const long tenth_at = hour_starts_s + tenth_s * w10;
      if (tenth_at < now || tenth_at >= now + 60) continue;
      const std::string half = std::to_string(tenth_s / 2) + "s";
      if (w10 > 0) {  // the previous slice comes back
        y += "  - connect: " + slice((w10 - 1) * per_slice, w10 * per_slice - 1) + "\n" +
             at(tenth_at) + "    clean_session: false\n    spread: " + half + "\n";
      }
      y += "  - drop: " + slice(w10 * per_slice, (w10 + 1) * per_slice - 1) + "\n" + at(tenth_at) +
           "    spread: " + half + "\n";
    }
    const std::string payload = "\"minute " + std::to_string(minute) + "\"";
    if (minute % 10 == 0) {
      y += "  - publish: p0\n" + at(now) + "    topic: news/all\n    qos: 1\n    payload: \"news " +
           std::to_string(minute) + "\"\n";
    }
    for (int p = 0; p < w.publishers; ++p) {
      const int first = static_cast<int>(static_cast<long>(w.clients) * p / w.publishers);
      const int last = static_cast<int>(static_cast<long>(w.clients) * (p + 1) / w.publishers) - 1;
      if (last < first) continue;
      y += "  - publish: p" + std::to_string(p) + "\n" + at(now) +
           "    for_each: " + slice(first, last) +
           "\n    topic: \"own/{i}\"\n    qos: 1\n    payload: " + payload + "\n    spread: 60s\n";
    }
  }
  // The last slice comes back as the hour ends; then time for the queues
  // to drain.
  if (per_slice > 0) {
    y += "  - connect: " + slice(9 * per_slice, 10 * per_slice - 1) + "\n" +
         at(hour_starts_s + run_s) +
         "    clean_session: false\n    spread: " + std::to_string(tenth_s / 2) + "s\n";
  }
  y += "  - wait: " + std::to_string(tenth_s) + "s\n" + at(hour_starts_s + run_s);
  return y;
}

struct Figures {
  double wall_s = 0;
  double simulated_s = 0;
  std::uint64_t events = 0;
  std::uint64_t deliveries = 0;  // PUBLISH packets the broker sent
  std::uint64_t violations = 0;
  std::uint64_t failures = 0;
  bool judged = false;
  bool aborted = false;
};

std::uint64_t deliveries_in(const trace::Trace& trace) {
  std::uint64_t n = 0;
  for (const trace::TraceEvent& e : trace.events()) {
    if (e.kind == trace::EventKind::packet && e.actor == trace::broker_actor &&
        e.direction == trace::Direction::broker_to_client && !e.bytes.empty() &&
        (e.bytes[0] >> 4) == 3) {
      ++n;
    }
  }
  return n;
}

bool parse(int argc, char** argv, Workload& w) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const char* value = i + 1 < argc ? argv[i + 1] : nullptr;
    if (value == nullptr) return false;
    ++i;
    if (arg == "--clients") {
      w.clients = std::atoi(value);
    } else if (arg == "--publishers") {
      w.publishers = std::atoi(value);
    } else if (arg == "--minutes") {
      w.minutes = std::atoi(value);
    } else if (arg == "--write-scenario") {
      w.write_to = value;
    } else if (arg == "--trace") {
      const auto level = trace::parse_level(value);
      if (!level) return false;
      w.level = *level;
    } else {
      return false;
    }
  }
  if (w.publishers == 0) w.publishers = std::max(1, w.clients / 100);
  return w.clients >= 10 && w.clients <= 10'000 && w.publishers >= 1 && w.publishers <= w.clients &&
         w.minutes >= 10 && w.minutes <= 24 * 60;
}

}  // namespace

int main(int argc, char** argv) {
  Workload w;
  if (!parse(argc, argv, w)) {
    std::fprintf(stderr,
                 "usage: scale_bench [--clients 10..10000] [--publishers P] [--minutes 10..1440] "
                 "[--trace full|judged|none] [--write-scenario FILE]\n");
    return 2;
  }
  const std::string text = scenario_text(w);
  if (!w.write_to.empty()) {  // for `mqttsim run`, a profiler, or a reader
    std::FILE* out = std::fopen(w.write_to.c_str(), "w");
    const bool written =
        out != nullptr && std::fwrite(text.data(), 1, text.size(), out) == text.size();
    if (out != nullptr) std::fclose(out);
    if (!written) std::fprintf(stderr, "scale_bench: cannot write %s\n", w.write_to.c_str());
    return written ? 0 : 2;
  }
  std::printf(
      "scale_bench: %d persistent QoS 1 clients (own topic + news/#), %d publishers, "
      "%d simulated minutes, each client offline ~10%%, trace %s (scenario %zu KiB)\n",
      w.clients, w.publishers, w.minutes, std::string{trace::to_string(w.level)}.c_str(),
      text.size() / 1024);
  std::fflush(stdout);

  const auto run = bench::in_child<Figures>([&] {
    Figures f;
    const auto start = Clock::now();
    const scenario::Scenario loaded = scenario::load_scenario_text(text, "scale.yaml");
    const runner::RunResult result =
        runner::run_scenario(loaded, {.seed = 1, .trace_level = w.level});
    volatile std::uint64_t digest = trace::hash(result.trace);  // as `mqttsim run` prints it
    (void)digest;
    f.wall_s = std::chrono::duration<double>(Clock::now() - start).count();
    f.simulated_s = static_cast<double>(result.end_time.since_origin_us()) / 1e6;
    f.events = result.events_run;
    f.deliveries = deliveries_in(result.trace);
    f.violations = result.verdict.violations.size();
    f.failures = result.failures.size();
    f.judged = result.judged;
    f.aborted = result.aborted;
    return std::pair{f, result.passed()};
  });
  if (!run.figures) {
    std::printf("  the run died (peak RSS %.0f MiB)\n", static_cast<double>(run.peak_kib) / 1024);
    return 1;
  }
  const Figures& f = *run.figures;
  const double peak_mib = static_cast<double>(run.peak_kib) / 1024;
  std::printf("  wall %.2f s for %.1f simulated min: %.0fx real time\n", f.wall_s,
              f.simulated_s / 60, f.simulated_s / f.wall_s);
  std::printf(
      "  %llu simulator events (%.2f M/s), %llu deliveries (%.0f /s)\n",
      static_cast<unsigned long long>(f.events), static_cast<double>(f.events) / f.wall_s / 1e6,
      static_cast<unsigned long long>(f.deliveries), static_cast<double>(f.deliveries) / f.wall_s);
  std::printf("  peak RSS %.0f MiB: %.2f KiB per delivery, %.1f KiB per client\n", peak_mib,
              static_cast<double>(run.peak_kib) /
                  static_cast<double>(std::max<std::uint64_t>(1, f.deliveries)),
              static_cast<double>(run.peak_kib) / w.clients);
  if (!f.judged) {
    std::printf("  oracle: not run (--trace none): no verdict on the broker\n");
  } else {
    std::printf("  oracle: %s (%llu violations, %llu failed steps%s)\n",
                run.passed ? "passed" : "FAILED", static_cast<unsigned long long>(f.violations),
                static_cast<unsigned long long>(f.failures), f.aborted ? ", aborted" : "");
  }
  const bench::IdleSessionShape idle{
      .sessions = 1000, .filters_per_session = 2, .queued_per_session = 6, .payload_bytes = 9};
  const bench::IdleSessionCost cost = bench::measure_idle_sessions(idle);
  std::printf(
      "  idle persistent session (%d subscriptions, %d queued %zu-byte messages): "
      "%.0f heap bytes for %.0f bytes of content (%.1fx)\n",
      idle.filters_per_session, idle.queued_per_session, idle.payload_bytes, cost.heap_per_session,
      cost.raw_per_session, cost.heap_per_session / cost.raw_per_session);
  const double factor = 100'000.0 / w.clients * (3600.0 / (60.0 * w.minutes));
  std::printf(
      "  at 100,000 clients for an hour, scaled linearly: ~%.0f s wall, ~%.1f GiB peak "
      "(goal: 60 s, 2 GiB)\n",
      f.wall_s * factor, peak_mib * factor / 1024);
  return run.passed || !f.judged ? 0 : 1;
}
