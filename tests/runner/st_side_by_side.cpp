#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "runner/broker_footprint.hpp"
#include "runner/side_by_side.hpp"
#include "scenario/scenario_loader.hpp"

using mqttsim::Duration;
using mqttsim::runner::broker_footprint;
using mqttsim::runner::BrokerFootprint;
using mqttsim::runner::footprints_overlap;
using mqttsim::runner::plan_side_by_side;

namespace {

// A scenario whose steps are `steps` (YAML, indented by four spaces),
// with clients a and b.
BrokerFootprint footprint_of(const std::string& steps, bool restarts_broker = true) {
  const std::string text =
      "name: t\nprotocol: 5.0\nclients:\n  a:\n  b:\nsteps:\n  - connect: a\n" + steps;
  return broker_footprint(mqttsim::scenario::load_scenario_text(text, "t.yaml"), restarts_broker);
}

BrokerFootprint roots(std::set<std::string> topic_roots) {
  return {.topic_roots = std::move(topic_roots), .runs_alone_because = ""};
}

BrokerFootprint alone() { return {.topic_roots = {}, .runs_alone_because = "raw bytes"}; }

}  // namespace

BOOST_AUTO_TEST_SUITE(st_side_by_side)

BOOST_AUTO_TEST_CASE(a_footprint_holds_the_first_level_of_each_topic_and_filter) {
  const BrokerFootprint footprint = footprint_of(
      "  - subscribe: a\n    filter: Home/+/lamp\n"
      "  - subscribe: a\n    filter: $share/g/Plant/#\n"
      "  - publish: a\n    topic: /Office//desk\n"
      "  - connect: b\n    will: {topic: status/b, payload: gone}\n"
      "  - unsubscribe: a\n    filter: ignored/#\n");
  BOOST_TEST(!footprint.runs_alone());
  BOOST_TEST((footprint.topic_roots == std::set<std::string>{"home", "plant", "office", "status"}));
}

BOOST_AUTO_TEST_CASE(raw_bytes_restarts_and_leading_wildcards_run_alone) {
  BOOST_TEST(footprint_of("  - send_raw: b\n    new_connection: true\n    bytes: \"e0 00\"\n")
                 .runs_alone_because ==
             "it sends raw bytes (send_raw), whose client ids and topics are not read");
  BOOST_TEST(footprint_of("  - broker_restart:\n").runs_alone_because ==
             "it restarts the broker (broker_restart with --restart-cmd)");
  // Without a restart command the scenario is skipped, the broker untouched.
  BOOST_TEST(!footprint_of("  - broker_restart:\n", false).runs_alone());
  BOOST_TEST(footprint_of("  - subscribe: a\n    filter: \"#\"\n").runs_alone_because ==
             "it subscribes to #, which matches topics of any root");
  BOOST_TEST(footprint_of("  - subscribe: a\n    filter: /+/x\n").runs_alone());
  BOOST_TEST(footprint_of("  - subscribe: a\n    filter: $share/g/#\n").runs_alone());
}

BOOST_AUTO_TEST_CASE(footprints_overlap_on_a_shared_root_or_when_one_runs_alone) {
  BOOST_TEST(footprints_overlap(roots({"a", "home"}), roots({"home", "z"})));
  BOOST_TEST(!footprints_overlap(roots({"a", "home"}), roots({"b", "z"})));
  BOOST_TEST(!footprints_overlap(roots({}), roots({"b"})));
  BOOST_TEST(footprints_overlap(alone(), roots({})));
}

BOOST_AUTO_TEST_CASE(overlapping_scenarios_share_a_worker_and_groups_are_dealt_longest_first) {
  // 0 and 3 share "home", 3 and 5 share "x": one group of 6 s. 2 runs
  // alone. 1 (5 s) and 4 (1 s) are groups of their own.
  const std::vector<BrokerFootprint> footprints = {roots({"home"}),  roots({"plant"}),
                                                   alone(),          roots({"home", "x"}),
                                                   roots({"meter"}), roots({"x"})};
  const std::vector<Duration> estimates = {Duration::from_s(2), Duration::from_s(5),
                                           Duration::from_s(9), Duration::from_s(3),
                                           Duration::from_s(1), Duration::from_s(1)};
  const auto plan = plan_side_by_side(footprints, estimates, 2);
  BOOST_TEST(plan.alone == (std::vector<std::size_t>{2}), boost::test_tools::per_element());
  BOOST_TEST(plan.together == (std::vector<std::size_t>{0, 1, 3, 4, 5}),
             boost::test_tools::per_element());
  // The 6 s group to worker 0, the 5 s one to worker 1, the 1 s one to the
  // less loaded worker 1.
  BOOST_TEST(plan.worker_of == (std::vector<std::size_t>{0, 1, 0, 1, 0}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(equal_estimates_go_round_the_workers_in_index_order) {
  const std::vector<BrokerFootprint> footprints = {roots({"a"}), roots({"b"}), roots({"c"}),
                                                   roots({"d"})};
  const std::vector<Duration> estimates(4, Duration::from_s(1));
  const auto plan = plan_side_by_side(footprints, estimates, 3);
  BOOST_TEST(plan.worker_of == (std::vector<std::size_t>{0, 1, 2, 0}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_estimate_adds_the_settle_pauses_and_the_clean_ups_to_the_scaled_length) {
  const auto scenario = mqttsim::scenario::load_scenario_text(
      "name: t\nprotocol: 3.1.1\nclients:\n  a:\nsteps:\n  - connect: a\n"
      "  - subscribe: a\n    filter: x\n  - unsubscribe: a\n    filter: x\n"
      "  - expect: a\n    no_messages: true\n    within: 1s\n",
      "t.yaml");
  mqttsim::runner::TcpTarget target{.scale = mqttsim::runner::TimeScale{10'000},
                                    .settle = Duration::from_ms(200),
                                    .scenario_length = Duration::from_s(20)};
  // 20 s at 10x, three settles, and the clean-ups.
  BOOST_TEST(mqttsim::runner::estimated_real_time(scenario, target) ==
             Duration::from_ms(2'000 + 3 * 200 + 50));
}

BOOST_AUTO_TEST_CASE(a_scenario_check_refuses_costs_its_clean_ups_only) {
  const auto scenario = mqttsim::scenario::load_scenario_text(
      "name: t\nprotocol: 3.1.1\nclients:\n  a:\nsteps:\n  - connect: a\n"
      "  - wait: 100s\n  - broker_restart:\n",
      "t.yaml");
  mqttsim::runner::TcpTarget target{.scenario_length = Duration::from_s(100)};
  BOOST_TEST(mqttsim::runner::estimated_real_time(scenario, target) == Duration::from_ms(50));
  target.restart_command = "restart-it";
  BOOST_TEST(mqttsim::runner::estimated_real_time(scenario, target) == Duration::from_ms(100'050));
}

BOOST_AUTO_TEST_SUITE_END()
