#pragma once
// Internal to the loader: the step kinds and their readers. A step is a
// mapping whose one "kind" key (connect: CLIENT, wait: 2s, ...) says what it
// does; its other keys are that kind's options plus `at`.

#include <string_view>
#include <vector>

#include "scenario/scenario_reader.hpp"

namespace mqttsim::scenario {

struct StepKind {
  std::string_view name;
  StepAction (*read)(ScenarioReader& in, const YAML::Node& step);
};

// Every kind, in the order the documentation lists them.
const std::vector<StepKind>& step_kinds();

// expect: CLIENT with messages:, no_messages: or closed: (expectations.cpp).
StepAction read_expect(ScenarioReader& in, const YAML::Node& step);

// The steps: list, checking that `at` times never go backwards.
void read_steps(ScenarioReader& in, const YAML::Node& steps);

}  // namespace mqttsim::scenario
