#include "reports/json_writer.hpp"

#include <string_view>
#include <vector>

#include "reports/json_string.hpp"
#include "reports/seconds_text.hpp"

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

std::string wall_time_json(double seconds) {
  const std::optional<Duration> measured = wall_time(seconds);
  return measured ? seconds_text(*measured) : "null";
}

void write_finding(PrettyJson& json, const Finding& finding) {
  json.start_element();
  json.open('{');
  json.member("check", json_string(finding.check));
  json.open_member("spec", '[');
  for (const std::string& id : finding.spec) json.element(json_string(id));
  json.close(']');
  json.member("message", json_string(finding.message));
  json.member("location", json_string(finding.location));
  if (finding.known_deviation) json.member("known_deviation", "true");
  json.close('}');
}

void write_scenario(PrettyJson& json, const ScenarioReport& scenario) {
  json.start_element();
  json.open('{');
  json.member("file", json_string(scenario.file));
  json.member("name", json_string(scenario.name));
  json.member("status", json_string(to_string(scenario.status)));
  json.member("seed", std::to_string(scenario.seed));
  json.member("trace_hash", json_string(scenario.trace_hash));
  json.member("simulated_time_s", seconds_text(scenario.simulated_time));
  json.member("wall_time_s", wall_time_json(scenario.wall_time_s));
  json.open_member("violations", '[');
  for (const Finding& finding : scenario.findings) write_finding(json, finding);
  json.close(']');
  if (!scenario.remarks.empty()) {
    json.open_member("remarks", '[');
    for (const Remark& remark : scenario.remarks) {
      json.start_element();
      json.open('{');
      json.member("check", json_string(remark.check));
      json.member("message", json_string(remark.message));
      json.close('}');
    }
    json.close(']');
  }
  json.member("error", json_string(scenario.error));
  json.member("skip_reason", json_string(scenario.skip_reason));
  json.member("reproducer", json_string(scenario.reproducer));
  json.close('}');
}

}  // namespace

std::string to_json(const RunReport& report) {
  PrettyJson json;
  json.open('{');
  json.member("tool", json_string(report.tool));
  if (!report.timestamp.empty()) json.member("timestamp", json_string(report.timestamp));
  if (!report.hostname.empty()) json.member("hostname", json_string(report.hostname));

  const Summary summary = report.summary();
  json.open_member("summary", '{');
  json.member("passed", std::to_string(summary.passed));
  json.member("failed", std::to_string(summary.failed));
  json.member("errors", std::to_string(summary.errors));
  json.member("skipped", std::to_string(summary.skipped));
  json.member("total", std::to_string(summary.total()));
  json.close('}');

  json.open_member("scenarios", '[');
  for (const ScenarioReport& scenario : report.scenarios) write_scenario(json, scenario);
  json.close(']');
  json.close('}');
  return std::move(json).finish();
}

}  // namespace mqttsim::reports
