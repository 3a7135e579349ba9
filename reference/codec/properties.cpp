// MQTT 5.0 properties: the §2.2.2.2 table (identifier, name, data type,
// which packets may carry it) and the checks the spec attaches to each one.

#include <array>
#include <string>

#include "codec/property_codec.hpp"
#include "codec/topic.hpp"

namespace mqttsim::codec {

namespace {

enum class ValueType : std::uint8_t {
  byte,
  two_byte_integer,
  four_byte_integer,
  variable_integer,
  utf8_string,
  binary_data,
  string_pair,
};

constexpr std::uint16_t bit(PropertyContext context) {
  return static_cast<std::uint16_t>(1U << static_cast<unsigned>(context));
}

using C = PropertyContext;
constexpr std::uint16_t kAcks = bit(C::puback) | bit(C::pubrec) | bit(C::pubrel) | bit(C::pubcomp);
constexpr std::uint16_t kMessage = bit(C::publish) | bit(C::will);

struct PropertyInfo {
  PropertyId id;
  std::string_view name;
  ValueType type;
  std::uint16_t allowed_in;  // bits of PropertyContext
  // Where the spec defines the property's values (cited when a value is out
  // of range); the first packet section that describes it.
  std::string_view section;
};

// §2.2.2.2, Table 2-4, in identifier order.
constexpr std::array kProperties{
    PropertyInfo{PropertyId::payload_format_indicator, "Payload Format Indicator", ValueType::byte,
                 kMessage, "§3.3.2.3.2"},
    PropertyInfo{PropertyId::message_expiry_interval, "Message Expiry Interval",
                 ValueType::four_byte_integer, kMessage, "§3.3.2.3.3"},
    PropertyInfo{PropertyId::content_type, "Content Type", ValueType::utf8_string, kMessage,
                 "§3.3.2.3.9"},
    PropertyInfo{PropertyId::response_topic, "Response Topic", ValueType::utf8_string, kMessage,
                 "MQTT-3.3.2-14"},
    PropertyInfo{PropertyId::correlation_data, "Correlation Data", ValueType::binary_data, kMessage,
                 "§3.3.2.3.6"},
    PropertyInfo{PropertyId::subscription_identifier, "Subscription Identifier",
                 ValueType::variable_integer, bit(C::publish) | bit(C::subscribe), "§3.8.2.1.2"},
    PropertyInfo{PropertyId::session_expiry_interval, "Session Expiry Interval",
                 ValueType::four_byte_integer,
                 bit(C::connect) | bit(C::connack) | bit(C::disconnect), "§3.1.2.11.2"},
    PropertyInfo{PropertyId::assigned_client_identifier, "Assigned Client Identifier",
                 ValueType::utf8_string, bit(C::connack), "§3.2.2.3.7"},
    PropertyInfo{PropertyId::server_keep_alive, "Server Keep Alive", ValueType::two_byte_integer,
                 bit(C::connack), "§3.2.2.3.14"},
    PropertyInfo{PropertyId::authentication_method, "Authentication Method", ValueType::utf8_string,
                 bit(C::connect) | bit(C::connack) | bit(C::auth), "§3.1.2.11.9"},
    PropertyInfo{PropertyId::authentication_data, "Authentication Data", ValueType::binary_data,
                 bit(C::connect) | bit(C::connack) | bit(C::auth), "§3.1.2.11.10"},
    PropertyInfo{PropertyId::request_problem_information, "Request Problem Information",
                 ValueType::byte, bit(C::connect), "§3.1.2.11.7"},
    PropertyInfo{PropertyId::will_delay_interval, "Will Delay Interval",
                 ValueType::four_byte_integer, bit(C::will), "§3.1.3.2.2"},
    PropertyInfo{PropertyId::request_response_information, "Request Response Information",
                 ValueType::byte, bit(C::connect), "§3.1.2.11.6"},
    PropertyInfo{PropertyId::response_information, "Response Information", ValueType::utf8_string,
                 bit(C::connack), "§3.2.2.3.15"},
    PropertyInfo{PropertyId::server_reference, "Server Reference", ValueType::utf8_string,
                 bit(C::connack) | bit(C::disconnect), "§3.2.2.3.16"},
    PropertyInfo{PropertyId::reason_string, "Reason String", ValueType::utf8_string,
                 bit(C::connack) | kAcks | bit(C::suback) | bit(C::unsuback) | bit(C::disconnect) |
                     bit(C::auth),
                 "§3.2.2.3.9"},
    PropertyInfo{PropertyId::receive_maximum, "Receive Maximum", ValueType::two_byte_integer,
                 bit(C::connect) | bit(C::connack), "§3.1.2.11.3"},
    PropertyInfo{PropertyId::topic_alias_maximum, "Topic Alias Maximum",
                 ValueType::two_byte_integer, bit(C::connect) | bit(C::connack), "§3.1.2.11.5"},
    PropertyInfo{PropertyId::topic_alias, "Topic Alias", ValueType::two_byte_integer,
                 bit(C::publish), "MQTT-3.3.2-8"},
    PropertyInfo{PropertyId::maximum_qos, "Maximum QoS", ValueType::byte, bit(C::connack),
                 "§3.2.2.3.4"},
    PropertyInfo{PropertyId::retain_available, "Retain Available", ValueType::byte, bit(C::connack),
                 "§3.2.2.3.5"},
    PropertyInfo{
        PropertyId::user_property, "User Property", ValueType::string_pair,
        static_cast<std::uint16_t>(bit(C::connect) | bit(C::connack) | kMessage | kAcks |
                                   bit(C::subscribe) | bit(C::suback) | bit(C::unsubscribe) |
                                   bit(C::unsuback) | bit(C::disconnect) | bit(C::auth)),
        "§3.1.2.11.8"},
    PropertyInfo{PropertyId::maximum_packet_size, "Maximum Packet Size",
                 ValueType::four_byte_integer, bit(C::connect) | bit(C::connack), "§3.1.2.11.4"},
    PropertyInfo{PropertyId::wildcard_subscription_available, "Wildcard Subscription Available",
                 ValueType::byte, bit(C::connack), "§3.2.2.3.11"},
    PropertyInfo{PropertyId::subscription_identifier_available, "Subscription Identifier Available",
                 ValueType::byte, bit(C::connack), "§3.2.2.3.12"},
    PropertyInfo{PropertyId::shared_subscription_available, "Shared Subscription Available",
                 ValueType::byte, bit(C::connack), "§3.2.2.3.13"},
};

// Identifier -> position in kProperties (-1: not a property), so a decoder
// looks a property up in constant time.
constexpr auto kIndexById = [] {
  std::array<std::int8_t, 0x2B> index{};
  index.fill(-1);
  for (std::size_t i = 0; i < kProperties.size(); ++i) {
    index[static_cast<std::size_t>(kProperties[i].id)] = static_cast<std::int8_t>(i);
  }
  return index;
}();

const PropertyInfo* find_info(std::uint32_t id) {
  if (id >= kIndexById.size() || kIndexById[id] < 0) return nullptr;
  return &kProperties[static_cast<std::size_t>(kIndexById[id])];
}

}  // namespace

bool is_known_property(std::uint8_t value) { return find_info(value) != nullptr; }

bool is_allowed(PropertyId id, PropertyContext context) {
  const PropertyInfo* info = find_info(static_cast<std::uint32_t>(id));
  return info != nullptr && (info->allowed_in & bit(context)) != 0;
}

bool may_repeat(PropertyId id, PropertyContext context) {
  if (!is_allowed(id, context)) return false;
  return id == PropertyId::user_property ||
         (id == PropertyId::subscription_identifier && context == PropertyContext::publish);
}

std::string_view to_string(PropertyId id) {
  const PropertyInfo* info = find_info(static_cast<std::uint32_t>(id));
  return info != nullptr ? info->name : "unknown property";
}

std::string_view to_string(PropertyContext context) {
  switch (context) {
    case C::connect:
      return "CONNECT";
    case C::connack:
      return "CONNACK";
    case C::publish:
      return "PUBLISH";
    case C::will:
      return "Will Properties";
    case C::puback:
      return "PUBACK";
    case C::pubrec:
      return "PUBREC";
    case C::pubrel:
      return "PUBREL";
    case C::pubcomp:
      return "PUBCOMP";
    case C::subscribe:
      return "SUBSCRIBE";
    case C::suback:
      return "SUBACK";
    case C::unsubscribe:
      return "UNSUBSCRIBE";
    case C::unsuback:
      return "UNSUBACK";
    case C::disconnect:
      return "DISCONNECT";
    case C::auth:
      return "AUTH";
  }
  return "unknown context";
}

namespace wire {

namespace {

void write_id(Writer& out, PropertyId id) { out.u8(static_cast<std::uint8_t>(id)); }

void write_u8(Writer& out, PropertyId id, const std::optional<std::uint8_t>& value) {
  if (!value) return;
  write_id(out, id);
  out.u8(*value);
}
void write_u16(Writer& out, PropertyId id, const std::optional<std::uint16_t>& value) {
  if (!value) return;
  write_id(out, id);
  out.u16(*value);
}
void write_u32(Writer& out, PropertyId id, const std::optional<std::uint32_t>& value) {
  if (!value) return;
  write_id(out, id);
  out.u32(*value);
}
void write_string(Writer& out, PropertyId id, const BoxedOptional<std::string>& value) {
  if (!value) return;
  write_id(out, id);
  out.utf8_string(*value);
}
void write_binary(Writer& out, PropertyId id, const BoxedOptional<Bytes>& value) {
  if (!value) return;
  write_id(out, id);
  out.binary(*value);
}

// What a decoder keeps while it walks one property list.
struct ListReader {
  Reader& in;
  PropertyContext context;
  Properties properties;

  std::string where() const { return std::string{" in "} + std::string{to_string(context)}; }

  void protocol_error(DecodeErrorKind kind, std::string_view spec_id, std::string message,
                      std::size_t offset) {
    in.fail(kind, spec_id, std::move(message), offset, ReasonCode::protocol_error);
  }

  // Slot: std::optional<T>, or BoxedOptional<T> for the rarely present ones.
  template <class Slot, class T>
  void set_once(Slot& slot, T value, const PropertyInfo& info, std::size_t offset) {
    if (slot.has_value()) {
      // "It is a Protocol Error to include <property> more than once."
      protocol_error(DecodeErrorKind::duplicate_property, "§2.2.2.2",
                     std::string{info.name} + " appears more than once" + where(), offset);
      return;
    }
    slot = std::move(value);
  }

  // Byte properties whose only values are 0 and 1.
  void set_flag(std::optional<std::uint8_t>& slot, const PropertyInfo& info, std::size_t offset) {
    const std::uint8_t value = in.u8(info.name);
    if (in.failed()) return;
    if (value > 1) {
      protocol_error(
          DecodeErrorKind::invalid_property_value, info.section,
          std::string{info.name} + " is " + std::to_string(value) + where() + "; it must be 0 or 1",
          offset);
      return;
    }
    set_once(slot, value, info, offset);
  }

  void set_nonzero_u16(std::optional<std::uint16_t>& slot, const PropertyInfo& info,
                       std::size_t offset) {
    const std::uint16_t value = in.u16(info.name);
    if (in.failed()) return;
    if (value == 0) {
      protocol_error(DecodeErrorKind::invalid_property_value, info.section,
                     std::string{info.name} + " is 0" + where() + "; it must be at least 1",
                     offset);
      return;
    }
    set_once(slot, value, info, offset);
  }

  void read_one(const PropertyInfo& info, std::size_t offset) {
    Properties& p = properties;
    switch (info.id) {
      case PropertyId::payload_format_indicator:
        return set_flag(p.payload_format_indicator, info, offset);
      case PropertyId::message_expiry_interval:
        return set_once(p.message_expiry_interval, in.u32(info.name), info, offset);
      case PropertyId::content_type:
        return set_once(p.content_type, in.utf8_string(info.name), info, offset);
      case PropertyId::response_topic: {
        const std::size_t text_offset = in.offset() + 2;
        std::string topic = in.utf8_string(info.name);
        if (in.failed()) return;
        // A Response Topic is a Topic Name: no wildcards (MQTT-3.3.2-14),
        // not empty (MQTT-4.7.3-1).
        if (auto error = check_topic_name_structure(topic, ProtocolVersion::v5_0)) {
          const std::string_view spec_id = error->kind == DecodeErrorKind::wildcard_in_topic_name
                                               ? "MQTT-3.3.2-14"
                                               : error->spec.id;
          protocol_error(DecodeErrorKind::invalid_property_value, spec_id,
                         "Response Topic \"" + topic + "\"" + where() +
                             " is not a valid topic name: " + error->message,
                         text_offset + error->offset);
          return;
        }
        return set_once(p.response_topic, std::move(topic), info, offset);
      }
      case PropertyId::correlation_data:
        return set_once(p.correlation_data, in.binary(info.name), info, offset);
      case PropertyId::subscription_identifier: {
        const std::uint32_t value = in.variable_integer(info.name);
        if (in.failed()) return;
        if (value == 0) {
          protocol_error(DecodeErrorKind::invalid_property_value,
                         context == C::publish ? "§3.3.2.3.8" : "§3.8.2.1.2",
                         "Subscription Identifier is 0" + where() + "; it must be 1 to 268435455",
                         offset);
          return;
        }
        if (!p.subscription_identifiers.empty() && !may_repeat(info.id, context)) {
          protocol_error(DecodeErrorKind::duplicate_property, "§3.8.2.1.2",
                         "Subscription Identifier appears more than once" + where(), offset);
          return;
        }
        p.subscription_identifiers.push_back(value);
        return;
      }
      case PropertyId::session_expiry_interval:
        return set_once(p.session_expiry_interval, in.u32(info.name), info, offset);
      case PropertyId::assigned_client_identifier:
        return set_once(p.assigned_client_identifier, in.utf8_string(info.name), info, offset);
      case PropertyId::server_keep_alive:
        return set_once(p.server_keep_alive, in.u16(info.name), info, offset);
      case PropertyId::authentication_method:
        return set_once(p.authentication_method, in.utf8_string(info.name), info, offset);
      case PropertyId::authentication_data:
        return set_once(p.authentication_data, in.binary(info.name), info, offset);
      case PropertyId::request_problem_information:
        return set_flag(p.request_problem_information, info, offset);
      case PropertyId::will_delay_interval:
        return set_once(p.will_delay_interval, in.u32(info.name), info, offset);
      case PropertyId::request_response_information:
        return set_flag(p.request_response_information, info, offset);
      case PropertyId::response_information:
        return set_once(p.response_information, in.utf8_string(info.name), info, offset);
      case PropertyId::server_reference:
        return set_once(p.server_reference, in.utf8_string(info.name), info, offset);
      case PropertyId::reason_string:
        return set_once(p.reason_string, in.utf8_string(info.name), info, offset);
      case PropertyId::receive_maximum:
        return set_nonzero_u16(p.receive_maximum, info, offset);
      case PropertyId::topic_alias_maximum:
        return set_once(p.topic_alias_maximum, in.u16(info.name), info, offset);
      case PropertyId::topic_alias:
        return set_nonzero_u16(p.topic_alias, info, offset);
      case PropertyId::maximum_qos:
        return set_flag(p.maximum_qos, info, offset);
      case PropertyId::retain_available:
        return set_flag(p.retain_available, info, offset);
      case PropertyId::user_property: {
        // Both halves of a UTF-8 String Pair follow the string rules
        // (MQTT-1.5.7-1); the string reader cites MQTT-1.5.4-1/-2.
        std::string name = in.utf8_string("User Property name");
        std::string value = in.utf8_string("User Property value");
        if (in.failed()) return;
        p.user_properties.push_back(UserProperty{std::move(name), std::move(value)});
        return;
      }
      case PropertyId::maximum_packet_size: {
        const std::uint32_t value = in.u32(info.name);
        if (in.failed()) return;
        if (value == 0) {
          protocol_error(DecodeErrorKind::invalid_property_value, info.section,
                         "Maximum Packet Size is 0" + where() + "; it must be at least 1", offset);
          return;
        }
        return set_once(p.maximum_packet_size, value, info, offset);
      }
      case PropertyId::wildcard_subscription_available:
        return set_flag(p.wildcard_subscription_available, info, offset);
      case PropertyId::subscription_identifier_available:
        return set_flag(p.subscription_identifier_available, info, offset);
      case PropertyId::shared_subscription_available:
        return set_flag(p.shared_subscription_available, info, offset);
    }
  }
};

}  // namespace

void write_properties(const Properties& p, Writer& out) {
  const std::size_t mark = out.mark();
  write_u8(out, PropertyId::payload_format_indicator, p.payload_format_indicator);
  write_u32(out, PropertyId::message_expiry_interval, p.message_expiry_interval);
  write_string(out, PropertyId::content_type, p.content_type);
  write_string(out, PropertyId::response_topic, p.response_topic);
  write_binary(out, PropertyId::correlation_data, p.correlation_data);
  for (const std::uint32_t id : p.subscription_identifiers) {
    write_id(out, PropertyId::subscription_identifier);
    out.variable_integer(id);
  }
  write_u32(out, PropertyId::session_expiry_interval, p.session_expiry_interval);
  write_string(out, PropertyId::assigned_client_identifier, p.assigned_client_identifier);
  write_u16(out, PropertyId::server_keep_alive, p.server_keep_alive);
  write_string(out, PropertyId::authentication_method, p.authentication_method);
  write_binary(out, PropertyId::authentication_data, p.authentication_data);
  write_u8(out, PropertyId::request_problem_information, p.request_problem_information);
  write_u32(out, PropertyId::will_delay_interval, p.will_delay_interval);
  write_u8(out, PropertyId::request_response_information, p.request_response_information);
  write_string(out, PropertyId::response_information, p.response_information);
  write_string(out, PropertyId::server_reference, p.server_reference);
  write_string(out, PropertyId::reason_string, p.reason_string);
  write_u16(out, PropertyId::receive_maximum, p.receive_maximum);
  write_u16(out, PropertyId::topic_alias_maximum, p.topic_alias_maximum);
  write_u16(out, PropertyId::topic_alias, p.topic_alias);
  write_u8(out, PropertyId::maximum_qos, p.maximum_qos);
  write_u8(out, PropertyId::retain_available, p.retain_available);
  for (const UserProperty& pair : p.user_properties) {
    write_id(out, PropertyId::user_property);
    out.utf8_string(pair.name);
    out.utf8_string(pair.value);
  }
  write_u32(out, PropertyId::maximum_packet_size, p.maximum_packet_size);
  write_u8(out, PropertyId::wildcard_subscription_available, p.wildcard_subscription_available);
  write_u8(out, PropertyId::subscription_identifier_available, p.subscription_identifier_available);
  write_u8(out, PropertyId::shared_subscription_available, p.shared_subscription_available);
  out.insert_length_since(mark);
}

Properties read_properties(Reader& in, PropertyContext context) {
  ListReader list{in, context, {}};
  const std::uint32_t length = in.variable_integer("property length");
  const std::size_t previous_end = in.limit_to(length, "property list");
  while (!in.at_end()) {
    const std::size_t offset = in.offset();
    // The identifier is a variable byte integer; every 5.0 identifier fits
    // in one byte.
    const std::uint32_t id = in.variable_integer("property identifier");
    if (in.failed()) break;
    const PropertyInfo* info = find_info(id);
    if (info == nullptr) {
      in.fail(DecodeErrorKind::unknown_property, "§2.2.2.2",
              "property identifier " + std::to_string(id) + " is not defined" + list.where(),
              offset);
      break;
    }
    if ((info->allowed_in & bit(context)) == 0) {
      // "A Control Packet which contains an Identifier which is not valid for
      // its packet type ... is a Malformed Packet" (§2.2.2.2).
      in.fail(DecodeErrorKind::property_not_allowed, "§2.2.2.2",
              std::string{info->name} + " is not allowed" + list.where(), offset);
      break;
    }
    list.read_one(*info, offset);
  }
  in.restore_end(previous_end);
  if (!in.failed() && context == C::connect && list.properties.authentication_data &&
      !list.properties.authentication_method) {
    list.protocol_error(DecodeErrorKind::invalid_property_value, "§3.1.2.11.10",
                        "CONNECT has Authentication Data without an Authentication Method",
                        in.offset());
  }
  return std::move(list.properties);
}

}  // namespace wire

}  // namespace mqttsim::codec
