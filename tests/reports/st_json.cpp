#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>
#include <string>

#include "reports/json_string.hpp"
#include "reports/json_writer.hpp"
#include "reports/sample_report.hpp"

using mqttsim::Duration;
using mqttsim::reports::json_string;
using mqttsim::reports::RunReport;
using mqttsim::reports::ScenarioReport;
using mqttsim::reports::Status;
using mqttsim::reports::to_json;

BOOST_AUTO_TEST_SUITE(st_json)

// Checked by hand against the JSON contract in DESIGN.md; the layout is
// Python's json.dumps(indent=2), which check_reports.py also compares with.
BOOST_AUTO_TEST_CASE(golden_output_for_a_report_with_every_status) {
  const std::string expected = R"json({
  "tool": "mqttsim run",
  "timestamp": "2026-11-26T06:00:00",
  "hostname": "ci-runner-1",
  "summary": {
    "passed": 1,
    "failed": 1,
    "errors": 1,
    "skipped": 1,
    "total": 4
  },
  "scenarios": [
    {
      "file": "scenarios/sessions/clean_session_toggle.yaml",
      "name": "clean session toggle",
      "status": "passed",
      "seed": 42,
      "trace_hash": "0123456789abcdef",
      "simulated_time_s": 3600.25,
      "wall_time_s": 0.0042,
      "violations": [],
      "error": "",
      "skip_reason": "",
      "reproducer": ""
    },
    {
      "file": "scenarios/qos/in_order.yaml",
      "name": "",
      "status": "failed",
      "seed": 18446744073709551615,
      "trace_hash": "fedcba9876543210",
      "simulated_time_s": 12.5,
      "wall_time_s": 0.0125,
      "violations": [
        {
          "check": "ordering",
          "spec": [
            "MQTT-4.6.0-2 (3.1.1)",
            "MQTT-4.6.0-3 (3.1.1)"
          ],
          "message": "QoS 1 \"m2\" arrived before <m1> & after 'm0'\tat\\b\n",
          "location": "scenarios/qos/in_order.yaml:31:5"
        },
        {
          "check": "no-loss",
          "spec": [],
          "message": "m3 was never delivered.",
          "location": ""
        }
      ],
      "error": "",
      "skip_reason": "",
      "reproducer": "mqttsim run --seed 18446744073709551615 scenarios/qos/in_order.yaml"
    },
    {
      "file": "scenarios/broken.yaml",
      "name": "",
      "status": "error",
      "seed": 7,
      "trace_hash": "",
      "simulated_time_s": 0.0,
      "wall_time_s": 0.0,
      "violations": [],
      "error": "scenarios/broken.yaml:3:1: unknown key 'clinets'",
      "skip_reason": "",
      "reproducer": ""
    },
    {
      "file": "scenarios/will/tcp_only.yaml",
      "name": "tcp only",
      "status": "skipped",
      "seed": 0,
      "trace_hash": "",
      "simulated_time_s": 0.0,
      "wall_time_s": 0.0,
      "violations": [],
      "error": "",
      "skip_reason": "needs --broker",
      "reproducer": ""
    }
  ]
}
)json";
  BOOST_TEST(to_json(mqttsim::reports::test::sample_report()) == expected);
}

BOOST_AUTO_TEST_CASE(an_empty_run_has_zero_counts_and_no_optional_keys) {
  RunReport report;
  report.tool = "mqttsim check --broker localhost:1883";
  BOOST_TEST(to_json(report) == R"json({
  "tool": "mqttsim check --broker localhost:1883",
  "summary": {
    "passed": 0,
    "failed": 0,
    "errors": 0,
    "skipped": 0,
    "total": 0
  },
  "scenarios": []
}
)json");
}

BOOST_AUTO_TEST_CASE(remarks_are_listed_only_when_there_are_some) {
  RunReport report;
  ScenarioReport scenario;
  scenario.file = "a.yaml";
  report.scenarios.push_back(scenario);
  BOOST_TEST(to_json(report).find("remarks") == std::string::npos);
  report.scenarios[0].remarks.push_back(
      {.check = "dup-flag", .message = "not judged: \"t\" may be a resend"});
  BOOST_TEST(to_json(report).find(R"json(    "violations": [],
      "remarks": [
        {
          "check": "dup-flag",
          "message": "not judged: \"t\" may be a resend"
        }
      ],
      "error": "",)json") != std::string::npos,
             to_json(report));
}

BOOST_AUTO_TEST_CASE(summary_counts_every_status) {
  RunReport report;
  for (const Status status : {Status::failed, Status::passed, Status::failed, Status::skipped,
                              Status::error, Status::failed}) {
    ScenarioReport scenario;
    scenario.status = status;
    report.scenarios.push_back(scenario);
  }
  const std::string json = to_json(report);
  BOOST_TEST(json.find(R"("passed": 1,)") != std::string::npos);
  BOOST_TEST(json.find(R"("failed": 3,)") != std::string::npos);
  BOOST_TEST(json.find(R"("errors": 1,)") != std::string::npos);
  BOOST_TEST(json.find(R"("skipped": 1,)") != std::string::npos);
  BOOST_TEST(json.find(R"("total": 6)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(every_control_character_is_escaped) {
  const char* const expected[0x20] = {
      R"("\u0000")", R"("\u0001")", R"("\u0002")", R"("\u0003")", R"("\u0004")", R"("\u0005")",
      R"("\u0006")", R"("\u0007")", R"("\b")",     R"("\t")",     R"("\n")",     R"("\u000b")",
      R"("\f")",     R"("\r")",     R"("\u000e")", R"("\u000f")", R"("\u0010")", R"("\u0011")",
      R"("\u0012")", R"("\u0013")", R"("\u0014")", R"("\u0015")", R"("\u0016")", R"("\u0017")",
      R"("\u0018")", R"("\u0019")", R"("\u001a")", R"("\u001b")", R"("\u001c")", R"("\u001d")",
      R"("\u001e")", R"("\u001f")"};
  for (int byte = 0; byte < 0x20; ++byte) {
    BOOST_TEST_CONTEXT("byte " << byte) {
      BOOST_TEST(json_string(std::string(1, static_cast<char>(byte))) == expected[byte]);
    }
  }
}

BOOST_AUTO_TEST_CASE(quotes_and_backslashes_are_escaped_and_the_rest_passes) {
  BOOST_TEST(json_string(R"(say "hi" \ bye)") == R"("say \"hi\" \\ bye")");
  BOOST_TEST(json_string("") == R"("")");
  // Characters JSON allows unescaped stay as they are: '/', DEL, and UTF-8.
  BOOST_TEST(json_string("a/b\x7f") == "\"a/b\x7f\"");
  BOOST_TEST(json_string("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80") ==
             "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
}

BOOST_AUTO_TEST_CASE(invalid_utf8_becomes_replacement_characters) {
  const std::string fffd = "\xef\xbf\xbd";
  BOOST_TEST(json_string("a\xff") == "\"a" + fffd + "\"");
  BOOST_TEST(json_string("\xe2\x82") == "\"" + fffd + "\"");         // truncated: one subpart
  BOOST_TEST(json_string("\xc0\xaf") == "\"" + fffd + fffd + "\"");  // over-long '/'
  BOOST_TEST(json_string("\xed\xa0\x80") == "\"" + fffd + fffd + fffd + "\"");  // surrogate
  // A broken sequence does not swallow the quote after it.
  BOOST_TEST(json_string("\xe2\"") == "\"" + fffd + "\\\"\"");
}

BOOST_AUTO_TEST_CASE(the_largest_seed_is_written_in_full) {
  RunReport report;
  ScenarioReport scenario;
  scenario.seed = std::numeric_limits<std::uint64_t>::max();
  report.scenarios.push_back(scenario);
  BOOST_TEST(to_json(report).find(R"("seed": 18446744073709551615,)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(times_are_exact_decimals_and_an_unmeasured_wall_time_is_null) {
  RunReport report;
  ScenarioReport scenario;
  scenario.simulated_time = Duration::from_us(7'200'000'001);
  scenario.wall_time_s = std::nan("");
  report.scenarios.push_back(scenario);
  scenario.wall_time_s = std::numeric_limits<double>::infinity();
  report.scenarios.push_back(scenario);
  const std::string json = to_json(report);
  BOOST_TEST(json.find(R"("simulated_time_s": 7200.000001,)") != std::string::npos);
  std::size_t nulls = 0;
  for (std::size_t at = json.find(R"("wall_time_s": null,)"); at != std::string::npos;
       at = json.find(R"("wall_time_s": null,)", at + 1)) {
    ++nulls;
  }
  BOOST_TEST(nulls == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
