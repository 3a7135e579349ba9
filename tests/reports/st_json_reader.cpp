#include <boost/test/unit_test.hpp>
#include <cmath>
#include <filesystem>
#include <limits>
#include <string>

#include "reports/json_reader.hpp"
#include "reports/json_writer.hpp"
#include "reports/sample_report.hpp"

using mqttsim::Duration;
using mqttsim::reports::Finding;
using mqttsim::reports::JsonDetail;
using mqttsim::reports::read_json_report;
using mqttsim::reports::read_json_report_file;
using mqttsim::reports::RunReport;
using mqttsim::reports::ScenarioReport;
using mqttsim::reports::to_json;

namespace {

// The sample with every field the public report leaves out filled in, and
// values that are hard to carry: ill-formed UTF-8, a wall time with more
// digits than microseconds, a negative time, NUL bytes.
RunReport full_sample() {
  RunReport report = mqttsim::reports::test::sample_report();
  ScenarioReport& failed = report.scenarios[1];
  failed.findings[0].excerpt = "  #12 0.1s broker -> sub PUBLISH q/x \"m2\"\n";
  failed.findings[1].known_deviation = true;
  failed.remarks.push_back({.check = "dup-flag", .message = "not judged"});
  failed.judged = {"MQTT-4.6.0-2 (3.1.1)", "MQTT-3.1.2-5 (3.1.1)"};
  failed.reference_replay = "passes (simulation, seed 1) under the same profile";
  failed.wall_time_s = 0.1 + 0.2;  // 0.30000000000000004
  ScenarioReport& passed = report.scenarios[0];
  passed.name = "broken \xff\xfe text and \xe2\x82 a cut euro";
  passed.trace_hash = std::string{"nul\0inside", 10};
  passed.simulated_time = Duration::from_us(-1'234'567);
  passed.wall_time_s = 1e-9;
  report.scenarios[2].judged = {"\xc0\xaf"};
  return report;
}

RunReport read_back(const std::string& json) {
  auto read = read_json_report(json, "test.json");
  BOOST_TEST_REQUIRE(read.has_value(), (read ? "" : to_string(read.error())));
  return std::move(read).value();
}

// What `text` gives, which must be an error: "test.json: WHERE: PROBLEM".
std::string read_error(const std::string& text) {
  auto read = read_json_report(text, "test.json");
  BOOST_TEST_REQUIRE(!read.has_value(), "read without error: " << text);
  return to_string(read.error());
}

// The sample's public JSON with `from` replaced by `to` (once).
std::string edited_sample(const std::string& from, const std::string& to) {
  std::string json = to_json(mqttsim::reports::test::sample_report());
  const auto at = json.find(from);
  BOOST_TEST_REQUIRE(at != std::string::npos, from);
  return json.replace(at, from.size(), to);
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_json_reader)

BOOST_AUTO_TEST_CASE(a_full_report_reads_back_equal) {
  const RunReport written = full_sample();
  const RunReport read = read_back(to_json(written, JsonDetail::full));
  BOOST_TEST((read.scenarios == written.scenarios));
  BOOST_TEST(read.tool == written.tool);
  BOOST_TEST(read.timestamp == written.timestamp);
  BOOST_TEST(read.hostname == written.hostname);
  // And writing it again gives the same text.
  BOOST_TEST(to_json(read, JsonDetail::full) == to_json(written, JsonDetail::full));
}

BOOST_AUTO_TEST_CASE(an_interrupted_run_says_so_and_reads_back_so) {
  RunReport written = full_sample();
  BOOST_TEST(to_json(written).find("interrupted") == std::string::npos);
  BOOST_TEST(!read_back(to_json(written)).interrupted);
  written.interrupted = true;
  BOOST_TEST(to_json(written).find("\"interrupted\": true") != std::string::npos);
  BOOST_TEST(read_back(to_json(written)).interrupted);
  BOOST_TEST(read_back(to_json(written, JsonDetail::full)).interrupted);
}

BOOST_AUTO_TEST_CASE(a_kept_trace_level_says_so_and_reads_back_so) {
  RunReport written = full_sample();
  BOOST_TEST(to_json(written).find("\"trace\"") == std::string::npos);
  written.trace_level = "none";
  BOOST_TEST(to_json(written).find("\"trace\": \"none\"") != std::string::npos);
  BOOST_TEST(read_back(to_json(written)).trace_level == "none");
  BOOST_TEST(read_back(to_json(written, JsonDetail::full)).trace_level == "none");
}

BOOST_AUTO_TEST_CASE(a_full_report_of_an_empty_run_reads_back_equal) {
  RunReport written;
  written.tool = "mqttsim check --broker [::1]:1883";
  const RunReport read = read_back(to_json(written, JsonDetail::full));
  BOOST_TEST(read.tool == written.tool);
  BOOST_TEST(read.scenarios.empty());
}

BOOST_AUTO_TEST_CASE(only_ill_formed_text_is_written_as_hex) {
  const std::string json = to_json(full_sample(), JsonDetail::full);
  BOOST_TEST(contains(json, R"("name": {"hex": "62726f6b656e20fffe2074657874)"));
  BOOST_TEST(contains(json, R"("judged": [
        {"hex": "c0af"}
      ],)"));
  BOOST_TEST(contains(json, R"("file": "scenarios/sessions/clean_session_toggle.yaml",)"));
  BOOST_TEST(contains(json, R"("trace_hash": "nul\u0000inside",)"));
}

BOOST_AUTO_TEST_CASE(the_public_report_reads_back_what_it_carries) {
  const RunReport written = full_sample();
  RunReport expected = written;
  for (ScenarioReport& scenario : expected.scenarios) {
    scenario.judged.clear();
    scenario.reference_replay.clear();
    for (Finding& finding : scenario.findings) finding.excerpt.clear();
  }
  // Ill-formed UTF-8 is repaired; wall times are rounded to microseconds.
  expected.scenarios[0].name = "broken \xef\xbf\xbd\xef\xbf\xbd text and \xef\xbf\xbd a cut euro";
  expected.scenarios[0].wall_time_s = 0;
  expected.scenarios[1].wall_time_s = 0.3;
  const RunReport read = read_back(to_json(written));
  BOOST_TEST((read.scenarios == expected.scenarios));
  BOOST_TEST(read.tool == expected.tool);
}

BOOST_AUTO_TEST_CASE(the_sample_public_report_reads_back_equal) {
  const RunReport sample = mqttsim::reports::test::sample_report();
  const RunReport read = read_back(to_json(sample));
  BOOST_TEST((read.scenarios == sample.scenarios));
  BOOST_TEST(read.scenarios[1].seed == mqttsim::reports::test::sample_failed_seed);
}

BOOST_AUTO_TEST_CASE(an_unmeasured_wall_time_reads_back_as_nan) {
  RunReport report;
  report.scenarios.emplace_back();
  report.scenarios[0].wall_time_s = std::numeric_limits<double>::infinity();
  for (const JsonDetail detail : {JsonDetail::contract, JsonDetail::full}) {
    BOOST_TEST(std::isnan(read_back(to_json(report, detail)).scenarios[0].wall_time_s));
  }
}

BOOST_AUTO_TEST_CASE(text_that_is_not_json_is_located) {
  BOOST_TEST(read_error("").starts_with("test.json: line 1, column 1: not valid JSON: "));
  BOOST_TEST(contains(read_error("{\n  \"tool\": tru\n}"), "test.json: line 2, column 14: "));
  // Cut short, as a file written by a killed process would be.
  const std::string json = to_json(mqttsim::reports::test::sample_report());
  BOOST_TEST(contains(read_error(json.substr(0, json.size() / 2)), "not valid JSON"));
  BOOST_TEST(contains(read_error("{\"tool\": \"a\xff\"}"), "not valid JSON"));
  BOOST_TEST(contains(read_error("[1e999]"), "test.json: not valid JSON: "));
}

BOOST_AUTO_TEST_CASE(values_of_the_wrong_shape_are_named_by_their_path) {
  BOOST_TEST(read_error("[]") == "test.json: expected an object, not an array");
  BOOST_TEST(read_error(edited_sample(R"("status": "failed")", R"("status": "bogus")")) ==
             "test.json: scenarios[1].status: unknown status 'bogus' (passed, failed, error or "
             "skipped)");
  BOOST_TEST(read_error(edited_sample(R"("seed": 7,)", R"("seed": -7,)")) ==
             "test.json: scenarios[2].seed: expected a whole number from 0, not the number -7");
  BOOST_TEST(read_error(edited_sample(R"("seed": 42,)", R"("seed": 4.5,)")) ==
             "test.json: scenarios[0].seed: expected a whole number from 0, not the number 4.5");
  BOOST_TEST(read_error(edited_sample(R"x("MQTT-4.6.0-3 (3.1.1)")x", "3")) ==
             "test.json: scenarios[1].violations[0].spec[1]: expected a string, not the number 3");
  BOOST_TEST(read_error(edited_sample(R"("wall_time_s": 0.0042,)", R"("wall_time_s": "0",)")) ==
             "test.json: scenarios[0].wall_time_s: expected seconds or null, not the string \"0\"");
  BOOST_TEST(read_error(edited_sample(R"("violations": [],)", R"("violations": {},)")) ==
             "test.json: scenarios[0].violations: expected an array, not an object");
  BOOST_TEST(read_error(edited_sample(R"("name": "",)", R"("name": {"hex": "6"},)")) ==
             "test.json: scenarios[1].name.hex: an odd number of hex digits");
  BOOST_TEST(read_error(edited_sample(R"("name": "",)", R"("name": {"hex": "zz"},)")) ==
             "test.json: scenarios[1].name.hex: 'zz' is not a hex byte");
  BOOST_TEST(
      read_error(edited_sample(R"("simulated_time_s": 12.5,)", R"("simulated_time_s": 1e300,)")) ==
      "test.json: scenarios[1].simulated_time_s: seconds out of range: the number 1e+300");
}

BOOST_AUTO_TEST_CASE(unknown_and_missing_keys_are_errors) {
  BOOST_TEST(read_error(edited_sample(R"("reproducer": "")", R"("reproducer": "", "extra": 1)")) ==
             "test.json: scenarios[0]: unknown key \"extra\"");
  BOOST_TEST(read_error(edited_sample(R"("skip_reason": "",)", "")) ==
             "test.json: scenarios[0]: the key \"skip_reason\" is missing");
  BOOST_TEST(read_error(R"({"summary": {}, "scenarios": []})") ==
             "test.json: the key \"tool\" is missing");
}

BOOST_AUTO_TEST_CASE(a_summary_that_does_not_count_the_scenarios_is_an_error) {
  BOOST_TEST(read_error(edited_sample(R"("passed": 1,)", R"("passed": 2,)")) ==
             "test.json: summary: it counts 2 passed, 1 failed, 1 errors, 1 skipped (total 4), "
             "but the scenarios listed are 1 passed, 1 failed, 1 errors, 1 skipped (total 4)");
}

BOOST_AUTO_TEST_CASE(deep_nesting_is_an_error_not_a_crash) {
  const std::size_t depth = 1'000'000;
  const std::string nested = std::string(depth, '[') + std::string(depth, ']');
  BOOST_TEST(read_error(nested) == "test.json: expected an object, not an array");
  BOOST_TEST(read_error(R"({"tool": )" + nested + "}") ==
             "test.json: tool: expected a string, not an array");
}

BOOST_AUTO_TEST_CASE(a_file_is_named_in_its_errors) {
  const std::filesystem::path missing =
      std::filesystem::temp_directory_path() / "mqttsim-st-json-reader-missing.json";
  std::filesystem::remove(missing);
  auto read = read_json_report_file(missing);
  BOOST_TEST_REQUIRE(!read.has_value());
  BOOST_TEST(to_string(read.error()) ==
             missing.string() + ": cannot read it: No such file or directory");
  read = read_json_report_file(std::filesystem::temp_directory_path());
  BOOST_TEST_REQUIRE(!read.has_value());
  BOOST_TEST(to_string(read.error()) ==
             std::filesystem::temp_directory_path().string() + ": cannot read it: it is a folder");
}

BOOST_AUTO_TEST_SUITE_END()
