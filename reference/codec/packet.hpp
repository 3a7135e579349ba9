#pragma once
// The MQTT control packets of 3.1.1 and 5.0 as plain values. One struct per
// packet type; fields that exist only in 5.0 (properties, most reason codes)
// are ignored when encoding 3.1.1 and left at their defaults when decoding it.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "base/spec_ref.hpp"
#include "codec/boxed_optional.hpp"
#include "codec/properties.hpp"
#include "codec/reason_code.hpp"

namespace mqttsim::codec {

using mqttsim::ProtocolVersion;

enum class PacketType : std::uint8_t {
  connect = 1,
  connack = 2,
  publish = 3,
  puback = 4,
  pubrec = 5,
  pubrel = 6,
  pubcomp = 7,
  subscribe = 8,
  suback = 9,
  unsubscribe = 10,
  unsuback = 11,
  pingreq = 12,
  pingresp = 13,
  disconnect = 14,
  auth = 15,  // 5.0 only
};

enum class QoS : std::uint8_t { at_most_once = 0, at_least_once = 1, exactly_once = 2 };

struct Will {
  std::string topic;
  Bytes payload;
  QoS qos = QoS::at_most_once;
  bool retain = false;
  Properties properties;  // 5.0 will properties (will delay, message expiry, ...)
  bool operator==(const Will&) const = default;
};

struct Connect {
  ProtocolVersion version = ProtocolVersion::v3_1_1;
  bool clean_start = true;  // 3.1.1: Clean Session
  std::uint16_t keep_alive_s = 60;
  std::string client_id;
  BoxedOptional<Will> will;  // on the heap: see boxed_optional.hpp
  std::optional<std::string> username;
  std::optional<Bytes> password;
  Properties properties;
  bool operator==(const Connect&) const = default;
};

struct Connack {
  bool session_present = false;
  // 3.1.1: a ConnectReturnCode; 5.0: a ReasonCode. Kept raw because the two
  // tables overlap in value but not in meaning.
  std::uint8_t code = 0;
  Properties properties;
  bool operator==(const Connack&) const = default;
};

struct Publish {
  bool dup = false;
  QoS qos = QoS::at_most_once;
  bool retain = false;
  std::string topic;            // 5.0: may be empty when a topic alias is set
  std::uint16_t packet_id = 0;  // 0 (absent on the wire) for QoS 0
  Properties properties;
  Bytes payload;
  bool operator==(const Publish&) const = default;
};

// PUBACK, PUBREC, PUBREL and PUBCOMP share one layout (§3.4-§3.7).
template <PacketType kType>
struct PublishResponse {
  static constexpr PacketType type = kType;
  std::uint16_t packet_id = 0;
  ReasonCode reason_code = ReasonCode::success;  // 5.0 only
  Properties properties;                         // 5.0 only
  bool operator==(const PublishResponse&) const = default;
};
using Puback = PublishResponse<PacketType::puback>;
using Pubrec = PublishResponse<PacketType::pubrec>;
using Pubrel = PublishResponse<PacketType::pubrel>;
using Pubcomp = PublishResponse<PacketType::pubcomp>;

struct Subscription {
  std::string topic_filter;
  QoS max_qos = QoS::at_most_once;
  // 5.0 subscription options (§3.8.3.1); zero in 3.1.1.
  bool no_local = false;
  bool retain_as_published = false;
  std::uint8_t retain_handling = 0;  // 0 send on subscribe, 1 only if new, 2 never
  bool operator==(const Subscription&) const = default;
};

struct Subscribe {
  std::uint16_t packet_id = 0;
  Properties properties;
  std::vector<Subscription> subscriptions;
  bool operator==(const Subscribe&) const = default;
};

struct Suback {
  std::uint16_t packet_id = 0;
  Properties properties;
  // One per requested filter. 3.1.1: 0x00-0x02 granted QoS or 0x80 failure;
  // 5.0: a ReasonCode.
  std::vector<std::uint8_t> reason_codes;
  bool operator==(const Suback&) const = default;
};

struct Unsubscribe {
  std::uint16_t packet_id = 0;
  Properties properties;
  std::vector<std::string> topic_filters;
  bool operator==(const Unsubscribe&) const = default;
};

struct Unsuback {
  std::uint16_t packet_id = 0;
  Properties properties;
  std::vector<ReasonCode> reason_codes;  // 5.0 only; 3.1.1 has no payload
  bool operator==(const Unsuback&) const = default;
};

struct Pingreq {
  bool operator==(const Pingreq&) const = default;
};
struct Pingresp {
  bool operator==(const Pingresp&) const = default;
};

struct Disconnect {
  ReasonCode reason_code = ReasonCode::success;  // 5.0 only
  Properties properties;                         // 5.0 only
  bool operator==(const Disconnect&) const = default;
};

struct Auth {  // 5.0 only
  ReasonCode reason_code = ReasonCode::success;
  Properties properties;
  bool operator==(const Auth&) const = default;
};

// Alternatives are in PacketType order, so index() + 1 is the type's value.
using Packet = std::variant<Connect, Connack, Publish, Puback, Pubrec, Pubrel, Pubcomp, Subscribe,
                            Suback, Unsubscribe, Unsuback, Pingreq, Pingresp, Disconnect, Auth>;

inline PacketType type_of(const Packet& packet) {
  return static_cast<PacketType>(packet.index() + 1);
}

// The packet's own 5.0 properties (a CONNECT's, not its will's); nullptr
// for a packet type without any (PINGREQ, PINGRESP).
inline const Properties* properties_of(const Packet& packet) {
  return std::visit(
      [](const auto& p) -> const Properties* {
        if constexpr (requires { p.properties; }) {
          return &p.properties;
        } else {
          return nullptr;
        }
      },
      packet);
}

std::string_view to_string(PacketType type);  // "PUBLISH"

}  // namespace mqttsim::codec
