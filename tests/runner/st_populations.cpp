// Populations played: a spread step's members act at moments drawn from the
// run's seed within the spread, while the steps after it go on; a failure
// in the background is reported as its step's; a step on a population
// names the member that failed.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <set>

#include "runner/scenario_player.hpp"
#include "scenario/scenario_loader.hpp"

using namespace mqttsim;

namespace {

runner::RunResult play(const std::string& yaml, std::uint64_t seed = 1) {
  return runner::run_scenario(scenario::load_scenario_text(yaml, "pop.yaml"), {.seed = seed});
}

const std::string spread_connects = R"(name: twenty pumps connect over ten seconds
protocol: 3.1.1
clients:
  hub:
  pumps: {count: 20}
steps:
  - wait: 1s
  - connect: pumps
    clean_session: false
    spread: 10s
  - connect: hub
  - wait: 11s
  - expect: pumps[19]
    no_messages: true
    within: 1s
)";

// When each member first tried to connect, in member order (in µs).
std::vector<std::int64_t> connect_times(const runner::RunResult& result) {
  std::vector<std::int64_t> times(20, -1);
  for (const auto& event : result.trace.events()) {
    if (event.kind != trace::EventKind::connect_attempt || !event.actor.starts_with("pumps[")) {
      continue;
    }
    const auto member = std::stoul(event.actor.substr(6));
    if (times.at(member) < 0) times[member] = (event.time - TimePoint::origin()).count_us();
  }
  return times;
}

std::int64_t hub_connect_time(const runner::RunResult& result) {
  for (const auto& event : result.trace.events()) {
    if (event.kind == trace::EventKind::connect_attempt && event.actor == "hub") {
      return (event.time - TimePoint::origin()).count_us();
    }
  }
  return -1;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_populations)

BOOST_AUTO_TEST_CASE(spread_members_act_at_seeded_moments_within_the_spread) {
  const auto first = play(spread_connects, 1);
  BOOST_TEST_REQUIRE(first.passed());
  const auto times = connect_times(first);
  for (const std::int64_t t : times) {
    BOOST_TEST(t >= 1'000'000);
    BOOST_TEST(t < 11'000'000);
  }
  // Spread, not one burst, and not in member order.
  BOOST_TEST(std::set<std::int64_t>(times.begin(), times.end()).size() == times.size());
  BOOST_TEST(!std::is_sorted(times.begin(), times.end()));
  // The spread step takes no time: the hub connects at once.
  BOOST_TEST(hub_connect_time(first) == 1'000'000);
  // The same seed, the same moments; another seed, others.
  BOOST_TEST((connect_times(play(spread_connects, 1)) == times));
  BOOST_TEST((connect_times(play(spread_connects, 2)) != times));
}

BOOST_AUTO_TEST_CASE(a_failure_in_the_background_fails_its_step) {
  const auto result = play(R"(name: a member offline when its spread subscribe comes
protocol: 3.1.1
clients:
  pumps: {count: 3}
steps:
  - connect: pumps
  - drop: pumps[1]
  - subscribe: pumps
    filter: "p/{i}"
    spread: 2s
  - wait: 3s
)");
  BOOST_TEST_REQUIRE(result.failures.size() == 1u);
  const auto& failure = result.failures.front();
  BOOST_TEST(failure.step_kind == "subscribe");
  BOOST_TEST(failure.where.line == 8);
  BOOST_TEST(failure.message.find("in the background (spread): cannot subscribe: pumps[1] is "
                                  "not connected") == 0u,
             failure.message);
}

BOOST_AUTO_TEST_CASE(a_step_on_a_population_names_the_member_that_failed) {
  const auto result = play(R"(name: one pump never subscribed
protocol: 3.1.1
clients:
  hub:
  pumps: {count: 3}
steps:
  - connect: hub
  - connect: pumps
  - subscribe: pumps[0]
    filter: "p/{i}"
    qos: 1
  - subscribe: pumps[2]
    filter: "p/{i}"
    qos: 1
  - publish: hub
    for_each: pumps
    topic: "p/{i}"
    qos: 1
    payload: "for {i}"
  - expect: pumps
    messages:
      - {topic: "p/{i}", payload: "for {i}"}
    within: 1s
)");
  BOOST_TEST_REQUIRE(result.failures.size() == 1u);
  const auto& failure = result.failures.front();
  BOOST_TEST(failure.where.line == 20);
  BOOST_TEST(failure.message.find("pumps[1]") != std::string::npos, failure.message);
  BOOST_TEST(result.steps_done ==
             10u);  // hub, 3 connects, 2 subscribes, 3 publishes, pumps[0]'s expect
}

BOOST_AUTO_TEST_CASE(a_population_larger_than_the_network_default_connects) {
  // The simulated network's default bound is 4,096 live connections.
  const auto result = play(R"(name: five thousand sensors
protocol: 3.1.1
clients:
  sensors: {count: 5000}
steps:
  - connect: sensors
    clean_session: false
    spread: 10s
  - wait: 11s
  - expect: sensors[4999]
    no_messages: true
    within: 1s
)");
  BOOST_TEST(result.failures.empty(), (result.failures.empty() ? "" : result.failures[0].message));
  BOOST_TEST(result.passed());
}

BOOST_AUTO_TEST_SUITE_END()
