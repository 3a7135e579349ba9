#include "reports/junit_writer.hpp"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>
#include <utility>
#include <vector>

#include "reports/seconds_text.hpp"
#include "reports/xml_text.hpp"

namespace mqttsim::reports {

namespace {

constexpr std::string_view suite_name = "mqttsim";

// JUnit times are durations: a measured wall time that is negative or not a
// number is reported as 0 rather than as something a reader would reject.
Duration junit_time(double wall_time_s) {
  const std::optional<Duration> measured = wall_time(wall_time_s);
  return measured && *measured > Duration::zero() ? *measured : Duration::zero();
}

Duration saturating_add(Duration a, Duration b) {
  constexpr std::int64_t max_us = INT64_MAX;
  if (b.count_us() > max_us - a.count_us()) return Duration::from_us(max_us);
  return a + b;
}

std::string case_name(const ScenarioReport& scenario) {
  if (!scenario.name.empty()) return scenario.name;
  const std::string stem = std::filesystem::path{scenario.file}.stem().string();
  return stem.empty() ? std::string{"(unnamed)"} : stem;
}

struct Testcase {
  std::string classname, name;
};

std::vector<Testcase> testcases(const RunReport& report) {
  std::vector<Testcase> cases;
  std::map<std::pair<std::string, std::string>, std::size_t> occurrences;
  for (const ScenarioReport& scenario : report.scenarios) {
    cases.push_back({junit_classname(scenario.file), case_name(scenario)});
    ++occurrences[{cases.back().classname, cases.back().name}];
  }
  for (std::size_t i = 0; i < cases.size(); ++i) {
    if (occurrences[{cases[i].classname, cases[i].name}] > 1) {
      cases[i].name += " [seed " + std::to_string(report.scenarios[i].seed) + "]";
    }
  }
  return cases;
}

void attribute(std::string& out, std::string_view name, std::string_view value) {
  out += ' ';
  out += name;
  out += "=\"";
  out += xml_attribute(value);
  out += '"';
}

void count_attributes(std::string& out, const Summary& summary, Duration time) {
  attribute(out, "tests", std::to_string(summary.total()));
  attribute(out, "failures", std::to_string(summary.failed));
  attribute(out, "errors", std::to_string(summary.errors));
  attribute(out, "skipped", std::to_string(summary.skipped));
  attribute(out, "time", seconds_text(time));
}

std::string reproducer_line(const ScenarioReport& scenario) {
  return scenario.reproducer.empty() ? std::string{} : "reproduce: " + scenario.reproducer + "\n";
}

// [ordering] QoS 1 messages from c1 arrived out of order.
//   spec: MQTT-4.6.0-2 (3.1.1)
//   at: scenarios/x.yaml:31:5
std::string findings_text(const ScenarioReport& scenario) {
  std::string text;
  for (const Finding& finding : scenario.findings) {
    text += "[" + finding.check + "] " + finding.message +
            (finding.known_deviation ? " (a known deviation of this broker)" : "") + "\n";
    if (!finding.spec.empty()) {
      text += "  spec: ";
      for (std::size_t i = 0; i < finding.spec.size(); ++i) {
        text += (i == 0 ? "" : ", ") + finding.spec[i];
      }
      text += "\n";
    }
    if (!finding.location.empty()) text += "  at: " + finding.location + "\n";
  }
  return text + reproducer_line(scenario);
}

void outcome_element(std::string& out, const ScenarioReport& scenario) {
  switch (scenario.status) {
    case Status::passed:
      return;
    case Status::failed: {
      const bool has_finding = !scenario.findings.empty();
      out += "      <failure";
      attribute(
          out, "message",
          has_finding ? scenario.findings.front().message : "failed with no recorded finding");
      attribute(out, "type", has_finding ? scenario.findings.front().check : "failure");
      out += ">" + xml_text(findings_text(scenario)) + "</failure>\n";
      return;
    }
    case Status::error:
      out += "      <error";
      attribute(out, "message", scenario.error);
      attribute(out, "type", "error");
      out += ">" + xml_text(scenario.error + "\n" + reproducer_line(scenario)) + "</error>\n";
      return;
    case Status::skipped:
      out += "      <skipped";
      attribute(out, "message", scenario.skip_reason);
      out += "/>\n";
      return;
  }
}

std::string system_out(const ScenarioReport& scenario) {
  std::string text = "seed: " + std::to_string(scenario.seed) + "\n";
  if (!scenario.trace_hash.empty()) text += "trace hash: " + scenario.trace_hash + "\n";
  text += "simulated time: " + seconds_text(scenario.simulated_time) + "s\n";
  return text;
}

}  // namespace

std::string junit_classname(std::string_view file) {
  std::string classname;
  std::size_t start = 0;
  const std::size_t folder_end = file.rfind('/');
  while (folder_end != std::string_view::npos && start <= folder_end) {
    const std::size_t end = file.find('/', start);
    std::string part{file.substr(start, end - start)};
    start = end + 1;
    if (part.empty() || part == ".") continue;
    std::replace(part.begin(), part.end(), '.', '_');
    classname += (classname.empty() ? "" : ".") + part;
  }
  return classname.empty() ? std::string{suite_name} : classname;
}

std::string to_junit_xml(const RunReport& report) {
  const Summary summary = report.summary();
  Duration total_time;
  for (const ScenarioReport& scenario : report.scenarios) {
    total_time = saturating_add(total_time, junit_time(scenario.wall_time_s));
  }

  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites";
  attribute(out, "name", report.tool);
  count_attributes(out, summary, total_time);
  out += ">\n  <testsuite";
  attribute(out, "name", suite_name);
  count_attributes(out, summary, total_time);
  if (!report.timestamp.empty()) attribute(out, "timestamp", report.timestamp);
  if (!report.hostname.empty()) attribute(out, "hostname", report.hostname);
  out += ">\n";

  const std::vector<Testcase> cases = testcases(report);
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const ScenarioReport& scenario = report.scenarios[i];
    out += "    <testcase";
    attribute(out, "classname", cases[i].classname);
    attribute(out, "name", cases[i].name);
    attribute(out, "file", scenario.file);
    attribute(out, "time", seconds_text(junit_time(scenario.wall_time_s)));
    out += ">\n";
    outcome_element(out, scenario);
    out += "      <system-out>" + xml_text(system_out(scenario)) + "</system-out>\n";
    out += "    </testcase>\n";
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace mqttsim::reports
