// 5.0 Session Expiry Interval (§3.1.2.11.2, DISCONNECT override §3.14.2.2.2)
// and Message Expiry Interval (§3.3.2.3.3).

#include <boost/test/unit_test.hpp>

#include "harness.hpp"

using namespace mqttsim::testing;
using mqttsim::Duration;

namespace {
constexpr auto v5 = ProtocolVersion::v5_0;

Connect with_expiry(std::string id, std::uint32_t expiry_s) {
  Connect connect = BrokerHarness::connect_packet(v5, std::move(id), false);
  connect.properties.session_expiry_interval = expiry_s;
  return connect;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(st_expiry)

BOOST_AUTO_TEST_CASE(expiry_zero_ends_the_session_with_the_connection) {
  BrokerHarness h;
  h.connect("c", with_expiry("c", 0));
  h.subscribe("c", "t/a", QoS::at_least_once);
  h.drop("c");
  BOOST_TEST(!h.broker().sessions().contains("c"));
  BOOST_TEST(!h.connect("c", with_expiry("c", 0))->session_present);
}

BOOST_AUTO_TEST_CASE(session_lives_until_its_expiry_interval_passes) {
  BrokerHarness h;
  h.connect("c", with_expiry("c", 10));
  h.subscribe("c", "t/a", QoS::at_least_once);
  h.drop("c");
  h.advance(Duration::from_s(9));
  BOOST_TEST(h.connect("c", with_expiry("c", 10))->session_present);
  h.drop("c");
  h.advance(Duration::from_s(10));
  BOOST_TEST(!h.broker().sessions().contains("c"));
  BOOST_TEST(!h.connect("c", with_expiry("c", 10))->session_present);
  BOOST_TEST(h.exercised("MQTT-4.1.0-2", v5));
}

BOOST_AUTO_TEST_CASE(disconnect_can_change_the_expiry) {
  BrokerHarness h;
  h.connect("c", with_expiry("c", 3600));
  Disconnect disconnect;
  disconnect.properties.session_expiry_interval = 0;
  h.send("c", disconnect);
  BOOST_TEST(!h.broker().sessions().contains("c"));

  // ... but not from 0 to something else: a protocol error.
  h.connect("d", with_expiry("d", 0));
  disconnect.properties.session_expiry_interval = 60;
  h.send("d", disconnect);
  const auto packets = h.take("d");
  BOOST_REQUIRE_EQUAL(packets.size(), 1u);
  BOOST_TEST(static_cast<int>(std::get<Disconnect>(packets[0]).reason_code) == 0x82);
}

BOOST_AUTO_TEST_CASE(expired_messages_are_not_delivered_and_the_rest_carry_the_time_left) {
  BrokerHarness h;
  h.connect("sub", with_expiry("sub", 3600));
  h.subscribe("sub", "t/#", QoS::at_least_once);
  h.drop("sub");
  h.connect("pub", h.connect_packet(v5, "pub", true));
  Publish short_lived{.dup = false,
                      .qos = QoS::at_least_once,
                      .retain = false,
                      .topic = "t/a",
                      .packet_id = 1,
                      .properties = {},
                      .payload = bytes_of("short")};
  short_lived.properties.message_expiry_interval = 5;
  Publish long_lived = short_lived;
  long_lived.packet_id = 2;
  long_lived.payload = bytes_of("long");
  long_lived.properties.message_expiry_interval = 100;
  h.send("pub", short_lived);
  h.send("pub", long_lived);
  h.advance(Duration::from_s(30));

  h.connect("sub", with_expiry("sub", 3600));
  const auto received = h.receive_and_ack("sub");
  BOOST_REQUIRE_EQUAL(received.size(), 1u);
  BOOST_TEST(text_of(received[0].payload) == "long");
  BOOST_REQUIRE(received[0].properties.message_expiry_interval);
  BOOST_TEST(*received[0].properties.message_expiry_interval == 70u);  // MQTT-3.3.2-6
  BOOST_TEST(h.count_notes(mqttsim::broker::NoteKind::message_expired) == 1u);
}

BOOST_AUTO_TEST_CASE(a_message_expired_before_its_pubrel_goes_to_no_subscriber) {
  // Found by mqttsim explore: under qos2_forwarding on_pubrel a QoS 2
  // message is routed at the publisher's PUBREL; if its Message Expiry
  // Interval ran out before that, no onward delivery had started, so every
  // copy goes (5.0 MQTT-3.3.2-5), the QoS 0 copies sent at once included.
  Profile profile;
  profile.qos2_forwarding = mqttsim::Qos2Forwarding::on_pubrel;
  BrokerHarness h{profile};
  h.connect("sub5", h.connect_packet(v5, "sub5", true));
  h.subscribe("sub5", "t/#", QoS::at_most_once);
  h.connect("sub3", h.connect_packet(ProtocolVersion::v3_1_1, "sub3", true));
  h.subscribe("sub3", "t/#", QoS::at_most_once);
  h.connect("pub", h.connect_packet(v5, "pub", true));
  Publish message{.dup = false,
                  .qos = QoS::exactly_once,
                  .retain = false,
                  .topic = "t/a",
                  .packet_id = 1,
                  .properties = {},
                  .payload = bytes_of("late")};
  message.properties.message_expiry_interval = 2;
  h.send("pub", message);
  h.advance(Duration::from_s(3));
  h.send("pub", Pubrel{.packet_id = 1});
  BOOST_TEST(h.take_publishes("sub5").empty());
  BOOST_TEST(h.take_publishes("sub3").empty());
  BOOST_TEST(h.count_notes(mqttsim::broker::NoteKind::message_expired) == 2u);
}

BOOST_AUTO_TEST_CASE(topic_alias_maps_per_connection) {
  BrokerHarness h;
  h.connect("sub", h.connect_packet(v5, "sub", true));
  h.subscribe("sub", "t/long/topic", QoS::at_most_once);
  h.connect("pub", h.connect_packet(v5, "pub", true));
  Publish first{.dup = false,
                .qos = QoS::at_most_once,
                .retain = false,
                .topic = "t/long/topic",
                .packet_id = 0,
                .properties = {},
                .payload = bytes_of("1")};
  first.properties.topic_alias = 3;
  Publish second = first;
  second.topic.clear();
  second.payload = bytes_of("2");
  h.send("pub", first);
  h.send("pub", second);
  const auto received = h.take_publishes("sub");
  BOOST_REQUIRE_EQUAL(received.size(), 2u);
  BOOST_TEST(received[1].topic == "t/long/topic");
  BOOST_TEST(!received[1].properties.topic_alias);

  // Unknown alias on a new connection: the mapping did not survive.
  h.connect("pub2", h.connect_packet(v5, "pub2", true));
  h.send("pub2", second);
  BOOST_TEST(!h.open("pub2"));
}

BOOST_AUTO_TEST_SUITE_END()
