#include "reports/json_reader.hpp"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>

namespace mqttsim::reports {

namespace {

using Json = nlohmann::json;

// Thrown inside the reader and caught at its entry, which adds the source.
struct Malformed {
  std::string where;
  std::string problem;
};

// How an unexpected value is named in an error. Containers are not shown:
// printing them would recurse as deep as the input is nested.
std::string describe(const Json& value) {
  if (value.is_array()) return "an array";
  if (value.is_object()) return "an object";
  std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  constexpr std::size_t shown_max = 40;
  if (text.size() > shown_max) text = text.substr(0, shown_max) + "...";
  if (value.is_string()) return "the string " + text;
  if (value.is_number()) return "the number " + text;
  return text;  // true, false, null
}

std::string member_path(const std::string& object_path, std::string_view key) {
  return object_path.empty() ? std::string{key} : object_path + "." + std::string{key};
}

std::string element_path(const std::string& array_path, std::size_t index) {
  return array_path + "[" + std::to_string(index) + "]";
}

// The members of one JSON object, each read at most once; finish() refuses
// the members nobody asked for, so a misspelt or unknown key is an error.
class ObjectReader {
 public:
  ObjectReader(const Json& value, std::string path) : value_{value}, path_{std::move(path)} {
    if (!value_.is_object()) throw Malformed{path_, "expected an object, not " + describe(value_)};
  }

  const Json& required(std::string_view key) {
    const Json* found = optional(key);
    if (found == nullptr) throw Malformed{path_, "the key \"" + std::string{key} + "\" is missing"};
    return *found;
  }

  const Json* optional(std::string_view key) {
    const auto found = value_.find(key);
    if (found == value_.end()) return nullptr;
    read_.insert(std::string{key});
    return &*found;
  }

  std::string path(std::string_view key) const { return member_path(path_, key); }

  // The member `key`, read by `read(value, path)`.
  template <class Read>
  auto read(std::string_view key, Read read) {
    return read(required(key), path(key));
  }
  // Reads the member `key` into `into` when it is there.
  template <class Read, class T>
  void read_if_present(std::string_view key, Read read, T& into) {
    if (const Json* value = optional(key)) into = read(*value, path(key));
  }

  void finish() const {
    for (const auto& [key, unused] : value_.items()) {
      if (!read_.contains(key)) throw Malformed{path_, "unknown key \"" + key + "\""};
    }
  }

 private:
  const Json& value_;
  std::string path_;
  std::set<std::string> read_;
};

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A JSON string, or (full reports) {"hex": "..."} for bytes that are not
// well-formed UTF-8.
std::string read_text(const Json& value, const std::string& path) {
  if (value.is_string()) return value.get<std::string>();
  if (!value.is_object()) throw Malformed{path, "expected a string, not " + describe(value)};
  ObjectReader object{value, path};
  const Json& digits = object.required("hex");
  object.finish();
  if (!digits.is_string()) {
    throw Malformed{object.path("hex"), "expected a string of hex digits, not " + describe(digits)};
  }
  const auto& text = digits.get_ref<const std::string&>();
  if (text.size() % 2 != 0) throw Malformed{object.path("hex"), "an odd number of hex digits"};
  std::string bytes;
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const int high = hex_digit(text[i]);
    const int low = hex_digit(text[i + 1]);
    if (high < 0 || low < 0) {
      throw Malformed{object.path("hex"), "'" + text.substr(i, 2) + "' is not a hex byte"};
    }
    bytes.push_back(static_cast<char>(high * 16 + low));
  }
  return bytes;
}

// A reader of an array, whose elements `read_one(value, path)` reads.
template <class ReadOne>
auto array_of(ReadOne read_one) {
  return [read_one](const Json& value, const std::string& path) {
    if (!value.is_array()) throw Malformed{path, "expected an array, not " + describe(value)};
    std::vector<decltype(read_one(value, path))> elements;
    for (std::size_t i = 0; i < value.size(); ++i) {
      elements.push_back(read_one(value[i], element_path(path, i)));
    }
    return elements;
  };
}

std::uint64_t read_count(const Json& value, const std::string& path) {
  if (!value.is_number_unsigned()) {
    throw Malformed{path, "expected a whole number from 0, not " + describe(value)};
  }
  return value.get<std::uint64_t>();
}

bool read_bool(const Json& value, const std::string& path) {
  if (!value.is_boolean()) throw Malformed{path, "expected true or false, not " + describe(value)};
  return value.get<bool>();
}

// Whole microseconds from decimal seconds; exact for any time a run can
// take (a double holds 15 significant digits).
Duration read_seconds(const Json& value, const std::string& path) {
  if (!value.is_number()) throw Malformed{path, "expected seconds, not " + describe(value)};
  const double us = std::round(value.get<double>() * 1e6);
  // 9.2e18 is just below INT64_MAX (9.22e18): the cast below is defined.
  if (!std::isfinite(us) || std::fabs(us) > 9.2e18) {
    throw Malformed{path, "seconds out of range: " + describe(value)};
  }
  return Duration::from_us(static_cast<std::int64_t>(us));
}

Duration read_microseconds(const Json& value, const std::string& path) {
  if (!value.is_number_integer()) {
    throw Malformed{path, "expected whole microseconds, not " + describe(value)};
  }
  if (value.is_number_unsigned() && value.get<std::uint64_t>() > INT64_MAX) {
    throw Malformed{path, "microseconds out of range: " + describe(value)};
  }
  return Duration::from_us(value.get<std::int64_t>());
}

// null is what the writer makes of a wall time that is not a finite number.
double read_wall_time(const Json& value, const std::string& path) {
  if (value.is_null()) return std::nan("");
  if (!value.is_number()) throw Malformed{path, "expected seconds or null, not " + describe(value)};
  return value.get<double>();
}

Status read_status(const Json& value, const std::string& path) {
  const std::string text = read_text(value, path);
  for (const Status status : {Status::passed, Status::failed, Status::error, Status::skipped}) {
    if (text == to_string(status)) return status;
  }
  throw Malformed{path, "unknown status '" + text + "' (passed, failed, error or skipped)"};
}

Finding read_finding(const Json& value, const std::string& path) {
  ObjectReader object{value, path};
  Finding finding;
  finding.check = object.read("check", read_text);
  finding.spec = object.read("spec", array_of(read_text));
  finding.message = object.read("message", read_text);
  finding.location = object.read("location", read_text);
  object.read_if_present("known_deviation", read_bool, finding.known_deviation);
  object.read_if_present("excerpt", read_text, finding.excerpt);  // full reports
  object.finish();
  return finding;
}

Remark read_remark(const Json& value, const std::string& path) {
  ObjectReader object{value, path};
  Remark remark;
  remark.check = object.read("check", read_text);
  remark.message = object.read("message", read_text);
  object.finish();
  return remark;
}

ScenarioReport read_scenario(const Json& value, const std::string& path) {
  ObjectReader object{value, path};
  ScenarioReport scenario;
  scenario.file = object.read("file", read_text);
  scenario.name = object.read("name", read_text);
  scenario.status = object.read("status", read_status);
  scenario.seed = object.read("seed", read_count);
  scenario.trace_hash = object.read("trace_hash", read_text);
  scenario.simulated_time = object.read("simulated_time_s", read_seconds);
  scenario.wall_time_s = object.read("wall_time_s", read_wall_time);
  scenario.findings = object.read("violations", array_of(read_finding));
  object.read_if_present("remarks", array_of(read_remark), scenario.remarks);
  scenario.error = object.read("error", read_text);
  scenario.skip_reason = object.read("skip_reason", read_text);
  scenario.reproducer = object.read("reproducer", read_text);
  // The full report's extras; its exact simulated time wins over the decimal.
  object.read_if_present("simulated_time_us", read_microseconds, scenario.simulated_time);
  object.read_if_present("judged", array_of(read_text), scenario.judged);
  object.read_if_present("reference_replay", read_text, scenario.reference_replay);
  object.finish();
  return scenario;
}

std::string counts_text(const Summary& summary) {
  return std::to_string(summary.passed) + " passed, " + std::to_string(summary.failed) +
         " failed, " + std::to_string(summary.errors) + " errors, " +
         std::to_string(summary.skipped) + " skipped";
}

// The summary is derived from the scenarios; one that disagrees with them
// means the file was edited or cut short.
void check_summary(const Json& value, const RunReport& report) {
  ObjectReader object{value, "summary"};
  Summary listed;
  listed.passed = object.read("passed", read_count);
  listed.failed = object.read("failed", read_count);
  listed.errors = object.read("errors", read_count);
  listed.skipped = object.read("skipped", read_count);
  const std::uint64_t total = object.read("total", read_count);
  object.finish();
  const Summary counted = report.summary();
  if (listed != counted || total != counted.total()) {
    throw Malformed{"summary", "it counts " + counts_text(listed) + " (total " +
                                   std::to_string(total) + "), but the scenarios listed are " +
                                   counts_text(counted) + " (total " +
                                   std::to_string(counted.total()) + ")"};
  }
}

RunReport read_report(const Json& value) {
  ObjectReader object{value, ""};
  RunReport report;
  report.tool = object.read("tool", read_text);
  object.read_if_present("timestamp", read_text, report.timestamp);
  object.read_if_present("hostname", read_text, report.hostname);
  object.read_if_present("interrupted", read_bool, report.interrupted);
  object.read_if_present("trace", read_text, report.trace_level);
  report.scenarios = object.read("scenarios", array_of(read_scenario));
  check_summary(object.required("summary"), report);
  object.finish();
  return report;
}

// "line 3, column 7" of the byte at `offset` (0-based) in `text`.
std::string line_and_column(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(offset - line_start + 1);
}

// nlohmann's message without its "[json.exception.parse_error.101] parse
// error at line 1, column 5: " prefix (the position is given separately).
std::string parse_problem(const std::string& what) {
  std::string problem = what;
  if (problem.starts_with("[json.exception.")) {
    if (const auto end = problem.find("] "); end != std::string::npos) problem.erase(0, end + 2);
  }
  if (problem.starts_with("parse error")) {
    if (const auto colon = problem.find(": "); colon != std::string::npos) {
      problem.erase(0, colon + 2);
    }
  }
  return "not valid JSON: " + problem;
}

}  // namespace

std::string to_string(const ReportReadError& error) {
  return error.source + ": " + (error.where.empty() ? "" : error.where + ": ") + error.problem;
}

Expected<RunReport, ReportReadError> read_json_report(std::string_view json,
                                                      std::string_view source) {
  Json value;
  try {
    value = Json::parse(json);
  } catch (const Json::parse_error& error) {
    // error.byte counts from 1 and points just past what was read.
    return Unexpected{ReportReadError{.source = std::string{source},
                                      .where = line_and_column(json, error.byte - 1),
                                      .problem = parse_problem(error.what())}};
  } catch (const Json::exception& error) {  // a number too large for a double, ...
    return Unexpected{ReportReadError{
        .source = std::string{source}, .where = "", .problem = parse_problem(error.what())}};
  }
  try {
    return read_report(value);
  } catch (const Malformed& malformed) {
    return Unexpected{ReportReadError{
        .source = std::string{source}, .where = malformed.where, .problem = malformed.problem}};
  }
}

Expected<RunReport, ReportReadError> read_json_report_file(const std::filesystem::path& path) {
  const auto cannot_read = [&path](std::string why) {
    return Unexpected{
        ReportReadError{.source = path.string(), .where = "", .problem = "cannot read it: " + why}};
  };
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) return cannot_read("it is a folder");
  std::ifstream file{path, std::ios::binary};
  if (!file.is_open()) return cannot_read(std::strerror(errno));
  std::string text;
  try {
    text.assign(std::istreambuf_iterator<char>{file}, std::istreambuf_iterator<char>{});
  } catch (const std::exception& failure) {  // libstdc++ throws on a failed read
    return cannot_read(failure.what());
  }
  if (file.bad()) return cannot_read("a read failed");
  return read_json_report(text, path.string());
}

}  // namespace mqttsim::reports
