#include "reports/conformance_report.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

namespace mqttsim::reports {

namespace {

// Findings of one scenario and check shown in full under a statement.
constexpr std::size_t findings_shown_max = 3;

struct Tally {
  std::set<std::string> passed_in;  // scenario files where it was judged and not broken
  std::vector<std::pair<const ScenarioReport*, const Finding*>> failures;
};

std::string key(const StatementInfo& s) { return s.id + " (" + s.version + ")"; }

// Markdown table cells must not hold a bare '|' or a line break.
std::string cell(std::string text) {
  std::string out;
  for (const char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string seconds(double s) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", s);
  return text;
}

}  // namespace

std::string to_conformance_markdown(const RunReport& report, const ConformanceContext& context,
                                    const std::vector<StatementInfo>& statements) {
  std::map<std::string, Tally> tally;  // by "id (version)"
  for (const ScenarioReport& scenario : report.scenarios) {
    if (scenario.status != Status::passed && scenario.status != Status::failed) continue;
    std::set<std::string> broken;
    for (const Finding& finding : scenario.findings) {
      for (const std::string& id : finding.spec) {
        tally[id].failures.push_back({&scenario, &finding});
        broken.insert(id);
      }
    }
    for (const std::string& id : scenario.judged) {
      if (!broken.count(id)) tally[id].passed_in.insert(scenario.file);
    }
  }
  const Summary summary = report.summary();
  std::string md = "# Conformance report: " + context.broker + "\n\n";
  md += "| | |\n|---|---|\n";
  md += "| broker | " + cell(context.broker) + " |\n";
  md += "| version | " +
        cell(context.broker_version.empty() ? "not announced" : context.broker_version) + " |\n";
  md += "| transport | " + cell(context.transport) + " |\n";
  md += "| profile | " + cell(context.profile) + " |\n";
  md += "| scenarios | " + std::to_string(summary.total()) + " (" + std::to_string(summary.passed) +
        " passed, " + std::to_string(summary.failed) + " failed, " +
        std::to_string(summary.skipped) + " skipped, " + std::to_string(summary.errors) +
        " errors) |\n";
  md += "| run time | " + seconds(context.run_time_s) + " |\n";
  md += "| command | `" + cell(report.tool) + "` |\n\n";

  std::string failures_md;
  for (const std::string version : {"3.1.1", "5.0"}) {
    std::size_t total = 0, passed = 0, failed = 0;
    std::string rows;
    std::string missing;
    for (const StatementInfo& s : statements) {
      if (s.version != version) continue;
      ++total;
      const auto found = tally.find(key(s));
      if (found == tally.end()) {
        missing += "- " + s.id + " (" + s.area + "): " + s.summary + "\n";
        continue;
      }
      const Tally& t = found->second;
      std::string verdict;
      if (!t.failures.empty()) {
        ++failed;
        const bool all_known = std::all_of(t.failures.begin(), t.failures.end(),
                                           [](const auto& f) { return f.second->known_deviation; });
        verdict = std::string{"**failed**"} + (all_known ? " (known deviation)" : "") + " in " +
                  std::to_string(t.failures.size()) + " finding(s)";
        failures_md += "### " + s.id + " (" + version + "): " + s.summary + "\n\n";
        // A broker that loses a queue breaks one statement hundreds of times
        // in one scenario: the first few findings of each scenario and check
        // show it, the JSON report lists them all.
        std::map<std::pair<std::string, std::string>, std::size_t> shown;  // (file, check)
        for (const auto& [scenario, finding] : t.failures) {
          if (++shown[{scenario->file, finding->check}] > findings_shown_max) continue;
          failures_md += "- `" + scenario->file + "` (" + finding->check +
                         "): " + finding->message +
                         (finding->known_deviation ? " *(known deviation)*" : "") + "\n";
          if (!scenario->reproducer.empty()) {
            failures_md += "  - reproduce: `" + scenario->reproducer + "`\n";
          }
          if (!scenario->reference_replay.empty()) {
            failures_md += "  - reference broker: " + scenario->reference_replay + "\n";
          }
          if (!finding->excerpt.empty()) failures_md += "\n```\n" + finding->excerpt + "```\n";
        }
        for (const auto& [key, count] : shown) {
          if (count <= findings_shown_max) continue;
          failures_md += "- ... " + std::to_string(count - findings_shown_max) + " more `" +
                         key.second + "` finding(s) in `" + key.first +
                         "` (the JSON report lists every one)\n";
        }
        failures_md += "\n";
      } else {
        ++passed;
        verdict = "passed in " + std::to_string(t.passed_in.size()) + " scenario(s)";
      }
      rows += "| " + s.id + " | " + s.area + " | " + verdict + " | " + cell(s.summary) + " |\n";
    }
    md += "## MQTT " + std::string{version} + "\n\n";
    md += std::to_string(passed + failed) + " of " + std::to_string(total) +
          " Server and Both statements exercised: " + std::to_string(passed) + " passed, " +
          std::to_string(failed) + " failed.\n\n";
    if (!rows.empty())
      md += "| statement | area | verdict | summary |\n|---|---|---|---|\n" + rows + "\n";
    if (!missing.empty()) md += "Not exercised:\n\n" + missing + "\n";
  }
  if (!failures_md.empty()) md += "## Failures\n\n" + failures_md;
  return md;
}

}  // namespace mqttsim::reports
