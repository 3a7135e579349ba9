#pragma once
// The JUnit XML report (`--junit F`) in the dialect Jenkins' junit plugin and
// GitLab's unit test reports read:
//
//   <?xml version="1.0" encoding="UTF-8"?>
//   <testsuites name="TOOL" tests= failures= errors= skipped= time=>
//     <testsuite name="mqttsim" tests= failures= errors= skipped= time=
//                [timestamp= hostname=]>          (only when set in the report)
//       <testcase classname="scenarios.sessions" name="NAME" file="FILE" time="WALL">
//         <failure message="FIRST FINDING" type="CHECK">every finding, the reproducer</failure>
//         | <error message="ERROR" type="error">the error, the reproducer</error>
//         | <skipped message="REASON"/>
//         <system-out>seed, trace hash, simulated time</system-out>
//       </testcase>
//
// One testcase per ScenarioReport, in run order. classname is the folder of
// the scenario file with dots for slashes (junit_classname), which Jenkins
// shows as a package tree; name is the scenario's name, or the file's stem
// when it has none, with " [seed N]" appended when the same classname and
// name occur more than once in the report (a run over several seeds), so
// every testcase stays distinguishable. Counts are computed from the
// scenarios, so they always agree with the children. Times are the measured
// wall times in decimal seconds; one that is not a finite non-negative number
// is written as 0. All text goes through xml_text.hpp, so the document is
// well-formed XML 1.0 whatever bytes the report holds. tests/reports/junit.xsd
// is the schema of exactly this output.

#include <string>
#include <string_view>

#include "reports/run_report.hpp"

namespace mqttsim::reports {

std::string to_junit_xml(const RunReport& report);

// "scenarios/sessions/x.yaml" -> "scenarios.sessions". Empty and "." parts
// and a leading "/" are dropped, dots inside a folder name become "_" (a dot
// would add a level to the package tree), and a file with no folder gets
// "mqttsim".
std::string junit_classname(std::string_view file);

}  // namespace mqttsim::reports
