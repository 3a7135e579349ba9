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

template <class ReadOne>
void for_each_element(const Json& value, const std::string& path, ReadOne read_one) {
  if (!value.is_array()) throw Malformed{path, "expected an array, not " + describe(value)};
  for (std::size_t i = 0; i < value.size(); ++i) read_one(value[i], element_path(path, i));
}

std::vector<std::string> read_texts(const Json& value, const std::string& path) {
  std::vector<std::string> texts;
  for_each_element(value, path, [&texts](const Json& element, const std::string& at) {
    texts.push_back(read_text(element, at));
  });
  return texts;
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
  finding.check = read_text(object.required("check"), object.path("check"));
  finding.spec = read_texts(object.required("spec"), object.path("spec"));
  finding.message = read_text(object.required("message"), object.path("message"));
  finding.location = read_text(object.required("location"), object.path("location"));
  if (const Json* known = object.optional("known_deviation")) {
    finding.known_deviation = read_bool(*known, object.path("known_deviation"));
  }
  if (const Json* excerpt = object.optional("excerpt")) {
    finding.excerpt = read_text(*excerpt, object.path("excerpt"));
  }
  object.finish();
  return finding;
}

Remark read_remark(const Json& value, const std::string& path) {
  ObjectReader object{value, path};
  Remark remark;
  remark.check = read_text(object.required("check"), object.path("check"));
  remark.message = read_text(object.required("message"), object.path("message"));
  object.finish();
  return remark;
}

ScenarioReport read_scenario(const Json& value, const std::string& path) {
  ObjectReader object{value, path};
  ScenarioReport scenario;
  scenario.file = read_text(object.required("file"), object.path("file"));
  scenario.name = read_text(object.required("name"), object.path("name"));
  scenario.status = read_status(object.required("status"), object.path("status"));
  scenario.seed = read_count(object.required("seed"), object.path("seed"));
  scenario.trace_hash = read_text(object.required("trace_hash"), object.path("trace_hash"));
  scenario.simulated_time =
      read_seconds(object.required("simulated_time_s"), object.path("simulated_time_s"));
  scenario.wall_time_s = read_wall_time(object.required("wall_time_s"), object.path("wall_time_s"));
  for_each_element(object.required("violations"), object.path("violations"),
                   [&scenario](const Json& element, const std::string& at) {
                     scenario.findings.push_back(read_finding(element, at));
                   });
  if (const Json* remarks = object.optional("remarks")) {
    for_each_element(*remarks, object.path("remarks"),
                     [&scenario](const Json& element, const std::string& at) {
                       scenario.remarks.push_back(read_remark(element, at));
                     });
  }
  scenario.error = read_text(object.required("error"), object.path("error"));
  scenario.skip_reason = read_text(object.required("skip_reason"), object.path("skip_reason"));
  scenario.reproducer = read_text(object.required("reproducer"), object.path("reproducer"));
  // The full report's extras.
  if (const Json* exact = object.optional("simulated_time_us")) {
    scenario.simulated_time = read_microseconds(*exact, object.path("simulated_time_us"));
  }
  if (const Json* judged = object.optional("judged")) {
    scenario.judged = read_texts(*judged, object.path("judged"));
  }
  if (const Json* replay = object.optional("reference_replay")) {
    scenario.reference_replay = read_text(*replay, object.path("reference_replay"));
  }
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
  listed.passed = read_count(object.required("passed"), object.path("passed"));
  listed.failed = read_count(object.required("failed"), object.path("failed"));
  listed.errors = read_count(object.required("errors"), object.path("errors"));
  listed.skipped = read_count(object.required("skipped"), object.path("skipped"));
  const std::uint64_t total = read_count(object.required("total"), object.path("total"));
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
  report.tool = read_text(object.required("tool"), object.path("tool"));
  if (const Json* timestamp = object.optional("timestamp")) {
    report.timestamp = read_text(*timestamp, object.path("timestamp"));
  }
  if (const Json* hostname = object.optional("hostname")) {
    report.hostname = read_text(*hostname, object.path("hostname"));
  }
  if (const Json* interrupted = object.optional("interrupted")) {
    report.interrupted = read_bool(*interrupted, object.path("interrupted"));
  }
  for_each_element(object.required("scenarios"), object.path("scenarios"),
                   [&report](const Json& element, const std::string& at) {
                     report.scenarios.push_back(read_scenario(element, at));
                   });
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
