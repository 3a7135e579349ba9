// The duplicates checker catches a broker that sends each message twice as
// two new messages, and one that delivers a message nobody published, on
// library scenarios, and names the statements broken; the correct broker
// passes.
#include <boost/test/unit_test.hpp>

#include "flow_breaks.hpp"

using namespace mqttsim;
using namespace mqttsim::testing;

namespace {

const std::string queued_while_offline = "sessions/persistent-session-queues-qos1.yaml";

}  // namespace

BOOST_AUTO_TEST_SUITE(st_duplicates)

BOOST_AUTO_TEST_CASE(the_reference_broker_is_not_reported) {
  const auto result = play_library(queued_while_offline, nullptr);
  BOOST_TEST(violations_of(result, "duplicates").empty());
  BOOST_TEST(result.verdict.judged.count({ProtocolVersion::v3_1_1, "MQTT-2.3.1-4"}) == 1u);
}

BOOST_AUTO_TEST_CASE(retained_copies_and_resends_are_not_duplicates) {
  // A retained message re-sent to a new subscription (RETAIN=1) and QoS 1
  // resends after random resets.
  BOOST_TEST(violations_of(play_library("retained/retained-not-part-of-session.yaml", nullptr),
                           "duplicates")
                 .empty());
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const auto result = play_library("faults/lossy-link-qos1-at-least-once.yaml", nullptr, seed);
    BOOST_TEST(violations_of(result, "duplicates").empty(), "seed " << seed);
  }
}

BOOST_AUTO_TEST_CASE(a_qos1_message_sent_twice_as_new_is_caught) {
  const auto result =
      play_library(queued_while_offline, send_each_twice(codec::QoS::at_least_once));
  const auto found = violations_of(result, "duplicates");
  BOOST_TEST_REQUIRE(found.size() == 10u);
  BOOST_TEST(cites(found[0], {ProtocolVersion::v3_1_1, "MQTT-2.3.1-4"}));
  BOOST_TEST(found[0].message.find("message \"sensors/kitchen/temperature\" \"reading 1\"") == 0u,
             found[0].message);
  BOOST_TEST(found[0].message.find("(QoS 1) reached client \"dashboard\" 2 times") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_phantom_message_is_caught) {
  const auto result =
      play_library(queued_while_offline, rewrite_publishes([](codec::Publish& p) {
                     if (p.payload == codec::Bytes{'r', 'e', 'a', 'd', 'i', 'n', 'g', ' ', '7'}) {
                       p.payload = {'g', 'h', 'o', 's', 't'};
                     }
                   }));
  const auto found = violations_of(result, "duplicates");
  BOOST_TEST_REQUIRE(found.size() == 1u);
  BOOST_TEST(cites(found[0], {ProtocolVersion::v3_1_1, "MQTT-4.5.0-1"}));
  BOOST_TEST(found[0].message.find("\"ghost\"") != std::string::npos, found[0].message);
  BOOST_TEST(found[0].message.find("which no client published") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_qos2_message_delivered_twice_is_caught) {
  const auto result = play_library("sessions/persistent-session-queues-qos2-in-order.yaml",
                                   qos2_again_after_pubrel());
  const auto found = violations_of(result, "duplicates");
  BOOST_TEST_REQUIRE(!found.empty());
  BOOST_TEST(cites(found[0], {ProtocolVersion::v3_1_1, "MQTT-4.3.3-1"}));
  BOOST_TEST(
      found[0].message.find("(QoS 2) reached client \"ledger\" 2 times") != std::string::npos,
      found[0].message);
  // 5.0 names the rule that forbids the PUBLISH after PUBREL.
  const auto v5 =
      violations_of(play_library("qos/qos2-exactly-once-subscriber-drop-mid-flow-5.0.yaml",
                                 qos2_again_after_pubrel()),
                    "duplicates");
  BOOST_TEST_REQUIRE(!v5.empty());
  BOOST_TEST(cites(v5[0], {ProtocolVersion::v5_0, "MQTT-4.3.3-6"}));
}

BOOST_AUTO_TEST_CASE(the_old_session_after_a_clean_session_is_caught) {
  // The broker keeps app's session although app connects with Clean
  // Session 1, answers Session Present 0, and sends the old queue.
  const auto result = play_library("sessions/clean-session-discards-subscription-and-queue.yaml",
                                   std::make_shared<CleanSessionIgnored>("app"));
  const auto found = violations_of(result, "duplicates");
  BOOST_TEST_REQUIRE(!found.empty());
  BOOST_TEST(cites(found[0], {ProtocolVersion::v3_1_1, "MQTT-3.1.2-6"}));
  BOOST_TEST(
      found[0].message.find("belonged to a session that had been discarded") != std::string::npos,
      found[0].message);
}

BOOST_AUTO_TEST_SUITE_END()
