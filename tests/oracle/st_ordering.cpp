// The ordering checker catches a broker that swaps the first two queued
// messages of a resumed session, on a library scenario, and names the
// statement broken; the correct broker passes.
#include <boost/test/unit_test.hpp>

#include "flow_breaks.hpp"

using namespace mqttsim;
using namespace mqttsim::testing;

namespace {

const std::string queued_while_offline = "sessions/persistent-session-queues-qos1.yaml";
const SpecRef ordered_v311{ProtocolVersion::v3_1_1, "MQTT-4.6.0-6"};

}  // namespace

BOOST_AUTO_TEST_SUITE(st_ordering)

BOOST_AUTO_TEST_CASE(the_reference_broker_is_not_reported) {
  const auto result = play_library(queued_while_offline, nullptr);
  BOOST_TEST(violations_of(result, "ordering").empty());
  BOOST_TEST(result.verdict.judged.count({ProtocolVersion::v3_1_1, "MQTT-4.6.0-6"}) == 1u);
}

BOOST_AUTO_TEST_CASE(resends_after_reconnects_are_not_reorderings) {
  // Random resets: unacknowledged messages come again (DUP=1) after each
  // reconnect, before newer ones; only final copies must be in order.
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const auto result = play_library("faults/lossy-link-qos1-at-least-once.yaml", nullptr, seed);
    BOOST_TEST(violations_of(result, "ordering").empty(), "seed " << seed);
  }
  // m1..m3 go into a dead link, come again with DUP=1 after the takeover,
  // then m4.
  const auto resent = play_library("qos/dup-set-on-resend-after-takeover-qos1.yaml", nullptr);
  BOOST_TEST(violations_of(resent, "ordering").empty());
  BOOST_TEST(resent.verdict.judged.count({ProtocolVersion::v3_1_1, "MQTT-4.6.0-6"}) == 1u);
}

BOOST_AUTO_TEST_CASE(swapped_queued_messages_are_caught) {
  const auto result = play_library(queued_while_offline, swap_first_two_queued());
  const auto found = violations_of(result, "ordering");
  BOOST_TEST_REQUIRE(found.size() == 1u);
  BOOST_TEST(cites(found[0], ordered_v311));
  BOOST_TEST(found[0].message.find("client \"dashboard\" got the final copy of message "
                                   "\"sensors/kitchen/temperature\" \"reading 1\"") == 0u,
             found[0].message);
  BOOST_TEST(found[0].message.find("\"reading 2\"") != std::string::npos);
  BOOST_TEST(violations_of(result, "duplicates").empty());
}

BOOST_AUTO_TEST_SUITE_END()
