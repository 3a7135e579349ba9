// Every packet type of both versions, with rich field values: encoding then
// decoding gives the packet back, and decoding then encoding gives the
// canonical bytes back. Also: the longer legal forms of the 5.0
// acknowledgements decode to the same packets as the short ones.

#include <boost/test/unit_test.hpp>
#include <string>
#include <utility>
#include <vector>

#include "codec/codec.hpp"
#include "codec_test_support.hpp"

namespace mqttsim::codec {
namespace {

using test::bytes_of;
using test::describe;
using test::hex;
using test::to_hex;

constexpr auto v3 = ProtocolVersion::v3_1_1;
constexpr auto v5 = ProtocolVersion::v5_0;

std::vector<UserProperty> user_properties() {
  // Repeated names are legal and their order is kept (§3.3.2.3.7).
  return {{"region", "eu-west"}, {"trace", "7f3a"}, {"region", "eu-north \xC3\xA9"}};
}

// Properties with a few fields set by `set`.
template <class Set>
Properties props(Set set) {
  Properties p;
  set(p);
  return p;
}

Properties connect_properties() {
  Properties p;
  p.session_expiry_interval = 3600;
  p.receive_maximum = 20;
  p.maximum_packet_size = 1'048'576;
  p.topic_alias_maximum = 10;
  p.request_response_information = 1;
  p.request_problem_information = 0;
  p.user_properties = user_properties();
  p.authentication_method = "SCRAM-SHA-1";
  p.authentication_data = bytes_of("client-first");
  return p;
}

Properties will_properties() {
  Properties p;
  p.payload_format_indicator = 1;
  p.message_expiry_interval = 120;
  p.content_type = "text/plain";
  p.response_topic = "replies/sensor-1";
  p.correlation_data = Bytes{0x00, 0xFF, 0x10};
  p.will_delay_interval = 30;
  p.user_properties = user_properties();
  return p;
}

Properties connack_properties() {
  Properties p;
  p.session_expiry_interval = 7200;
  p.assigned_client_identifier = "auto-7f3a";
  p.server_keep_alive = 45;
  p.authentication_method = "SCRAM-SHA-1";
  p.authentication_data = bytes_of("server-final");
  p.response_information = "responses/";
  p.server_reference = "other.example:1883";
  p.reason_string = "welcome";
  p.receive_maximum = 100;
  p.topic_alias_maximum = 5;
  p.maximum_qos = 1;
  p.retain_available = 0;
  p.user_properties = user_properties();
  p.maximum_packet_size = 65'536;
  p.wildcard_subscription_available = 1;
  p.subscription_identifier_available = 1;
  p.shared_subscription_available = 0;
  return p;
}

Properties publish_properties() {
  Properties p;
  p.payload_format_indicator = 0;
  p.message_expiry_interval = 60;
  p.content_type = "application/json";
  p.response_topic = "replies/client-9";
  p.correlation_data = Bytes{1, 2, 3, 4};
  p.subscription_identifiers = {7, 268'435'455};  // several, as a server sends them
  p.topic_alias = 3;
  p.user_properties = user_properties();
  return p;
}

Properties reason_properties() {
  Properties p;
  p.reason_string = "because";
  p.user_properties = user_properties();
  return p;
}

template <PacketType kType>
PublishResponse<kType> response(std::uint16_t id, ReasonCode code, Properties properties) {
  PublishResponse<kType> r;
  r.packet_id = id;
  r.reason_code = code;
  r.properties = std::move(properties);
  return r;
}

std::vector<Packet> packets_3_1_1() {
  std::vector<Packet> packets;
  Connect minimal;
  minimal.client_id = "c1";
  packets.push_back(minimal);

  Connect full;
  full.clean_start = false;
  full.keep_alive_s = 65'535;
  full.client_id = "sensor-\xE2\x82\xAC";  // a 3-byte UTF-8 character
  full.will = Will{"status/sensor", bytes_of("offline"), QoS::exactly_once, true, {}};
  full.username = "alice";
  full.password = Bytes{0x00, 0x01, 0xFE, 0xFF};
  packets.push_back(full);

  Connect empty_id;
  empty_id.client_id = "";
  empty_id.username = "";
  empty_id.keep_alive_s = 0;
  packets.push_back(empty_id);

  packets.push_back(Connack{true, 0, {}});
  packets.push_back(Connack{false, 5, {}});

  packets.push_back(Publish{false, QoS::at_most_once, false, "a/b", 0, {}, {}});
  packets.push_back(Publish{true, QoS::at_least_once, true, "sport/tennis", 1, {}, bytes_of("x")});
  Publish big;
  big.qos = QoS::exactly_once;
  big.topic = "big/payload";
  big.packet_id = 65'535;
  big.payload = Bytes(20'000, 0xAB);  // remaining length needs 3 bytes
  packets.push_back(big);

  packets.push_back(Puback{42, ReasonCode::success, {}});
  packets.push_back(Pubrec{43, ReasonCode::success, {}});
  packets.push_back(Pubrel{44, ReasonCode::success, {}});
  packets.push_back(Pubcomp{45, ReasonCode::success, {}});

  Subscribe subscribe;
  subscribe.packet_id = 10;
  subscribe.subscriptions = {{"sport/#", QoS::at_most_once},
                             {"+/tennis/+", QoS::at_least_once},
                             {"$SYS/broker", QoS::exactly_once},
                             // "$share" means nothing special in 3.1.1.
                             {"$share/x", QoS::at_most_once}};
  packets.push_back(subscribe);
  packets.push_back(Suback{10, {}, {0x00, 0x01, 0x02, 0x80}});
  packets.push_back(Unsubscribe{11, {}, {"sport/#", "a"}});
  packets.push_back(Unsuback{11, {}, {}});
  packets.push_back(Pingreq{});
  packets.push_back(Pingresp{});
  packets.push_back(Disconnect{});
  return packets;
}

std::vector<Packet> packets_5_0() {
  std::vector<Packet> packets;
  Connect minimal;
  minimal.version = v5;
  minimal.client_id = "c1";
  packets.push_back(minimal);

  Connect full;
  full.version = v5;
  full.clean_start = false;
  full.keep_alive_s = 30;
  full.client_id = "sensor-1";
  full.properties = connect_properties();
  full.will =
      Will{"status/sensor-1", bytes_of("gone"), QoS::at_least_once, true, will_properties()};
  full.username = "bob";
  full.password = bytes_of("secret");
  packets.push_back(full);

  Connect password_only;  // legal in 5.0 (not in 3.1.1)
  password_only.version = v5;
  password_only.client_id = "p";
  password_only.password = bytes_of("token");
  packets.push_back(password_only);

  packets.push_back(Connack{true, 0x00, connack_properties()});
  packets.push_back(
      Connack{false, 0x9C, props([](Properties& p) { p.server_reference = "b.example"; })});
  packets.push_back(Connack{false, 0x00, {}});

  packets.push_back(Publish{false, QoS::at_most_once, false, "a/b", 0, {}, {}});
  packets.push_back(Publish{true, QoS::exactly_once, true, "t/\xF0\x9F\x98\x80", 9,
                            publish_properties(), bytes_of("{\"v\":1}")});
  // An empty topic name is legal with a Topic Alias.
  packets.push_back(Publish{false, QoS::at_least_once, false, "", 77,
                            props([](Properties& p) { p.topic_alias = 3; }), bytes_of("aliased")});

  packets.push_back(Puback{1, ReasonCode::success, {}});
  packets.push_back(Puback{2, ReasonCode::no_matching_subscribers, {}});
  packets.push_back(Puback{3, ReasonCode::quota_exceeded, reason_properties()});
  packets.push_back(Pubrec{4, ReasonCode::success, reason_properties()});
  packets.push_back(Pubrec{5, ReasonCode::payload_format_invalid, {}});
  packets.push_back(Pubrel{6, ReasonCode::success, {}});
  packets.push_back(Pubrel{7, ReasonCode::packet_identifier_not_found, reason_properties()});
  packets.push_back(Pubcomp{8, ReasonCode::success, {}});
  packets.push_back(Pubcomp{9, ReasonCode::packet_identifier_not_found, {}});

  Subscribe subscribe;
  subscribe.packet_id = 20;
  subscribe.properties.subscription_identifiers = {268'435'455};
  subscribe.properties.user_properties = user_properties();
  subscribe.subscriptions = {
      {"sport/#", QoS::at_most_once, false, false, 0},
      {"+/tennis/+", QoS::at_least_once, true, true, 1},
      {"$share/group/sensors/+", QoS::exactly_once, false, true, 2},
      {"/finance", QoS::exactly_once, true, false, 2},
  };
  packets.push_back(subscribe);
  packets.push_back(Suback{20, reason_properties(), {0x00, 0x01, 0x02, 0x80, 0x9E, 0xA2}});
  packets.push_back(Unsubscribe{21,
                                props([](Properties& p) { p.user_properties = user_properties(); }),
                                {"sport/#", "$share/group/sensors/+"}});
  packets.push_back(Unsuback{
      21, reason_properties(), {ReasonCode::success, ReasonCode::no_subscription_existed}});
  packets.push_back(Pingreq{});
  packets.push_back(Pingresp{});
  packets.push_back(Disconnect{});
  packets.push_back(Disconnect{ReasonCode::disconnect_with_will_message, {}});
  Properties disconnect_properties = reason_properties();
  disconnect_properties.session_expiry_interval = 0;
  disconnect_properties.server_reference = "c.example";
  packets.push_back(Disconnect{ReasonCode::server_moved, disconnect_properties});
  packets.push_back(Auth{});
  Properties auth_properties = reason_properties();
  auth_properties.authentication_method = "SCRAM-SHA-1";
  auth_properties.authentication_data = bytes_of("client-final");
  packets.push_back(Auth{ReasonCode::continue_authentication, auth_properties});
  packets.push_back(Auth{ReasonCode::re_authenticate, {}});
  return packets;
}

void check_round_trip(const Packet& packet, ProtocolVersion version) {
  BOOST_TEST_CONTEXT(to_string(type_of(packet)) << " in " << to_string(version)) {
    const Bytes bytes = encode(packet, version);
    const auto decoded = decode(bytes, version);
    BOOST_TEST_INFO("bytes: " << to_hex(bytes));
    BOOST_TEST_REQUIRE(decoded.has_value(), describe(decoded));
    BOOST_TEST((*decoded == packet));
    BOOST_TEST(encode(*decoded, version) == bytes, boost::test_tools::per_element());
  }
}

BOOST_AUTO_TEST_SUITE(st_roundtrip)

BOOST_AUTO_TEST_CASE(every_packet_type_round_trips_in_3_1_1) {
  const auto packets = packets_3_1_1();
  for (const Packet& packet : packets) check_round_trip(packet, v3);
  // Every 3.1.1 packet type (all but AUTH) is in the sample.
  std::vector<bool> seen(16, false);
  for (const Packet& packet : packets) seen[static_cast<std::size_t>(type_of(packet))] = true;
  for (std::size_t type = 1; type <= 14; ++type) BOOST_TEST(seen[type], "type " << type);
}

BOOST_AUTO_TEST_CASE(every_packet_type_round_trips_in_5_0) {
  const auto packets = packets_5_0();
  for (const Packet& packet : packets) check_round_trip(packet, v5);
  std::vector<bool> seen(16, false);
  for (const Packet& packet : packets) seen[static_cast<std::size_t>(type_of(packet))] = true;
  for (std::size_t type = 1; type <= 15; ++type) BOOST_TEST(seen[type], "type " << type);
}

BOOST_AUTO_TEST_CASE(connect_decodes_with_its_own_version) {
  // A CONNECT carries its protocol level; the version argument does not
  // matter for it.
  Connect connect;
  connect.version = v5;
  connect.client_id = "x";
  connect.properties.session_expiry_interval = 10;
  const Bytes bytes = encode(connect, v3);
  const auto decoded = decode(bytes, v3);
  BOOST_TEST_REQUIRE(decoded.has_value(), describe(decoded));
  BOOST_TEST((std::get<Connect>(*decoded) == connect));
}

BOOST_AUTO_TEST_CASE(properties_are_written_in_ascending_identifier_order) {
  Publish publish;
  publish.topic = "t";
  publish.properties.user_properties = {{"k", "v"}};  // 0x26
  publish.properties.topic_alias = 2;                 // 0x23
  publish.properties.message_expiry_interval = 1;     // 0x02
  publish.properties.payload_format_indicator = 1;    // 0x01
  const Bytes bytes = encode(publish, v5);
  const Bytes expected =
      hex("30 15"                   // PUBLISH, QoS 0; remaining length 21
          "00 01 74"                // topic "t"
          "11"                      // property length 17
          "01 01"                   // payload format indicator 1
          "02 00 00 00 01"          // message expiry interval 1
          "23 00 02"                // topic alias 2
          "26 00 01 6b 00 01 76");  // user property k=v
  BOOST_TEST(bytes == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(acknowledgements_use_their_shortest_form) {
  BOOST_TEST(encode(Puback{1, ReasonCode::success, {}}, v5) == hex("40 02 00 01"),
             boost::test_tools::per_element());
  BOOST_TEST(
      encode(Puback{1, ReasonCode::no_matching_subscribers, {}}, v5) == hex("40 03 00 01 10"),
      boost::test_tools::per_element());
  BOOST_TEST(encode(Pubrel{1, ReasonCode::success, {}}, v5) == hex("62 02 00 01"),
             boost::test_tools::per_element());
  BOOST_TEST(encode(Disconnect{}, v5) == hex("e0 00"), boost::test_tools::per_element());
  BOOST_TEST(
      encode(Disconnect{ReasonCode::disconnect_with_will_message, {}}, v5) == hex("e0 01 04"),
      boost::test_tools::per_element());
  BOOST_TEST(encode(Auth{}, v5) == hex("f0 00"), boost::test_tools::per_element());
  BOOST_TEST(encode(Auth{ReasonCode::re_authenticate, {}}, v5) == hex("f0 01 19"),
             boost::test_tools::per_element());
  // 3.1.1 has no reason codes: the same structs encode as bare acks.
  BOOST_TEST(encode(Puback{1, ReasonCode::success, {}}, v3) == hex("40 02 00 01"),
             boost::test_tools::per_element());
  BOOST_TEST(encode(Disconnect{}, v3) == hex("e0 00"), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(longer_legal_5_0_ack_forms_decode_to_the_same_packet) {
  struct Case {
    const char* name;
    Bytes longer;
    Packet expected;
    Bytes canonical;
  };
  const std::vector<Case> cases{
      {"PUBACK with explicit Success", hex("40 03 00 05 00"), Puback{5, ReasonCode::success, {}},
       hex("40 02 00 05")},
      {"PUBACK with Success and property length 0", hex("40 04 00 05 00 00"),
       Puback{5, ReasonCode::success, {}}, hex("40 02 00 05")},
      {"PUBREC 0x10 with property length 0", hex("50 04 00 06 10 00"),
       Pubrec{6, ReasonCode::no_matching_subscribers, {}}, hex("50 03 00 06 10")},
      {"PUBREL with explicit Success", hex("62 03 00 07 00"), Pubrel{7, ReasonCode::success, {}},
       hex("62 02 00 07")},
      {"PUBCOMP 0x92 with property length 0", hex("70 04 00 08 92 00"),
       Pubcomp{8, ReasonCode::packet_identifier_not_found, {}}, hex("70 03 00 08 92")},
      {"DISCONNECT with explicit Normal disconnection", hex("e0 01 00"), Disconnect{},
       hex("e0 00")},
      {"DISCONNECT with property length 0", hex("e0 02 00 00"), Disconnect{}, hex("e0 00")},
      {"AUTH with explicit Success", hex("f0 01 00"), Auth{}, hex("f0 00")},
      {"AUTH 0x18 with property length 0", hex("f0 02 18 00"),
       Auth{ReasonCode::continue_authentication, {}}, hex("f0 01 18")},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.name) {
      const auto decoded = decode(c.longer, v5);
      BOOST_TEST_REQUIRE(decoded.has_value(), describe(decoded));
      BOOST_TEST((*decoded == c.expected));
      BOOST_TEST(encode(*decoded, v5) == c.canonical, boost::test_tools::per_element());
    }
  }
}

BOOST_AUTO_TEST_CASE(non_minimal_remaining_length_is_accepted_in_3_1_1_only) {
  // PINGREQ whose remaining length 0 takes two bytes (80 00). 3.1.1 has no
  // rule against it; 5.0 does (MQTT-1.5.5-1).
  const Bytes bytes = hex("c0 80 00");
  const auto in_3_1_1 = decode(bytes, v3);
  BOOST_TEST_REQUIRE(in_3_1_1.has_value(), describe(in_3_1_1));
  BOOST_TEST(std::holds_alternative<Pingreq>(*in_3_1_1));
  BOOST_TEST(encode(*in_3_1_1, v3) == hex("c0 00"), boost::test_tools::per_element());
  const auto in_5_0 = decode(bytes, v5);
  BOOST_TEST_REQUIRE(!in_5_0.has_value());
  BOOST_TEST(in_5_0.error().kind == DecodeErrorKind::malformed_variable_integer);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mqttsim::codec
