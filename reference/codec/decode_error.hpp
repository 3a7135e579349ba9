#pragma once
// Why a sequence of bytes is not a valid MQTT packet, and which normative
// statement it breaks. A receiver must close the connection on any of these
// (MQTT-4.8.0-1 in 3.1.1, MQTT-4.13.1-1 in 5.0); in 5.0 it may first send
// DISCONNECT with `reason` (0x81 malformed packet or 0x82 protocol error, or
// 0x95 for an oversized packet).

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>

#include "base/spec_ref.hpp"
#include "codec/reason_code.hpp"

namespace mqttsim::codec {

enum class DecodeErrorKind {
  truncated,                   // the packet ends before a field does
  trailing_bytes,              // bytes left over after the last field
  malformed_variable_integer,  // more than 4 bytes, or an over-long encoding (5.0)
  packet_too_large,            // beyond the receiver's maximum packet size
  reserved_flags,              // fixed-header flag bits that Table 2.2 fixes
  invalid_qos,                 // QoS 3
  invalid_dup_flag,            // DUP=1 on a QoS 0 PUBLISH
  invalid_utf8,                // ill-formed UTF-8 or an encoded surrogate
  null_character,              // U+0000 in a string
  zero_packet_id,              // packet identifier 0 where one is required
  wildcard_in_topic_name,      // '+' or '#' in a PUBLISH topic
  invalid_topic_name,          // empty topic name (without a 5.0 topic alias)
  invalid_topic_filter,        // empty, or a misplaced '+' / '#'
  empty_subscription_list,     // SUBSCRIBE or UNSUBSCRIBE without a payload entry
  invalid_subscription_options,
  duplicate_property,
  property_not_allowed,  // a valid property in a packet that may not carry it
  unknown_property,
  invalid_property_value,
  invalid_reason_code,  // not one the packet type may carry
  invalid_protocol_name,
  unsupported_protocol_level,
  reserved_connect_flag,
  invalid_will_flags,         // will QoS/retain without the will flag, or will QoS 3
  password_without_username,  // 3.1.1 only
  unexpected_packet_type,     // type 0, or AUTH in 3.1.1
  unsupported_packet_for_version,
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
