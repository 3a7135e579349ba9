// The packet-ids checker catches a broker that reuses a packet id still in
// flight and one that acknowledges a client's PUBLISHes out of order, on a
// library scenario, and names the statements broken; the correct broker
// passes.
#include <boost/test/unit_test.hpp>

#include "flow_breaks.hpp"

using namespace mqttsim;
using namespace mqttsim::testing;

namespace {

const std::string queued_while_offline = "sessions/persistent-session-queues-qos1.yaml";

// The first PUBACK on each connection goes out after the second.
std::shared_ptr<runner::PacketInterceptor> swap_first_two_pubacks() {
  return swap_first_two([](net::ConnectionId, const codec::Packet& packet) {
    return std::holds_alternative<codec::Puback>(packet);
  });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_packet_ids)

BOOST_AUTO_TEST_CASE(the_reference_broker_is_not_reported) {
  const auto result = play_library(queued_while_offline, nullptr);
  BOOST_TEST(violations_of(result, "packet-ids").empty());
  for (const char* id : {"MQTT-2.3.1-4", "MQTT-2.3.1-6", "MQTT-2.3.1-7", "MQTT-3.8.4-2"}) {
    BOOST_TEST(result.verdict.judged.count({ProtocolVersion::v3_1_1, id}) == 1u, id);
  }
}

BOOST_AUTO_TEST_CASE(a_packet_id_reused_in_flight_is_caught) {
  // Ten queued messages go out at once; all under packet id 1.
  const auto result = play_library(queued_while_offline, rewrite_publishes([](codec::Publish& p) {
                                     if (p.qos != codec::QoS::at_most_once) p.packet_id = 1;
                                   }));
  const auto found = violations_of(result, "packet-ids");
  BOOST_TEST_REQUIRE(!found.empty());
  BOOST_TEST(cites(found[0], {ProtocolVersion::v3_1_1, "MQTT-2.3.1-4"}));
  BOOST_TEST(
      found[0].message.find("under packet id 1, still in flight for message "
                            "\"sensors/kitchen/temperature\" \"reading 1\"") != std::string::npos,
      found[0].message);
}

BOOST_AUTO_TEST_CASE(acknowledgements_out_of_order_are_caught) {
  const auto result = play_library(queued_while_offline, swap_first_two_pubacks());
  const auto found = violations_of(result, "packet-ids");
  BOOST_TEST_REQUIRE(!found.empty());
  bool ordered = false;
  for (const auto& v : found)
    ordered = ordered || cites(v, {ProtocolVersion::v3_1_1, "MQTT-4.6.0-2"});
  BOOST_TEST(ordered);
}

BOOST_AUTO_TEST_CASE(pubrel_before_pubrec_is_caught) {
  const auto result =
      play_library("sessions/persistent-session-queues-qos2-in-order.yaml", pubrel_before_pubrec());
  const auto found = violations_of(result, "packet-ids");
  BOOST_TEST_REQUIRE(!found.empty());
  BOOST_TEST(cites(found[0], {ProtocolVersion::v3_1_1, "MQTT-4.3.3-1"}));
  BOOST_TEST(
      found[0].message.find("without a PUBREC from the client for that id") != std::string::npos,
      found[0].message);
}

BOOST_AUTO_TEST_CASE(a_publish_never_acknowledged_is_caught) {
  const auto no_puback =
      std::make_shared<OutboundBreak>([](net::ConnectionId, codec::Packet packet) {
        if (std::holds_alternative<codec::Puback>(packet)) return Packets{};
        return one(std::move(packet));
      });
  const auto found = violations_of(play_library(queued_while_offline, no_puback), "packet-ids");
  BOOST_TEST_REQUIRE(found.size() == 10u);
  BOOST_TEST(cites(found[0], {ProtocolVersion::v3_1_1, "MQTT-3.3.4-1"}));
  BOOST_TEST(
      found[0].message.find("the broker never answered client \"sensor-42\"'s QoS 1 PUBLISH") == 0u,
      found[0].message);
}

BOOST_AUTO_TEST_SUITE_END()
