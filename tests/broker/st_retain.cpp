// Retained messages (3.1.1 §3.3.1.3; 5.0 §3.3.1.3 and Retain Handling,
// Retain As Published §3.8.3.1).

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "harness.hpp"

using namespace mqttsim::testing;
namespace data = boost::unit_test::data;

BOOST_AUTO_TEST_SUITE(st_retain)

BOOST_DATA_TEST_CASE(new_subscription_gets_the_newest_retained_message_with_retain_1,
                     data::make(both_versions), version) {
  BrokerHarness h;
  h.connect("pub", h.connect_packet(version, "pub", true));
  h.publish("pub", "t/a", "old", QoS::at_least_once, true);
  h.publish("pub", "t/a", "new", QoS::at_least_once, true);
  h.publish("pub", "t/b", "other", QoS::at_most_once, true);

  h.connect("sub", h.connect_packet(version, "sub", true));
  h.subscribe("sub", "t/+", QoS::at_least_once);
  const auto received = h.receive_and_ack("sub");
  BOOST_REQUIRE_EQUAL(received.size(), 2u);
  BOOST_TEST(text_of(received[0].payload) == "new");
  BOOST_TEST(received[0].retain);
  BOOST_TEST(received[0].qos == QoS::at_least_once);
  BOOST_TEST(text_of(received[1].payload) == "other");
  BOOST_TEST(received[1].qos == QoS::at_most_once);  // min(retained QoS 0, granted 1)
}

BOOST_DATA_TEST_CASE(forward_to_an_established_subscription_has_retain_0, data::make(both_versions),
                     version) {
  BrokerHarness h;
  h.connect("sub", h.connect_packet(version, "sub", true));
  h.subscribe("sub", "t/a", QoS::at_least_once);
  h.connect("pub", h.connect_packet(version, "pub", true));
  h.publish("pub", "t/a", "live", QoS::at_least_once, true);
  const auto received = h.receive_and_ack("sub");
  BOOST_REQUIRE_EQUAL(received.size(), 1u);
  BOOST_TEST(!received[0].retain);
}

BOOST_DATA_TEST_CASE(empty_payload_clears_and_is_never_stored, data::make(both_versions), version) {
  BrokerHarness h;
  h.connect("pub", h.connect_packet(version, "pub", true));
  h.publish("pub", "t/a", "kept", QoS::at_least_once, true);
  h.publish("pub", "t/a", "", QoS::at_least_once, true);
  BOOST_TEST(h.broker().retained().size() == 0u);
  h.connect("sub", h.connect_packet(version, "sub", true));
  h.subscribe("sub", "t/a", QoS::at_least_once);
  BOOST_TEST(h.take_publishes("sub").empty());
}

BOOST_DATA_TEST_CASE(retain_0_publish_leaves_the_retained_message_alone, data::make(both_versions),
                     version) {
  BrokerHarness h;
  h.connect("pub", h.connect_packet(version, "pub", true));
  h.publish("pub", "t/a", "retained", QoS::at_least_once, true);
  h.publish("pub", "t/a", "plain", QoS::at_least_once, false);
  h.connect("sub", h.connect_packet(version, "sub", true));
  h.subscribe("sub", "t/a", QoS::at_least_once);
  const auto received = h.receive_and_ack("sub");
  BOOST_REQUIRE_EQUAL(received.size(), 1u);
  BOOST_TEST(text_of(received[0].payload) == "retained");
}

BOOST_DATA_TEST_CASE(retained_messages_outlive_sessions, data::make(both_versions), version) {
  BrokerHarness h;
  h.connect("pub", h.connect_packet(version, "pub", true));
  h.publish("pub", "t/a", "stays", QoS::at_least_once, true);
  h.send("pub", Disconnect{});  // the publisher's session ends
  h.connect("sub", h.connect_packet(version, "sub", true));
  h.subscribe("sub", "t/a", QoS::at_least_once);
  BOOST_TEST(h.receive_and_ack("sub").size() == 1u);
}

BOOST_AUTO_TEST_CASE(v311_resubscribe_sends_retained_again) {
  BrokerHarness h;
  const auto v = ProtocolVersion::v3_1_1;
  h.connect("pub", h.connect_packet(v, "pub", true));
  h.publish("pub", "t/a", "r", QoS::at_least_once, true);
  h.connect("sub", h.connect_packet(v, "sub", true));
  h.subscribe("sub", "t/a", QoS::at_least_once);
  BOOST_TEST(h.receive_and_ack("sub").size() == 1u);
  h.subscribe("sub", "t/a", QoS::at_least_once);
  const auto again = h.receive_and_ack("sub");
  BOOST_REQUIRE_EQUAL(again.size(), 1u);
  BOOST_TEST(again[0].retain);
  BOOST_TEST(h.exercised("MQTT-3.8.4-3", v));
}

BOOST_AUTO_TEST_CASE(v5_retain_handling) {
  const auto v = ProtocolVersion::v5_0;
  BrokerHarness h;
  h.connect("pub", h.connect_packet(v, "pub", true));
  h.publish("pub", "t/a", "r", QoS::at_least_once, true);
  h.connect("sub", h.connect_packet(v, "sub", true));

  // 2: never on subscribe (MQTT-3.3.1-11).
  h.subscribe("sub", "t/a", QoS::at_least_once, 2);
  BOOST_TEST(h.receive_and_ack("sub").empty());
  // 1: only if the subscription is new; it exists, so nothing (MQTT-3.3.1-10).
  h.subscribe("sub", "t/a", QoS::at_least_once, 1);
  BOOST_TEST(h.receive_and_ack("sub").empty());
  // 0: always, even for a replaced subscription (MQTT-3.3.1-9, MQTT-3.8.4-4).
  h.subscribe("sub", "t/a", QoS::at_least_once, 0);
  BOOST_TEST(h.receive_and_ack("sub").size() == 1u);
  // 1 on a new filter: sent.
  h.subscribe("sub", "t/+", QoS::at_least_once, 1);
  BOOST_TEST(h.receive_and_ack("sub").size() == 1u);
}

BOOST_AUTO_TEST_CASE(v5_retain_as_published) {
  const auto v = ProtocolVersion::v5_0;
  BrokerHarness h;
  h.connect("sub", h.connect_packet(v, "sub", true));
  h.subscribe("sub", "keep/#", QoS::at_least_once, 0, /*retain_as_published=*/true);
  h.subscribe("sub", "clear/#", QoS::at_least_once, 0, /*retain_as_published=*/false);
  h.connect("pub", h.connect_packet(v, "pub", true));
  h.publish("pub", "keep/a", "k", QoS::at_least_once, true);
  h.publish("pub", "clear/a", "c", QoS::at_least_once, true);
  const auto received = h.receive_and_ack("sub");
  BOOST_REQUIRE_EQUAL(received.size(), 2u);
  BOOST_TEST(received[0].retain);   // MQTT-3.3.1-13
  BOOST_TEST(!received[1].retain);  // MQTT-3.3.1-12
}

BOOST_AUTO_TEST_SUITE_END()
