// Known deviations: listed findings are marked and expected; a new finding,
// an error, or a listed deviation that no longer shows is unexpected.
#include <boost/test/unit_test.hpp>

#include "reports/known_deviations.hpp"

using namespace mqttsim::reports;

namespace {

RunReport run_with(Status status, std::vector<Finding> findings) {
  RunReport report;
  report.scenarios.push_back(
      {.file = "./scenarios//retained/a.yaml", .status = status, .findings = std::move(findings)});
  report.scenarios.push_back({.file = "scenarios/sessions/b.yaml", .status = Status::passed});
  return report;
}

const KnownDeviation stale_retained{.scenario = "scenarios/retained/a.yaml",
                                    .check = "retained",
                                    .spec = "MQTT-3.3.1-6 (3.1.1)",
                                    .where = "mosquitto.yaml:4:5"};

Finding retained_finding() {
  return {.check = "retained", .spec = {"MQTT-3.3.1-6 (3.1.1)"}, .message = "stale"};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_known_deviations)

BOOST_AUTO_TEST_CASE(a_listed_finding_is_expected_and_marked) {
  RunReport report = run_with(Status::failed, {retained_finding()});
  const DeviationOutcome outcome = apply_known_deviations(report, {stale_retained});
  BOOST_TEST(outcome.as_expected());
  BOOST_TEST(outcome.matched == 1u);
  BOOST_TEST(report.scenarios[0].findings[0].known_deviation);
}

BOOST_AUTO_TEST_CASE(an_explained_finding_keeps_only_the_ids_its_entry_names) {
  Finding expectation{.check = "expect",
                      .spec = {"MQTT-3.1.2-24 (5.0)", "MQTT-3.1.4-3 (5.0)"},
                      .message = "not closed as expected"};
  RunReport report = run_with(Status::failed, {expectation});
  const KnownDeviation takeover{.scenario = "scenarios/retained/a.yaml",
                                .check = "expect",
                                .spec = "MQTT-3.1.4-3 (5.0)",
                                .where = "mosquitto.yaml:9:5"};
  BOOST_TEST(apply_known_deviations(report, {takeover}).as_expected());
  BOOST_TEST(report.scenarios[0].findings[0].spec == std::vector<std::string>{"MQTT-3.1.4-3 (5.0)"},
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_pattern_names_every_file_it_matches) {
  RunReport report;
  for (const char* file : {"found/explore-seed-3.yaml", "found/explore-seed-17.yaml"}) {
    report.scenarios.push_back(
        {.file = file, .status = Status::failed, .findings = {retained_finding()}});
  }
  report.scenarios.push_back(
      {.file = "scenarios/retained/a.yaml", .status = Status::failed, .findings = {retained_finding()}});
  KnownDeviation seeds = stale_retained;
  seeds.scenario = "*/explore-seed-*.yaml";
  const DeviationOutcome outcome = apply_known_deviations(report, {seeds});
  BOOST_TEST(outcome.matched == 2u);
  // The library scenario is not an explore seed: its finding is new.
  BOOST_TEST(outcome.unexpected.size() == 1u);
  BOOST_TEST(!report.scenarios[2].findings[0].known_deviation);
  // And a pattern no finding matches vanished, like a file.
  RunReport clean;
  clean.scenarios.push_back({.file = "found/explore-seed-5.yaml", .status = Status::passed});
  BOOST_TEST(apply_known_deviations(clean, {seeds}).vanished.size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_new_finding_is_unexpected) {
  Finding other = retained_finding();
  other.spec = {"MQTT-3.3.1-9 (3.1.1)"};
  RunReport report = run_with(Status::failed, {retained_finding(), other});
  const DeviationOutcome outcome = apply_known_deviations(report, {stale_retained});
  BOOST_TEST_REQUIRE(outcome.unexpected.size() == 1u);
  BOOST_TEST(outcome.unexpected[0] == "./scenarios//retained/a.yaml: retained: stale");
  BOOST_TEST(!report.scenarios[0].findings[1].known_deviation);
}

BOOST_AUTO_TEST_CASE(a_deviation_that_no_longer_shows_is_unexpected) {
  RunReport report = run_with(Status::passed, {});
  const DeviationOutcome outcome = apply_known_deviations(report, {stale_retained});
  BOOST_TEST_REQUIRE(outcome.vanished.size() == 1u);
  BOOST_TEST(outcome.vanished[0] ==
             "mosquitto.yaml:4:5: scenarios/retained/a.yaml retained MQTT-3.3.1-6 (3.1.1)");
}

BOOST_AUTO_TEST_CASE(an_intermittent_deviation_may_be_absent_but_still_explains) {
  KnownDeviation timing_dependent = stale_retained;
  timing_dependent.intermittent_rate = "3 of 20 runs";
  RunReport quiet = run_with(Status::passed, {});
  const DeviationOutcome absent = apply_known_deviations(quiet, {timing_dependent});
  BOOST_TEST(absent.as_expected());
  BOOST_TEST_REQUIRE(absent.absent_intermittent.size() == 1u);
  BOOST_TEST(absent.absent_intermittent[0] ==
             "mosquitto.yaml:4:5: scenarios/retained/a.yaml retained MQTT-3.3.1-6 (3.1.1) "
             "(seen in 3 of 20 runs)");
  RunReport showing = run_with(Status::failed, {retained_finding()});
  const DeviationOutcome outcome = apply_known_deviations(showing, {timing_dependent});
  BOOST_TEST(outcome.as_expected());
  BOOST_TEST(outcome.matched == 1u);
}

BOOST_AUTO_TEST_CASE(a_skipped_scenario_neither_matches_nor_vanishes) {
  RunReport report = run_with(Status::skipped, {});
  BOOST_TEST(apply_known_deviations(report, {stale_retained}).as_expected());
}

BOOST_AUTO_TEST_CASE(an_error_is_always_unexpected) {
  RunReport report = run_with(Status::error, {});
  report.scenarios[0].error = "broker unreachable";
  const DeviationOutcome outcome = apply_known_deviations(report, {stale_retained});
  BOOST_TEST_REQUIRE(outcome.unexpected.size() == 1u);
  BOOST_TEST(outcome.vanished.empty());
}

BOOST_AUTO_TEST_SUITE_END()
