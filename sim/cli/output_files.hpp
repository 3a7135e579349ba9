#pragma once
// The files `run` and `check` write: reports and traces, each written
// whole (a temporary file, then a rename), so no earlier report is lost.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "reports/run_report.hpp"

namespace mqttsim::cli {

// A scenario's path as one file name, without its extension:
// "./scenarios/sessions/a.yaml" -> "scenarios_sessions_a".
std::string flat_file_stem(const std::string& scenario_file);

// Writes `content` to `path` atomically. A failure is reported on stderr as
// "mqttsim COMMAND: ..." and returns false (bad input: exit 2).
bool write_output_file(std::string_view command, const std::filesystem::path& path,
                       const std::string& content);

// The JSON and JUnit reports of a run, each to its path when given. False
// when one could not be written (reported on stderr).
bool write_run_reports(std::string_view command, const reports::RunReport& report,
                       const std::optional<std::string>& json_path,
                       const std::optional<std::string>& junit_path);

}  // namespace mqttsim::cli
