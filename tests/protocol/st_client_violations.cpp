// A misbehaving server, written by hand: the client reports each rule the
// server broke with its normative id, closes the connection where the
// standards require it (a malformed packet: 3.1.1 MQTT-4.8.0-1, 5.0 §4.13,
// with a 5.0 DISCONNECT giving the reason first), and otherwise carries on.
// It never crashes on what the server sends.

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "link.hpp"

using namespace mqttsim::testing;
namespace data = boost::unit_test::data;

namespace {

const auto v311 = mqttsim::ProtocolVersion::v3_1_1;
const auto v5 = mqttsim::ProtocolVersion::v5_0;

std::vector<std::string> cited(const std::vector<Action>& actions) {
  std::vector<std::string> ids;
  for (const auto& v : all_of<ProtocolViolation>(actions)) ids.push_back(to_string(v.spec));
  return ids;
}

std::string cite(mqttsim::ProtocolVersion version, std::string_view v311_id,
                 std::string_view v5_id) {
  return version == v5 ? to_string(mqttsim::SpecRef{v5, v5_id})
                       : to_string(mqttsim::SpecRef{v311, v311_id});
}

// The connection ended for `reason`; in 5.0, after a DISCONNECT carrying
// `disconnect_reason` if the client was connected.
void require_closed(ScriptedServer& server, const std::vector<Action>& actions, CloseReason reason,
                    std::optional<ReasonCode> disconnect_reason) {
  const auto closes = all_of<Close>(actions);
  BOOST_REQUIRE_EQUAL(closes.size(), 1u);
  BOOST_TEST(closes[0].reason == reason);
  BOOST_TEST(!server.session().connected());
  BOOST_TEST(!server.session().next_deadline().has_value());
  const auto disconnects = packets_of<Disconnect>(packets_sent(actions, server.version()));
  if (server.version() == v5 && disconnect_reason) {
    BOOST_REQUIRE_EQUAL(disconnects.size(), 1u);
    BOOST_TEST(disconnects[0].reason_code == *disconnect_reason);
  } else {
    BOOST_TEST(disconnects.empty());
  }
  // Whatever arrives afterwards is ignored.
  server.send(Pingresp{});
  BOOST_TEST(server.take().empty());
}

Publish qos2_publish(std::uint16_t packet_id) {
  return Publish{.dup = false,
                 .qos = QoS::exactly_once,
                 .retain = false,
                 .topic = "t",
                 .packet_id = packet_id,
                 .properties = {},
                 .payload = bytes_of("m")};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_client_violations)

BOOST_DATA_TEST_CASE(a_packet_before_connack_closes, data::make(both_versions), version) {
  ScriptedServer server{persistent(version, "c", 30)};
  server.open();
  server.send(Puback{.packet_id = 1});
  const auto actions = server.take();
  BOOST_TEST(cited(actions) ==
             std::vector<std::string>{cite(version, "MQTT-3.2.0-1", "MQTT-3.2.0-1")});
  BOOST_TEST(all_of<Connected>(actions).empty());
  require_closed(server, actions, CloseReason::protocol_violation, std::nullopt);
}

BOOST_DATA_TEST_CASE(a_second_connack_closes, data::make(both_versions), version) {
  ScriptedServer server{persistent(version, "c")};
  server.connect();
  server.take();
  server.send(Connack{});
  const auto actions = server.take();
  BOOST_TEST(cited(actions) == std::vector<std::string>{cite(version, "§3.2", "MQTT-3.2.0-2")});
  require_closed(server, actions, CloseReason::protocol_violation, ReasonCode::protocol_error);
}

BOOST_DATA_TEST_CASE(acknowledgements_for_unknown_ids_are_reported_and_ignored,
                     data::make(both_versions), version) {
  ScriptedServer server{persistent(version, "c")};
  server.connect();
  BOOST_REQUIRE(
      server.session().publish("t", bytes_of("x"), QoS::exactly_once, false, {}, server.now()));
  const auto publishes = packets_of<Publish>(server.take_packets());
  BOOST_REQUIRE_EQUAL(publishes.size(), 1u);
  const std::uint16_t qos2_id = publishes[0].packet_id;

  server.send(Puback{.packet_id = qos2_id});  // the wrong acknowledgement for QoS 2
  server.send(Puback{.packet_id = 700});
  server.send(Pubrec{.packet_id = 701});
  server.send(Pubcomp{.packet_id = qos2_id});  // PUBCOMP before PUBREC
  server.send(Suback{.packet_id = 702, .properties = {}, .reason_codes = {0}});
  server.send(Unsuback{.packet_id = 703, .properties = {}, .reason_codes = {ReasonCode::success}});
  const auto actions = server.take();
  const std::string ack = cite(version, "MQTT-2.3.1-6", "MQTT-2.2.1-5");
  BOOST_TEST(
      cited(actions) ==
      (std::vector<std::string>{ack, ack, ack, ack, cite(version, "MQTT-3.8.4-2", "MQTT-2.2.1-6"),
                                cite(version, "MQTT-3.10.4-4", "MQTT-2.2.1-6")}));
  for (const auto& v : all_of<ProtocolViolation>(actions)) BOOST_TEST(!v.closed);
  BOOST_TEST(all_of<Close>(actions).empty());
  BOOST_TEST(all_of<Published>(actions).empty());
  BOOST_TEST(server.session().connected());
  BOOST_TEST(server.session().inflight_count() == 1u);

  // The real acknowledgement still completes the message.
  server.send(Pubrec{.packet_id = qos2_id});
  server.send(Pubcomp{.packet_id = qos2_id});
  const auto done = all_of<Published>(server.take());
  BOOST_REQUIRE_EQUAL(done.size(), 1u);
  BOOST_TEST(done[0].outcome == PublishOutcome::acknowledged);
}

BOOST_DATA_TEST_CASE(a_suback_with_the_wrong_number_of_codes_is_reported, data::make(both_versions),
                     version) {
  ScriptedServer server{persistent(version, "c")};
  server.connect();
  auto request = server.session().subscribe(
      {Subscription{.topic_filter = "a"}, Subscription{.topic_filter = "b"}}, {}, server.now());
  BOOST_REQUIRE(request);
  const auto subscribe = packets_of<Subscribe>(server.take_packets());
  BOOST_REQUIRE_EQUAL(subscribe.size(), 1u);
  server.send(Suback{.packet_id = subscribe[0].packet_id, .properties = {}, .reason_codes = {0}});
  const auto actions = server.take();
  BOOST_TEST(cited(actions) ==
             std::vector<std::string>{cite(version, "MQTT-3.8.4-5", "MQTT-3.9.3-2")});
  const auto subscribed = all_of<Subscribed>(actions);
  BOOST_REQUIRE_EQUAL(subscribed.size(), 1u);
  BOOST_TEST(subscribed[0].request == *request);
}

BOOST_DATA_TEST_CASE(malformed_bytes_close_the_connection, data::make(both_versions), version) {
  ScriptedServer server{persistent(version, "c")};
  server.connect();
  server.take();
  // PUBLISH with both QoS bits set: topic "t", packet id 1.
  server.send_bytes(Bytes{0x36, 0x05, 0x00, 0x01, 't', 0x00, 0x01});
  const auto actions = server.take();
  const auto violations = all_of<ProtocolViolation>(actions);
  BOOST_REQUIRE_EQUAL(violations.size(), 1u);
  BOOST_TEST(violations[0].closed);
  BOOST_TEST(std::string{violations[0].spec.id} == "MQTT-3.3.1-4");
  BOOST_TEST(all_of<Delivered>(actions).empty());
  require_closed(server, actions, CloseReason::malformed_packet, ReasonCode::malformed_packet);
}

BOOST_DATA_TEST_CASE(session_present_after_a_clean_start_closes, data::make(both_versions),
                     version) {
  ClientOptions options = persistent(version, "c");
  options.clean_start = true;
  ScriptedServer server{options};
  server.connect(/*session_present=*/true);
  const auto actions = server.take();
  BOOST_TEST(cited(actions) ==
             std::vector<std::string>{cite(version, "MQTT-3.2.2-1", "MQTT-3.2.2-2")});
  BOOST_TEST(all_of<Connected>(actions).empty());
  require_closed(server, actions, CloseReason::protocol_violation, std::nullopt);
}

BOOST_DATA_TEST_CASE(a_refused_connection_is_reported_and_closed, data::make(both_versions),
                     version) {
  ScriptedServer server{persistent(version, "c")};
  server.open();
  const std::uint8_t code = version == v5 ? 0x87 : 0x05;  // not authorized
  server.send(Connack{.session_present = true, .code = code, .properties = {}});
  const auto actions = server.take();
  // Session Present with a refusal is the server's fault, reported only.
  BOOST_TEST(cited(actions) ==
             std::vector<std::string>{cite(version, "MQTT-3.2.2-4", "MQTT-3.2.2-6")});
  const auto connected = all_of<Connected>(actions);
  BOOST_REQUIRE_EQUAL(connected.size(), 1u);
  BOOST_TEST(!connected[0].accepted());
  BOOST_TEST(connected[0].code == code);
  require_closed(server, actions, CloseReason::connack_refused, std::nullopt);
}

BOOST_DATA_TEST_CASE(a_client_to_server_packet_from_the_server_closes, data::make(both_versions),
                     version) {
  ScriptedServer server{persistent(version, "c")};
  server.connect();
  server.take();
  server.send(Pingreq{});
  const auto actions = server.take();
  BOOST_TEST(cited(actions) == std::vector<std::string>{cite(version, "MQTT-4.8.0-1", "§4.13")});
  require_closed(server, actions, CloseReason::protocol_violation, ReasonCode::protocol_error);
}

BOOST_AUTO_TEST_CASE(a_disconnect_from_a_3_1_1_server_is_a_violation) {
  ScriptedServer server{persistent(v311, "c")};
  server.connect();
  server.take();
  server.send(Disconnect{});
  const auto actions = server.take();
  BOOST_TEST(cited(actions) == std::vector<std::string>{"MQTT-4.8.0-1 (3.1.1)"});
  BOOST_TEST(all_of<ServerDisconnected>(actions).empty());
  require_closed(server, actions, CloseReason::protocol_violation, std::nullopt);
}

BOOST_AUTO_TEST_CASE(a_5_0_server_disconnect_is_reported_and_closes) {
  ScriptedServer server{persistent(v5, "c")};
  server.connect();
  server.take();
  Disconnect disconnect{.reason_code = ReasonCode::server_shutting_down, .properties = {}};
  disconnect.properties.session_expiry_interval = 0;  // not the server's to send
  server.send(disconnect);
  const auto actions = server.take();
  BOOST_TEST(cited(actions) == std::vector<std::string>{"MQTT-3.14.2-2 (5.0)"});
  const auto disconnected = all_of<ServerDisconnected>(actions);
  BOOST_REQUIRE_EQUAL(disconnected.size(), 1u);
  BOOST_TEST(disconnected[0].reason == ReasonCode::server_shutting_down);
  require_closed(server, actions, CloseReason::server_disconnected, std::nullopt);
}

BOOST_AUTO_TEST_CASE(a_topic_alias_the_client_never_allowed_closes) {
  ScriptedServer server{persistent(v5, "c")};
  server.connect();
  server.take();
  Publish publish = qos2_publish(1);
  publish.properties.topic_alias = 1;
  server.send(publish);
  const auto actions = server.take();
  BOOST_TEST(cited(actions) == std::vector<std::string>{"MQTT-3.3.2-11 (5.0)"});
  BOOST_TEST(all_of<Delivered>(actions).empty());
  require_closed(server, actions, CloseReason::protocol_violation, ReasonCode::topic_alias_invalid);
}

BOOST_AUTO_TEST_CASE(exceeding_the_client_receive_maximum_closes) {
  ClientOptions options = persistent(v5, "c");
  options.receive_maximum = 1;
  ScriptedServer server{options};
  server.connect();
  server.take();
  server.send(qos2_publish(1));
  server.send(qos2_publish(2));  // PUBREL for 1 has not come: two in flight
  const auto actions = server.take();
  BOOST_TEST(all_of<Delivered>(actions).size() == 1u);
  BOOST_TEST(cited(actions) == std::vector<std::string>{"MQTT-3.3.4-9 (5.0)"});
  require_closed(server, actions, CloseReason::protocol_violation,
                 ReasonCode::receive_maximum_exceeded);
}

BOOST_DATA_TEST_CASE(garbage_in_any_state_never_crashes, data::make(both_versions), version) {
  // Every single-byte packet type with a short body, before and after
  // CONNACK: the client either handles it or closes, and never reads past it.
  for (int state = 0; state < 2; ++state) {
    for (std::uint8_t first = 0; first < 0xFF; ++first) {
      ScriptedServer server{persistent(version, "c", 10)};
      if (state == 0) {
        server.open();
      } else {
        server.connect();
      }
      server.take();
      server.send_bytes(Bytes{first, 0x02, 0x00, 0x01});
      const auto actions = server.take();
      for (const auto& v : all_of<ProtocolViolation>(actions)) {
        BOOST_TEST(!v.spec.id.empty());
        if (v.closed) BOOST_TEST(!server.session().connected());
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
