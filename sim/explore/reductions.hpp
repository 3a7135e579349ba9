#pragma once
// The smaller scenarios the shrinker tries (shrink.hpp): each function
// returns candidates that are one edit smaller or simpler than `scenario`,
// most promising first. A candidate may be one the loader refuses (a
// subscribe on a client no step connects any more); the shrinker's test
// rejects it like any candidate that no longer fails.
//
// What a run is made of, and so what shrinks: steps (faults among them,
// since explore writes every fault as a step), clients, the subscriptions
// of a SUBSCRIBE, burst counts, payload sizes, waits and delays, and the
// links' latency and segmentation.

#include <cstddef>
#include <string>
#include <vector>

#include "scenario/scenario.hpp"

namespace mqttsim::explore {

// `scenario` without steps [first, first + count).
scenario::Scenario without_steps(const scenario::Scenario& scenario, std::size_t first,
                                 std::size_t count);

// `scenario` without client `name` and every step that names it (a
// partition or heal of several clients only loses that name).
scenario::Scenario without_client(const scenario::Scenario& scenario, const std::string& name);

// The simpler forms of step `index`: one wait for two in a row, a burst of
// one or of half as many, no
// interval, no properties, a shorter payload, a subscribe with one
// subscription fewer, a shorter wait or delay, no will, less loss.
std::vector<scenario::Scenario> simpler_step(const scenario::Scenario& scenario, std::size_t index);

// The scenario with client `index` on the network's default link (no slow
// link, no segmentation).
std::vector<scenario::Scenario> simpler_client(const scenario::Scenario& scenario,
                                               std::size_t index);

// How big a scenario is, for "shrunk from ... to ...".
struct ScenarioSize {
  std::size_t steps = 0;
  std::size_t clients = 0;
  std::size_t subscriptions = 0;  // filters over every SUBSCRIBE
  std::size_t messages = 0;       // publications, bursts counted in full
  bool operator==(const ScenarioSize&) const = default;
};

ScenarioSize size_of(const scenario::Scenario& scenario);
std::string to_string(const ScenarioSize& size);  // "41 steps, 6 clients, 9 subscriptions, 57 messages"

}  // namespace mqttsim::explore
