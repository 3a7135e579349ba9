// MQTT 5.0 properties against the §2.2.2.2 table, transcribed here
// independently of the codec's own table: every property in every property
// list, once (accepted exactly where the table allows it) and twice
// (a Protocol Error except for User Property and, in PUBLISH, Subscription
// Identifier).

#include <boost/test/unit_test.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "codec/codec.hpp"
#include "codec/property_codec.hpp"
#include "codec/wire.hpp"
#include "codec_test_support.hpp"

namespace mqttsim::codec {
namespace {

using test::bytes_of;
using test::describe;
using test::frame;
using test::hex;
using C = PropertyContext;

constexpr auto v5 = ProtocolVersion::v5_0;

const std::vector<PropertyContext> kContexts{
    C::connect, C::connack,   C::publish, C::will,        C::puback,   C::pubrec,     C::pubrel,
    C::pubcomp, C::subscribe, C::suback,  C::unsubscribe, C::unsuback, C::disconnect, C::auth,
};

struct Row {
  PropertyId id;
  std::string_view allowed;  // context names from to_string(PropertyContext), space separated
};

// MQTT 5.0 §2.2.2.2, Table 2-4 "Properties".
const std::vector<Row> kTable{
    {PropertyId::payload_format_indicator, "PUBLISH|Will Properties"},
    {PropertyId::message_expiry_interval, "PUBLISH|Will Properties"},
    {PropertyId::content_type, "PUBLISH|Will Properties"},
    {PropertyId::response_topic, "PUBLISH|Will Properties"},
    {PropertyId::correlation_data, "PUBLISH|Will Properties"},
    {PropertyId::subscription_identifier, "PUBLISH|SUBSCRIBE"},
    {PropertyId::session_expiry_interval, "CONNECT|CONNACK|DISCONNECT"},
    {PropertyId::assigned_client_identifier, "CONNACK"},
    {PropertyId::server_keep_alive, "CONNACK"},
    {PropertyId::authentication_method, "CONNECT|CONNACK|AUTH"},
    {PropertyId::authentication_data, "CONNECT|CONNACK|AUTH"},
    {PropertyId::request_problem_information, "CONNECT"},
    {PropertyId::will_delay_interval, "Will Properties"},
    {PropertyId::request_response_information, "CONNECT"},
    {PropertyId::response_information, "CONNACK"},
    {PropertyId::server_reference, "CONNACK|DISCONNECT"},
    {PropertyId::reason_string,
     "CONNACK|PUBACK|PUBREC|PUBREL|PUBCOMP|SUBACK|UNSUBACK|DISCONNECT|AUTH"},
    {PropertyId::receive_maximum, "CONNECT|CONNACK"},
    {PropertyId::topic_alias_maximum, "CONNECT|CONNACK"},
    {PropertyId::topic_alias, "PUBLISH"},
    {PropertyId::maximum_qos, "CONNACK"},
    {PropertyId::retain_available, "CONNACK"},
    {PropertyId::user_property,
     "CONNECT|CONNACK|PUBLISH|Will Properties|PUBACK|PUBREC|PUBREL|PUBCOMP|SUBSCRIBE|SUBACK|"
     "UNSUBSCRIBE|UNSUBACK|DISCONNECT|AUTH"},
    {PropertyId::maximum_packet_size, "CONNECT|CONNACK"},
    {PropertyId::wildcard_subscription_available, "CONNACK"},
    {PropertyId::subscription_identifier_available, "CONNACK"},
    {PropertyId::shared_subscription_available, "CONNACK"},
};

bool table_allows(const Row& row, PropertyContext context) {
  std::string_view rest = row.allowed;
  while (!rest.empty()) {
    const std::size_t bar = rest.find('|');
    if (rest.substr(0, bar) == to_string(context)) return true;
    if (bar == std::string_view::npos) break;
    rest.remove_prefix(bar + 1);
  }
  return false;
}

// A valid value for the property. Authentication Data brings its method
// along: CONNECT may not carry data without one (§3.1.2.11.10).
Properties one_property(PropertyId id) {
  Properties p;
  switch (id) {
    case PropertyId::payload_format_indicator:
      p.payload_format_indicator = 1;
      break;
    case PropertyId::message_expiry_interval:
      p.message_expiry_interval = 10;
      break;
    case PropertyId::content_type:
      p.content_type = "text/plain";
      break;
    case PropertyId::response_topic:
      p.response_topic = "r/t";
      break;
    case PropertyId::correlation_data:
      p.correlation_data = Bytes{1, 2};
      break;
    case PropertyId::subscription_identifier:
      p.subscription_identifiers = {300};
      break;
    case PropertyId::session_expiry_interval:
      p.session_expiry_interval = 60;
      break;
    case PropertyId::assigned_client_identifier:
      p.assigned_client_identifier = "id";
      break;
    case PropertyId::server_keep_alive:
      p.server_keep_alive = 20;
      break;
    case PropertyId::authentication_method:
      p.authentication_method = "m";
      break;
    case PropertyId::authentication_data:
      p.authentication_method = "m";
      p.authentication_data = Bytes{9};
      break;
    case PropertyId::request_problem_information:
      p.request_problem_information = 0;
      break;
    case PropertyId::will_delay_interval:
      p.will_delay_interval = 5;
      break;
    case PropertyId::request_response_information:
      p.request_response_information = 1;
      break;
    case PropertyId::response_information:
      p.response_information = "resp";
      break;
    case PropertyId::server_reference:
      p.server_reference = "host";
      break;
    case PropertyId::reason_string:
      p.reason_string = "why";
      break;
    case PropertyId::receive_maximum:
      p.receive_maximum = 1;
      break;
    case PropertyId::topic_alias_maximum:
      p.topic_alias_maximum = 0;
      break;
    case PropertyId::topic_alias:
      p.topic_alias = 65'535;
      break;
    case PropertyId::maximum_qos:
      p.maximum_qos = 0;
      break;
    case PropertyId::retain_available:
      p.retain_available = 1;
      break;
    case PropertyId::user_property:
      p.user_properties = {{"k", "v"}};
      break;
    case PropertyId::maximum_packet_size:
      p.maximum_packet_size = 1;
      break;
    case PropertyId::wildcard_subscription_available:
      p.wildcard_subscription_available = 0;
      break;
    case PropertyId::subscription_identifier_available:
      p.subscription_identifier_available = 1;
      break;
    case PropertyId::shared_subscription_available:
      p.shared_subscription_available = 1;
      break;
  }
  return p;
}

// A packet whose property list for `context` is `p`.
Packet carrier(PropertyContext context, const Properties& p) {
  switch (context) {
    case C::connect: {
      Connect c;
      c.version = v5;
      c.client_id = "c";
      c.properties = p;
      return c;
    }
    case C::will: {
      Connect c;
      c.version = v5;
      c.client_id = "c";
      c.will = Will{"w", bytes_of("x"), QoS::at_most_once, false, p};
      return c;
    }
    case C::connack:
      return Connack{false, 0, p};
    case C::publish:
      return Publish{false, QoS::at_least_once, false, "t", 1, p, bytes_of("x")};
    case C::puback:
      return Puback{1, ReasonCode::success, p};
    case C::pubrec:
      return Pubrec{1, ReasonCode::success, p};
    case C::pubrel:
      return Pubrel{1, ReasonCode::success, p};
    case C::pubcomp:
      return Pubcomp{1, ReasonCode::success, p};
    case C::subscribe:
      return Subscribe{1, p, {{"a", QoS::at_most_once}}};
    case C::suback:
      return Suback{1, p, {0x00}};
    case C::unsubscribe:
      return Unsubscribe{1, p, {"a"}};
    case C::unsuback:
      return Unsuback{1, p, {ReasonCode::success}};
    case C::disconnect:
      return Disconnect{ReasonCode::success, p};
    case C::auth:
      return Auth{ReasonCode::continue_authentication, p};
  }
  return Pingreq{};
}

BOOST_AUTO_TEST_SUITE(st_properties)

BOOST_AUTO_TEST_CASE(the_table_has_every_property) {
  BOOST_TEST(kTable.size() == 27U);
  for (int value = 0; value < 256; ++value) {
    const auto byte = static_cast<std::uint8_t>(value);
    bool in_table = false;
    for (const Row& row : kTable) in_table = in_table || static_cast<std::uint8_t>(row.id) == byte;
    BOOST_TEST(is_known_property(byte) == in_table, "identifier " << value);
  }
}

BOOST_AUTO_TEST_CASE(each_property_is_accepted_exactly_where_the_table_allows_it) {
  for (const Row& row : kTable) {
    for (const PropertyContext context : kContexts) {
      BOOST_TEST_CONTEXT(to_string(row.id) << " in " << to_string(context)) {
        const bool allowed = table_allows(row, context);
        BOOST_TEST(is_allowed(row.id, context) == allowed);
        const Packet packet = carrier(context, one_property(row.id));
        const auto decoded = decode(encode(packet, v5), v5);
        if (allowed) {
          BOOST_TEST_REQUIRE(decoded.has_value(), describe(decoded));
          BOOST_TEST((*decoded == packet));
        } else {
          BOOST_TEST_REQUIRE(!decoded.has_value());
          BOOST_TEST(decoded.error().kind == DecodeErrorKind::property_not_allowed);
          BOOST_TEST(decoded.error().spec.id == "§2.2.2.2");
          BOOST_TEST((decoded.error().reason == ReasonCode::malformed_packet));
        }
      }
    }
  }
}

// The property's bytes (identifier and value) without the length prefix.
Bytes property_bytes(PropertyId id) {
  Properties p = one_property(id);
  if (id == PropertyId::authentication_data) p.authentication_method.reset();
  Bytes out;
  wire::Writer writer{out};
  wire::write_properties(p, writer);
  return Bytes(out.begin() + 1, out.end());  // every sample list is shorter than 128 bytes
}

// A packet of `context` whose property list is `list` as given, built by
// hand so it can hold a property twice.
Bytes packet_with_list(PropertyContext context, const Bytes& list) {
  Bytes with_length{static_cast<std::uint8_t>(list.size())};
  with_length.insert(with_length.end(), list.begin(), list.end());
  auto join = [&](const Bytes& before, const Bytes& after) {
    Bytes body = before;
    body.insert(body.end(), with_length.begin(), with_length.end());
    body.insert(body.end(), after.begin(), after.end());
    return body;
  };
  switch (context) {
    case C::publish:
      return frame(0x32, join(hex("00 01 74 00 01"), hex("78")));
    case C::connack:
      return frame(0x20, join(hex("00 00"), {}));
    case C::connect:
      return frame(0x10, join(hex("00 04 4d 51 54 54 05 02 00 3c"), hex("00 01 63")));
    case C::will:
      return frame(0x10,
                   join(hex("00 04 4d 51 54 54 05 06 00 3c 00 00 01 63"), hex("00 01 77 00 00")));
    case C::subscribe:
      return frame(0x82, join(hex("00 01"), hex("00 01 61 00")));
    case C::disconnect:
      return frame(0xE0, join(hex("00"), {}));
    case C::auth:
      return frame(0xF0, join(hex("18"), {}));
    default:
      return {};
  }
}

BOOST_AUTO_TEST_CASE(a_repeated_property_is_a_protocol_error_unless_it_may_repeat) {
  const std::vector<PropertyContext> candidates{C::publish,   C::connack,    C::connect, C::will,
                                                C::subscribe, C::disconnect, C::auth};
  std::size_t checked = 0;
  for (const Row& row : kTable) {
    for (const PropertyContext context : candidates) {
      if (!table_allows(row, context)) continue;
      BOOST_TEST_CONTEXT(to_string(row.id) << " twice in " << to_string(context)) {
        Bytes list = property_bytes(row.id);
        const Bytes once = list;
        list.insert(list.end(), once.begin(), once.end());
        if (row.id == PropertyId::authentication_data) {
          // Bring a single method along so only the data is repeated.
          const Bytes method = hex("15 00 01 6d");
          list.insert(list.begin(), method.begin(), method.end());
        }
        const auto decoded = decode(packet_with_list(context, list), v5);
        const bool repeatable =
            row.id == PropertyId::user_property ||
            (row.id == PropertyId::subscription_identifier && context == C::publish);
        BOOST_TEST(may_repeat(row.id, context) == repeatable);
        if (repeatable) {
          BOOST_TEST_REQUIRE(decoded.has_value(), describe(decoded));
        } else {
          BOOST_TEST_REQUIRE(!decoded.has_value());
          BOOST_TEST(decoded.error().kind == DecodeErrorKind::duplicate_property);
          BOOST_TEST((decoded.error().reason == ReasonCode::protocol_error));
        }
        ++checked;
      }
    }
  }
  BOOST_TEST(checked > 40U);
}

BOOST_AUTO_TEST_CASE(repeated_user_properties_and_subscription_identifiers_keep_their_order) {
  // PUBLISH QoS 0, topic "t", properties: sub id 2, sub id 1, user a=1, user a=0.
  const Bytes bytes = frame(0x30, hex("00 01 74"
                                      "12"                    // property length 18
                                      "0b 02 0b 01"           // subscription identifiers 2, 1
                                      "26 00 01 61 00 01 31"  // user property a=1
                                      "26 00 01 61 00 01 30"  // user property a=0
                                      ));
  const auto decoded = decode(bytes, v5);
  BOOST_TEST_REQUIRE(decoded.has_value(), describe(decoded));
  const Properties& p = std::get<Publish>(*decoded).properties;
  BOOST_TEST((p.subscription_identifiers == std::vector<std::uint32_t>{2, 1}));
  BOOST_TEST_REQUIRE(p.user_properties.size() == 2U);
  BOOST_TEST(p.user_properties[0].value == "1");
  BOOST_TEST(p.user_properties[1].value == "0");
  BOOST_TEST(encode(*decoded, v5) == bytes, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(properties_in_any_order_decode_and_re_encode_in_ascending_order) {
  // CONNACK with Maximum QoS (0x24) before Session Expiry Interval (0x11).
  const Bytes unordered = frame(0x20, hex("00 00 07 24 01 11 00 00 00 05"));
  const auto decoded = decode(unordered, v5);
  BOOST_TEST_REQUIRE(decoded.has_value(), describe(decoded));
  const Connack& connack = std::get<Connack>(*decoded);
  BOOST_TEST(connack.properties.maximum_qos.value_or(9) == 1);
  BOOST_TEST(connack.properties.session_expiry_interval.value_or(0) == 5U);
  BOOST_TEST(encode(*decoded, v5) == frame(0x20, hex("00 00 07 11 00 00 00 05 24 01")),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(names) {
  BOOST_TEST(to_string(PropertyId::session_expiry_interval) == "Session Expiry Interval");
  BOOST_TEST(to_string(PropertyId::user_property) == "User Property");
  BOOST_TEST(to_string(static_cast<PropertyId>(0x05)) == "unknown property");
  BOOST_TEST(to_string(C::will) == "Will Properties");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mqttsim::codec
