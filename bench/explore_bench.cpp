// explore_bench: what `mqttsim explore` costs.
//
// 1. Seeds per second of the default generator (mixed protocols, light
//    faults): each seed generated, written as its file, read back, played
//    against the reference broker and judged by the oracle, as explore does.
//    Measured in one process and in two forked processes splitting the
//    seeds (what `--jobs 2` does on 2 cores), next to the baseline of the
//    same seeds only generated, written and read back.
// 2. Shrinking the planted bugs of tests/explore/st_planted_bugs.cpp: the
//    time to shrink each one's first failing seed, the candidates played,
//    and the time to replay the shrunk file (load its text, play, judge),
//    next to the time of one run of the unshrunk seed.
//
//   build/release/bin/explore_bench [SEEDS]   (default 300)

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "combination_break.hpp"
#include "explore/explore_seed.hpp"
#include "oracle/flow_breaks.hpp"
#include "oracle/state_breaks.hpp"
#include "scenario/scenario_loader.hpp"
#include "scenario/scenario_writer.hpp"

namespace {

using namespace mqttsim;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string seed_file(std::uint64_t seed) {
  return "explore-seed-" + std::to_string(seed) + ".yaml";
}

// Seeds first, first + step, ... below `end`; returns how many failed.
std::size_t explore_seeds(std::uint64_t first, std::uint64_t end, std::uint64_t step) {
  std::size_t failed = 0;
  for (std::uint64_t seed = first; seed < end; seed += step) {
    if (!explore::explore_seed(seed, {}, seed_file(seed)).result.passed()) ++failed;
  }
  return failed;
}

double seeds_in_processes(std::uint64_t seeds, std::uint64_t processes) {
  std::fflush(stdout);
  const auto start = Clock::now();
  for (std::uint64_t p = 0; p < processes; ++p) {
    if (fork() == 0) {
      explore_seeds(1 + p, 1 + seeds, processes);
      std::_Exit(0);
    }
  }
  int status = 0;
  while (wait(&status) > 0) {
  }
  return seconds_since(start);
}

void seeds_per_second(std::uint64_t seeds) {
  auto start = Clock::now();
  for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
    const std::string yaml = scenario::to_yaml(explore::generate(seed, {}));
    const scenario::Scenario loaded = scenario::load_scenario_text(yaml, seed_file(seed));
    if (loaded.steps.empty()) std::abort();
  }
  const double baseline_s = seconds_since(start);
  start = Clock::now();
  const std::size_t failed = explore_seeds(1, 1 + seeds, 1);
  const double one_s = seconds_since(start);
  const double two_s = seeds_in_processes(seeds, 2);
  const auto rate = [&](double s) { return static_cast<double>(seeds) / s; };
  std::printf("seeds per second, %llu seeds of the default generator (%zu failing):\n",
              static_cast<unsigned long long>(seeds), failed);
  std::printf("  baseline: generate, write, read back   %8.1f seeds/s\n", rate(baseline_s));
  std::printf("  explore, 1 process                     %8.1f seeds/s  (%.1fx the baseline's time)\n",
              rate(one_s), one_s / baseline_s);
  std::printf("  explore, 2 processes (--jobs 2)        %8.1f seeds/s  (%.2fx one process)\n",
              rate(two_s), one_s / two_s);
}

struct PlantedBug {
  const char* name;
  explore::BrokenBroker broken;
  explore::FindingKey key;
  explore::FaultLevel faults = explore::FaultLevel::light;
};

void shrink_planted(const PlantedBug& bug) {
  const explore::GeneratorOptions options{.protocol = explore::ProtocolMix::v3_1_1,
                                          .faults = bug.faults};
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    auto start = Clock::now();
    const explore::ExploredSeed explored =
        explore::explore_seed(seed, options, seed_file(seed), bug.broken());
    const double run_s = seconds_since(start);
    if (!explore::has_finding(explored.result, bug.key)) continue;
    start = Clock::now();
    const explore::ShrunkSeed shrunk =
        explore::shrink_seed(explored, seed, "shrunk.yaml", 3'000, bug.broken, bug.key);
    const double shrink_s = seconds_since(start);
    start = Clock::now();
    const scenario::Scenario replay = scenario::load_scenario_text(shrunk.shrunk.yaml, "shrunk.yaml");
    const runner::RunResult again = runner::run_scenario(replay, {.seed = seed, .interceptor = bug.broken()});
    const double replay_s = seconds_since(start);
    std::printf("  %-28s seed %3llu: %3zu -> %2zu steps, %4zu candidates, shrink %6.3f s "
                "(%5.0f runs of the seed), replay %.4f s%s\n",
                bug.name, static_cast<unsigned long long>(seed), shrunk.before.steps,
                shrunk.after.steps, shrunk.tried, shrink_s, shrink_s / run_s, replay_s,
                explore::has_finding(again, bug.key) ? "" : "  (replay lost the finding!)");
    return;
  }
  std::printf("  %-28s not found in 100 seeds\n", bug.name);
}

explore::FindingKey key(const char* check, const char* id) {
  return {.check = check, .spec = std::string{id} + " (3.1.1)"};
}

}  // namespace

int main(int argc, char** argv) {
  const std::uint64_t seeds = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 300;
  seeds_per_second(seeds == 0 ? 300 : seeds);
  using namespace mqttsim::testing;
  std::printf("shrinking the planted bugs (3.1.1 seeds), replaying the shrunk files:\n");
  shrink_planted({"a lost queued message", drop_first_queued, key("no-loss", "MQTT-4.5.0-1")});
  shrink_planted({"swapped queue order", swap_first_two_queued, key("ordering", "MQTT-4.6.0-6")});
  shrink_planted({"DUP cleared on resends",
                  [] { return rewrite_publishes([](codec::Publish& p) { p.dup = false; }); },
                  key("dup-flag", "MQTT-3.3.1-1")});
  shrink_planted({"a stale retained message", stale_retained, key("retained", "MQTT-3.3.1-6")});
  shrink_planted({"a QoS upgrade",
                  [] {
                    return rewrite_publishes([](codec::Publish& p) {
                      if (p.qos == codec::QoS::at_least_once) p.qos = codec::QoS::exactly_once;
                    });
                  },
                  key("qos", "MQTT-3.8.4-6")});
  shrink_planted({"Session Present always 0", [] { return session_present_always(false); },
                  key("session-present", "MQTT-3.2.2-2")});
  shrink_planted({"loss after restart+partition",
                  [] { return std::make_shared<LossAfterRestartDuringPartition>(); },
                  key("no-loss", "MQTT-4.5.0-1"), explore::FaultLevel::heavy});
  return 0;
}
