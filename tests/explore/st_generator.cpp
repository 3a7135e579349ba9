// The workload generator: a seed means one scenario, the scenarios play
// against the correct reference broker without a finding, and they reach
// what the generator promises (persistent and clean clients of both
// versions, overlapping filters, faults, restarts, a liveness phase).
#include <boost/test/unit_test.hpp>
#include <set>

#include "explore/generator.hpp"
#include "runner/scenario_player.hpp"
#include "trace/trace.hpp"

using namespace mqttsim;

namespace {

std::string findings_of(const runner::RunResult& result) {
  std::string text;
  for (const auto& f : result.failures) text += "  " + f.step_kind + ": " + f.message + "\n";
  for (const auto& v : result.verdict.violations) text += "  " + v.check + ": " + v.message + "\n";
  if (result.aborted) text += "  aborted: " + result.abort_reason + "\n";
  return text;
}

template <class Step>
std::size_t count_steps(const scenario::Scenario& s) {
  std::size_t n = 0;
  for (const auto& step : s.steps) n += std::holds_alternative<Step>(step.action) ? 1 : 0;
  return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_generator)

BOOST_AUTO_TEST_CASE(a_seed_is_one_scenario) {
  const explore::GeneratorOptions options;
  BOOST_TEST((explore::generate(7, options) == explore::generate(7, options)));
  BOOST_TEST(!(explore::generate(7, options) == explore::generate(8, options)));
}

BOOST_AUTO_TEST_CASE(the_same_seed_plays_to_the_same_trace) {
  const scenario::Scenario s = explore::generate(11, {});
  const auto a = runner::run_scenario(s, {.seed = 11});
  const auto b = runner::run_scenario(s, {.seed = 11});
  BOOST_TEST(trace::hash(a.trace) == trace::hash(b.trace));
  BOOST_TEST(a.trace.size() > 100u);
}

BOOST_AUTO_TEST_CASE(the_knobs_bound_what_is_generated) {
  const explore::GeneratorOptions narrow{.clients_min = 3,
                                         .clients_max = 4,
                                         .protocol = explore::ProtocolMix::v5_0,
                                         .faults = explore::FaultLevel::none};
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const scenario::Scenario s = explore::generate(seed, narrow);
    std::size_t originals = 0;
    for (const auto& c : s.clients) {
      BOOST_TEST((c.protocol == ProtocolVersion::v5_0));
      originals += c.name.ends_with("-twin") ? 0 : 1;
    }
    BOOST_TEST(originals >= 3u);
    BOOST_TEST(originals <= 4u);
    BOOST_TEST(count_steps<scenario::FaultsStep>(s) == 0u);
    BOOST_TEST(count_steps<scenario::CrashStep>(s) == 0u);
    BOOST_TEST(count_steps<scenario::BrokerRestartStep>(s) == 0u);
  }
}

BOOST_AUTO_TEST_CASE(the_correct_broker_passes_every_generated_scenario) {
  // The reference broker keeps every promise, so a finding here is a bug in
  // the generator, the oracle or the broker, never an acceptable outcome.
  for (const explore::FaultLevel level :
       {explore::FaultLevel::none, explore::FaultLevel::light, explore::FaultLevel::heavy}) {
    for (std::uint64_t seed = 1; seed <= 15; ++seed) {
      const scenario::Scenario s = explore::generate(seed, {.faults = level});
      const auto result = runner::run_scenario(s, {.seed = seed});
      BOOST_TEST(result.passed(), "seed " << seed << " (" << explore::to_string(level) << "):\n"
                                          << findings_of(result));
    }
  }
}

BOOST_AUTO_TEST_CASE(over_many_seeds_every_feature_shows_up) {
  std::set<std::string> seen;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    const scenario::Scenario s = explore::generate(seed, {.faults = explore::FaultLevel::heavy});
    for (const auto& c : s.clients) {
      seen.insert(c.protocol == ProtocolVersion::v5_0 ? "5.0" : "3.1.1");
      if (c.name.ends_with("-twin")) seen.insert("twin");
      if (c.link.segment_bytes_min < 1460) seen.insert("segments");
      if (c.link.latency >= Duration::from_ms(100)) seen.insert("slow link");
    }
    if (s.broker.store == scenario::BrokerStore::durable) seen.insert("durable");
    for (const auto& step : s.steps) {
      seen.insert(std::string{scenario::step_kind(step.action)});
      if (const auto* c = std::get_if<scenario::ConnectStep>(&step.action)) {
        if (!c->clean_start) seen.insert("persistent");
        if (c->will && c->will->delay_s) seen.insert("will delay");
      }
      if (const auto* p = std::get_if<scenario::PublishStep>(&step.action)) {
        seen.insert("qos" + std::to_string(static_cast<int>(p->qos)));
        if (p->retain && p->payload.empty()) seen.insert("empty retained");
        if (p->properties.message_expiry_interval) seen.insert("message expiry");
        if (p->properties.topic_alias) seen.insert("topic alias");
        if (p->topic.starts_with("$")) seen.insert("$ topic");
      }
      if (const auto* sub = std::get_if<scenario::SubscribeStep>(&step.action)) {
        for (const auto& f : sub->subscriptions) {
          if (f.retain_handling == 2) seen.insert("retain handling 2");
          if (f.no_local) seen.insert("no local");
        }
        if (sub->subscription_identifier) seen.insert("subscription identifier");
      }
      // Faults are explicit steps; only the loss is a rate.
      if (const auto* f = std::get_if<scenario::FaultsStep>(&step.action)) {
        if (f->loss_ppm) seen.insert("loss");
        BOOST_TEST(f->resets_per_hour + f->half_opens_per_hour + f->partitions_per_hour == 0u);
      }
      if (const auto* h = std::get_if<scenario::HalfOpenStep>(&step.action)) {
        seen.insert(h->noticed_by == scenario::LinkEnd::broker ? "half-open, broker noticed"
                                                               : "half-open, client noticed");
      }
    }
  }
  for (const char* feature : {"3.1.1",          "5.0",
                              "twin",           "segments",
                              "slow link",      "durable",
                              "persistent",     "will delay",
                              "qos0",           "qos1",
                              "qos2",           "empty retained",
                              "message expiry", "topic alias",
                              "$ topic",        "retain handling 2",
                              "no local",       "subscription identifier",
                              "loss",           "drop",
                              "half_open",      "half-open, broker noticed",
                              "half-open, client noticed", "partition",
                              "crash",          "broker_restart",
                              "unsubscribe",    "disconnect",
                              "heal",           "faults"}) {
    BOOST_TEST(seen.count(feature) == 1u, feature);
  }
}

BOOST_AUTO_TEST_CASE(a_real_broker_at_a_time_scale_gets_only_what_it_can_honour) {
  // explore --broker --time-scale 20 without --restart-command.
  const explore::GeneratorOptions scaled{.faults = explore::FaultLevel::heavy,
                                         .short_intervals = false,
                                         .broker_restarts = false};
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    const scenario::Scenario s = explore::generate(seed, scaled);
    BOOST_TEST(count_steps<scenario::BrokerRestartStep>(s) == 0u);
    BOOST_TEST(count_steps<scenario::HalfOpenStep>(s) == 0u);
    for (const auto& step : s.steps) {
      if (const auto* c = std::get_if<scenario::ConnectStep>(&step.action)) {
        BOOST_TEST((!c->session_expiry_s || *c->session_expiry_s >= 3600u));
        BOOST_TEST((!c->will || !c->will->delay_s));
      }
      if (const auto* p = std::get_if<scenario::PublishStep>(&step.action)) {
        BOOST_TEST(!p->properties.message_expiry_interval);
      }
    }
    // The draws are made either way: the same clients, subscribed the same.
    const scenario::Scenario full = explore::generate(seed, {.faults = explore::FaultLevel::heavy});
    BOOST_TEST((s.clients == full.clients));
    const auto subscribes = [](const scenario::Scenario& of) {
      std::vector<scenario::SubscribeStep> out;
      for (const auto& step : of.steps) {
        if (const auto* sub = std::get_if<scenario::SubscribeStep>(&step.action)) out.push_back(*sub);
      }
      return out;
    };
    const auto ours = subscribes(s), theirs = subscribes(full);
    BOOST_TEST_REQUIRE(!ours.empty());
    BOOST_TEST((ours.front() == theirs.front()));
  }
}

BOOST_AUTO_TEST_CASE(a_topic_root_puts_every_topic_and_filter_under_it) {
  const auto under_root = [](const std::string& name) {
    return name.starts_with("s5/") || name.starts_with("$s/s5/");
  };
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const explore::GeneratorOptions rooted{.faults = explore::FaultLevel::heavy, .topic_root = "s5/"};
    const scenario::Scenario s = explore::generate(seed, rooted);
    for (const auto& step : s.steps) {
      if (const auto* p = std::get_if<scenario::PublishStep>(&step.action)) {
        BOOST_TEST(under_root(p->topic), p->topic);
      }
      if (const auto* sub = std::get_if<scenario::SubscribeStep>(&step.action)) {
        for (const auto& f : sub->subscriptions) BOOST_TEST(under_root(f.topic_filter), f.topic_filter);
      }
      if (const auto* c = std::get_if<scenario::ConnectStep>(&step.action); c && c->will) {
        BOOST_TEST(under_root(c->will->topic), c->will->topic);
      }
    }
    // The same scenario otherwise, and the reference broker passes it.
    BOOST_TEST(s.steps.size() == explore::generate(seed, {.faults = explore::FaultLevel::heavy}).steps.size());
    BOOST_TEST(runner::run_scenario(s, {.seed = seed}).passed(), "seed " << seed);
  }
}

BOOST_AUTO_TEST_SUITE_END()
