// 5.0 reason codes against each packet's own table (§3.2.2.2, §3.4.2.1,
// §3.5.2.1, §3.6.2.1, §3.7.2.1, §3.9.3, §3.11.3, §3.14.2.1, §3.15.2.1),
// transcribed here independently of the codec: every byte value in every
// packet that carries a reason code. Also the names of types and codes.

#include <boost/test/unit_test.hpp>
#include <set>
#include <string>
#include <vector>

#include "codec/codec.hpp"
#include "codec_test_support.hpp"

namespace mqttsim::codec {
namespace {

using test::describe;
using test::frame;

constexpr auto v3 = ProtocolVersion::v3_1_1;
constexpr auto v5 = ProtocolVersion::v5_0;

struct Table {
  PacketType type;
  std::set<int> codes;
  std::string_view spec_id;  // cited for a code outside the table
};

const std::vector<Table> kTables{
    {PacketType::connack,
     {0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
      0x8A, 0x8C, 0x90, 0x95, 0x97, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F},
     "MQTT-3.2.2-8"},
    {PacketType::puback, {0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99}, "MQTT-3.4.2-1"},
    {PacketType::pubrec, {0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99}, "MQTT-3.5.2-1"},
    {PacketType::pubrel, {0x00, 0x92}, "MQTT-3.6.2-1"},
    {PacketType::pubcomp, {0x00, 0x92}, "MQTT-3.7.2-1"},
    {PacketType::suback,
     {0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2},
     "§3.9.3"},
    {PacketType::unsuback, {0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91}, "MQTT-3.11.3-2"},
    // §3.14.2.1, plus 0x8C (Bad authentication method) which Table 2-6 of
    // §2.4 also lists for DISCONNECT.
    {PacketType::disconnect,
     {0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8B, 0x8C, 0x8D, 0x8E, 0x8F, 0x90, 0x93,
      0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F, 0xA0, 0xA1, 0xA2},
     "MQTT-3.14.2-1"},
    {PacketType::auth, {0x00, 0x18, 0x19}, "MQTT-3.15.2-1"},
};

// A 5.0 packet of `type` whose (first) reason code is `code`.
Bytes packet_with_code(PacketType type, std::uint8_t code) {
  switch (type) {
    case PacketType::connack:
      return frame(0x20, {0x00, code, 0x00});
    case PacketType::puback:
      return frame(0x40, {0x00, 0x01, code});
    case PacketType::pubrec:
      return frame(0x50, {0x00, 0x01, code});
    case PacketType::pubrel:
      return frame(0x62, {0x00, 0x01, code});
    case PacketType::pubcomp:
      return frame(0x70, {0x00, 0x01, code});
    case PacketType::suback:
      return frame(0x90, {0x00, 0x01, 0x00, code});
    case PacketType::unsuback:
      return frame(0xB0, {0x00, 0x01, 0x00, code});
    case PacketType::disconnect:
      return frame(0xE0, {code});
    case PacketType::auth:
      return frame(0xF0, {code});
    default:
      return {};
  }
}

BOOST_AUTO_TEST_SUITE(st_reason_codes)

BOOST_AUTO_TEST_CASE(each_packet_accepts_exactly_its_reason_codes) {
  for (const Table& table : kTables) {
    for (int value = 0; value < 256; ++value) {
      const auto code = static_cast<std::uint8_t>(value);
      BOOST_TEST_CONTEXT(to_string(table.type) << " with reason code " << value) {
        const bool allowed = table.codes.count(value) == 1;
        BOOST_TEST(is_allowed_reason_code(code, table.type) == allowed);
        const auto decoded = decode(packet_with_code(table.type, code), v5);
        if (allowed) {
          BOOST_TEST(decoded.has_value(), describe(decoded));
        } else {
          BOOST_TEST_REQUIRE(!decoded.has_value());
          BOOST_TEST(decoded.error().kind == DecodeErrorKind::invalid_reason_code);
          BOOST_TEST(decoded.error().spec.id == table.spec_id);
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(packets_without_a_reason_code_allow_none) {
  for (const PacketType type :
       {PacketType::connect, PacketType::publish, PacketType::subscribe, PacketType::unsubscribe,
        PacketType::pingreq, PacketType::pingresp}) {
    for (int value = 0; value < 256; ++value) {
      BOOST_TEST(!is_allowed_reason_code(static_cast<std::uint8_t>(value), type));
    }
  }
}

BOOST_AUTO_TEST_CASE(every_defined_code_is_allowed_somewhere) {
  std::set<int> union_of_tables;
  for (const Table& table : kTables) union_of_tables.insert(table.codes.begin(), table.codes.end());
  for (int value = 0; value < 256; ++value) {
    BOOST_TEST(
        is_reason_code(static_cast<std::uint8_t>(value)) == (union_of_tables.count(value) == 1),
        "code " << value);
  }
}

BOOST_AUTO_TEST_CASE(suback_return_codes_of_3_1_1) {
  for (int value = 0; value < 256; ++value) {
    const auto code = static_cast<std::uint8_t>(value);
    const auto decoded = decode(frame(0x90, {0x00, 0x01, code}), v3);
    const bool allowed = value <= 2 || value == 0x80;  // MQTT-3.9.3-2
    BOOST_TEST(decoded.has_value() == allowed, "return code " << value);
  }
}

BOOST_AUTO_TEST_CASE(connack_return_codes_of_3_1_1) {
  for (int value = 0; value < 256; ++value) {
    const auto decoded = decode(frame(0x20, {0x00, static_cast<std::uint8_t>(value)}), v3);
    BOOST_TEST(decoded.has_value() == (value <= 5), "return code " << value);
  }
}

BOOST_AUTO_TEST_CASE(names) {
  BOOST_TEST(to_string(ReasonCode::session_taken_over) == "session_taken_over");
  BOOST_TEST(to_string(ReasonCode::success) == "success");
  BOOST_TEST(to_string(ReasonCode::wildcard_subscriptions_not_supported) ==
             "wildcard_subscriptions_not_supported");
  BOOST_TEST(to_string(static_cast<ReasonCode>(0x03)).empty());
  BOOST_TEST(to_string(ConnectReturnCode::identifier_rejected) == "identifier_rejected");
  BOOST_TEST(to_string(static_cast<ConnectReturnCode>(6)).empty());
  BOOST_TEST(to_string(PacketType::pubrel) == "PUBREL");
  BOOST_TEST(to_string(PacketType::auth) == "AUTH");
  BOOST_TEST(to_string(static_cast<PacketType>(0)) == "RESERVED");
  // Every 5.0 code has a name and every name is distinct.
  std::set<std::string> names;
  for (int value = 0; value < 256; ++value) {
    const auto code = static_cast<ReasonCode>(value);
    if (!is_reason_code(static_cast<std::uint8_t>(value))) continue;
    BOOST_TEST(!to_string(code).empty());
    names.insert(std::string{to_string(code)});
  }
  BOOST_TEST(names.size() == 43U);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mqttsim::codec
