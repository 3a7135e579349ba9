// QoS 2 in both directions: exactly once inbound (forward on PUBLISH or on
// PUBREL), PUBREC/PUBREL/PUBCOMP outbound, and what is resent on reconnect
// (3.1.1 §4.3.3, MQTT-4.4.0-1; 5.0 §4.3.3).

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "harness.hpp"

using namespace mqttsim::testing;
namespace data = boost::unit_test::data;

namespace {

Publish qos2(std::uint16_t packet_id, std::string payload, bool dup = false) {
  return Publish{.dup = dup,
                 .qos = QoS::exactly_once,
                 .retain = false,
                 .topic = "t/a",
                 .packet_id = packet_id,
                 .properties = {},
                 .payload = bytes_of(payload)};
}

const std::vector<mqttsim::Qos2Forwarding> both_forwardings{mqttsim::Qos2Forwarding::on_publish,
                                                            mqttsim::Qos2Forwarding::on_pubrel};

}  // namespace

namespace mqttsim {
inline std::ostream& operator<<(std::ostream& out, Qos2Forwarding f) { return out << to_string(f); }
}  // namespace mqttsim

BOOST_AUTO_TEST_SUITE(st_qos2)

BOOST_DATA_TEST_CASE(a_repeated_publish_is_delivered_once,
                     data::make(both_versions) * data::make(both_forwardings), version,
                     forwarding) {
  mqttsim::Profile profile;
  profile.qos2_forwarding = forwarding;
  BrokerHarness h{profile};
  h.connect("sub", h.connect_packet(version, "sub", true));
  h.subscribe("sub", "t/a", QoS::exactly_once);
  h.connect("pub", h.connect_packet(version, "pub", false));

  h.send("pub", qos2(9, "once"));
  h.send("pub", qos2(9, "once", /*dup=*/true));  // the publisher did not see PUBREC
  // Then the publisher loses its connection and resends again on reconnect.
  h.drop("pub");
  h.connect("pub", h.connect_packet(version, "pub", false));
  h.send("pub", qos2(9, "once", true));
  h.send("pub", Pubrel{.packet_id = 9});
  const auto to_pub = h.take("pub");
  BOOST_REQUIRE(!to_pub.empty());
  BOOST_TEST(std::holds_alternative<Pubcomp>(to_pub.back()));
  BOOST_TEST(std::get<Pubcomp>(to_pub.back()).packet_id == 9);

  const auto received = h.receive_and_ack("sub");
  BOOST_REQUIRE_EQUAL(received.size(), 1u);
  BOOST_TEST(text_of(received[0].payload) == "once");

  // After PUBCOMP the id means a new message.
  h.send("pub", qos2(9, "again"));
  h.send("pub", Pubrel{.packet_id = 9});
  BOOST_TEST(h.receive_and_ack("sub").size() == 1u);
}

BOOST_AUTO_TEST_CASE(forward_on_pubrel_waits_for_pubrel) {
  mqttsim::Profile profile;
  profile.qos2_forwarding = mqttsim::Qos2Forwarding::on_pubrel;
  BrokerHarness h{profile};
  const auto v = ProtocolVersion::v3_1_1;
  h.connect("sub", h.connect_packet(v, "sub", true));
  h.subscribe("sub", "t/a", QoS::exactly_once);
  h.connect("pub", h.connect_packet(v, "pub", true));
  h.send("pub", qos2(3, "held"));
  BOOST_TEST(h.take_publishes("sub").empty());
  h.send("pub", Pubrel{.packet_id = 3});
  BOOST_TEST(h.take_publishes("sub").size() == 1u);
}

BOOST_DATA_TEST_CASE(outbound_flow_and_pubrel_resent_after_reconnect, data::make(both_versions),
                     version) {
  BrokerHarness h;
  h.connect("sub", h.connect_packet(version, "sub", false));
  h.subscribe("sub", "t/a", QoS::exactly_once);
  h.connect("pub", h.connect_packet(version, "pub", true));
  h.publish("pub", "t/a", "two", QoS::exactly_once);

  const auto first = h.take_publishes("sub");
  BOOST_REQUIRE_EQUAL(first.size(), 1u);
  const std::uint16_t id = first[0].packet_id;
  h.send("sub", Pubrec{.packet_id = id});
  auto after_pubrec = h.take("sub");
  BOOST_REQUIRE_EQUAL(after_pubrec.size(), 1u);
  BOOST_TEST(std::get<Pubrel>(after_pubrec[0]).packet_id == id);

  // Lost before PUBCOMP: the broker resends PUBREL, never the PUBLISH.
  h.drop("sub");
  h.connect("sub", h.connect_packet(version, "sub", false));
  const auto resent = h.take("sub");
  BOOST_REQUIRE_EQUAL(resent.size(), 1u);
  BOOST_TEST(std::get<Pubrel>(resent[0]).packet_id == id);
  h.send("sub", Pubcomp{.packet_id = id});
  BOOST_TEST(h.broker().sessions().at("sub").inflight.empty());
}

BOOST_DATA_TEST_CASE(packet_ids_are_unique_while_in_flight, data::make(both_versions), version) {
  BrokerHarness h;
  h.connect("sub", h.connect_packet(version, "sub", true));
  h.subscribe("sub", "t/a", QoS::exactly_once);
  h.connect("pub", h.connect_packet(version, "pub", true));
  for (int i = 0; i < 50; ++i) h.publish("pub", "t/a", std::to_string(i), QoS::exactly_once);
  const auto received = h.take_publishes("sub");
  BOOST_REQUIRE_EQUAL(received.size(), 50u);
  std::set<std::uint16_t> ids;
  for (const Publish& p : received) {
    BOOST_TEST(p.packet_id != 0);
    ids.insert(p.packet_id);
  }
  BOOST_TEST(ids.size() == 50u);
}

BOOST_AUTO_TEST_SUITE_END()
