// CONNECT (§3.1) and CONNACK (§3.2) of both versions.

#include <string>

#include "codec/decode_parts.hpp"
#include "codec/property_codec.hpp"
#include "codec/topic.hpp"

namespace mqttsim::codec::detail {

using wire::by_version;
using wire::Reader;

namespace {

// §3.1.2.1 / §3.1.2.2: "MQTT" with level 4 (3.1.1) or 5 (5.0). Anything
// else is reported so a server can answer as the spec asks: CONNACK 0x01 in
// 3.1.1, 0x84 in 5.0 (reason `unsupported_protocol_version`).
void read_protocol(Reader& in, Connect& c) {
  const std::size_t name_offset = in.offset();
  const Bytes name_bytes = in.binary("protocol name");
  const std::size_t level_offset = in.offset();
  const std::uint8_t level = in.u8("protocol level");
  if (in.failed()) return;
  const std::string name(name_bytes.begin(), name_bytes.end());
  if (name == "MQTT" && (level == 4 || level == 5)) {
    c.version = static_cast<ProtocolVersion>(level);
    in.set_version(c.version);
    return;
  }
  // "MQIsdp" level 3 is MQTT 3.1: a real protocol, just not one we speak.
  if (name == "MQTT" || (name == "MQIsdp" && level == 3)) {
    in.fail(DecodeErrorKind::unsupported_protocol_level, "MQTT-3.1.2-2",
            "CONNECT has protocol \"" + name + "\" level " + std::to_string(level) +
                "; supported are 4 (3.1.1) and 5 (5.0)",
            level_offset, ReasonCode::unsupported_protocol_version);
    return;
  }
  std::string shown;
  for (const char ch : name) shown += (ch >= 0x20 && ch < 0x7F) ? ch : '?';
  in.fail(DecodeErrorKind::invalid_protocol_name, "MQTT-3.1.2-1",
          "CONNECT has protocol name \"" + shown + "\"; it must be \"MQTT\"", name_offset,
          ReasonCode::unsupported_protocol_version);
}

struct ConnectFlags {
  bool username = false;
  bool password = false;
  bool will_retain = false;
  std::uint8_t will_qos = 0;
  bool will = false;
  bool clean_start = false;
};

// §3.1.2.3-§3.1.2.9: the flag byte and the rules that tie its bits together.
ConnectFlags read_connect_flags(Reader& in) {
  const std::size_t offset = in.offset();
  const std::uint8_t bits = in.u8("connect flags");
  ConnectFlags f;
  if (in.failed()) return f;
  const ProtocolVersion version = in.version();
  f.username = (bits & 0x80U) != 0;
  f.password = (bits & 0x40U) != 0;
  f.will_retain = (bits & 0x20U) != 0;
  f.will_qos = static_cast<std::uint8_t>((bits >> 3U) & 0x03U);
  f.will = (bits & 0x04U) != 0;
  f.clean_start = (bits & 0x02U) != 0;
  if ((bits & 0x01U) != 0) {
    in.fail(DecodeErrorKind::reserved_connect_flag, "MQTT-3.1.2-3",
            "CONNECT has the reserved flag (bit 0) set", offset);
  } else if (!f.will && f.will_qos != 0) {
    in.fail(
        DecodeErrorKind::invalid_will_flags, by_version(version, "MQTT-3.1.2-13", "MQTT-3.1.2-11"),
        "CONNECT has Will QoS " + std::to_string(f.will_qos) + " without the Will Flag", offset);
  } else if (!f.will && f.will_retain) {
    in.fail(DecodeErrorKind::invalid_will_flags,
            by_version(version, "MQTT-3.1.2-15", "MQTT-3.1.2-13"),
            "CONNECT has Will Retain set without the Will Flag", offset);
  } else if (f.will && f.will_qos == 3) {
    in.fail(DecodeErrorKind::invalid_will_flags,
            by_version(version, "MQTT-3.1.2-14", "MQTT-3.1.2-12"), "CONNECT has Will QoS 3",
            offset);
  } else if (version == ProtocolVersion::v3_1_1 && f.password && !f.username) {
    in.fail(DecodeErrorKind::password_without_username, "MQTT-3.1.2-22",
            "CONNECT has the Password Flag without the User Name Flag", offset);
  }
  return f;
}

Will read_will(Reader& in, const ConnectFlags& flags) {
  Will will;
  will.qos = static_cast<QoS>(flags.will_qos);
  will.retain = flags.will_retain;
  if (in.version() == ProtocolVersion::v5_0) {
    will.properties = wire::read_properties(in, PropertyContext::will);
  }
  const std::size_t topic_offset = in.offset() + 2;
  will.topic = in.utf8_string("will topic");
  if (in.failed()) return will;
  if (auto error = check_topic_name_structure(will.topic, in.version())) {
    fail_protocol(in, error->kind, error->spec.id, "CONNECT will " + error->message,
                  topic_offset + error->offset);
    return will;
  }
  will.payload = in.binary("will payload");
  return will;
}

}  // namespace

// §3.1: CONNECT. The packet's own protocol level decides the version.
Connect read_connect(Reader& in) {
  Connect c;
  read_protocol(in, c);
  const ConnectFlags flags = read_connect_flags(in);
  c.clean_start = flags.clean_start;
  c.keep_alive_s = in.u16("keep alive");
  if (c.version == ProtocolVersion::v5_0) {
    c.properties = wire::read_properties(in, PropertyContext::connect);
  }
  c.client_id = in.utf8_string("client identifier");
  if (flags.will) c.will = read_will(in, flags);
  if (flags.username) c.username = in.utf8_string("user name");
  if (flags.password) c.password = in.binary("password");
  expect_end(in);
  return c;
}

// §3.2: CONNACK.
Connack read_connack(Reader& in) {
  const ProtocolVersion version = in.version();
  const bool v5 = version == ProtocolVersion::v5_0;
  Connack c;
  const std::size_t flags_offset = in.offset();
  const std::uint8_t ack_flags = in.u8("connect acknowledge flags");
  const std::size_t code_offset = in.offset();
  c.code = in.u8(v5 ? "reason code" : "return code");
  if (in.failed()) return c;
  if ((ack_flags & 0xFEU) != 0) {
    // 3.1.1 §3.2.2.1 states the rule without an id.
    in.fail(
        DecodeErrorKind::reserved_flags, by_version(version, "§3.2.2.1", "MQTT-3.2.2-1"),
        "CONNACK has reserved acknowledge flag bits set (flags " + std::to_string(ack_flags) + ")",
        flags_offset);
    return c;
  }
  c.session_present = (ack_flags & 0x01U) != 0;
  if (!v5 && c.code > static_cast<std::uint8_t>(ConnectReturnCode::not_authorized)) {
    fail_protocol(in, DecodeErrorKind::invalid_reason_code, "§3.2.2.3",
                  "CONNACK has return code " + std::to_string(c.code) + "; 3.1.1 defines 0 to 5",
                  code_offset);
    return c;
  }
  if (v5) {
    if (!is_allowed_reason_code(c.code, PacketType::connack)) {
      fail_protocol(in, DecodeErrorKind::invalid_reason_code, "MQTT-3.2.2-8",
                    "CONNACK may not carry reason code " + std::to_string(c.code), code_offset);
      return c;
    }
    c.properties = wire::read_properties(in, PropertyContext::connack);
  }
  expect_end(in);
  return c;
}

}  // namespace mqttsim::codec::detail
