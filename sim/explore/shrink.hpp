#pragma once
// Shrinking a failing scenario (`mqttsim explore --shrink`): delta
// debugging over its steps, then its clients, then each step and client
// made simpler, over and over until no candidate one edit smaller still
// fails (a local minimum: every single removal or simplification of the
// result passes, or fails differently) or the budget of tries runs out.
//
// "Still fails" is the caller's test (the candidate played on the
// reference broker in simulation, or on a real broker), so the shrinker
// knows nothing of how a scenario runs. What a test must keep is the
// finding: the same check citing the same statement (FindingKey), not
// merely some failure, or a scenario would shrink to a different bug.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "runner/run_result.hpp"
#include "scenario/scenario.hpp"

namespace mqttsim::explore {

// What a failing run found first: a check and the first statement it
// cites ("no-loss", "MQTT-4.5.0-1 (3.1.1)"); spec is "" for a finding that
// cites none (the event budget running out).
struct FindingKey {
  std::string check;
  std::string spec;
  bool operator==(const FindingKey&) const = default;
};

// The run's first finding, in the order reports list them (failed steps,
// then the oracle's violations, then a run that could not finish);
// nullopt when it passed.
std::optional<FindingKey> first_finding(const runner::RunResult& result);

// Whether the run has a finding with `key`'s check and statement.
bool has_finding(const runner::RunResult& result, const FindingKey& key);

std::string to_string(const FindingKey& key);  // "no-loss (MQTT-4.5.0-1 (3.1.1))"

using StillFails = std::function<bool(const scenario::Scenario&)>;

struct ShrinkResult {
  scenario::Scenario scenario;  // the smallest that still failed
  std::size_t tried = 0;        // candidates played
  bool budget_ran_out = false;  // stopped by the budget, not at a minimum
};

// `failing` must fail the test; the result does too. Plays at most
// `budget` candidates.
ShrinkResult shrink(scenario::Scenario failing, const StillFails& still_fails,
                    std::size_t budget);

}  // namespace mqttsim::explore
