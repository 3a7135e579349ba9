#pragma once
// What `mqttsim run` and `mqttsim check` both print and report about one
// played scenario: its findings (failed steps with their location and spec
// ids, the oracle's violations with their trace excerpts) and the indented
// lines that follow a scenario's headline on the console.

#include <string>
#include <vector>

#include "reports/run_report.hpp"
#include "runner/run_result.hpp"
#include "scenario/scenario.hpp"

namespace mqttsim::cli {

// "file:line:column" of a step.
std::string location(const scenario::Scenario& loaded, scenario::SourceLocation where);
// "12.345s": seconds with milliseconds.
std::string seconds(Duration d);

// Appends the findings of `result` (failed steps, then oracle violations) to
// `entry`, and the violations' trace excerpts, in the same order, to
// `excerpts`.
void add_findings(reports::ScenarioReport& entry, const scenario::Scenario& loaded,
                  const runner::RunResult& result, std::vector<std::string>& excerpts);

// The lines under a scenario's headline: each finding (location, message,
// spec ids, and for oracle findings the excerpt), then the reproducer of a
// failure. Flushes stdout.
void print_findings(const reports::ScenarioReport& entry, const std::vector<std::string>& excerpts);

}  // namespace mqttsim::cli
