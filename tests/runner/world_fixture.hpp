#pragma once
// One simulated world for the runner tests: simulator, trace, network (its
// generator derived from `seed`), and the reference broker as a process on it.

#include "runner/broker_host.hpp"

namespace mqttsim::testing {

struct World {
  explicit World(runner::StoreKind store = runner::StoreKind::volatile_store,
                 std::uint64_t seed = 1)
      : network{simulator, kernel::Rng{seed}.derive("network"), trace}, host{simulator, network,
                                                                             trace,     Profile{},
                                                                             store,     everyone} {}

  void run_for(Duration duration) { simulator.run_until(simulator.now() + duration); }

  // Declared first, destroyed last: queued events point at the others.
  kernel::Simulator simulator;
  trace::Trace trace;
  net::Network network;
  broker::AllowEveryone everyone;
  runner::BrokerHost host;
};

}  // namespace mqttsim::testing
