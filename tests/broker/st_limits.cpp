// Limits: the in-flight window (profile max_inflight; 5.0 Receive Maximum),
// maximum packet size in both directions, and the session limit.

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "harness.hpp"

using namespace mqttsim::testing;
namespace data = boost::unit_test::data;

BOOST_AUTO_TEST_SUITE(st_limits)

BOOST_DATA_TEST_CASE(in_flight_window_holds_back_publishes_in_order, data::make(both_versions),
                     version) {
  mqttsim::Profile profile;
  profile.max_inflight = 2;
  BrokerHarness h{profile};
  h.connect("sub", h.connect_packet(version, "sub", true));
  h.subscribe("sub", "t/a", QoS::at_least_once);
  h.connect("pub", h.connect_packet(version, "pub", true));
  for (int i = 1; i <= 5; ++i) h.publish("pub", "t/a", std::to_string(i), QoS::at_least_once);

  std::vector<std::string> order;
  for (int round = 0; round < 10; ++round) {
    const auto batch = h.take_publishes("sub");
    if (batch.empty()) break;
    BOOST_TEST(batch.size() <= 2u);
    for (const Publish& p : batch) {
      order.push_back(text_of(p.payload));
      h.send("sub", Puback{.packet_id = p.packet_id});
    }
  }
  const std::vector<std::string> expected{"1", "2", "3", "4", "5"};
  BOOST_TEST(order == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(v5_receive_maximum_limits_the_window) {
  BrokerHarness h;
  Connect connect = h.connect_packet(ProtocolVersion::v5_0, "sub", true);
  connect.properties.receive_maximum = 1;
  h.connect("sub", connect);
  h.subscribe("sub", "t/a", QoS::at_least_once);
  h.connect("pub", h.connect_packet(ProtocolVersion::v5_0, "pub", true));
  h.publish("pub", "t/a", "1", QoS::at_least_once);
  h.publish("pub", "t/a", "2", QoS::at_least_once);
  h.publish("pub", "t/a", "q0", QoS::at_most_once);  // QoS 0 is not held back
  const auto batch = h.take_publishes("sub");
  BOOST_REQUIRE_EQUAL(batch.size(), 2u);
  BOOST_TEST(text_of(batch[0].payload) == "1");
  BOOST_TEST(text_of(batch[1].payload) == "q0");
  h.send("sub", Puback{.packet_id = batch[0].packet_id});
  const auto next = h.take_publishes("sub");
  BOOST_REQUIRE_EQUAL(next.size(), 1u);
  BOOST_TEST(text_of(next[0].payload) == "2");
  BOOST_TEST(h.exercised("MQTT-3.3.4-9", ProtocolVersion::v5_0));
}

BOOST_DATA_TEST_CASE(oversized_inbound_packet_closes_the_connection, data::make(both_versions),
                     version) {
  mqttsim::Profile profile;
  profile.max_packet_size = 64;
  BrokerHarness h{profile};
  const auto connack = h.connect("c", h.connect_packet(version, "c", true));
  if (version == ProtocolVersion::v5_0) {
    BOOST_TEST(connack->properties.maximum_packet_size.value_or(0) == 64u);
  }
  h.publish("c", "t/a", std::string(100, 'x'), QoS::at_most_once);
  BOOST_TEST(!h.open("c"));
  if (version == ProtocolVersion::v5_0) {
    const auto packets = h.take("c");
    BOOST_REQUIRE_EQUAL(packets.size(), 1u);
    BOOST_TEST(static_cast<int>(std::get<Disconnect>(packets[0]).reason_code) == 0x95);
  }
}

BOOST_AUTO_TEST_CASE(v5_packet_too_large_for_the_client_is_dropped_as_delivered) {
  BrokerHarness h;
  Connect connect = h.connect_packet(ProtocolVersion::v5_0, "sub", true);
  connect.properties.maximum_packet_size = 40;
  h.connect("sub", connect);
  h.subscribe("sub", "t/a", QoS::at_least_once);
  h.connect("pub", h.connect_packet(ProtocolVersion::v5_0, "pub", true));
  h.publish("pub", "t/a", std::string(60, 'x'), QoS::at_least_once);
  h.publish("pub", "t/a", "small", QoS::at_least_once);
  const auto received = h.receive_and_ack("sub");
  BOOST_REQUIRE_EQUAL(received.size(), 1u);
  BOOST_TEST(text_of(received[0].payload) == "small");
  BOOST_TEST(h.broker().sessions().at("sub").inflight.empty());
  BOOST_TEST(h.exercised("MQTT-3.1.2-25", ProtocolVersion::v5_0));
}

BOOST_DATA_TEST_CASE(session_limit_refuses_new_client_ids, data::make(both_versions), version) {
  mqttsim::Profile profile;
  profile.max_sessions = 2;
  BrokerHarness h{profile};
  BOOST_TEST(h.connect("a", h.connect_packet(version, "a", false))->code == 0u);
  BOOST_TEST(h.connect("b", h.connect_packet(version, "b", false))->code == 0u);
  const std::uint8_t refused = version == ProtocolVersion::v5_0 ? 0x97 : 0x03;
  BOOST_TEST(h.connect("c", h.connect_packet(version, "c", false))->code == refused);
  // An existing session may still reconnect.
  h.drop("a");
  BOOST_TEST(h.connect("a", h.connect_packet(version, "a", false))->code == 0u);
}

BOOST_AUTO_TEST_CASE(packet_ids_wrap_around_an_id_still_in_flight) {
  // One message stays unacknowledged while 65,535 more go through: when
  // the ids come round again the broker skips the one in flight (3.1.1
  // MQTT-2.3.1-2, 5.0 MQTT-2.2.1-3), and reuses every id freed by PUBACK.
  BrokerHarness h;
  h.connect("sub", h.connect_packet(ProtocolVersion::v3_1_1, "sub", false));
  h.subscribe("sub", "t/a", QoS::at_least_once);
  h.connect("pub", h.connect_packet(ProtocolVersion::v3_1_1, "pub", true));
  const auto publish = [&](const std::string& payload) {
    // Packet id 1 again each time: the broker's PUBACK freed it.
    h.send("pub", Publish{.qos = QoS::at_least_once,
                          .topic = "t/a",
                          .packet_id = 1,
                          .payload = bytes_of(payload)});
    h.take("pub");
  };
  publish("stuck");
  const auto first = h.take_publishes("sub");
  BOOST_TEST_REQUIRE(first.size() == 1u);
  const std::uint16_t stuck = first[0].packet_id;
  std::size_t delivered = 0;
  std::size_t reused_stuck = 0;
  std::optional<std::uint16_t> after_wrap;
  std::uint16_t previous = stuck;
  for (int n = 0; n < 65535; ++n) {
    publish("m" + std::to_string(n));
    for (const Publish& p : h.take_publishes("sub")) {
      ++delivered;
      if (p.packet_id == stuck) ++reused_stuck;
      if (p.packet_id < previous && !after_wrap) after_wrap = p.packet_id;
      previous = p.packet_id;
      h.send("sub", Puback{.packet_id = p.packet_id});
    }
  }
  BOOST_TEST(delivered == 65535u);
  BOOST_TEST(reused_stuck == 0u);
  BOOST_TEST_REQUIRE(after_wrap.has_value());
  BOOST_TEST(*after_wrap == static_cast<std::uint16_t>(stuck + 1));
}

BOOST_AUTO_TEST_SUITE_END()
