#pragma once
// The files `run` and `check` write: reports and traces, each written
// whole (a temporary file, then a rename), so no earlier report is lost.

#include <filesystem>
#include <string>
#include <string_view>

namespace mqttsim::cli {

// A scenario's path as one file name, without its extension:
// "./scenarios/sessions/a.yaml" -> "scenarios_sessions_a".
std::string flat_file_stem(const std::string& scenario_file);

// Writes `content` to `path` atomically. A failure is reported on stderr as
// "mqttsim COMMAND: ..." and returns false (bad input: exit 2).
bool write_output_file(std::string_view command, const std::filesystem::path& path,
                       const std::string& content);

}  // namespace mqttsim::cli
