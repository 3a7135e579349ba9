// The conformance report: each exercised statement passed or failed (with
// the evidence and reproducer), the rest listed as not exercised.
#include <boost/test/unit_test.hpp>

#include "reports/conformance_report.hpp"

using namespace mqttsim::reports;

BOOST_AUTO_TEST_SUITE(st_conformance_report)

BOOST_AUTO_TEST_CASE(statements_are_passed_failed_or_not_exercised) {
  RunReport report;
  report.tool = "mqttsim check --broker 127.0.0.1:1883 scenarios/";
  report.scenarios.push_back({.file = "scenarios/a.yaml",
                              .status = Status::passed,
                              .judged = {"MQTT-3.2.2-2 (3.1.1)", "MQTT-3.3.1-6 (3.1.1)"}});
  report.scenarios.push_back(
      {.file = "scenarios/b.yaml",
       .status = Status::failed,
       .findings = {{.check = "retained",
                     .spec = {"MQTT-3.3.1-6 (3.1.1)"},
                     .message = "stale retained message",
                     .known_deviation = true,
                     .excerpt = "  #12 packet ...\n"}},
       .reproducer = "mqttsim check --broker 127.0.0.1:1883 scenarios/b.yaml",
       .judged = {"MQTT-3.3.1-6 (3.1.1)"}});
  report.scenarios.push_back(
      {.file = "scenarios/c.yaml", .status = Status::skipped, .judged = {"MQTT-3.1.2-4 (3.1.1)"}});
  const std::vector<StatementInfo> catalogue = {
      {"3.1.1", "MQTT-3.2.2-2", "session", "Session Present 1 when a session is held"},
      {"3.1.1", "MQTT-3.3.1-6", "retain", "newest retained message on subscribe"},
      {"3.1.1", "MQTT-3.1.2-4", "session", "resume the session | clean session 0"},
      {"5.0", "MQTT-3.2.2-3", "session", "Session Present for Clean Start 0"}};
  const std::string md = to_conformance_markdown(report,
                                                 {.broker = "127.0.0.1:1883",
                                                  .transport = "TCP",
                                                  .profile = "mosquitto-2.0",
                                                  .run_time_s = 12.34},
                                                 catalogue);
  BOOST_TEST(md.find("# Conformance report: 127.0.0.1:1883\n") == 0u);
  BOOST_TEST(md.find("| version | not announced |") != std::string::npos);
  BOOST_TEST(md.find("| run time | 12.3 s |") != std::string::npos);
  BOOST_TEST(md.find("| scenarios | 3 (1 passed, 1 failed, 1 skipped, 0 errors) |") !=
             std::string::npos);
  BOOST_TEST(md.find("2 of 3 Server and Both statements exercised: 1 passed, 1 failed.") !=
             std::string::npos);
  BOOST_TEST(md.find("| MQTT-3.2.2-2 | session | passed in 1 scenario(s) |") != std::string::npos);
  BOOST_TEST(md.find("| MQTT-3.3.1-6 | retain | **failed** (known deviation) in 1 finding(s) |") !=
             std::string::npos);
  // A skipped scenario exercises nothing; a '|' in a summary is escaped.
  BOOST_TEST(md.find("- MQTT-3.1.2-4 (session): resume the session | clean session 0") !=
             std::string::npos);
  BOOST_TEST(
      md.find("- `scenarios/b.yaml` (retained): stale retained message *(known deviation)*") !=
      std::string::npos);
  BOOST_TEST(md.find("  - reproduce: `mqttsim check --broker 127.0.0.1:1883 scenarios/b.yaml`") !=
             std::string::npos);
  BOOST_TEST(md.find("```\n  #12 packet ...\n```") != std::string::npos);
  BOOST_TEST(md.find("0 of 1 Server and Both statements exercised") != std::string::npos);  // 5.0
}

BOOST_AUTO_TEST_CASE(many_findings_of_one_check_are_summed_up_after_the_first_few) {
  RunReport report;
  ScenarioReport lossy{.file = "scenarios/lossy.yaml", .status = Status::failed};
  for (int n = 1; n <= 5; ++n) {
    lossy.findings.push_back({.check = "no-loss",
                              .spec = {"MQTT-4.5.0-1 (3.1.1)"},
                              .message = "message m" + std::to_string(n) + " was never delivered"});
  }
  report.scenarios.push_back(lossy);
  const std::string md = to_conformance_markdown(
      report, {.broker = "b:1", .transport = "TCP", .profile = "spec"},
      {{"3.1.1", "MQTT-4.5.0-1", "session", "queue for every matching subscription"}});
  BOOST_TEST(md.find("| MQTT-4.5.0-1 | session | **failed** in 5 finding(s) |") !=
             std::string::npos);
  BOOST_TEST(md.find("message m3 was never delivered") != std::string::npos);
  BOOST_TEST(md.find("message m4 was never delivered") == std::string::npos);
  BOOST_TEST(md.find("- ... 2 more `no-loss` finding(s) in `scenarios/lossy.yaml` (the JSON report "
                     "lists every one)") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
