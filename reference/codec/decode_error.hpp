#pragma once
// Why a sequence of bytes is not a valid MQTT packet, and which normative
// statement it breaks. A receiver must close the connection on any of these
// (MQTT-4.8.0-1 in 3.1.1, MQTT-4.13.1-1 in 5.0); in 5.0 it may first send
// DISCONNECT with `reason` (0x81 malformed packet or 0x82 protocol error, or
// 0x95 for an oversized packet).
//
// `reason` follows §4.13 of 5.0: 0x81 when the bytes cannot be parsed as the
// packet (truncation, bad varint, reserved bits, QoS 3 in a fixed header,
// bad UTF-8, a property identifier unknown or not allowed in the packet:
// §2.2.2.2 calls that Malformed); 0x82 where the spec says "It is a
// Protocol Error" (repeated property, bad property value, Retain Handling 3)
// and for rule breaks in well-formed fields (packet identifier 0, bad topic,
// empty subscription list, reason code not allowed). CONNECT protocol name
// and level errors carry 0x84 (Unsupported Protocol Version), the CONNACK
// code a 5.0 server answers with; a 3.1.1 server answers return code 0x01.

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>

#include "base/spec_ref.hpp"
#include "codec/reason_code.hpp"

namespace mqttsim::codec {

enum class DecodeErrorKind {
  truncated,                     // the packet ends before a field does
  trailing_bytes,                // bytes left over after the last field
  malformed_variable_integer,    // more than 4 bytes, or an over-long encoding (5.0)
  packet_too_large,              // beyond the receiver's maximum packet size (the framer's check)
  reserved_flags,                // fixed-header flag bits that Table 2.2 fixes
  invalid_qos,                   // QoS 3
  invalid_dup_flag,              // DUP=1 on a QoS 0 PUBLISH
  invalid_utf8,                  // ill-formed UTF-8 or an encoded surrogate
  null_character,                // U+0000 in a string
  zero_packet_id,                // packet identifier 0 where one is required
  wildcard_in_topic_name,        // '+' or '#' in a topic name (PUBLISH, Will Topic)
  invalid_topic_name,            // empty (without a 5.0 topic alias) or over 65,535 bytes
  invalid_topic_filter,          // empty, a misplaced '+' / '#', or a bad 5.0 "$share/..."
  empty_subscription_list,       // SUBSCRIBE or UNSUBSCRIBE without a payload entry
  invalid_subscription_options,  // reserved bits, 5.0 Retain Handling 3, No Local on a share
  duplicate_property,            // 5.0: "It is a Protocol Error to include X more than once"
  property_not_allowed,          // a valid property in a packet that may not carry it
  unknown_property,              // an identifier 5.0 does not define
  invalid_property_value,        // e.g. Maximum QoS 2, Receive Maximum 0, Topic Alias 0
  invalid_reason_code,           // not one the packet type may carry
  invalid_protocol_name,         // CONNECT protocol name other than "MQTT" (MQTT-3.1.2-1)
  unsupported_protocol_level,  // "MQTT" with a level other than 4 or 5, or MQTT 3.1 (MQTT-3.1.2-2)
  reserved_connect_flag,       // CONNECT flags bit 0 (MQTT-3.1.2-3)
  invalid_will_flags,          // will QoS/retain without the will flag, or will QoS 3
  password_without_username,   // 3.1.1 only
  unexpected_packet_type,      // packet type 0 (reserved in both versions)
  unsupported_packet_for_version,  // AUTH (type 15) in 3.1.1, where 15 is reserved
};

struct DecodeError {
  DecodeErrorKind kind;
  SpecRef spec;
  std::string message;     // plain English, names the field and the value
  std::size_t offset = 0;  // byte offset within the packet where it went wrong
  ReasonCode reason = ReasonCode::malformed_packet;
};

std::string_view to_string(DecodeErrorKind kind);
// "MQTT-3.3.1-4 (3.1.1): PUBLISH has QoS 3 (at byte 0)"
std::string to_string(const DecodeError& error);
std::ostream& operator<<(std::ostream& out, DecodeErrorKind kind);

}  // namespace mqttsim::codec
