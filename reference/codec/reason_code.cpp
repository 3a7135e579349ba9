// MQTT 5.0 reason codes: names, and which packet types may carry each one
// (§2.4 Table 2-6, which agrees with each packet's own table).

#include "codec/reason_code.hpp"

#include <array>

#include "codec/packet.hpp"

namespace mqttsim::codec {

namespace {

constexpr std::uint16_t bit(PacketType type) {
  return static_cast<std::uint16_t>(1U << static_cast<unsigned>(type));
}

using T = PacketType;
constexpr std::uint16_t kConnack = bit(T::connack);
constexpr std::uint16_t kPubackPubrec = bit(T::puback) | bit(T::pubrec);
constexpr std::uint16_t kPubrelPubcomp = bit(T::pubrel) | bit(T::pubcomp);
constexpr std::uint16_t kSuback = bit(T::suback);
constexpr std::uint16_t kUnsuback = bit(T::unsuback);
constexpr std::uint16_t kDisconnect = bit(T::disconnect);
constexpr std::uint16_t kAuth = bit(T::auth);

struct ReasonInfo {
  ReasonCode code;
  std::string_view name;
  std::uint16_t packets;  // bits of PacketType
};

constexpr std::array kReasons{
    ReasonInfo{
        ReasonCode::success, "success",
        kConnack | kPubackPubrec | kPubrelPubcomp | kSuback | kUnsuback | kDisconnect | kAuth},
    ReasonInfo{ReasonCode::granted_qos_1, "granted_qos_1", kSuback},
    ReasonInfo{ReasonCode::granted_qos_2, "granted_qos_2", kSuback},
    ReasonInfo{ReasonCode::disconnect_with_will_message, "disconnect_with_will_message",
               kDisconnect},
    ReasonInfo{ReasonCode::no_matching_subscribers, "no_matching_subscribers", kPubackPubrec},
    ReasonInfo{ReasonCode::no_subscription_existed, "no_subscription_existed", kUnsuback},
    ReasonInfo{ReasonCode::continue_authentication, "continue_authentication", kAuth},
    ReasonInfo{ReasonCode::re_authenticate, "re_authenticate", kAuth},
    ReasonInfo{ReasonCode::unspecified_error, "unspecified_error",
               kConnack | kPubackPubrec | kSuback | kUnsuback | kDisconnect},
    ReasonInfo{ReasonCode::malformed_packet, "malformed_packet", kConnack | kDisconnect},
    ReasonInfo{ReasonCode::protocol_error, "protocol_error", kConnack | kDisconnect},
    ReasonInfo{ReasonCode::implementation_specific_error, "implementation_specific_error",
               kConnack | kPubackPubrec | kSuback | kUnsuback | kDisconnect},
    ReasonInfo{ReasonCode::unsupported_protocol_version, "unsupported_protocol_version", kConnack},
    ReasonInfo{ReasonCode::client_identifier_not_valid, "client_identifier_not_valid", kConnack},
    ReasonInfo{ReasonCode::bad_user_name_or_password, "bad_user_name_or_password", kConnack},
    ReasonInfo{ReasonCode::not_authorized, "not_authorized",
               kConnack | kPubackPubrec | kSuback | kUnsuback | kDisconnect},
    ReasonInfo{ReasonCode::server_unavailable, "server_unavailable", kConnack},
    ReasonInfo{ReasonCode::server_busy, "server_busy", kConnack | kDisconnect},
    ReasonInfo{ReasonCode::banned, "banned", kConnack},
    ReasonInfo{ReasonCode::server_shutting_down, "server_shutting_down", kDisconnect},
    ReasonInfo{ReasonCode::bad_authentication_method, "bad_authentication_method",
               kConnack | kDisconnect},
    ReasonInfo{ReasonCode::keep_alive_timeout, "keep_alive_timeout", kDisconnect},
    ReasonInfo{ReasonCode::session_taken_over, "session_taken_over", kDisconnect},
    ReasonInfo{ReasonCode::topic_filter_invalid, "topic_filter_invalid",
               kSuback | kUnsuback | kDisconnect},
    ReasonInfo{ReasonCode::topic_name_invalid, "topic_name_invalid",
               kConnack | kPubackPubrec | kDisconnect},
    ReasonInfo{ReasonCode::packet_identifier_in_use, "packet_identifier_in_use",
               kPubackPubrec | kSuback | kUnsuback},
    ReasonInfo{ReasonCode::packet_identifier_not_found, "packet_identifier_not_found",
               kPubrelPubcomp},
    ReasonInfo{ReasonCode::receive_maximum_exceeded, "receive_maximum_exceeded", kDisconnect},
    ReasonInfo{ReasonCode::topic_alias_invalid, "topic_alias_invalid", kDisconnect},
    ReasonInfo{ReasonCode::packet_too_large, "packet_too_large", kConnack | kDisconnect},
    ReasonInfo{ReasonCode::message_rate_too_high, "message_rate_too_high", kDisconnect},
    ReasonInfo{ReasonCode::quota_exceeded, "quota_exceeded",
               kConnack | kPubackPubrec | kSuback | kDisconnect},
    ReasonInfo{ReasonCode::administrative_action, "administrative_action", kDisconnect},
    ReasonInfo{ReasonCode::payload_format_invalid, "payload_format_invalid",
               kConnack | kPubackPubrec | kDisconnect},
    ReasonInfo{ReasonCode::retain_not_supported, "retain_not_supported", kConnack | kDisconnect},
    ReasonInfo{ReasonCode::qos_not_supported, "qos_not_supported", kConnack | kDisconnect},
    ReasonInfo{ReasonCode::use_another_server, "use_another_server", kConnack | kDisconnect},
    ReasonInfo{ReasonCode::server_moved, "server_moved", kConnack | kDisconnect},
    ReasonInfo{ReasonCode::shared_subscriptions_not_supported, "shared_subscriptions_not_supported",
               kSuback | kDisconnect},
    ReasonInfo{ReasonCode::connection_rate_exceeded, "connection_rate_exceeded",
               kConnack | kDisconnect},
    ReasonInfo{ReasonCode::maximum_connect_time, "maximum_connect_time", kDisconnect},
    ReasonInfo{ReasonCode::subscription_identifiers_not_supported,
               "subscription_identifiers_not_supported", kSuback | kDisconnect},
    ReasonInfo{ReasonCode::wildcard_subscriptions_not_supported,
               "wildcard_subscriptions_not_supported", kSuback | kDisconnect},
};

// Code -> position in kReasons (-1: not a reason code).
constexpr auto kIndexByCode = [] {
  std::array<std::int8_t, 256> index{};
  index.fill(-1);
  for (std::size_t i = 0; i < kReasons.size(); ++i) {
    index[static_cast<std::size_t>(kReasons[i].code)] = static_cast<std::int8_t>(i);
  }
  return index;
}();

const ReasonInfo* find_info(std::uint8_t value) {
  const std::int8_t position = kIndexByCode[value];
  return position < 0 ? nullptr : &kReasons[static_cast<std::size_t>(position)];
}

}  // namespace

std::string_view to_string(ReasonCode code) {
  const ReasonInfo* info = find_info(static_cast<std::uint8_t>(code));
  return info != nullptr ? info->name : "";
}

std::string_view to_string(ConnectReturnCode code) {
  switch (code) {
    case ConnectReturnCode::accepted:
      return "accepted";
    case ConnectReturnCode::unacceptable_protocol_version:
      return "unacceptable_protocol_version";
    case ConnectReturnCode::identifier_rejected:
      return "identifier_rejected";
    case ConnectReturnCode::server_unavailable:
      return "server_unavailable";
    case ConnectReturnCode::bad_user_name_or_password:
      return "bad_user_name_or_password";
    case ConnectReturnCode::not_authorized:
      return "not_authorized";
  }
  return "";
}

bool is_reason_code(std::uint8_t value) { return find_info(value) != nullptr; }

bool is_allowed_reason_code(std::uint8_t value, PacketType type) {
  const ReasonInfo* info = find_info(value);
  return info != nullptr && (info->packets & bit(type)) != 0;
}

bool is_allowed(ReasonCode code, PacketType type) {
  return is_allowed_reason_code(static_cast<std::uint8_t>(code), type);
}

}  // namespace mqttsim::codec
