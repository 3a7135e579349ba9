// The shrinker and its reductions: what a candidate loses, that the result
// is a local minimum of the caller's test, that the budget bounds the tries,
// and that a shrunk seed replays from its saved text to the same trace.
#include <boost/test/unit_test.hpp>

#include "explore/explore_seed.hpp"
#include "explore/reductions.hpp"
#include "explore/shrink.hpp"
#include "oracle/flow_breaks.hpp"
#include "scenario/scenario_loader.hpp"
#include "trace/trace.hpp"

using namespace mqttsim;
using namespace mqttsim::scenario;

namespace {

Scenario three_clients() {
  Scenario s;
  s.file = "shrink.yaml";
  for (const char* name : {"a", "b", "c"}) s.clients.push_back({.name = name, .client_id = name});
  s.steps = {
      {.action = ConnectStep{.client = "a"}},
      {.action = ConnectStep{.client = "b"}},
      {.action = ConnectStep{.client = "c"}},
      {.action = SubscribeStep{.client = "b",
                               .subscriptions = {{.topic_filter = "t/#"}, {.topic_filter = "u"}}}},
      {.action = PartitionStep{.clients = {"a", "b"}}},
      {.action = WaitStep{.duration = Duration::from_s(1)}},
      {.action = WaitStep{.duration = Duration::from_s(2)}},
      {.action = HealStep{.clients = {"b"}}},
      {.action = PublishStep{.client = "a", .topic = "t/x", .payload = "long payload {n}",
                             .count = 8, .interval = Duration::from_ms(10)}},
  };
  return s;
}

template <class T>
std::size_t count_steps(const Scenario& s) {
  return static_cast<std::size_t>(std::count_if(s.steps.begin(), s.steps.end(), [](const Step& st) {
    return std::holds_alternative<T>(st.action);
  }));
}

const PublishStep* first_publish(const Scenario& s) {
  for (const Step& step : s.steps) {
    if (const auto* p = std::get_if<PublishStep>(&step.action)) return p;
  }
  return nullptr;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_shrink)

BOOST_AUTO_TEST_CASE(removing_a_client_removes_what_names_it) {
  const Scenario without_b = explore::without_client(three_clients(), "b");
  BOOST_TEST(without_b.clients.size() == 2u);
  BOOST_TEST(count_steps<ConnectStep>(without_b) == 2u);
  BOOST_TEST(count_steps<SubscribeStep>(without_b) == 0u);
  // The partition of a and b keeps a; the heal of b alone goes (an empty
  // heal would heal every partition).
  BOOST_TEST(count_steps<PartitionStep>(without_b) == 1u);
  BOOST_TEST(count_steps<HealStep>(without_b) == 0u);
  for (const Step& step : without_b.steps) {
    if (const auto* p = std::get_if<PartitionStep>(&step.action)) {
      BOOST_TEST((p->clients == std::set<std::string>{"a"}));
    }
  }
}

BOOST_AUTO_TEST_CASE(simpler_forms_of_a_step) {
  const Scenario s = three_clients();
  // The publish: a burst of one, of half as many, no interval, a shorter payload.
  std::vector<std::uint32_t> counts;
  bool shorter_payload = false;
  for (const Scenario& c : explore::simpler_step(s, 8)) {
    const PublishStep& p = std::get<PublishStep>(c.steps[8].action);
    counts.push_back(p.count);
    if (p.payload.size() < 16) {
      shorter_payload = true;
      BOOST_TEST(p.payload.ends_with("{n}"));  // a burst's messages stay apart
    }
  }
  BOOST_TEST((counts.front() == 1u));
  BOOST_TEST((std::find(counts.begin(), counts.end(), 4u) != counts.end()));
  BOOST_TEST(shorter_payload);
  // The subscribe: one subscription fewer, either one.
  BOOST_TEST(explore::simpler_step(s, 3).size() == 2u);
  // Two waits in a row become one of the same length.
  const std::vector<Scenario> waits = explore::simpler_step(s, 5);
  BOOST_TEST_REQUIRE(!waits.empty());
  BOOST_TEST(waits.front().steps.size() == s.steps.size() - 1);
  BOOST_TEST((std::get<WaitStep>(waits.front().steps[5].action).duration == Duration::from_s(3)));
}

BOOST_AUTO_TEST_CASE(the_result_is_a_local_minimum_of_the_test) {
  // "Fails" while some publish by "a" with a burst of at least 2 remains.
  std::size_t played = 0;
  const explore::StillFails still_fails = [&](const Scenario& s) {
    ++played;
    const PublishStep* p = first_publish(s);
    return p && p->client == "a" && p->count >= 2 && s.find_client("a");
  };
  const explore::ShrinkResult r = explore::shrink(three_clients(), still_fails, 10'000);
  BOOST_TEST(r.tried == played);
  BOOST_TEST(!r.budget_ran_out);
  BOOST_TEST(r.scenario.steps.size() == 1u);
  BOOST_TEST(r.scenario.clients.size() == 1u);
  const PublishStep* p = first_publish(r.scenario);
  BOOST_TEST_REQUIRE(p != nullptr);
  BOOST_TEST(p->count == 2u);  // 8, then 4, then 2: 1 would pass
  BOOST_TEST(p->interval == Duration::zero());
  BOOST_TEST(p->payload.size() < std::string{"long payload {n}"}.size());
}

BOOST_AUTO_TEST_CASE(the_budget_bounds_the_candidates_played) {
  std::size_t played = 0;
  const explore::StillFails always = [&](const Scenario&) {
    ++played;
    return true;
  };
  const explore::ShrinkResult r = explore::shrink(three_clients(), always, 3);
  BOOST_TEST(played == 3u);
  BOOST_TEST(r.tried == 3u);
  BOOST_TEST(r.budget_ran_out);
}

BOOST_AUTO_TEST_CASE(findings_are_kept_by_check_and_statement) {
  runner::RunResult r;
  r.verdict.violations.push_back(
      {.check = "no-loss", .spec = {{ProtocolVersion::v3_1_1, "MQTT-4.5.0-1"}}});
  const auto key = explore::first_finding(r);
  BOOST_TEST_REQUIRE(key.has_value());
  BOOST_TEST(explore::to_string(*key) == "no-loss (MQTT-4.5.0-1 (3.1.1))");
  BOOST_TEST(explore::has_finding(r, *key));
  BOOST_TEST(!explore::has_finding(r, {.check = "ordering", .spec = key->spec}));
  BOOST_TEST(!explore::has_finding(r, {.check = "no-loss", .spec = "MQTT-4.5.0-1 (5.0)"}));
  BOOST_TEST(!explore::first_finding(runner::RunResult{}).has_value());
}

BOOST_AUTO_TEST_CASE(a_shrunk_seed_replays_from_its_text_to_the_same_trace) {
  // A broker that loses the first queued message: a finding to shrink.
  const explore::GeneratorOptions options{.protocol = explore::ProtocolMix::v3_1_1};
  const explore::BrokenBroker broken = testing::drop_first_queued;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const explore::ExploredSeed explored =
        explore::explore_seed(seed, options, "seed.yaml", broken());
    if (explored.result.passed()) continue;
    const explore::ShrunkSeed shrunk =
        explore::shrink_seed(explored, seed, "seed.shrunk.yaml", 500, broken);
    BOOST_TEST(explore::has_finding(shrunk.shrunk.result, shrunk.kept));
    BOOST_TEST(shrunk.after.steps < shrunk.before.steps);
    const Scenario replayed = load_scenario_text(shrunk.shrunk.yaml, "seed.shrunk.yaml");
    const runner::RunResult again = runner::run_scenario(replayed, {.seed = seed, .interceptor = broken()});
    BOOST_TEST(trace::hash(again.trace) == trace::hash(shrunk.shrunk.result.trace));
    return;
  }
  BOOST_FAIL("no seed in 1..20 failed against a broker that loses a queued message");
}

BOOST_AUTO_TEST_SUITE_END()
