#pragma once
// Reads a JSON report (json_writer.hpp) back into a RunReport: the public
// report of the CLI contract, or the full one. From a full report the
// RunReport is equal to the one written; from a public one, what it carries
// (no excerpts, judged statements or reference replays; wall times rounded
// to microseconds; ill-formed UTF-8 already replaced by U+FFFD).
//
// The reader is strict, as the scenario loader is: a key it does not know,
// a missing key, a value of the wrong type, or a summary that does not
// count the scenarios listed is an error. Any input, however broken, gives
// a RunReport or a ReportReadError, never a crash.

#include <filesystem>
#include <string>
#include <string_view>

#include "base/expected.hpp"
#include "reports/run_report.hpp"

namespace mqttsim::reports {

struct ReportReadError {
  std::string source;  // the file name, or what the text came from
  // Where in it: "line 3, column 7" for text that is not JSON, or the
  // value's path ("scenarios[2].violations[0].spec"); "" for the whole file.
  std::string where;
  std::string problem;  // "unknown status 'bogus' (passed, failed, error or skipped)"

  bool operator==(const ReportReadError&) const = default;
};

// "out/report.json: scenarios[2].status: unknown status 'bogus' (...)"
std::string to_string(const ReportReadError& error);

// `json` is the text; `source` names it in errors.
Expected<RunReport, ReportReadError> read_json_report(std::string_view json,
                                                      std::string_view source);

// Reads the file at `path` (an unreadable file is an error too).
Expected<RunReport, ReportReadError> read_json_report_file(const std::filesystem::path& path);

}  // namespace mqttsim::reports
