// Explore must find the planted bugs: each deliberately broken broker of the
// oracle's tests, given only generated scenarios (no library scenario, no
// hand-written expectation), is caught within a stated number of seeds, by
// the intended check citing the intended statement; and --shrink makes the
// failing seed a scenario of at most a stated number of steps that still
// fails that check citing that statement. The scenarios are 3.1.1 only, so
// that each break has one id to cite.
#include <boost/test/unit_test.hpp>

#include "combination_break.hpp"
#include "explore/explore_seed.hpp"
#include "oracle/flow_breaks.hpp"
#include "oracle/state_breaks.hpp"

using namespace mqttsim;
using namespace mqttsim::testing;

namespace {

// The seeds each break gets; the ones below are found well within it (the
// first finding's seed is in the test's message when it fails).
constexpr std::uint64_t seeds_max = 30;
// Candidates the shrinker may play per break.
constexpr std::size_t shrink_budget = 1'500;

struct Caught {
  std::optional<std::uint64_t> seed;
  std::string message;
  std::optional<explore::ShrunkSeed> shrunk;
};

// The first seed (1, 2, ...) whose run against `broken` has a violation of
// `check` citing `spec`, shrunk keeping that finding.
Caught explore_for(const explore::BrokenBroker& broken, std::string_view check, SpecRef spec,
                   explore::GeneratorOptions options = {.protocol = explore::ProtocolMix::v3_1_1},
                   std::uint64_t seeds = seeds_max) {
  const explore::FindingKey key{.check = std::string{check}, .spec = to_string(spec)};
  for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
    const std::string file = "explore-seed-" + std::to_string(seed) + ".yaml";
    const explore::ExploredSeed explored = explore::explore_seed(seed, options, file, broken());
    if (!explore::has_finding(explored.result, key)) continue;
    Caught caught{.seed = seed};
    for (const oracle::Violation& v : explored.result.verdict.violations) {
      if (v.check == check && cites(v, spec)) caught.message = v.message;
    }
    caught.shrunk = explore::shrink_seed(explored, seed, "explore-seed-shrunk.yaml", shrink_budget,
                                         broken, key);
    return caught;
  }
  return {};
}

// What the test log shows of a catch, and the checks every catch must pass:
// found, and shrunk to at most `steps_max` steps that still fail as intended.
void expect_caught(const Caught& c, std::string_view check, SpecRef spec,
                   std::size_t steps_max) {
  const std::string what = boost::unit_test::framework::current_test_case().p_name.get();
  BOOST_TEST_REQUIRE(c.seed.has_value(), what << ": not found in the seeds it was given");
  BOOST_TEST_MESSAGE(what << ": seed " << *c.seed << ": " << c.message << "\n  shrunk from "
                          << explore::to_string(c.shrunk->before) << " to "
                          << explore::to_string(c.shrunk->after) << " in " << c.shrunk->tried
                          << " candidates");
  const explore::FindingKey key{.check = std::string{check}, .spec = to_string(spec)};
  BOOST_TEST(explore::has_finding(c.shrunk->shrunk.result, key));
  BOOST_TEST(c.shrunk->after.steps <= steps_max);
  BOOST_TEST(c.shrunk->after.steps < c.shrunk->before.steps);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_planted_bugs)

// The steps bounds are what each break shrank to when the test was written,
// with a little room: a shrink that regresses far past them fails.

BOOST_AUTO_TEST_CASE(a_lost_queued_message) {
  const SpecRef spec{ProtocolVersion::v3_1_1, "MQTT-4.5.0-1"};
  expect_caught(explore_for(drop_first_queued, "no-loss", spec), "no-loss", spec, 8);
}

BOOST_AUTO_TEST_CASE(swapped_queue_order) {
  const SpecRef spec{ProtocolVersion::v3_1_1, "MQTT-4.6.0-6"};
  expect_caught(explore_for(swap_first_two_queued, "ordering", spec), "ordering", spec,
                8);
}

BOOST_AUTO_TEST_CASE(dup_cleared_on_resends) {
  const SpecRef spec{ProtocolVersion::v3_1_1, "MQTT-3.3.1-1"};
  const auto broken = [] { return rewrite_publishes([](codec::Publish& p) { p.dup = false; }); };
  expect_caught(explore_for(broken, "dup-flag", spec), "dup-flag", spec, 8);
}

BOOST_AUTO_TEST_CASE(a_stale_retained_message) {
  const SpecRef spec{ProtocolVersion::v3_1_1, "MQTT-3.3.1-6"};
  expect_caught(explore_for(stale_retained, "retained", spec), "retained", spec, 10);
}

BOOST_AUTO_TEST_CASE(a_qos_upgrade) {
  const SpecRef spec{ProtocolVersion::v3_1_1, "MQTT-3.8.4-6"};
  const auto broken = [] {
    return rewrite_publishes([](codec::Publish& p) {
      if (p.qos == codec::QoS::at_least_once) p.qos = codec::QoS::exactly_once;
    });
  };
  expect_caught(explore_for(broken, "qos", spec), "qos", spec, 6);
}

BOOST_AUTO_TEST_CASE(session_present_always_0) {
  const SpecRef spec{ProtocolVersion::v3_1_1, "MQTT-3.2.2-2"};
  const auto broken = [] { return session_present_always(false); };
  expect_caught(explore_for(broken, "session-present", spec), "session-present", spec,
                4);
}

// Only a broker restart while a partition is in force sets this break off,
// so it takes a seed whose swarm switched both on and overlapped them.
BOOST_AUTO_TEST_CASE(a_loss_only_after_a_restart_during_a_partition) {
  const SpecRef spec{ProtocolVersion::v3_1_1, "MQTT-4.5.0-1"};
  const auto broken = [] { return std::make_shared<LossAfterRestartDuringPartition>(); };
  const explore::GeneratorOptions heavy{.protocol = explore::ProtocolMix::v3_1_1,
                                        .faults = explore::FaultLevel::heavy};
  const Caught c = explore_for(broken, "no-loss", spec, heavy, 100);
  expect_caught(c, "no-loss", spec, 12);
  // What it shrank to still holds both faults: neither alone breaks it.
  const auto& steps = c.shrunk->shrunk.scenario.steps;
  const auto has = [&](auto kind) {
    return std::any_of(steps.begin(), steps.end(), [&](const scenario::Step& step) {
      return std::holds_alternative<decltype(kind)>(step.action);
    });
  };
  BOOST_TEST(has(scenario::PartitionStep{}));
  BOOST_TEST(has(scenario::BrokerRestartStep{}));
}

BOOST_AUTO_TEST_SUITE_END()
