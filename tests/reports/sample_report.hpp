#pragma once
// One small report with every status, shared by the golden tests
// (st_json.cpp, st_junit.cpp) and by write_samples.cpp, whose output the
// Python checks parse: check_reports.py asserts the same values come back.

#include <cstdint>

#include "reports/run_report.hpp"

namespace mqttsim::reports::test {

// The second scenario's seed: the largest uint64, so a reader that parsed it
// as a double would be caught.
inline constexpr std::uint64_t sample_failed_seed = 18'446'744'073'709'551'615u;

// A message with every character JSON or XML must escape.
inline constexpr const char* sample_message =
    "QoS 1 \"m2\" arrived before <m1> & after 'm0'\tat\\b\n";

inline RunReport sample_report() {
  RunReport report;
  report.tool = "mqttsim run";
  report.timestamp = "2026-11-26T06:00:00";
  report.hostname = "ci-runner-1";

  ScenarioReport passed;
  passed.file = "scenarios/sessions/clean_session_toggle.yaml";
  passed.name = "clean session toggle";
  passed.seed = 42;
  passed.trace_hash = "0123456789abcdef";
  passed.simulated_time = Duration::from_s(3'600) + Duration::from_ms(250);
  passed.wall_time_s = 0.0042;
  report.scenarios.push_back(passed);

  ScenarioReport failed;
  failed.file = "scenarios/qos/in_order.yaml";
  failed.status = Status::failed;
  failed.seed = sample_failed_seed;
  failed.trace_hash = "fedcba9876543210";
  failed.simulated_time = Duration::from_ms(12'500);
  failed.wall_time_s = 0.0125;
  failed.findings.push_back({"ordering",
                             {"MQTT-4.6.0-2 (3.1.1)", "MQTT-4.6.0-3 (3.1.1)"},
                             sample_message,
                             "scenarios/qos/in_order.yaml:31:5"});
  failed.findings.push_back({"no-loss", {}, "m3 was never delivered.", ""});
  failed.reproducer = "mqttsim run --seed 18446744073709551615 scenarios/qos/in_order.yaml";
  report.scenarios.push_back(failed);

  ScenarioReport error;
  error.file = "scenarios/broken.yaml";
  error.status = Status::error;
  error.seed = 7;
  error.error = "scenarios/broken.yaml:3:1: unknown key 'clinets'";
  report.scenarios.push_back(error);

  ScenarioReport skipped;
  skipped.file = "scenarios/will/tcp_only.yaml";
  skipped.name = "tcp only";
  skipped.status = Status::skipped;
  skipped.skip_reason = "needs --broker";
  report.scenarios.push_back(skipped);
  return report;
}

}  // namespace mqttsim::reports::test
