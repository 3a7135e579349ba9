// ClientSession: what goes out. Every packet passes through send(), which
// records when we last sent (keep-alive). Application publishes wait in
// `queue_` until a connection is accepted and the window has room; QoS 1/2
// messages then sit in `awaiting_ack_` (and, after PUBREC, in
// `awaiting_pubcomp_`) until acknowledged, and are resent from there after a
// reconnect with Session Present 1.

#include <algorithm>
#include <limits>
#include <utility>

#include "protocol/client_session.hpp"

namespace mqttsim::protocol {

using namespace mqttsim::codec;

void ClientSession::send(const Packet& packet, TimePoint now) {
  actions_.push_back(SendBytes{.type = type_of(packet), .bytes = encode(packet, options_.version)});
  last_sent_at_ = now;
}

std::size_t ClientSession::window() const {
  std::size_t limit = options_.max_inflight;
  // 5.0: the send quota starts at the server's Receive Maximum (MQTT-4.9.0-1);
  // each unacknowledged QoS 1/2 PUBLISH uses one unit (MQTT-4.9.0-2,
  // MQTT-3.3.4-7).
  if (options_.version == ProtocolVersion::v5_0) {
    limit = std::min<std::size_t>(limit, connack_properties_.receive_maximum.value_or(65'535));
  }
  return limit;
}

std::optional<ReasonCode> ClientSession::beyond_connack_limits(const Publish& publish) const {
  if (options_.version != ProtocolVersion::v5_0) return std::nullopt;
  const auto& limits = connack_properties_;
  if (limits.maximum_qos && static_cast<std::uint8_t>(publish.qos) > *limits.maximum_qos) {
    return ReasonCode::qos_not_supported;  // MQTT-3.2.2-11
  }
  if (publish.retain && limits.retain_available == std::uint8_t{0}) {
    return ReasonCode::retain_not_supported;  // MQTT-3.2.2-14
  }
  return std::nullopt;
}

Publish ClientSession::with_alias(const Publish& publish) {
  const auto alias = publish.properties.topic_alias;
  if (!alias || options_.version != ProtocolVersion::v5_0) return publish;
  if (*alias > connack_properties_.topic_alias_maximum.value_or(0)) {
    // Not one this server accepts (5.0 MQTT-3.3.2-9, MQTT-3.2.2-17/-18):
    // the topic goes in full.
    Publish wire = publish;
    wire.properties.topic_alias.reset();
    return wire;
  }
  auto [mapped, added] = outbound_aliases_.try_emplace(*alias, publish.topic);
  if (added || mapped->second != publish.topic) {
    mapped->second = publish.topic;  // this PUBLISH sets (or moves) the alias
    return publish;
  }
  Publish wire = publish;
  wire.topic.clear();  // the alias stands for it on this connection
  return wire;
}

std::uint32_t ClientSession::server_maximum_packet_size() const {
  if (options_.version != ProtocolVersion::v5_0) return protocol_max_packet_size_bytes;
  return connack_properties_.maximum_packet_size.value_or(protocol_max_packet_size_bytes);
}

void ClientSession::flush_queue(TimePoint now) {
  // Each round removes one queued message, so the loop ends within the
  // queue's bound. A full window holds back only PUBLISH (MQTT-4.9.0-3).
  while (connected() && !queue_.empty()) {
    Pending& pending = queue_.front();
    const QoS qos = pending.publish.qos;
    if (const auto refusal = beyond_connack_limits(pending.publish)) {
      // Published while offline, and this server does not allow it (5.0
      // MQTT-3.2.2-11, MQTT-3.2.2-14): never sent; the application hears why.
      actions_.push_back(Published{.message = pending.message,
                                   .qos = qos,
                                   .packet_id = 0,
                                   .outcome = PublishOutcome::not_allowed,
                                   .reason = *refusal});
      queue_.pop_front();
      continue;
    }
    if (qos != QoS::at_most_once) {
      // QoS 0 queued behind stays behind: messages leave in publish order.
      if (inflight_count() >= window()) return;
      const auto packet_id = allocate_packet_id(IdUse::publish);
      if (!packet_id) return;  // every id in use: wait for an acknowledgement
      pending.publish.packet_id = *packet_id;
    }
    Bytes bytes = encode(pending.publish, options_.version);
    if (bytes.size() > server_maximum_packet_size()) {
      // 5.0 MQTT-3.2.2-15: never sent; the application hears why.
      if (qos != QoS::at_most_once) release_packet_id(pending.publish.packet_id);
      actions_.push_back(Published{.message = pending.message,
                                   .qos = qos,
                                   .packet_id = 0,
                                   .outcome = PublishOutcome::too_large,
                                   .reason = ReasonCode::packet_too_large});
      queue_.pop_front();
      continue;
    }
    if (pending.publish.properties.topic_alias) {
      bytes = encode(with_alias(pending.publish), options_.version);
    }
    actions_.push_back(SendBytes{.type = PacketType::publish, .bytes = std::move(bytes)});
    last_sent_at_ = now;
    if (qos == QoS::at_most_once) {
      actions_.push_back(Published{
          .message = pending.message, .qos = qos, .packet_id = 0, .outcome = PublishOutcome::sent});
    } else {
      // Unacknowledged until PUBACK / PUBREC (5.0 MQTT-4.3.2-3, MQTT-4.3.3-3).
      awaiting_ack_.push_back(
          Outbound{.message = pending.message, .publish = std::move(pending.publish)});
    }
    queue_.pop_front();
  }
}

void ClientSession::resend_inflight(TimePoint now) {
  // MQTT-4.4.0-1 (both versions): unacknowledged PUBLISH with DUP=1 and the
  // original ids, in the order first sent (MQTT-4.6.0-1), and the PUBRELs
  // owed, in PUBREC order (MQTT-4.6.0-4). Both lists are bounded by the
  // 65,535 packet ids. Resent messages keep their place in the window even
  // if the server's Receive Maximum has shrunk since.
  for (const Releasing& releasing : awaiting_pubcomp_) {
    send(Pubrel{.packet_id = releasing.packet_id}, now);
  }
  for (Outbound& outbound : awaiting_ack_) {
    outbound.publish.dup = true;  // a re-delivery attempt (MQTT-3.3.1-1)
    send(with_alias(outbound.publish), now);
  }
}

std::optional<std::uint16_t> ClientSession::allocate_packet_id(IdUse use) {
  // A non-zero id not in use (3.1.1 MQTT-2.3.1-1/-2, 5.0 MQTT-2.2.1-3),
  // searched round-robin from the last one so a just-freed id is not reused
  // at once. At most 65,535 probes.
  constexpr std::uint32_t id_count = std::numeric_limits<std::uint16_t>::max();
  if (ids_in_use_.size() >= id_count) return std::nullopt;
  std::uint16_t candidate = last_packet_id_;
  for (std::uint32_t probe = 0; probe < id_count; ++probe) {
    candidate =
        candidate == id_count ? std::uint16_t{1} : static_cast<std::uint16_t>(candidate + 1);
    if (!ids_in_use_.contains(candidate)) {
      ids_in_use_.emplace(candidate, use);
      last_packet_id_ = candidate;
      return candidate;
    }
  }
  return std::nullopt;
}

void ClientSession::release_packet_id(std::uint16_t packet_id) {
  // Free only after the final acknowledgement (3.1.1 MQTT-2.3.1-3).
  ids_in_use_.erase(packet_id);
}

}  // namespace mqttsim::protocol
