// Packets -> canonical bytes (see codec.hpp). The encoder writes what the
// packet holds and does not validate it: a test or a fault scenario may
// want to send an invalid packet on purpose, and the decoder is where
// validation lives.

#include "codec/codec.hpp"
#include "codec/property_codec.hpp"
#include "codec/wire.hpp"

namespace mqttsim::codec {

namespace {

using wire::Writer;

constexpr bool is_v5(ProtocolVersion version) { return version == ProtocolVersion::v5_0; }

std::uint8_t type_bits(PacketType type) {
  return static_cast<std::uint8_t>(static_cast<unsigned>(type) << 4U);
}

std::uint8_t qos_bits(QoS qos) { return static_cast<std::uint8_t>(qos); }

// §3.1: CONNECT.
void write_body(const Connect& c, ProtocolVersion /*version*/, Writer& out) {
  const bool v5 = is_v5(c.version);
  out.utf8_string("MQTT");
  out.u8(static_cast<std::uint8_t>(c.version));
  unsigned flags = 0;
  if (c.clean_start) flags |= 0x02U;
  if (c.will) {
    flags |= 0x04U;
    flags |= static_cast<unsigned>(qos_bits(c.will->qos)) << 3U;
    if (c.will->retain) flags |= 0x20U;
  }
  if (c.password) flags |= 0x40U;
  if (c.username) flags |= 0x80U;
  out.u8(static_cast<std::uint8_t>(flags));
  out.u16(c.keep_alive_s);
  if (v5) wire::write_properties(c.properties, out);
  out.utf8_string(c.client_id);
  if (c.will) {
    if (v5) wire::write_properties(c.will->properties, out);
    out.utf8_string(c.will->topic);
    out.binary(c.will->payload);
  }
  if (c.username) out.utf8_string(*c.username);
  if (c.password) out.binary(*c.password);
}

// §3.2: CONNACK.
void write_body(const Connack& c, ProtocolVersion version, Writer& out) {
  out.u8(c.session_present ? 0x01 : 0x00);
  out.u8(c.code);
  if (is_v5(version)) wire::write_properties(c.properties, out);
}

// §3.3: PUBLISH.
void write_body(const Publish& p, ProtocolVersion version, Writer& out) {
  out.utf8_string(p.topic);
  if (p.qos != QoS::at_most_once) out.u16(p.packet_id);
  if (is_v5(version)) wire::write_properties(p.properties, out);
  out.raw(p.payload);
}

// §3.4-§3.7: PUBACK, PUBREC, PUBREL, PUBCOMP. In 5.0 the reason code is
// left out when it is Success and there are no properties, and the property
// length when there are no properties (§3.4.2.1 and its siblings).
template <PacketType kType>
void write_body(const PublishResponse<kType>& r, ProtocolVersion version, Writer& out) {
  out.u16(r.packet_id);
  if (!is_v5(version)) return;
  const bool no_properties = r.properties.empty();
  if (r.reason_code == ReasonCode::success && no_properties) return;
  out.u8(static_cast<std::uint8_t>(r.reason_code));
  if (!no_properties) wire::write_properties(r.properties, out);
}

// §3.8: SUBSCRIBE.
void write_body(const Subscribe& s, ProtocolVersion version, Writer& out) {
  out.u16(s.packet_id);
  const bool v5 = is_v5(version);
  if (v5) wire::write_properties(s.properties, out);
  for (const Subscription& sub : s.subscriptions) {
    out.utf8_string(sub.topic_filter);
    unsigned options = qos_bits(sub.max_qos);
    if (v5) {
      if (sub.no_local) options |= 0x04U;
      if (sub.retain_as_published) options |= 0x08U;
      options |= (sub.retain_handling & 0x03U) << 4U;
    }
    out.u8(static_cast<std::uint8_t>(options));
  }
}

// §3.9: SUBACK.
void write_body(const Suback& s, ProtocolVersion version, Writer& out) {
  out.u16(s.packet_id);
  if (is_v5(version)) wire::write_properties(s.properties, out);
  out.raw(s.reason_codes);
}

// §3.10: UNSUBSCRIBE.
void write_body(const Unsubscribe& u, ProtocolVersion version, Writer& out) {
  out.u16(u.packet_id);
  if (is_v5(version)) wire::write_properties(u.properties, out);
  for (const std::string& filter : u.topic_filters) out.utf8_string(filter);
}

// §3.11: UNSUBACK. 3.1.1 has no payload.
void write_body(const Unsuback& u, ProtocolVersion version, Writer& out) {
  out.u16(u.packet_id);
  if (!is_v5(version)) return;
  wire::write_properties(u.properties, out);
  for (const ReasonCode code : u.reason_codes) out.u8(static_cast<std::uint8_t>(code));
}

void write_body(const Pingreq&, ProtocolVersion, Writer&) {}
void write_body(const Pingresp&, ProtocolVersion, Writer&) {}

// DISCONNECT (§3.14) and AUTH (§3.15): remaining length 0 when the reason
// is Success and there are no properties; no property length when there
// are none.
void write_reason_and_properties(ReasonCode reason, const Properties& properties, Writer& out) {
  const bool no_properties = properties.empty();
  if (reason == ReasonCode::success && no_properties) return;
  out.u8(static_cast<std::uint8_t>(reason));
  if (!no_properties) wire::write_properties(properties, out);
}

void write_body(const Disconnect& d, ProtocolVersion version, Writer& out) {
  if (is_v5(version)) write_reason_and_properties(d.reason_code, d.properties, out);
}

void write_body(const Auth& a, ProtocolVersion, Writer& out) {
  write_reason_and_properties(a.reason_code, a.properties, out);
}

// The fixed header's flag nibble (§2.2.2 Table 2.2 / §2.1.3 Table 2-2).
std::uint8_t flag_bits(const Packet& packet) {
  if (const auto* publish = std::get_if<Publish>(&packet)) {
    unsigned flags = static_cast<unsigned>(qos_bits(publish->qos)) << 1U;
    if (publish->dup) flags |= 0x08U;
    if (publish->retain) flags |= 0x01U;
    return static_cast<std::uint8_t>(flags);
  }
  switch (type_of(packet)) {
    case PacketType::pubrel:
    case PacketType::subscribe:
    case PacketType::unsubscribe:
      return 0x02;
    default:
      return 0x00;
  }
}

}  // namespace

void encode_to(const Packet& packet, ProtocolVersion version, Bytes& out) {
  Writer writer{out};
  writer.u8(static_cast<std::uint8_t>(type_bits(type_of(packet)) | flag_bits(packet)));
  const std::size_t mark = writer.mark();
  std::visit([&](const auto& body) { write_body(body, version, writer); }, packet);
  writer.insert_length_since(mark);
}

Bytes encode(const Packet& packet, ProtocolVersion version) {
  Bytes out;
  encode_to(packet, version, out);
  return out;
}

}  // namespace mqttsim::codec
