// Events per second of kernel::Simulator against a bare std::priority_queue
// of (time, sequence) pairs on the same workload, in the same process.
//
// The workload is the classic hold model: N events pending; each step pops
// the earliest and pushes one at now + a random increment in [1, 1000] us.
// The simulator does more than the bare heap (a callback per event, lazy
// cancellation, slot bookkeeping), so the interesting figure is the ratio.
//
//   build/release/bin/scheduler_bench [events_per_run]

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <queue>
#include <utility>
#include <vector>

#include "kernel/rng.hpp"
#include "kernel/simulator.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using mqttsim::Duration;
using mqttsim::TimePoint;
using mqttsim::kernel::Rng;
using mqttsim::kernel::Simulator;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Shared by every event of a simulator run: the callback captures only a
// pointer to it, as a real model's callbacks capture `this`.
struct HoldModel {
  Simulator* sim;
  Rng rng;
  std::uint64_t events = 0;
  std::uint64_t checksum = 0;
  void fire() {
    ++events;
    checksum += static_cast<std::uint64_t>(sim->now().since_origin_us());
    sim->schedule_after(Duration::from_us(static_cast<std::int64_t>(rng.uniform(1, 1000))),
                        [this] { fire(); });
  }
};

struct Result {
  double events_per_s;
  std::uint64_t checksum;
};

Result run_simulator(std::size_t pending, std::uint64_t steps) {
  Simulator sim;
  HoldModel model{&sim, Rng{1}};
  for (std::size_t i = 0; i < pending; ++i) {
    sim.schedule_at(TimePoint::from_us(static_cast<std::int64_t>(model.rng.uniform(1, 1000))),
                    [&model] { model.fire(); });
  }
  const auto start = Clock::now();
  for (std::uint64_t i = 0; i < steps; ++i) sim.step();
  const double elapsed = seconds_since(start);
  return {static_cast<double>(steps) / elapsed, model.checksum};
}

Result run_bare_heap(std::size_t pending, std::uint64_t steps) {
  using Key = std::pair<std::int64_t, std::uint64_t>;  // (time_us, sequence)
  std::priority_queue<Key, std::vector<Key>, std::greater<Key>> heap;
  Rng rng{1};
  std::uint64_t sequence = 0;
  std::uint64_t checksum = 0;
  for (std::size_t i = 0; i < pending; ++i) {
    heap.emplace(static_cast<std::int64_t>(rng.uniform(1, 1000)), sequence++);
  }
  const auto start = Clock::now();
  for (std::uint64_t i = 0; i < steps; ++i) {
    const std::int64_t now = heap.top().first;
    heap.pop();
    checksum += static_cast<std::uint64_t>(now);
    heap.emplace(now + static_cast<std::int64_t>(rng.uniform(1, 1000)), sequence++);
  }
  const double elapsed = seconds_since(start);
  return {static_cast<double>(steps) / elapsed, checksum};
}

}  // namespace

int main(int argc, char** argv) {
  const std::uint64_t steps = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 5'000'000;
  std::printf("hold model, %llu events per run (best of 3)\n",
              static_cast<unsigned long long>(steps));
  std::printf("%10s %18s %18s %8s\n", "pending", "simulator ev/s", "bare heap ev/s", "ratio");
  for (const std::size_t pending :
       {std::size_t{1'000}, std::size_t{100'000}, std::size_t{1'000'000}}) {
    Result best_sim{0, 0};
    Result best_heap{0, 0};
    for (int round = 0; round < 3; ++round) {
      const Result s = run_simulator(pending, steps);
      const Result h = run_bare_heap(pending, steps);
      if (s.events_per_s > best_sim.events_per_s) best_sim = s;
      if (h.events_per_s > best_heap.events_per_s) best_heap = h;
    }
    // Same draws, same order (ties by sequence in both): same event times.
    if (best_sim.checksum != best_heap.checksum) {
      std::printf("workloads differ: checksums %llu vs %llu\n",
                  static_cast<unsigned long long>(best_sim.checksum),
                  static_cast<unsigned long long>(best_heap.checksum));
      return 1;
    }
    std::printf("%10zu %18.0f %18.0f %8.2f\n", pending, best_sim.events_per_s,
                best_heap.events_per_s, best_sim.events_per_s / best_heap.events_per_s);
  }
  return 0;
}
