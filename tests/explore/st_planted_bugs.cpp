// Explore must find the planted bugs: each deliberately broken broker of the
// oracle's tests, given only generated scenarios (no library scenario, no
// hand-written expectation), is caught within a stated number of seeds, by
// the intended check citing the intended statement. The scenarios are 3.1.1
// only, so that each break has one id to cite.
#include <boost/test/unit_test.hpp>

#include "explore/generator.hpp"
#include "oracle/flow_breaks.hpp"
#include "oracle/state_breaks.hpp"

using namespace mqttsim;
using namespace mqttsim::testing;

namespace {

// The seeds each break gets; the ones below are found well within it (the
// first finding's seed is in the test's message when it fails).
constexpr std::uint64_t seeds_max = 30;

struct Caught {
  std::optional<std::uint64_t> seed;
  std::string message;
};

// The first seed (1, 2, ...) whose run against `broken` has a violation of
// `check` citing `spec`.
Caught explore_for(const std::function<std::shared_ptr<runner::PacketInterceptor>()>& broken,
                   std::string_view check, SpecRef spec,
                   explore::GeneratorOptions options = {.protocol = explore::ProtocolMix::v3_1_1}) {
  for (std::uint64_t seed = 1; seed <= seeds_max; ++seed) {
    const scenario::Scenario s = explore::generate(seed, options);
    const auto result = runner::run_scenario(
        s, {.seed = seed, .interceptor = broken(), .stop_at_first_failure = false});
    for (const oracle::Violation& v : result.verdict.violations) {
      if (v.check == check && cites(v, spec)) return {.seed = seed, .message = v.message};
    }
  }
  return {};
}

// What the test log shows of a catch.
void report(std::string_view what, const Caught& c) {
  BOOST_TEST_MESSAGE(std::string{what} + ": "
                     << (c.seed ? "seed " + std::to_string(*c.seed) + ": " + c.message
                                : "not found in " + std::to_string(seeds_max) + " seeds"));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_planted_bugs)

BOOST_AUTO_TEST_CASE(a_lost_queued_message) {
  const Caught c =
      explore_for(drop_first_queued, "no-loss", {ProtocolVersion::v3_1_1, "MQTT-4.5.0-1"});
  report(boost::unit_test::framework::current_test_case().p_name.get(), c);
  BOOST_TEST(c.seed.has_value());
}

BOOST_AUTO_TEST_CASE(swapped_queue_order) {
  const Caught c =
      explore_for(swap_first_two_queued, "ordering", {ProtocolVersion::v3_1_1, "MQTT-4.6.0-6"});
  report(boost::unit_test::framework::current_test_case().p_name.get(), c);
  BOOST_TEST(c.seed.has_value());
}

BOOST_AUTO_TEST_CASE(dup_cleared_on_resends) {
  const Caught c =
      explore_for([] { return rewrite_publishes([](codec::Publish& p) { p.dup = false; }); },
                  "dup-flag", {ProtocolVersion::v3_1_1, "MQTT-3.3.1-1"});
  report(boost::unit_test::framework::current_test_case().p_name.get(), c);
  BOOST_TEST(c.seed.has_value());
}

BOOST_AUTO_TEST_CASE(a_stale_retained_message) {
  const Caught c =
      explore_for(stale_retained, "retained", {ProtocolVersion::v3_1_1, "MQTT-3.3.1-6"});
  report(boost::unit_test::framework::current_test_case().p_name.get(), c);
  BOOST_TEST(c.seed.has_value());
}

BOOST_AUTO_TEST_CASE(a_qos_upgrade) {
  const Caught c = explore_for(
      [] {
        return rewrite_publishes([](codec::Publish& p) {
          if (p.qos == codec::QoS::at_least_once) p.qos = codec::QoS::exactly_once;
        });
      },
      "qos", {ProtocolVersion::v3_1_1, "MQTT-3.8.4-6"});
  report(boost::unit_test::framework::current_test_case().p_name.get(), c);
  BOOST_TEST(c.seed.has_value());
}

BOOST_AUTO_TEST_CASE(session_present_always_0) {
  const Caught c = explore_for([] { return session_present_always(false); }, "session-present",
                               {ProtocolVersion::v3_1_1, "MQTT-3.2.2-2"});
  report(boost::unit_test::framework::current_test_case().p_name.get(), c);
  BOOST_TEST(c.seed.has_value());
}

BOOST_AUTO_TEST_SUITE_END()
