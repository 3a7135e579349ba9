#pragma once
// MQTT 5.0 properties (§2.2.2). One optional field per property, so code
// reads `props.session_expiry_interval` rather than searching a list. The
// two properties that may repeat are vectors. The encoder writes properties
// in ascending identifier order, which makes that order the canonical one.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codec/boxed_optional.hpp"

namespace mqttsim::codec {

using Bytes = std::vector<std::uint8_t>;

enum class PropertyId : std::uint8_t {
  payload_format_indicator = 0x01,
  message_expiry_interval = 0x02,
  content_type = 0x03,
  response_topic = 0x08,
  correlation_data = 0x09,
  subscription_identifier = 0x0B,
  session_expiry_interval = 0x11,
  assigned_client_identifier = 0x12,
  server_keep_alive = 0x13,
  authentication_method = 0x15,
  authentication_data = 0x16,
  request_problem_information = 0x17,
  will_delay_interval = 0x18,
  request_response_information = 0x19,
  response_information = 0x1A,
  server_reference = 0x1C,
  reason_string = 0x1F,
  receive_maximum = 0x21,
  topic_alias_maximum = 0x22,
  topic_alias = 0x23,
  maximum_qos = 0x24,
  retain_available = 0x25,
  user_property = 0x26,
  maximum_packet_size = 0x27,
  wildcard_subscription_available = 0x28,
  subscription_identifier_available = 0x29,
  shared_subscription_available = 0x2A,
};

struct UserProperty {
  std::string name;
  std::string value;
  bool operator==(const UserProperty&) const = default;
};

struct Properties {
  std::optional<std::uint8_t> payload_format_indicator;
  std::optional<std::uint32_t> message_expiry_interval;
  BoxedOptional<std::string> content_type;
  BoxedOptional<std::string> response_topic;
  BoxedOptional<Bytes> correlation_data;
  std::vector<std::uint32_t>
      subscription_identifiers;  // a server-to-client PUBLISH may carry several
  std::optional<std::uint32_t> session_expiry_interval;
  BoxedOptional<std::string> assigned_client_identifier;
  std::optional<std::uint16_t> server_keep_alive;
  BoxedOptional<std::string> authentication_method;
  BoxedOptional<Bytes> authentication_data;
  std::optional<std::uint8_t> request_problem_information;
  std::optional<std::uint32_t> will_delay_interval;
  std::optional<std::uint8_t> request_response_information;
  BoxedOptional<std::string> response_information;
  BoxedOptional<std::string> server_reference;
  BoxedOptional<std::string> reason_string;
  std::optional<std::uint16_t> receive_maximum;
  std::optional<std::uint16_t> topic_alias_maximum;
  std::optional<std::uint16_t> topic_alias;
  std::optional<std::uint8_t> maximum_qos;
  std::optional<std::uint8_t> retain_available;
  std::vector<UserProperty> user_properties;  // order is significant and kept
  std::optional<std::uint32_t> maximum_packet_size;
  std::optional<std::uint8_t> wildcard_subscription_available;
  std::optional<std::uint8_t> subscription_identifier_available;
  std::optional<std::uint8_t> shared_subscription_available;

  bool empty() const { return *this == Properties{}; }
  bool operator==(const Properties&) const = default;
};

// Where a property list sits: each packet type that has one, plus the Will
// Properties of CONNECT. The §2.2.2.2 table says which property may go where.
enum class PropertyContext : std::uint8_t {
  connect,
  connack,
  publish,
  will,
  puback,
  pubrec,
  pubrel,
  pubcomp,
  subscribe,
  suback,
  unsubscribe,
  unsuback,
  disconnect,
  auth,
};

// The §2.2.2.2 table: may `id` appear in a property list of `context`?
bool is_allowed(PropertyId id, PropertyContext context);
// May `id` appear more than once in `context`? User Property anywhere it is
// allowed; Subscription Identifier only in PUBLISH (§3.3.2.3.8, §3.8.2.1.2).
bool may_repeat(PropertyId id, PropertyContext context);
// Is `value` one of the property identifiers 5.0 defines?
bool is_known_property(std::uint8_t value);

std::string_view to_string(PropertyId id);            // "Session Expiry Interval"
std::string_view to_string(PropertyContext context);  // "CONNECT", "Will Properties"

}  // namespace mqttsim::codec
