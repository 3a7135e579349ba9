#pragma once
// Internal to the scenario writer: each step kind, written as its reader in
// steps.cpp and expectations.cpp reads it.

#include <string_view>

#include "scenario/scenario.hpp"
#include "scenario/yaml_writer.hpp"

namespace mqttsim::scenario {

// One entry of `steps:`, as a mapping: the kind key first, then `at:`, then
// the options that differ from the loader's defaults.
void write_step(YamlWriter& out, const Scenario& scenario, const Step& step);

// "volatile" or "durable", for the header and broker_restart alike.
std::string_view store_word(BrokerStore store);

// Throws std::invalid_argument: `value` is outside its enum, so no word of
// the language names it.
[[noreturn]] void throw_unnamed(std::string_view what, int value);

}  // namespace mqttsim::scenario
