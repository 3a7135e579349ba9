// Bytes -> packets: the fixed header (§2.2 in 3.1.1, §2.1 in 5.0), dispatch
// to the per-packet decoders, and the packets too small for a file of their
// own (PUBLISH, the four publish responses, PINGREQ, PINGRESP, DISCONNECT,
// AUTH).

#include <string>

#include "codec/codec.hpp"
#include "codec/decode_parts.hpp"
#include "codec/property_codec.hpp"
#include "codec/topic.hpp"

namespace mqttsim::codec {

namespace detail {

using wire::by_version;
using wire::Reader;

void fail_protocol(Reader& in, DecodeErrorKind kind, std::string_view spec_id, std::string message,
                   std::size_t offset) {
  in.fail(kind, spec_id, std::move(message), offset, ReasonCode::protocol_error);
}

std::uint16_t read_packet_id(Reader& in, std::string_view spec_3_1_1, std::string_view spec_5_0) {
  const std::size_t offset = in.offset();
  const std::uint16_t id = in.u16("packet identifier");
  if (!in.failed() && id == 0) {
    fail_protocol(
        in, DecodeErrorKind::zero_packet_id, by_version(in.version(), spec_3_1_1, spec_5_0),
        std::string{in.packet_name()} + " has packet identifier 0; it must be 1 to 65535", offset);
  }
  return id;
}

void expect_end(Reader& in) {
  if (in.at_end()) return;
  in.fail(DecodeErrorKind::trailing_bytes, by_version(in.version(), "§2.2.3", "§2.1.4"),
          std::string{in.packet_name()} + " has " + std::to_string(in.remaining()) +
              " bytes left after its last field",
          in.offset());
}

// §3.3: PUBLISH.
Publish read_publish(Reader& in, std::uint8_t flags) {
  const ProtocolVersion version = in.version();
  const bool v5 = version == ProtocolVersion::v5_0;
  Publish p;
  p.dup = (flags & 0x08U) != 0;
  p.retain = (flags & 0x01U) != 0;
  const auto qos = static_cast<std::uint8_t>((flags >> 1U) & 0x03U);
  if (qos == 3) {
    in.fail(DecodeErrorKind::invalid_qos, "MQTT-3.3.1-4", "PUBLISH has QoS 3 (both QoS bits set)",
            0);
    return p;
  }
  p.qos = static_cast<QoS>(qos);
  if (p.dup && p.qos == QoS::at_most_once) {
    in.fail(DecodeErrorKind::invalid_dup_flag, "MQTT-3.3.1-2", "PUBLISH has DUP=1 with QoS 0", 0);
    return p;
  }
  const std::size_t topic_offset = in.offset() + 2;
  p.topic = in.utf8_string("topic name");
  if (p.qos != QoS::at_most_once) {
    // MQTT-2.3.1-1 (3.1.1); 5.0 MQTT-2.2.1-3 (Client) and MQTT-2.2.1-4 (Server).
    p.packet_id = read_packet_id(in, "MQTT-2.3.1-1", "MQTT-2.2.1-3");
  }
  if (v5) p.properties = wire::read_properties(in, PropertyContext::publish);
  if (in.failed()) return p;

  if (p.topic.empty()) {
    if (!v5) {
      fail_protocol(in, DecodeErrorKind::invalid_topic_name, "MQTT-4.7.3-1",
                    "PUBLISH has an empty topic name", topic_offset);
    } else if (!p.properties.topic_alias) {
      // §3.3.2.3.4: "It is a Protocol Error if the Topic Name is zero length
      // and there is no Topic Alias."
      fail_protocol(in, DecodeErrorKind::invalid_topic_name, "§3.3.2.3.4",
                    "PUBLISH has an empty topic name and no Topic Alias", topic_offset);
    }
  } else if (auto error = check_topic_name_structure(p.topic, version)) {
    const std::string_view spec_id =
        error->kind == DecodeErrorKind::wildcard_in_topic_name ? "MQTT-3.3.2-2" : error->spec.id;
    fail_protocol(in, error->kind, spec_id, "PUBLISH " + error->message,
                  topic_offset + error->offset);
  }
  const ByteView payload = in.take_rest();
  p.payload.assign(payload.begin(), payload.end());
  return p;
}

namespace {

struct ResponseRules {
  std::string_view zero_id_3_1_1;
  std::string_view zero_id_5_0;
  std::string_view reason_code_5_0;
  PropertyContext context;
};

// §3.4-§3.7: PUBACK, PUBREC, PUBREL, PUBCOMP. A 5.0 receiver accepts every
// legal length: 2 (Success, no properties), 3 (reason code only), or more.
template <PacketType kType>
PublishResponse<kType> read_publish_response(Reader& in, const ResponseRules& rules) {
  PublishResponse<kType> r;
  // Each echoes the identifier of a PUBLISH, which is never 0.
  r.packet_id = read_packet_id(in, rules.zero_id_3_1_1, rules.zero_id_5_0);
  if (in.version() == ProtocolVersion::v5_0 && !in.at_end()) {
    const std::size_t offset = in.offset();
    const std::uint8_t code = in.u8("reason code");
    if (!in.failed() && !is_allowed_reason_code(code, kType)) {
      fail_protocol(
          in, DecodeErrorKind::invalid_reason_code, rules.reason_code_5_0,
          std::string{to_string(kType)} + " may not carry reason code " + std::to_string(code),
          offset);
    }
    r.reason_code = static_cast<ReasonCode>(code);
    if (!in.at_end()) r.properties = wire::read_properties(in, rules.context);
  }
  expect_end(in);
  return r;
}

// DISCONNECT (§3.14) and AUTH (§3.15) in 5.0: remaining length 0 means
// Success without properties; the property length may be left out too.
template <class Packet>
Packet read_reason_and_properties(Reader& in, PacketType type, std::string_view reason_spec,
                                  PropertyContext context) {
  Packet packet;
  if (in.at_end()) return packet;
  const std::size_t offset = in.offset();
  const std::uint8_t code = in.u8("reason code");
  if (!in.failed() && !is_allowed_reason_code(code, type)) {
    fail_protocol(
        in, DecodeErrorKind::invalid_reason_code, reason_spec,
        std::string{to_string(type)} + " may not carry reason code " + std::to_string(code),
        offset);
  }
  packet.reason_code = static_cast<ReasonCode>(code);
  if (!in.at_end()) packet.properties = wire::read_properties(in, context);
  expect_end(in);
  return packet;
}

// Table 2.2 (3.1.1) / Table 2-2 (5.0): the flag nibble every type but
// PUBLISH must carry, and the rule to cite when it does not.
void check_fixed_flags(Reader& in, PacketType type, std::uint8_t flags) {
  std::uint8_t expected = 0;
  std::string_view spec_id = by_version(in.version(), "MQTT-2.2.2-1", "MQTT-2.1.3-1");
  switch (type) {
    case PacketType::pubrel:
      expected = 0x02;
      spec_id = "MQTT-3.6.1-1";
      break;
    case PacketType::subscribe:
      expected = 0x02;
      spec_id = "MQTT-3.8.1-1";
      break;
    case PacketType::unsubscribe:
      expected = 0x02;
      spec_id = "MQTT-3.10.1-1";
      break;
    case PacketType::disconnect:
      spec_id = "MQTT-3.14.1-1";
      break;
    case PacketType::auth:
      spec_id = "MQTT-3.15.1-1";
      break;
    default:
      break;
  }
  if (flags == expected) return;
  in.fail(DecodeErrorKind::reserved_flags, spec_id,
          std::string{to_string(type)} + " has fixed-header flags " + std::to_string(flags) +
              "; they must be " + std::to_string(expected),
          0);
}

Packet read_body(Reader& in, PacketType type, std::uint8_t flags) {
  using C = PropertyContext;
  switch (type) {
    case PacketType::connect:
      return read_connect(in);
    case PacketType::connack:
      return read_connack(in);
    case PacketType::publish:
      return read_publish(in, flags);
    case PacketType::puback:
      return read_publish_response<PacketType::puback>(
          in, {"MQTT-2.3.1-6", "MQTT-2.2.1-5", "MQTT-3.4.2-1", C::puback});
    case PacketType::pubrec:
      return read_publish_response<PacketType::pubrec>(
          in, {"MQTT-2.3.1-6", "MQTT-2.2.1-5", "MQTT-3.5.2-1", C::pubrec});
    case PacketType::pubrel:
      return read_publish_response<PacketType::pubrel>(
          in, {"MQTT-2.3.1-6", "MQTT-2.2.1-5", "MQTT-3.6.2-1", C::pubrel});
    case PacketType::pubcomp:
      // 3.1.1 MQTT-2.3.1-6 names PUBACK, PUBREC and PUBREL; PUBCOMP echoes
      // the same identifier (§3.7.2).
      return read_publish_response<PacketType::pubcomp>(
          in, {"§3.7.2", "MQTT-2.2.1-5", "MQTT-3.7.2-1", C::pubcomp});
    case PacketType::subscribe:
      return read_subscribe(in);
    case PacketType::suback:
      return read_suback(in);
    case PacketType::unsubscribe:
      return read_unsubscribe(in);
    case PacketType::unsuback:
      return read_unsuback(in);
    case PacketType::pingreq:
      expect_end(in);
      return Pingreq{};
    case PacketType::pingresp:
      expect_end(in);
      return Pingresp{};
    case PacketType::disconnect:
      if (in.version() != ProtocolVersion::v5_0) {
        expect_end(in);
        return Disconnect{};
      }
      return read_reason_and_properties<Disconnect>(in, type, "MQTT-3.14.2-1", C::disconnect);
    case PacketType::auth:
      return read_reason_and_properties<Auth>(in, type, "MQTT-3.15.2-1", C::auth);
  }
  return Pingreq{};  // unreachable: `decode` rejects the reserved types
}

}  // namespace

}  // namespace detail

Expected<Packet, DecodeError> decode(ByteView whole_packet, ProtocolVersion version) {
  using wire::by_version;
  wire::Reader in{whole_packet, version, "packet"};
  const std::uint8_t first = in.u8("fixed header");
  if (in.failed()) return Unexpected{in.take_error()};
  const auto type_value = static_cast<std::uint8_t>(first >> 4U);
  const auto flags = static_cast<std::uint8_t>(first & 0x0FU);
  if (type_value == 0) {
    in.fail(DecodeErrorKind::unexpected_packet_type, by_version(version, "§2.2.1", "§2.1.2"),
            "packet type 0 is reserved", 0);
    return Unexpected{in.take_error()};
  }
  const auto type = static_cast<PacketType>(type_value);
  if (type == PacketType::auth && version != ProtocolVersion::v5_0) {
    in.fail(DecodeErrorKind::unsupported_packet_for_version, "§2.2.1",
            "packet type 15 (AUTH) exists only in MQTT 5.0; it is reserved in 3.1.1", 0);
    return Unexpected{in.take_error()};
  }
  in.set_packet_name(to_string(type));

  const std::uint32_t remaining_length = in.variable_integer("remaining length");
  if (in.failed()) return Unexpected{in.take_error()};
  const std::size_t header_size = in.offset();
  if (in.remaining() != remaining_length) {
    const bool short_packet = in.remaining() < remaining_length;
    in.fail(short_packet ? DecodeErrorKind::truncated : DecodeErrorKind::trailing_bytes,
            by_version(version, "§2.2.3", "§2.1.4"),
            std::string{to_string(type)} + " has remaining length " +
                std::to_string(remaining_length) + " but " + std::to_string(in.remaining()) +
                " bytes follow the fixed header",
            short_packet ? whole_packet.size() : header_size + remaining_length);
    return Unexpected{in.take_error()};
  }
  if (type != PacketType::publish) detail::check_fixed_flags(in, type, flags);
  if (in.failed()) return Unexpected{in.take_error()};

  Packet packet = detail::read_body(in, type, flags);
  if (in.failed()) return Unexpected{in.take_error()};
  return packet;
}

std::optional<DecodeError> validate(const Packet& packet, ProtocolVersion version) {
  const Bytes bytes = encode(packet, version);
  auto decoded = decode(bytes, version);
  if (decoded) return std::nullopt;
  return decoded.error();
}

}  // namespace mqttsim::codec
