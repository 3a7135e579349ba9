#include "codec/decode_error.hpp"

#include <ostream>

namespace mqttsim::codec {

std::string_view to_string(DecodeErrorKind kind) {
  using K = DecodeErrorKind;
  switch (kind) {
    case K::truncated:
      return "truncated";
    case K::trailing_bytes:
      return "trailing_bytes";
    case K::malformed_variable_integer:
      return "malformed_variable_integer";
    case K::packet_too_large:
      return "packet_too_large";
    case K::reserved_flags:
      return "reserved_flags";
    case K::invalid_qos:
      return "invalid_qos";
    case K::invalid_dup_flag:
      return "invalid_dup_flag";
    case K::invalid_utf8:
      return "invalid_utf8";
    case K::null_character:
      return "null_character";
    case K::zero_packet_id:
      return "zero_packet_id";
    case K::wildcard_in_topic_name:
      return "wildcard_in_topic_name";
    case K::invalid_topic_name:
      return "invalid_topic_name";
    case K::invalid_topic_filter:
      return "invalid_topic_filter";
    case K::empty_subscription_list:
      return "empty_subscription_list";
    case K::invalid_subscription_options:
      return "invalid_subscription_options";
    case K::duplicate_property:
      return "duplicate_property";
    case K::property_not_allowed:
      return "property_not_allowed";
    case K::unknown_property:
      return "unknown_property";
    case K::invalid_property_value:
      return "invalid_property_value";
    case K::invalid_reason_code:
      return "invalid_reason_code";
    case K::invalid_protocol_name:
      return "invalid_protocol_name";
    case K::unsupported_protocol_level:
      return "unsupported_protocol_level";
    case K::reserved_connect_flag:
      return "reserved_connect_flag";
    case K::invalid_will_flags:
      return "invalid_will_flags";
    case K::password_without_username:
      return "password_without_username";
    case K::unexpected_packet_type:
      return "unexpected_packet_type";
    case K::unsupported_packet_for_version:
      return "unsupported_packet_for_version";
  }
  return "unknown_decode_error";
}

std::string to_string(const DecodeError& error) {
  std::string text = to_string(error.spec);
  text += ": ";
  text += error.message;
  text += " (at byte ";
  text += std::to_string(error.offset);
  text += ')';
  return text;
}

std::ostream& operator<<(std::ostream& out, DecodeErrorKind kind) { return out << to_string(kind); }

}  // namespace mqttsim::codec
