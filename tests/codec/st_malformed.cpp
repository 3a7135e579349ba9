// Malformed and invalid packets, each with the error kind and the normative
// statement (with its version) it must be reported under. And: every
// truncation of every valid packet is an error, never a crash or a read
// past the end (the asan preset runs this under ASan + UBSan).

#include <boost/test/unit_test.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "codec/codec.hpp"
#include "codec_test_support.hpp"
#include "rich_packets.hpp"

namespace mqttsim::codec {
namespace {

using test::bytes_of;
using test::describe;
using test::frame;
using test::hex;
using test::to_hex;

constexpr auto v3 = ProtocolVersion::v3_1_1;
constexpr auto v5 = ProtocolVersion::v5_0;
using K = DecodeErrorKind;

constexpr auto kMalformed = ReasonCode::malformed_packet;
constexpr auto kProtocol = ReasonCode::protocol_error;

struct Case {
  std::string name;
  ProtocolVersion version;
  Bytes bytes;
  DecodeErrorKind kind;
  std::string_view spec_id;
  ReasonCode reason;
};

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

// A CONNECT body: protocol name, level, flags, keep alive 60, then `rest`.
Bytes connect_body(std::string_view name, std::uint8_t level, std::uint8_t flags,
                   const Bytes& rest) {
  Bytes body;
  body.push_back(0x00);
  body.push_back(static_cast<std::uint8_t>(name.size()));
  for (const char ch : name) body.push_back(static_cast<std::uint8_t>(ch));
  for (const std::uint8_t byte : {level, flags, std::uint8_t{0x00}, std::uint8_t{0x3C}}) {
    body.push_back(byte);
  }
  for (const std::uint8_t byte : rest) body.push_back(byte);
  return body;
}

// Each row in both versions where the rule exists in both.
std::vector<Case> fixed_header_cases() {
  return {
      {"empty input", v3, {}, K::truncated, "§2.2.3", kMalformed},
      {"remaining length missing", v5, hex("c0"), K::truncated, "§2.1.4", kMalformed},
      {"remaining length of 5 bytes (3.1.1)", v3, hex("c0 80 80 80 80 01"),
       K::malformed_variable_integer, "§2.2.3", kMalformed},
      {"remaining length of 5 bytes (5.0)", v5, hex("c0 80 80 80 80 01"),
       K::malformed_variable_integer, "§1.5.5", kMalformed},
      {"non-minimal remaining length (5.0)", v5, hex("c0 80 00"), K::malformed_variable_integer,
       "MQTT-1.5.5-1", kMalformed},
      {"non-minimal 3-byte remaining length (5.0)", v5, hex("d0 80 80 00"),
       K::malformed_variable_integer, "MQTT-1.5.5-1", kMalformed},
      {"remaining length longer than the bytes given", v3, hex("30 05 00 01 61"), K::truncated,
       "§2.2.3", kMalformed},
      {"remaining length shorter than the bytes given", v3, hex("c0 00 00"), K::trailing_bytes,
       "§2.2.3", kMalformed},
      {"remaining length shorter than the bytes given (5.0)", v5, hex("40 02 00 01 00"),
       K::trailing_bytes, "§2.1.4", kMalformed},
      {"packet type 0 (3.1.1)", v3, hex("00 00"), K::unexpected_packet_type, "§2.2.1", kMalformed},
      {"packet type 0 (5.0)", v5, hex("00 00"), K::unexpected_packet_type, "§2.1.2", kMalformed},
      {"AUTH in 3.1.1", v3, hex("f0 00"), K::unsupported_packet_for_version, "§2.2.1", kMalformed},
      {"PINGREQ with flags 0001 (3.1.1)", v3, hex("c1 00"), K::reserved_flags, "MQTT-2.2.2-1",
       kMalformed},
      {"PINGREQ with flags 0001 (5.0)", v5, hex("c1 00"), K::reserved_flags, "MQTT-2.1.3-1",
       kMalformed},
      {"CONNECT with flags 1000", v3, frame(0x18, connect_body("MQTT", 4, 0x02, hex("00 01 61"))),
       K::reserved_flags, "MQTT-2.2.2-1", kMalformed},
      {"CONNACK with flags 0001", v5, hex("21 03 00 00 00"), K::reserved_flags, "MQTT-2.1.3-1",
       kMalformed},
      {"PUBACK with flags 0010", v3, hex("42 02 00 01"), K::reserved_flags, "MQTT-2.2.2-1",
       kMalformed},
      {"PUBREL with flags 0000 (3.1.1)", v3, hex("60 02 00 01"), K::reserved_flags, "MQTT-3.6.1-1",
       kMalformed},
      {"PUBREL with flags 0000 (5.0)", v5, hex("60 02 00 01"), K::reserved_flags, "MQTT-3.6.1-1",
       kMalformed},
      {"SUBSCRIBE with flags 0000 (3.1.1)", v3, frame(0x80, hex("00 01 00 01 61 00")),
       K::reserved_flags, "MQTT-3.8.1-1", kMalformed},
      {"SUBSCRIBE with flags 0011 (5.0)", v5, frame(0x83, hex("00 01 00 00 01 61 00")),
       K::reserved_flags, "MQTT-3.8.1-1", kMalformed},
      {"UNSUBSCRIBE with flags 0000 (3.1.1)", v3, frame(0xA0, hex("00 01 00 01 61")),
       K::reserved_flags, "MQTT-3.10.1-1", kMalformed},
      {"UNSUBSCRIBE with flags 0110 (5.0)", v5, frame(0xA6, hex("00 01 00 00 01 61")),
       K::reserved_flags, "MQTT-3.10.1-1", kMalformed},
      {"DISCONNECT with flags 0010 (3.1.1)", v3, hex("e2 00"), K::reserved_flags, "MQTT-3.14.1-1",
       kMalformed},
      {"DISCONNECT with flags 0001 (5.0)", v5, hex("e1 00"), K::reserved_flags, "MQTT-3.14.1-1",
       kMalformed},
      {"AUTH with flags 0001", v5, hex("f1 00"), K::reserved_flags, "MQTT-3.15.1-1", kMalformed},
      {"PINGREQ with a body", v3, hex("c0 01 00"), K::trailing_bytes, "§2.2.3", kMalformed},
      {"PINGRESP with a body (5.0)", v5, hex("d0 01 00"), K::trailing_bytes, "§2.1.4", kMalformed},
      {"3.1.1 DISCONNECT with a body", v3, hex("e0 01 00"), K::trailing_bytes, "§2.2.3",
       kMalformed},
      {"3.1.1 PUBACK with a reason code", v3, hex("40 03 00 01 00"), K::trailing_bytes, "§2.2.3",
       kMalformed},
      {"3.1.1 UNSUBACK with a payload", v3, hex("b0 03 00 01 00"), K::trailing_bytes, "§2.2.3",
       kMalformed},
  };
}

std::vector<Case> publish_cases() {
  return {
      {"PUBLISH QoS 3 (3.1.1)", v3, frame(0x36, hex("00 01 61 00 01")), K::invalid_qos,
       "MQTT-3.3.1-4", kMalformed},
      {"PUBLISH QoS 3 (5.0)", v5, frame(0x37, hex("00 01 61 00 01 00")), K::invalid_qos,
       "MQTT-3.3.1-4", kMalformed},
      {"PUBLISH DUP with QoS 0 (3.1.1)", v3, frame(0x38, hex("00 01 61")), K::invalid_dup_flag,
       "MQTT-3.3.1-2", kMalformed},
      {"PUBLISH DUP with QoS 0 (5.0)", v5, frame(0x38, hex("00 01 61 00")), K::invalid_dup_flag,
       "MQTT-3.3.1-2", kMalformed},
      {"PUBLISH QoS 1 packet id 0 (3.1.1)", v3, frame(0x32, hex("00 01 61 00 00")),
       K::zero_packet_id, "MQTT-2.3.1-1", kProtocol},
      {"PUBLISH QoS 2 packet id 0 (5.0)", v5, frame(0x34, hex("00 01 61 00 00 00")),
       K::zero_packet_id, "MQTT-2.2.1-3", kProtocol},
      {"PUBLISH topic with '+' (3.1.1)", v3, frame(0x30, hex("00 03 61 2f 2b")),
       K::wildcard_in_topic_name, "MQTT-3.3.2-2", kProtocol},
      {"PUBLISH topic with '#' (5.0)", v5, frame(0x30, hex("00 03 61 2f 23 00")),
       K::wildcard_in_topic_name, "MQTT-3.3.2-2", kProtocol},
      {"PUBLISH empty topic (3.1.1)", v3, frame(0x30, hex("00 00 68 69")), K::invalid_topic_name,
       "MQTT-4.7.3-1", kProtocol},
      {"PUBLISH empty topic without topic alias (5.0)", v5, frame(0x30, hex("00 00 00 68 69")),
       K::invalid_topic_name, "§3.3.2.3.4", kProtocol},
      {"PUBLISH topic cut short", v3, frame(0x30, hex("00 05 61 62")), K::truncated, "§2.2.3",
       kMalformed},
      {"PUBLISH QoS 1 without packet id", v3, frame(0x32, hex("00 01 61 00")), K::truncated,
       "§2.2.3", kMalformed},
      {"PUBLISH without property length (5.0)", v5, frame(0x30, hex("00 01 61")), K::truncated,
       "§2.1.4", kMalformed},
  };
}

std::vector<Case> utf8_cases() {
  return {
      {"topic with a bare continuation byte (3.1.1)", v3, frame(0x30, hex("00 02 61 80")),
       K::invalid_utf8, "MQTT-1.5.3-1", kMalformed},
      {"topic with ill-formed UTF-8 (5.0)", v5, frame(0x30, hex("00 02 c3 28 00")), K::invalid_utf8,
       "MQTT-1.5.4-1", kMalformed},
      {"topic with an encoded surrogate (3.1.1)", v3, frame(0x30, hex("00 03 ed a0 80")),
       K::invalid_utf8, "MQTT-1.5.3-1", kMalformed},
      {"topic with an encoded surrogate (5.0)", v5, frame(0x30, hex("00 03 ed bf bf 00")),
       K::invalid_utf8, "MQTT-1.5.4-1", kMalformed},
      {"topic with U+0000 (3.1.1)", v3, frame(0x30, hex("00 03 61 00 62")), K::null_character,
       "MQTT-1.5.3-2", kMalformed},
      {"topic with U+0000 (5.0)", v5, frame(0x30, hex("00 03 61 00 62 00")), K::null_character,
       "MQTT-1.5.4-2", kMalformed},
      {"client id with an over-long '/' (3.1.1)", v3,
       frame(0x10, connect_body("MQTT", 4, 0x02, hex("00 02 c0 af"))), K::invalid_utf8,
       "MQTT-1.5.3-1", kMalformed},
      {"client id with U+0000 (5.0)", v5,
       frame(0x10, connect_body("MQTT", 5, 0x02, hex("00 00 01 00"))), K::null_character,
       "MQTT-1.5.4-2", kMalformed},
      {"will topic with a surrogate (3.1.1)", v3,
       frame(0x10, connect_body("MQTT", 4, 0x06, hex("00 01 63 00 03 ed a0 80 00 00"))),
       K::invalid_utf8, "MQTT-1.5.3-1", kMalformed},
      {"user name with U+0000 (3.1.1)", v3,
       frame(0x10, connect_body("MQTT", 4, 0x82, hex("00 01 63 00 01 00"))), K::null_character,
       "MQTT-1.5.3-2", kMalformed},
      {"user name above U+10FFFF (5.0)", v5,
       frame(0x10, connect_body("MQTT", 5, 0x82, hex("00 00 01 63 00 04 f4 90 80 80"))),
       K::invalid_utf8, "MQTT-1.5.4-1", kMalformed},
      {"SUBSCRIBE filter with ill-formed UTF-8 (3.1.1)", v3,
       frame(0x82, hex("00 01 00 02 61 ff 00")), K::invalid_utf8, "MQTT-1.5.3-1", kMalformed},
      {"UNSUBSCRIBE filter with U+0000 (5.0)", v5, frame(0xA2, hex("00 01 00 00 01 00")),
       K::null_character, "MQTT-1.5.4-2", kMalformed},
      {"content type property with a surrogate (5.0)", v5,
       frame(0x30, hex("00 01 61 06 03 00 03 ed a0 80")), K::invalid_utf8, "MQTT-1.5.4-1",
       kMalformed},
      {"user property name with U+0000 (5.0)", v5,
       frame(0x30, hex("00 01 61 07 26 00 01 00 00 01 76")), K::null_character, "MQTT-1.5.4-2",
       kMalformed},
      {"user property value with ill-formed UTF-8 (5.0)", v5,
       frame(0x40, hex("00 01 00 07 26 00 01 6b 00 01 c2")), K::invalid_utf8, "MQTT-1.5.4-1",
       kMalformed},
      {"reason string with a 4-byte sequence cut short (5.0)", v5,
       frame(0xE0, hex("80 05 1f 00 02 f0 9f")), K::invalid_utf8, "MQTT-1.5.4-1", kMalformed},
  };
}

std::vector<Case> packet_id_cases() {
  return {
      {"PUBACK packet id 0 (3.1.1)", v3, hex("40 02 00 00"), K::zero_packet_id, "MQTT-2.3.1-6",
       kProtocol},
      {"PUBREC packet id 0 (5.0)", v5, hex("50 02 00 00"), K::zero_packet_id, "MQTT-2.2.1-5",
       kProtocol},
      {"PUBREL packet id 0 (5.0)", v5, hex("62 02 00 00"), K::zero_packet_id, "MQTT-2.2.1-5",
       kProtocol},
      {"PUBCOMP packet id 0 (5.0)", v5, hex("70 02 00 00"), K::zero_packet_id, "MQTT-2.2.1-5",
       kProtocol},
      {"SUBSCRIBE packet id 0 (3.1.1)", v3, frame(0x82, hex("00 00 00 01 61 00")),
       K::zero_packet_id, "MQTT-2.3.1-1", kProtocol},
      {"SUBSCRIBE packet id 0 (5.0)", v5, frame(0x82, hex("00 00 00 00 01 61 00")),
       K::zero_packet_id, "MQTT-2.2.1-3", kProtocol},
      {"UNSUBSCRIBE packet id 0 (3.1.1)", v3, frame(0xA2, hex("00 00 00 01 61")), K::zero_packet_id,
       "MQTT-2.3.1-1", kProtocol},
      {"SUBACK packet id 0 (3.1.1)", v3, hex("90 03 00 00 00"), K::zero_packet_id, "MQTT-2.3.1-7",
       kProtocol},
      {"UNSUBACK packet id 0 (5.0)", v5, hex("b0 04 00 00 00 00"), K::zero_packet_id,
       "MQTT-2.2.1-6", kProtocol},
  };
}

std::vector<Case> subscribe_cases() {
  return {
      {"SUBSCRIBE without filters (3.1.1)", v3, frame(0x82, hex("00 01")),
       K::empty_subscription_list, "MQTT-3.8.3-3", kProtocol},
      {"SUBSCRIBE without filters (5.0)", v5, frame(0x82, hex("00 01 00")),
       K::empty_subscription_list, "MQTT-3.8.3-2", kProtocol},
      {"UNSUBSCRIBE without filters (3.1.1)", v3, frame(0xA2, hex("00 01")),
       K::empty_subscription_list, "MQTT-3.10.3-2", kProtocol},
      {"UNSUBSCRIBE without filters (5.0)", v5, frame(0xA2, hex("00 01 00")),
       K::empty_subscription_list, "MQTT-3.10.3-2", kProtocol},
      {"SUBSCRIBE empty filter (3.1.1)", v3, frame(0x82, hex("00 01 00 00 00")),
       K::invalid_topic_filter, "MQTT-4.7.3-1", kProtocol},
      {"UNSUBSCRIBE empty filter (5.0)", v5, frame(0xA2, hex("00 01 00 00 00")),
       K::invalid_topic_filter, "MQTT-4.7.3-1", kProtocol},
      {"SUBSCRIBE \"a/#/b\" (3.1.1)", v3, frame(0x82, hex("00 01 00 05 61 2f 23 2f 62 00")),
       K::invalid_topic_filter, "MQTT-4.7.1-2", kProtocol},
      {"SUBSCRIBE \"a#\" (5.0)", v5, frame(0x82, hex("00 01 00 00 02 61 23 00")),
       K::invalid_topic_filter, "MQTT-4.7.1-1", kProtocol},
      {"SUBSCRIBE \"a+/b\" (3.1.1)", v3, frame(0x82, hex("00 01 00 04 61 2b 2f 62 00")),
       K::invalid_topic_filter, "MQTT-4.7.1-3", kProtocol},
      {"UNSUBSCRIBE \"+a\" (5.0)", v5, frame(0xA2, hex("00 01 00 00 02 2b 61")),
       K::invalid_topic_filter, "MQTT-4.7.1-2", kProtocol},
      {"SUBSCRIBE \"$share//t\" (5.0)", v5,
       frame(0x82, cat({hex("00 01 00 00 09"), bytes_of("$share//t"), hex("00")})),
       K::invalid_topic_filter, "MQTT-4.8.2-1", kProtocol},
      {"SUBSCRIBE \"$share/g+/t\" (5.0)", v5,
       frame(0x82, cat({hex("00 01 00 00 0b"), bytes_of("$share/g+/t"), hex("00")})),
       K::invalid_topic_filter, "MQTT-4.8.2-2", kProtocol},
      {"UNSUBSCRIBE \"$share/g\" (5.0)", v5,
       frame(0xA2, cat({hex("00 01 00 00 08"), bytes_of("$share/g")})), K::invalid_topic_filter,
       "MQTT-4.8.2-2", kProtocol},
      {"requested QoS with reserved bits (3.1.1)", v3, frame(0x82, hex("00 01 00 01 61 04")),
       K::invalid_subscription_options, "MQTT-3.8.3-4", kMalformed},
      {"requested QoS 3 (3.1.1)", v3, frame(0x82, hex("00 01 00 01 61 03")), K::invalid_qos,
       "MQTT-3.8.3-4", kMalformed},
      {"subscription options reserved bit 6 (5.0)", v5, frame(0x82, hex("00 01 00 00 01 61 40")),
       K::invalid_subscription_options, "MQTT-3.8.3-5", kMalformed},
      {"subscription options reserved bit 7 (5.0)", v5, frame(0x82, hex("00 01 00 00 01 61 81")),
       K::invalid_subscription_options, "MQTT-3.8.3-5", kMalformed},
      {"subscription options QoS 3 (5.0)", v5, frame(0x82, hex("00 01 00 00 01 61 03")),
       K::invalid_qos, "§3.8.3.1", kProtocol},
      {"subscription options retain handling 3 (5.0)", v5, frame(0x82, hex("00 01 00 00 01 61 30")),
       K::invalid_subscription_options, "§3.8.3.1", kProtocol},
      {"No Local on a shared subscription (5.0)", v5,
       frame(0x82, cat({hex("00 01 00 00 0a"), bytes_of("$share/g/t"), hex("04")})),
       K::invalid_subscription_options, "MQTT-3.8.3-4", kProtocol},
      {"SUBSCRIBE filter without options byte", v3, frame(0x82, hex("00 01 00 01 61")),
       K::truncated, "§2.2.3", kMalformed},
  };
}

std::vector<Case> property_cases() {
  return {
      {"duplicate Message Expiry Interval", v5,
       frame(0x30, hex("00 01 61 0a 02 00 00 00 01 02 00 00 00 02")), K::duplicate_property,
       "§2.2.2.2", kProtocol},
      {"duplicate Reason String in PUBACK", v5,
       frame(0x40, hex("00 01 00 08 1f 00 01 61 1f 00 01 62")), K::duplicate_property, "§2.2.2.2",
       kProtocol},
      {"duplicate Session Expiry Interval in CONNECT", v5,
       frame(0x10, connect_body("MQTT", 5, 0x02, hex("0a 11 00 00 00 01 11 00 00 00 02 00 01 63"))),
       K::duplicate_property, "§2.2.2.2", kProtocol},
      {"two Subscription Identifiers in SUBSCRIBE", v5,
       frame(0x82, hex("00 01 04 0b 01 0b 02 00 01 61 00")), K::duplicate_property, "§3.8.2.1.2",
       kProtocol},
      {"Session Expiry Interval in PUBLISH", v5, frame(0x30, hex("00 01 61 05 11 00 00 00 01")),
       K::property_not_allowed, "§2.2.2.2", kMalformed},
      {"Will Delay Interval in CONNECT properties", v5,
       frame(0x10, connect_body("MQTT", 5, 0x02, hex("05 18 00 00 00 01 00 01 63"))),
       K::property_not_allowed, "§2.2.2.2", kMalformed},
      {"Session Expiry Interval in Will Properties", v5,
       frame(0x10,
             connect_body("MQTT", 5, 0x06, hex("00 00 01 63 05 11 00 00 00 01 00 01 77 00 00"))),
       K::property_not_allowed, "§2.2.2.2", kMalformed},
      {"Topic Alias in SUBSCRIBE", v5, frame(0x82, hex("00 01 03 23 00 01 00 01 61 00")),
       K::property_not_allowed, "§2.2.2.2", kMalformed},
      {"unknown property 0x05", v5, frame(0x30, hex("00 01 61 02 05 00")), K::unknown_property,
       "§2.2.2.2", kMalformed},
      {"unknown property 0x7f in DISCONNECT", v5, frame(0xE0, hex("00 01 7f")), K::unknown_property,
       "§2.2.2.2", kMalformed},
      {"Payload Format Indicator 2", v5, frame(0x30, hex("00 01 61 02 01 02")),
       K::invalid_property_value, "§3.3.2.3.2", kProtocol},
      {"Maximum QoS 2 in CONNACK", v5, frame(0x20, hex("00 00 02 24 02")),
       K::invalid_property_value, "§3.2.2.3.4", kProtocol},
      {"Retain Available 2 in CONNACK", v5, frame(0x20, hex("00 00 02 25 02")),
       K::invalid_property_value, "§3.2.2.3.5", kProtocol},
      {"Receive Maximum 0 in CONNECT", v5,
       frame(0x10, connect_body("MQTT", 5, 0x02, hex("03 21 00 00 00 01 63"))),
       K::invalid_property_value, "§3.1.2.11.3", kProtocol},
      {"Maximum Packet Size 0 in CONNACK", v5, frame(0x20, hex("00 00 05 27 00 00 00 00")),
       K::invalid_property_value, "§3.1.2.11.4", kProtocol},
      {"Request Problem Information 2 in CONNECT", v5,
       frame(0x10, connect_body("MQTT", 5, 0x02, hex("02 17 02 00 01 63"))),
       K::invalid_property_value, "§3.1.2.11.7", kProtocol},
      {"Subscription Identifier 0 in SUBSCRIBE", v5, frame(0x82, hex("00 01 02 0b 00 00 01 61 00")),
       K::invalid_property_value, "§3.8.2.1.2", kProtocol},
      {"Subscription Identifier 0 in PUBLISH", v5, frame(0x30, hex("00 01 61 02 0b 00")),
       K::invalid_property_value, "§3.3.2.3.8", kProtocol},
      {"Topic Alias 0", v5, frame(0x30, hex("00 01 61 03 23 00 00")), K::invalid_property_value,
       "MQTT-3.3.2-8", kProtocol},
      {"Response Topic with a wildcard", v5, frame(0x30, hex("00 01 61 06 08 00 03 72 2f 23")),
       K::invalid_property_value, "MQTT-3.3.2-14", kProtocol},
      {"empty Response Topic in Will Properties", v5,
       frame(0x10, connect_body("MQTT", 5, 0x06, hex("00 00 01 63 03 08 00 00 00 01 77 00 00"))),
       K::invalid_property_value, "MQTT-4.7.3-1", kProtocol},
      {"Authentication Data without Authentication Method", v5,
       frame(0x10, connect_body("MQTT", 5, 0x02, hex("04 16 00 01 ff 00 01 63"))),
       K::invalid_property_value, "§3.1.2.11.10", kProtocol},
      {"property list longer than the packet", v5, frame(0x30, hex("00 01 61 05 01")), K::truncated,
       "§2.1.4", kMalformed},
      {"property value cut short", v5, frame(0x30, hex("00 01 61 03 02 00 00")), K::truncated,
       "§2.1.4", kMalformed},
      {"non-minimal property length", v5, frame(0x30, hex("00 01 61 80 00")),
       K::malformed_variable_integer, "MQTT-1.5.5-1", kMalformed},
      {"Subscription Identifier of 5 bytes", v5, frame(0x30, hex("00 01 61 06 0b 80 80 80 80 01")),
       K::malformed_variable_integer, "§1.5.5", kMalformed},
  };
}

std::vector<Case> reason_code_cases() {
  return {
      {"PUBACK reason 0x04", v5, hex("40 03 00 01 04"), K::invalid_reason_code, "MQTT-3.4.2-1",
       kProtocol},
      {"PUBREC reason 0x92", v5, hex("50 03 00 01 92"), K::invalid_reason_code, "MQTT-3.5.2-1",
       kProtocol},
      {"PUBREL reason 0x10", v5, hex("62 03 00 01 10"), K::invalid_reason_code, "MQTT-3.6.2-1",
       kProtocol},
      {"PUBCOMP reason 0x80", v5, hex("70 03 00 01 80"), K::invalid_reason_code, "MQTT-3.7.2-1",
       kProtocol},
      {"CONNACK reason 0x04", v5, hex("20 03 00 04 00"), K::invalid_reason_code, "MQTT-3.2.2-8",
       kProtocol},
      {"CONNACK return code 6 (3.1.1)", v3, hex("20 02 00 06"), K::invalid_reason_code, "§3.2.2.3",
       kProtocol},
      {"SUBACK reason 0x03", v5, hex("90 04 00 01 00 03"), K::invalid_reason_code, "§3.9.3",
       kProtocol},
      {"SUBACK return code 0x81 (3.1.1)", v3, hex("90 03 00 01 81"), K::invalid_reason_code,
       "MQTT-3.9.3-2", kProtocol},
      {"UNSUBACK reason 0x01", v5, hex("b0 04 00 01 00 01"), K::invalid_reason_code,
       "MQTT-3.11.3-2", kProtocol},
      {"DISCONNECT reason 0x84", v5, hex("e0 01 84"), K::invalid_reason_code, "MQTT-3.14.2-1",
       kProtocol},
      {"AUTH reason 0x80", v5, hex("f0 01 80"), K::invalid_reason_code, "MQTT-3.15.2-1", kProtocol},
      {"DISCONNECT reason code not defined at all (0x03)", v5, hex("e0 01 03"),
       K::invalid_reason_code, "MQTT-3.14.2-1", kProtocol},
      {"CONNACK acknowledge flags reserved bit (3.1.1)", v3, hex("20 02 02 00"), K::reserved_flags,
       "§3.2.2.1", kMalformed},
      {"CONNACK acknowledge flags reserved bit (5.0)", v5, hex("20 03 80 00 00"), K::reserved_flags,
       "MQTT-3.2.2-1", kMalformed},
  };
}

std::vector<Case> connect_cases() {
  const Bytes client_id = hex("00 01 63");
  return {
      {"protocol name \"MQTX\"", v3, frame(0x10, connect_body("MQTX", 4, 0x02, client_id)),
       K::invalid_protocol_name, "MQTT-3.1.2-1", ReasonCode::unsupported_protocol_version},
      {"protocol name \"mqtt\" (5.0)", v5, frame(0x10, connect_body("mqtt", 5, 0x02, client_id)),
       K::invalid_protocol_name, "MQTT-3.1.2-1", ReasonCode::unsupported_protocol_version},
      {"MQTT 3.1 (\"MQIsdp\", level 3)", v3,
       frame(0x10, connect_body("MQIsdp", 3, 0x02, client_id)), K::unsupported_protocol_level,
       "MQTT-3.1.2-2", ReasonCode::unsupported_protocol_version},
      {"protocol level 6", v5, frame(0x10, connect_body("MQTT", 6, 0x02, client_id)),
       K::unsupported_protocol_level, "MQTT-3.1.2-2", ReasonCode::unsupported_protocol_version},
      {"protocol level 3 with name \"MQTT\"", v3,
       frame(0x10, connect_body("MQTT", 3, 0x02, client_id)), K::unsupported_protocol_level,
       "MQTT-3.1.2-2", ReasonCode::unsupported_protocol_version},
      {"reserved connect flag (3.1.1)", v3, frame(0x10, connect_body("MQTT", 4, 0x03, client_id)),
       K::reserved_connect_flag, "MQTT-3.1.2-3", kMalformed},
      {"reserved connect flag (5.0)", v5,
       frame(0x10, connect_body("MQTT", 5, 0x01, hex("00 00 01 63"))), K::reserved_connect_flag,
       "MQTT-3.1.2-3", kMalformed},
      {"will QoS without will flag (3.1.1)", v3,
       frame(0x10, connect_body("MQTT", 4, 0x0A, client_id)), K::invalid_will_flags,
       "MQTT-3.1.2-13", kMalformed},
      {"will QoS without will flag (5.0)", v5,
       frame(0x10, connect_body("MQTT", 5, 0x12, hex("00 00 01 63"))), K::invalid_will_flags,
       "MQTT-3.1.2-11", kMalformed},
      {"will retain without will flag (3.1.1)", v3,
       frame(0x10, connect_body("MQTT", 4, 0x22, client_id)), K::invalid_will_flags,
       "MQTT-3.1.2-15", kMalformed},
      {"will retain without will flag (5.0)", v5,
       frame(0x10, connect_body("MQTT", 5, 0x22, hex("00 00 01 63"))), K::invalid_will_flags,
       "MQTT-3.1.2-13", kMalformed},
      {"will QoS 3 (3.1.1)", v3,
       frame(0x10, connect_body("MQTT", 4, 0x1E, hex("00 01 63 00 01 77 00 00"))),
       K::invalid_will_flags, "MQTT-3.1.2-14", kMalformed},
      {"will QoS 3 (5.0)", v5,
       frame(0x10, connect_body("MQTT", 5, 0x1E, hex("00 00 01 63 00 00 01 77 00 00"))),
       K::invalid_will_flags, "MQTT-3.1.2-12", kMalformed},
      {"password without user name (3.1.1)", v3,
       frame(0x10, connect_body("MQTT", 4, 0x42, hex("00 01 63 00 01 70"))),
       K::password_without_username, "MQTT-3.1.2-22", kMalformed},
      {"will topic with a wildcard (3.1.1)", v3,
       frame(0x10, connect_body("MQTT", 4, 0x06, hex("00 01 63 00 01 23 00 00"))),
       K::wildcard_in_topic_name, "MQTT-4.7.1-1", kProtocol},
      {"empty will topic (5.0)", v5,
       frame(0x10, connect_body("MQTT", 5, 0x06, hex("00 00 01 63 00 00 00 00 00"))),
       K::invalid_topic_name, "MQTT-4.7.3-1", kProtocol},
      {"user name flag without a user name", v3,
       frame(0x10, connect_body("MQTT", 4, 0x82, client_id)), K::truncated, "§2.2.3", kMalformed},
      {"will flag without will topic and payload", v5,
       frame(0x10, connect_body("MQTT", 5, 0x06, hex("00 00 01 63"))), K::truncated, "§2.1.4",
       kMalformed},
      {"a user name without the user name flag", v3,
       frame(0x10, connect_body("MQTT", 4, 0x02, hex("00 01 63 00 01 75"))), K::trailing_bytes,
       "§2.2.3", kMalformed},
      {"CONNECT without client id", v3, frame(0x10, connect_body("MQTT", 4, 0x02, {})),
       K::truncated, "§2.2.3", kMalformed},
  };
}

void check(const Case& c) {
  BOOST_TEST_CONTEXT(c.name << " [" << to_string(c.version) << "]: " << to_hex(c.bytes)) {
    const auto result = decode(c.bytes, c.version);
    BOOST_TEST_REQUIRE(!result.has_value(), describe(result));
    const DecodeError& error = result.error();
    BOOST_TEST_INFO(to_string(error));
    BOOST_TEST(error.kind == c.kind);
    BOOST_TEST(error.spec.id == c.spec_id);
    BOOST_TEST((error.spec.version == c.version));
    BOOST_TEST((error.reason == c.reason),
               "reason " << to_string(error.reason) << ", expected " << to_string(c.reason));
    BOOST_TEST(error.offset <= c.bytes.size());
    BOOST_TEST(!error.message.empty());
  }
}

BOOST_AUTO_TEST_SUITE(st_malformed)

BOOST_AUTO_TEST_CASE(fixed_header) {
  for (const Case& c : fixed_header_cases()) check(c);
}
BOOST_AUTO_TEST_CASE(publish) {
  for (const Case& c : publish_cases()) check(c);
}
BOOST_AUTO_TEST_CASE(utf8_in_every_string_field) {
  for (const Case& c : utf8_cases()) check(c);
}
BOOST_AUTO_TEST_CASE(packet_identifier_zero) {
  for (const Case& c : packet_id_cases()) check(c);
}
BOOST_AUTO_TEST_CASE(subscribe_and_unsubscribe) {
  for (const Case& c : subscribe_cases()) check(c);
}
BOOST_AUTO_TEST_CASE(properties) {
  for (const Case& c : property_cases()) check(c);
}
BOOST_AUTO_TEST_CASE(reason_codes_and_ack_flags) {
  for (const Case& c : reason_code_cases()) check(c);
}
BOOST_AUTO_TEST_CASE(connect) {
  for (const Case& c : connect_cases()) check(c);
}

BOOST_AUTO_TEST_CASE(error_offsets_point_at_the_offending_byte) {
  // Topic "a\0b" starts at byte 4 (after 30 05 00 03); U+0000 is byte 5.
  const auto null_in_topic = decode(frame(0x30, hex("00 03 61 00 62")), v3);
  BOOST_TEST_REQUIRE(!null_in_topic.has_value());
  BOOST_TEST(null_in_topic.error().offset == 5U);
  // '#' of "a/#/b" is byte 8: 82 0a | 00 01 | 00 05 | 61 2f 23.
  const auto bad_filter = decode(frame(0x82, hex("00 01 00 05 61 2f 23 2f 62 00")), v3);
  BOOST_TEST_REQUIRE(!bad_filter.has_value());
  BOOST_TEST(bad_filter.error().offset == 8U);
  // The duplicate property starts at byte 11: 30 0e | 00 01 61 | 0a | 02 .. (5 bytes).
  const auto duplicate = decode(frame(0x30, hex("00 01 61 0a 02 00 00 00 01 02 00 00 00 02")), v5);
  BOOST_TEST_REQUIRE(!duplicate.has_value());
  BOOST_TEST(duplicate.error().offset == 11U);
}

BOOST_AUTO_TEST_CASE(errors_print_spec_message_and_offset) {
  const auto result = decode(frame(0x36, hex("00 01 61 00 01")), v3);
  BOOST_TEST_REQUIRE(!result.has_value());
  BOOST_TEST(to_string(result.error()) ==
             "MQTT-3.3.1-4 (3.1.1): PUBLISH has QoS 3 (both QoS bits set) (at byte 0)");
  BOOST_TEST(to_string(DecodeErrorKind::duplicate_property) == "duplicate_property");
}

// Every prefix of a valid packet, as the framer could never deliver it but
// a buggy caller might: the remaining length then promises more than is
// there, so the answer is always `truncated`.
BOOST_AUTO_TEST_CASE(every_prefix_of_every_valid_packet_is_truncated) {
  std::size_t prefixes = 0;
  for (const auto version : {v3, v5}) {
    const auto packets = version == v3 ? test::packets_3_1_1() : test::packets_5_0();
    for (const Packet& packet : packets) {
      const Bytes bytes = encode(packet, version);
      for (std::size_t length = 0; length < bytes.size(); ++length) {
        const auto result = decode(ByteView{bytes.data(), length}, version);
        BOOST_TEST_REQUIRE(!result.has_value(), to_string(type_of(packet)) << " prefix " << length);
        BOOST_TEST(result.error().kind == DecodeErrorKind::truncated);
        ++prefixes;
      }
    }
  }
  BOOST_TEST(prefixes > 20'000U);  // the 20,000-byte PUBLISH alone gives that many
}

// The same prefixes with the remaining length rewritten to match: now the
// fields themselves run out. Each is either still a valid packet (a shorter
// payload, a 5.0 ack without its optional tail) or an error; never a crash
// and never a read past the end (ASan checks that in the asan preset).
BOOST_AUTO_TEST_CASE(every_body_truncation_is_an_error_or_a_valid_packet) {
  std::size_t errors = 0;
  std::size_t field_truncations = 0;
  for (const auto version : {v3, v5}) {
    const auto packets = version == v3 ? test::packets_3_1_1() : test::packets_5_0();
    for (const Packet& packet : packets) {
      const Bytes bytes = encode(packet, version);
      std::size_t header = 2;
      while ((bytes[header - 1] & 0x80U) != 0) ++header;
      const std::size_t body_size = bytes.size() - header;
      // Keep the long PUBLISH cheap: its payload prefixes are all alike.
      const std::size_t step = body_size > 1'000 ? 997 : 1;
      for (std::size_t cut = 0; cut < body_size; cut += step) {
        const Bytes shorter =
            frame(bytes[0], Bytes(bytes.begin() + static_cast<std::ptrdiff_t>(header),
                                  bytes.begin() + static_cast<std::ptrdiff_t>(header + cut)));
        const auto result = decode(shorter, version);
        if (result.has_value()) {
          // A packet that survives truncation is a packet like any other:
          // it round-trips.
          const auto again = decode(encode(*result, version), version);
          BOOST_TEST_REQUIRE(again.has_value(), describe(again));
          BOOST_TEST((*again == *result));
          continue;
        }
        ++errors;
        if (result.error().kind == DecodeErrorKind::truncated) ++field_truncations;
        BOOST_TEST(result.error().offset <= shorter.size());
      }
    }
  }
  BOOST_TEST(errors > 500U);
  BOOST_TEST(field_truncations > 300U);
}

BOOST_AUTO_TEST_CASE(every_cut_connect_fails) {
  // Every field of CONNECT is mandatory once its flag is set, so no
  // truncation of a CONNECT with all fields is valid.
  for (const auto version : {v3, v5}) {
    const auto packets = version == v3 ? test::packets_3_1_1() : test::packets_5_0();
    const Connect& full = std::get<Connect>(packets[1]);
    BOOST_TEST_REQUIRE(full.password.has_value());
    const Bytes bytes = encode(full, version);
    const std::size_t header = bytes[1] & 0x80U ? 3 : 2;
    for (std::size_t cut = 0; cut + header < bytes.size(); ++cut) {
      const Bytes shorter =
          frame(0x10, Bytes(bytes.begin() + static_cast<std::ptrdiff_t>(header),
                            bytes.begin() + static_cast<std::ptrdiff_t>(header + cut)));
      const auto result = decode(shorter, version);
      BOOST_TEST(!result.has_value(), "cut at " << cut);
    }
  }
}

// Every byte of every valid packet (but the 20,000-byte PUBLISH) flipped
// bit by bit and set to 00 and FF: each result is an error or a packet that
// round-trips. Under the asan preset this also proves no read past the end.
BOOST_AUTO_TEST_CASE(every_single_byte_mutation_is_an_error_or_a_stable_packet) {
  std::size_t decoded_count = 0;
  std::size_t error_count = 0;
  for (const auto version : {v3, v5}) {
    const auto packets = version == v3 ? test::packets_3_1_1() : test::packets_5_0();
    for (const Packet& packet : packets) {
      const Bytes bytes = encode(packet, version);
      if (bytes.size() > 1'000) continue;
      for (std::size_t position = 0; position < bytes.size(); ++position) {
        std::vector<std::uint8_t> replacements{0x00, 0xFF};
        for (unsigned bit = 0; bit < 8; ++bit) {
          replacements.push_back(static_cast<std::uint8_t>(bytes[position] ^ (1U << bit)));
        }
        for (const std::uint8_t replacement : replacements) {
          if (replacement == bytes[position]) continue;
          Bytes mutated = bytes;
          mutated[position] = replacement;
          const auto result = decode(mutated, version);
          if (!result.has_value()) {
            ++error_count;
            BOOST_TEST(result.error().offset <= mutated.size());
            continue;
          }
          ++decoded_count;
          const auto again = decode(encode(*result, version), version);
          BOOST_TEST_REQUIRE(again.has_value(), describe(again) << " from " << to_hex(mutated));
          BOOST_TEST((*again == *result), "unstable: " << to_hex(mutated));
        }
      }
    }
  }
  // Both outcomes occur: a flipped payload byte is still a packet, a flipped
  // length byte is not.
  BOOST_TEST(decoded_count > 1'000U);
  BOOST_TEST(error_count > 5'000U);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mqttsim::codec
