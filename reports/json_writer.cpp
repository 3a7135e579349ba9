#include "reports/json_writer.hpp"

#include <charconv>
#include <cmath>
#include <iterator>
#include <optional>
#include <string_view>
#include <vector>

#include "reports/json_string.hpp"
#include "reports/seconds_text.hpp"
#include "reports/utf8_text.hpp"

namespace mqttsim::reports {

namespace {

// Writes nested objects and arrays with one member or element per line, as
// Python's json.dumps(indent=2) does; empty containers stay on one line.
class PrettyJson {
 public:
  void open(char bracket) {
    out_.push_back(bracket);
    has_items_.push_back(false);
  }
  void open_member(std::string_view key, char bracket) {
    start_member(key);
    open(bracket);
  }
  void close(char bracket) {
    const bool had_items = has_items_.back();
    has_items_.pop_back();
    if (had_items) new_line();
    out_.push_back(bracket);
  }
  void member(std::string_view key, std::string_view value_json) {
    start_member(key);
    out_ += value_json;
  }
  void start_element() {
    if (has_items_.back()) out_.push_back(',');
    has_items_.back() = true;
    new_line();
  }
  void element(std::string_view value_json) {
    start_element();
    out_ += value_json;
  }
  std::string finish() && {
    out_.push_back('\n');
    return std::move(out_);
  }

 private:
  void start_member(std::string_view key) {
    start_element();
    out_ += json_string(key);
    out_ += ": ";
  }
  void new_line() {
    out_.push_back('\n');
    out_.append(2 * has_items_.size(), ' ');
  }

  std::string out_;
  std::vector<bool> has_items_;  // one per open container
};

// What the reports hold as text, written as JSON. The public report
// repairs ill-formed UTF-8 (json_string.hpp); the full one must give back
// the very bytes, so such a string becomes {"hex": "..."}.
class ValueWriter {
 public:
  explicit ValueWriter(JsonDetail detail) : detail_{detail} {}

  bool full() const { return detail_ == JsonDetail::full; }

  std::string text(std::string_view value) const {
    if (!full() || repair_utf8(value) == value) return json_string(value);
    constexpr char hex[] = "0123456789abcdef";
    std::string digits;
    digits.reserve(2 * value.size());
    for (const char c : value) {
      const auto byte = static_cast<unsigned char>(c);
      digits.push_back(hex[byte >> 4]);
      digits.push_back(hex[byte & 0xF]);
    }
    return "{\"hex\": \"" + digits + "\"}";
  }

  // Rounded to microseconds in the public report; every digit in the full
  // one (the shortest text that reads back as the same double).
  std::string wall_time(double seconds) const {
    if (full() && std::isfinite(seconds)) {
      char digits[64];
      const auto written = std::to_chars(std::begin(digits), std::end(digits), seconds);
      return std::string(digits, written.ptr);
    }
    const std::optional<Duration> measured = reports::wall_time(seconds);
    return measured ? seconds_text(*measured) : "null";
  }

 private:
  JsonDetail detail_;
};

void write_finding(PrettyJson& json, const ValueWriter& values, const Finding& finding) {
  json.start_element();
  json.open('{');
  json.member("check", values.text(finding.check));
  json.open_member("spec", '[');
  for (const std::string& id : finding.spec) json.element(values.text(id));
  json.close(']');
  json.member("message", values.text(finding.message));
  json.member("location", values.text(finding.location));
  if (finding.known_deviation) json.member("known_deviation", "true");
  if (values.full()) json.member("excerpt", values.text(finding.excerpt));
  json.close('}');
}

void write_scenario(PrettyJson& json, const ValueWriter& values, const ScenarioReport& scenario) {
  json.start_element();
  json.open('{');
  json.member("file", values.text(scenario.file));
  json.member("name", values.text(scenario.name));
  json.member("status", json_string(to_string(scenario.status)));
  json.member("seed", std::to_string(scenario.seed));
  json.member("trace_hash", values.text(scenario.trace_hash));
  json.member("simulated_time_s", seconds_text(scenario.simulated_time));
  json.member("wall_time_s", values.wall_time(scenario.wall_time_s));
  json.open_member("violations", '[');
  for (const Finding& finding : scenario.findings) write_finding(json, values, finding);
  json.close(']');
  if (!scenario.remarks.empty()) {
    json.open_member("remarks", '[');
    for (const Remark& remark : scenario.remarks) {
      json.start_element();
      json.open('{');
      json.member("check", values.text(remark.check));
      json.member("message", values.text(remark.message));
      json.close('}');
    }
    json.close(']');
  }
  json.member("error", values.text(scenario.error));
  json.member("skip_reason", values.text(scenario.skip_reason));
  json.member("reproducer", values.text(scenario.reproducer));
  if (values.full()) {
    json.member("simulated_time_us", std::to_string(scenario.simulated_time.count_us()));
    json.open_member("judged", '[');
    for (const std::string& id : scenario.judged) json.element(values.text(id));
    json.close(']');
    json.member("reference_replay", values.text(scenario.reference_replay));
  }
  json.close('}');
}

}  // namespace

std::string to_json(const RunReport& report, JsonDetail detail) {
  const ValueWriter values{detail};
  PrettyJson json;
  json.open('{');
  json.member("tool", values.text(report.tool));
  if (!report.timestamp.empty()) json.member("timestamp", values.text(report.timestamp));
  if (!report.hostname.empty()) json.member("hostname", values.text(report.hostname));
  if (report.interrupted) json.member("interrupted", "true");
  if (!report.trace_level.empty()) json.member("trace", values.text(report.trace_level));

  const Summary summary = report.summary();
  json.open_member("summary", '{');
  json.member("passed", std::to_string(summary.passed));
  json.member("failed", std::to_string(summary.failed));
  json.member("errors", std::to_string(summary.errors));
  json.member("skipped", std::to_string(summary.skipped));
  json.member("total", std::to_string(summary.total()));
  json.close('}');

  json.open_member("scenarios", '[');
  for (const ScenarioReport& scenario : report.scenarios) write_scenario(json, values, scenario);
  json.close(']');
  json.close('}');
  return std::move(json).finish();
}

}  // namespace mqttsim::reports
