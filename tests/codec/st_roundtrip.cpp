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
#include "rich_packets.hpp"

namespace mqttsim::codec {
namespace {

using test::bytes_of;
using test::describe;
using test::hex;
using test::packets_3_1_1;
using test::packets_5_0;
using test::to_hex;

constexpr auto v3 = ProtocolVersion::v3_1_1;
constexpr auto v5 = ProtocolVersion::v5_0;

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

BOOST_AUTO_TEST_CASE(validate_applies_the_decoder_rules_to_a_packet_value) {
  for (const Packet& packet : packets_5_0()) BOOST_TEST(!validate(packet, v5).has_value());
  for (const Packet& packet : packets_3_1_1()) BOOST_TEST(!validate(packet, v3).has_value());
  const auto wildcard = validate(Publish{false, QoS::at_most_once, false, "a/+", 0, {}, {}}, v3);
  BOOST_TEST_REQUIRE(wildcard.has_value());
  BOOST_TEST(wildcard->kind == DecodeErrorKind::wildcard_in_topic_name);
  BOOST_TEST(wildcard->spec.id == "MQTT-3.3.2-2");
  const auto zero_id = validate(Puback{0, ReasonCode::success, {}}, v5);
  BOOST_TEST_REQUIRE(zero_id.has_value());
  BOOST_TEST(zero_id->kind == DecodeErrorKind::zero_packet_id);
  // 5.0 allows a password without a user name; 3.1.1 does not.
  Connect password_only;
  password_only.client_id = "p";
  password_only.password = bytes_of("x");
  BOOST_TEST(validate(password_only, v3).has_value());
  password_only.version = v5;
  BOOST_TEST(!validate(password_only, v5).has_value());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mqttsim::codec
