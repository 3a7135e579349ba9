#pragma once
// PATH arguments of `run`, `validate`, `check` and `coverage`: a scenario
// file, or a folder searched recursively for *.yaml.

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace mqttsim::cli {

// The scenario files under `path`, sorted so every machine visits them in
// the same order. A missing path or an unreadable folder is a UsageError.
std::vector<std::filesystem::path> scenario_files(const std::string& path);

// Calls `visit` with every scenario file under `paths`, path by path. A path
// that cannot be read, or no file at all, is reported on stderr as
// "mqttsim COMMAND: ..." and makes the result false (bad input, exit 2);
// the other paths are still visited.
bool visit_scenario_files(const std::vector<std::string>& paths, std::string_view command,
                          const std::function<void(const std::string& file)>& visit);

}  // namespace mqttsim::cli
