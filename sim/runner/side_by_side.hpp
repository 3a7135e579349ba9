#pragma once
// How `mqttsim check --jobs J` shares one broker among J workers. Scenarios
// whose footprints overlap (broker_footprint.hpp) go to the same worker, so
// they run one after another as with J = 1; the groups this makes are dealt
// out longest first, each to the worker with the least estimated work so
// far, so that the run ends about when its longest group does. Scenarios
// that must run alone are set apart, for the caller to run with no other.
// The plan depends on its inputs only: equal inputs, equal plans (ties go to
// the lower index).

#include <cstddef>
#include <vector>

#include "base/time.hpp"
#include "runner/broker_footprint.hpp"
#include "runner/tcp_world.hpp"
#include "scenario/scenario.hpp"

namespace mqttsim::runner {

struct SideBySidePlan {
  std::vector<std::size_t> alone;      // indices of the inputs that run alone, in order
  std::vector<std::size_t> together;   // the other indices, in order
  std::vector<std::size_t> worker_of;  // each `together` entry's worker, below `workers`
};

// How long `mqttsim check` should take to play `scenario` against `target`
// in real time: its length in simulation (target.scenario_length), scaled,
// plus the real-time pauses TcpWorld adds (--settle after each SUBACK and
// UNSUBACK and at the end of each no_messages window) and the clean-ups
// before and after it; the clean-ups only for a scenario TcpWorld refuses
// (cannot_play_against). An estimate: a broker that fails an expectation
// makes the run wait out its window.
Duration estimated_real_time(const scenario::Scenario& scenario, const TcpTarget& target);

// `estimates[i]` is how long scenario i is expected to take (any unit, the
// same for all); `footprints` and `estimates` have one entry per scenario.
SideBySidePlan plan_side_by_side(const std::vector<BrokerFootprint>& footprints,
                                 const std::vector<Duration>& estimates, std::size_t workers);

}  // namespace mqttsim::runner
