#pragma once
// PATH arguments of `run`, `validate`, `check` and `coverage`: a scenario
// file, or a folder searched recursively for *.yaml.

#include <filesystem>
#include <string>
#include <vector>

namespace mqttsim::cli {

// The scenario files under `path`, sorted so every machine visits them in
// the same order. A missing path or an unreadable folder is a UsageError.
std::vector<std::filesystem::path> scenario_files(const std::string& path);

}  // namespace mqttsim::cli
