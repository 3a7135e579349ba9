#include <boost/test/unit_test.hpp>
#include <cmath>
#include <string>

#include "reports/junit_writer.hpp"
#include "reports/sample_report.hpp"

using mqttsim::reports::junit_classname;
using mqttsim::reports::RunReport;
using mqttsim::reports::ScenarioReport;
using mqttsim::reports::Status;
using mqttsim::reports::to_junit_xml;

namespace {

std::size_t occurrences(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_junit)

// Checked by hand; check_reports.py parses the same document with a real XML
// parser and xmllint validates it against tests/reports/junit.xsd.
BOOST_AUTO_TEST_CASE(golden_output_for_a_report_with_every_status) {
  const std::string expected =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<testsuites name=\"mqttsim run\" tests=\"4\" failures=\"1\" errors=\"1\" skipped=\"1\" "
      "time=\"0.0167\">\n"
      "  <testsuite name=\"mqttsim\" tests=\"4\" failures=\"1\" errors=\"1\" skipped=\"1\" "
      "time=\"0.0167\" timestamp=\"2026-11-26T06:00:00\" hostname=\"ci-runner-1\">\n"
      "    <testcase classname=\"scenarios.sessions\" name=\"clean session toggle\" "
      "file=\"scenarios/sessions/clean_session_toggle.yaml\" time=\"0.0042\">\n"
      "      <system-out>seed: 42\n"
      "trace hash: 0123456789abcdef\n"
      "simulated time: 3600.25s\n"
      "</system-out>\n"
      "    </testcase>\n"
      "    <testcase classname=\"scenarios.qos\" name=\"in_order\" "
      "file=\"scenarios/qos/in_order.yaml\" time=\"0.0125\">\n"
      "      <failure message=\"QoS 1 &quot;m2&quot; arrived before &lt;m1&gt; &amp; after "
      "&apos;m0&apos;&#9;at\\b&#10;\" type=\"ordering\">"
      "[ordering] QoS 1 &quot;m2&quot; arrived before &lt;m1&gt; &amp; after "
      "&apos;m0&apos;\tat\\b\n"
      "\n"
      "  spec: MQTT-4.6.0-2 (3.1.1), MQTT-4.6.0-3 (3.1.1)\n"
      "  at: scenarios/qos/in_order.yaml:31:5\n"
      "[no-loss] m3 was never delivered.\n"
      "reproduce: mqttsim run --seed 18446744073709551615 scenarios/qos/in_order.yaml\n"
      "</failure>\n"
      "      <system-out>seed: 18446744073709551615\n"
      "trace hash: fedcba9876543210\n"
      "simulated time: 12.5s\n"
      "</system-out>\n"
      "    </testcase>\n"
      "    <testcase classname=\"scenarios\" name=\"broken\" file=\"scenarios/broken.yaml\" "
      "time=\"0.0\">\n"
      "      <error message=\"scenarios/broken.yaml:3:1: unknown key &apos;clinets&apos;\" "
      "type=\"error\">scenarios/broken.yaml:3:1: unknown key &apos;clinets&apos;\n"
      "</error>\n"
      "      <system-out>seed: 7\n"
      "simulated time: 0.0s\n"
      "</system-out>\n"
      "    </testcase>\n"
      "    <testcase classname=\"scenarios.will\" name=\"tcp only\" "
      "file=\"scenarios/will/tcp_only.yaml\" time=\"0.0\">\n"
      "      <skipped message=\"needs --broker\"/>\n"
      "      <system-out>seed: 0\n"
      "simulated time: 0.0s\n"
      "</system-out>\n"
      "    </testcase>\n"
      "  </testsuite>\n"
      "</testsuites>\n";
  BOOST_TEST(to_junit_xml(mqttsim::reports::test::sample_report()) == expected);
}

BOOST_AUTO_TEST_CASE(an_empty_run_is_an_empty_suite) {
  RunReport report;
  report.tool = "mqttsim run";
  BOOST_TEST(to_junit_xml(report) ==
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
             "<testsuites name=\"mqttsim run\" tests=\"0\" failures=\"0\" errors=\"0\" "
             "skipped=\"0\" time=\"0.0\">\n"
             "  <testsuite name=\"mqttsim\" tests=\"0\" failures=\"0\" errors=\"0\" "
             "skipped=\"0\" time=\"0.0\">\n"
             "  </testsuite>\n"
             "</testsuites>\n");
}

BOOST_AUTO_TEST_CASE(classname_is_the_folder_with_dots_for_slashes) {
  BOOST_TEST(junit_classname("scenarios/sessions/x.yaml") == "scenarios.sessions");
  BOOST_TEST(junit_classname("./scenarios//qos/x.yaml") == "scenarios.qos");
  BOOST_TEST(junit_classname("/home/ci/scenarios/x.yaml") == "home.ci.scenarios");
  BOOST_TEST(junit_classname("v3.1.1/x.yaml") == "v3_1_1");
  BOOST_TEST(junit_classname("../x.yaml") == "__");
  BOOST_TEST(junit_classname("x.yaml") == "mqttsim");
  BOOST_TEST(junit_classname("") == "mqttsim");
}

BOOST_AUTO_TEST_CASE(repeated_names_are_told_apart_by_seed) {
  RunReport report;
  for (const std::uint64_t seed : {1u, 2u}) {
    ScenarioReport scenario;
    scenario.file = "scenarios/qos/a.yaml";
    scenario.seed = seed;
    report.scenarios.push_back(scenario);
  }
  ScenarioReport other;
  other.file = "scenarios/qos/b.yaml";
  other.seed = 1;
  report.scenarios.push_back(other);
  const std::string xml = to_junit_xml(report);
  BOOST_TEST(occurrences(xml, R"(name="a [seed 1]")") == 1u);
  BOOST_TEST(occurrences(xml, R"(name="a [seed 2]")") == 1u);
  BOOST_TEST(occurrences(xml, R"(name="b")") == 1u);  // unique: no suffix
}

BOOST_AUTO_TEST_CASE(a_failure_without_findings_still_says_it_failed) {
  RunReport report;
  ScenarioReport scenario;
  scenario.file = "a.yaml";
  scenario.status = Status::failed;
  report.scenarios.push_back(scenario);
  BOOST_TEST(occurrences(to_junit_xml(report),
                         R"(<failure message="failed with no recorded finding" type="failure">)") ==
             1u);
}

BOOST_AUTO_TEST_CASE(unmeasurable_wall_times_count_as_zero) {
  RunReport report;
  for (const double wall_time_s : {-1.0, std::nan(""), 0.5}) {
    ScenarioReport scenario;
    scenario.file = "a.yaml";
    scenario.wall_time_s = wall_time_s;
    report.scenarios.push_back(scenario);
  }
  const std::string xml = to_junit_xml(report);
  BOOST_TEST(occurrences(xml, R"(time="0.0">)") == 2u);
  BOOST_TEST(occurrences(xml, R"(time="0.5">)") == 3u);  // the case, the suite, the suites
}

BOOST_AUTO_TEST_CASE(text_that_xml_cannot_carry_is_replaced) {
  RunReport report;
  report.tool = std::string("run\x01\xff", 5);
  ScenarioReport scenario;
  scenario.file = "a.yaml";
  scenario.status = Status::error;
  scenario.error = std::string("bad\0byte\r", 9);
  report.scenarios.push_back(scenario);
  const std::string xml = to_junit_xml(report);
  BOOST_TEST(occurrences(xml, "<testsuites name=\"run\xef\xbf\xbd\xef\xbf\xbd\"") == 1u);
  BOOST_TEST(occurrences(xml,
                         "<error message=\"bad\xef\xbf\xbd"
                         "byte&#13;\"") == 1u);
  BOOST_TEST(occurrences(xml, std::string("\0", 1)) == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
