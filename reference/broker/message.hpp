#pragma once
// An application message as the broker holds it between receiving it from a
// publisher and delivering it to each subscriber. Shared, immutable: a message
// routed to a thousand sessions is stored once.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "base/time.hpp"
#include "codec/packet.hpp"

namespace mqttsim::broker {

struct Message {
  std::string topic;
  codec::Bytes payload;
  codec::QoS qos = codec::QoS::at_most_once;  // as published
  bool retain = false;                        // as published
  // 5.0 properties forwarded unaltered to subscribers (payload format
  // MQTT-3.3.2-4, content type, response topic, correlation data, user
  // properties in order). Topic alias and subscription identifiers are per
  // delivery and never stored here. Null when there are none, which is every
  // 3.1.1 message: the full struct is ~470 bytes, and a queued message should
  // cost little more than its topic and payload.
  std::shared_ptr<const codec::Properties> properties;

  const codec::Properties& properties_or_empty() const {
    static const codec::Properties none;
    return properties ? *properties : none;
  }
  // 5.0 Message Expiry Interval: the moment the message stops being
  // deliverable (MQTT-3.3.2-5), if the publisher set one.
  std::optional<TimePoint> expires_at;
  std::string publisher_client_id;  // for No Local (5.0 MQTT-3.8.3-3)
  // Order of arrival at the broker, unique per broker life: makes traces and
  // notes name a message unambiguously.
  std::uint64_t sequence = 0;
};

using MessagePtr = std::shared_ptr<const Message>;

}  // namespace mqttsim::broker
