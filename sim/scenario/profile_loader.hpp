#pragma once
// Profiles from YAML. A profile file is a mapping of the options in
// reference/profile/profile.hpp, each under its own name:
//
//   name: mosquitto-2.0
//   max_queued_messages: 1000
//   queue_drop_policy: drop_newest
//   queue_qos0_offline: false
//
// Options left out keep the plain-spec default.

#include <string>
#include <string_view>

#include "profile/profile.hpp"
#include "scenario/yaml_reader.hpp"

namespace mqttsim::scenario {

// "spec" (the built-in default) or the path of a profile file.
Profile load_profile(std::string_view name_or_path);

// The profile options in `map`, applied on top of `base`.
Profile read_profile(const YAML::Node& map, const YamlReader& reader, Profile base = {});

}  // namespace mqttsim::scenario
