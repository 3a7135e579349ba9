#pragma once
// YAML -> Scenario. Every problem is a LoadError "file:line:column: message"
// that says what is wrong and what would be right; nothing is guessed. The
// language is documented in scenarios/README.md.

#include <string>

#include "scenario/load_error.hpp"
#include "scenario/scenario.hpp"

namespace mqttsim::scenario {

// Reads and checks the file at `path` (a missing file is a LoadError too).
// A `profile:` path is resolved relative to the file's folder.
Scenario load_scenario_file(const std::string& path);

// The same from text; `name_for_errors` is the file name errors carry.
Scenario load_scenario_text(const std::string& text, const std::string& name_for_errors);

}  // namespace mqttsim::scenario
