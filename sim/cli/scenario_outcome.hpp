#pragma once
// What `mqttsim run` and `mqttsim check` both print and report about one
// played scenario: its findings (failed steps with their location and spec
// ids, the oracle's violations with their trace excerpts), the statements
// it judged, and the indented lines that follow a scenario's headline on
// the console.

#include <string>

#include "reports/run_report.hpp"
#include "runner/run_result.hpp"
#include "scenario/scenario.hpp"

namespace mqttsim::cli {

// "file:line:column" of a step.
std::string location(const scenario::Scenario& loaded, scenario::SourceLocation where);
// "12.345s": seconds with milliseconds.
std::string seconds(Duration d);

// Appends the findings of `result` to `entry`: failed steps, then the
// oracle's violations (each with its trace excerpt); and the oracle's remarks.
void add_findings(reports::ScenarioReport& entry, const scenario::Scenario& loaded,
                  const runner::RunResult& result);
// Appends the normative statements the run judged: the oracle's, and the
// scenario's own tags when it has expectations.
void add_judged(reports::ScenarioReport& entry, const scenario::Scenario& loaded,
                const runner::RunResult& result);

// The lines under a scenario's headline: each finding (location, message,
// spec ids, excerpt), then the reproducer of a failure. Flushes stdout.
void print_findings(const reports::ScenarioReport& entry);
// The oracle's remarks (what it left unjudged), a few per check.
void print_remarks(const reports::ScenarioReport& entry);

}  // namespace mqttsim::cli
