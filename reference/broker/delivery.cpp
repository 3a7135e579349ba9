// Outbound messages: the per-session queue, the in-flight window (5.0 Receive
// Maximum), packet identifiers, the QoS 1/2 sender side, and resending
// unacknowledged messages when a session resumes.

#include <algorithm>
#include <cassert>

#include "broker/broker.hpp"
#include "broker/connection.hpp"

namespace mqttsim::broker {

using codec::QoS;
using codec::ReasonCode;
using Stage = OutboundFlight::Stage;

namespace {

bool expired(const Delivery& delivery, TimePoint now) {
  return delivery.message->expires_at && *delivery.message->expires_at <= now;
}

std::vector<OutboundFlight>::iterator find_flight(Session& session, std::uint16_t packet_id) {
  return std::find_if(session.inflight.begin(), session.inflight.end(),
                      [packet_id](const OutboundFlight& f) { return f.packet_id == packet_id; });
}

}  // namespace

void Broker::deliver(Session& session, Delivery&& delivery, TimePoint now) {
  if (expired(delivery, now)) {
    // Routed after its Message Expiry Interval ran out (a QoS 2 message
    // forwarded at the publisher's late PUBREL): no onward delivery has
    // started, so this copy goes too, QoS 0 as well (5.0 MQTT-3.3.2-5).
    drop_expired(session, delivery);
    return;
  }
  const bool online = session.connection.has_value();
  if (delivery.qos == QoS::at_most_once) {
    if (online) {
      // QoS 0 takes no slot in the window (5.0 §4.9 counts QoS 1/2 only), so
      // it may overtake queued QoS 1/2 messages; §4.6 orders only messages
      // of the same QoS.
      send_publish(session, delivery, 0, false, now);
    } else if (profile_.queue_qos0_offline) {
      enqueue(session, std::move(delivery));
    }
    return;
  }
  if (!online) {
    // 3.1.1 MQTT-3.1.2-5: QoS 1/2 messages for an offline session are kept.
    cite(session.version, "MQTT-3.1.2-5", "MQTT-3.1.2-23");
    enqueue(session, std::move(delivery));
    return;
  }
  // Behind anything already waiting, so order is kept (MQTT-4.6.0-6 / 5.0 MQTT-4.6.0-5).
  enqueue(session, std::move(delivery));
  fill_window(session, now);
}

void Broker::drop_expired(const Session& session, const Delivery& delivery) {
  cite(session.version, "", "MQTT-3.3.2-5");
  note(NoteKind::message_expired, session.client_id,
       "#" + std::to_string(delivery.message->sequence) + " on " + delivery.message->topic);
}

void Broker::enqueue(Session& session, Delivery&& delivery) {
  mark_dirty(session);
  const std::uint32_t limit = profile_.max_queued_messages;
  if (limit != 0 && session.queue.size() >= limit) {
    if (profile_.queue_drop_policy == QueueDropPolicy::drop_newest) {
      note(NoteKind::queue_limit_drop, session.client_id,
           "dropped newest message #" + std::to_string(delivery.message->sequence) + " on " +
               delivery.message->topic + " (queue limit " + std::to_string(limit) + ")");
      return;
    }
    note(NoteKind::queue_limit_drop, session.client_id,
         "dropped oldest message #" + std::to_string(session.queue.front().message->sequence) +
             " on " + session.queue.front().message->topic + " (queue limit " +
             std::to_string(limit) + ")");
    session.queue.pop_front();
  }
  if (!session.connection) {
    note(NoteKind::message_queued, session.client_id,
         "#" + std::to_string(delivery.message->sequence) + " on " + delivery.message->topic);
  }
  session.queue.push_back(std::move(delivery));
}

std::size_t Broker::window(const Session& session) const {
  std::size_t limit = 65535;
  if (const auto it = connections_.find(session.connection.value_or(0)); it != connections_.end()) {
    limit = it->second->receive_maximum;
  }
  if (profile_.max_inflight != 0) limit = std::min<std::size_t>(limit, profile_.max_inflight);
  return limit;
}

// Sends queued messages while the window has room (5.0 MQTT-3.3.4-9: never
// more unacknowledged QoS 1/2 PUBLISHes than the client's Receive Maximum).
void Broker::fill_window(Session& session, TimePoint now) {
  if (!session.connection) return;
  const std::size_t limit = window(session);
  while (!session.queue.empty()) {
    Delivery& next = session.queue.front();
    if (expired(next, now)) {
      // 5.0 MQTT-3.3.2-5: onward delivery had not started, so the copy goes.
      drop_expired(session, next);
      session.queue.pop_front();
      mark_dirty(session);
      continue;
    }
    if (next.qos == QoS::at_most_once) {
      Delivery delivery = std::move(next);
      session.queue.pop_front();
      send_publish(session, delivery, 0, false, now);
      continue;
    }
    if (session.inflight.size() >= limit) {
      if (session.version == ProtocolVersion::v5_0) cite(session.version, "", "MQTT-3.3.4-9");
      break;
    }
    const Stage stage =
        next.qos == QoS::at_least_once ? Stage::awaiting_puback : Stage::awaiting_pubrec;
    OutboundFlight flight{.packet_id = allocate_packet_id(session),
                          .delivery = std::move(next),
                          .stage = stage,
                          .last_sent = now};
    session.queue.pop_front();
    mark_dirty(session);
    cite(session.version, "MQTT-4.3.2-1", "MQTT-4.3.2-1");
    if (send_publish(session, flight.delivery, flight.packet_id, false, now)) {
      session.add_flight(std::move(flight));
    }
  }
}

// Builds and sends one PUBLISH. Returns false if it could not be sent and
// counts as delivered: 5.0 MQTT-3.1.2-25, a packet above the client's Maximum
// Packet Size is dropped as if delivered.
bool Broker::send_publish(Session& session, const Delivery& delivery, std::uint16_t packet_id,
                          bool dup, TimePoint now) {
  Connection* connection = connection_of(session);
  assert(connection != nullptr);
  const Message& message = *delivery.message;
  codec::Publish publish{.dup = dup,
                         .qos = delivery.qos,
                         .retain = delivery.retain,
                         .topic = message.topic,
                         .packet_id = packet_id,
                         .properties = {},
                         .payload = message.payload};
  if (connection->version == ProtocolVersion::v5_0) {
    publish.properties = message.properties_or_empty();
    publish.properties.subscription_identifiers = delivery.subscription_identifiers;
    if (message.expires_at) {
      // The interval still left (5.0 MQTT-3.3.2-6), at least 1 s until it expires.
      const std::int64_t left_us = (*message.expires_at - now).count_us();
      publish.properties.message_expiry_interval =
          static_cast<std::uint32_t>(std::max<std::int64_t>(1, (left_us + 999'999) / 1'000'000));
      cite(session.version, "", "MQTT-3.3.2-6");
    }
  }
  codec::Bytes bytes = codec::encode(publish, connection->version);
  if (connection->maximum_packet_size_bytes != 0 &&
      bytes.size() > connection->maximum_packet_size_bytes) {
    cite(session.version, "", "MQTT-3.1.2-25");
    note(NoteKind::packet_too_large_dropped, session.client_id,
         "#" + std::to_string(message.sequence) + " needs " + std::to_string(bytes.size()) +
             " bytes, client accepts " + std::to_string(connection->maximum_packet_size_bytes));
    return false;
  }
  if (dup) cite(session.version, "MQTT-4.4.0-1", "MQTT-4.4.0-1");
  outputs_.emplace_back(SendBytes{
      .connection = connection->id, .type = codec::PacketType::publish, .bytes = std::move(bytes)});
  return true;
}

// On resuming a session: every unacknowledged PUBLISH again with DUP=1 and
// its original id, every PUBREL that is due, in the order first sent
// (MQTT-4.4.0-1 in both versions).
void Broker::resend_inflight(Session& session, TimePoint now) {
  Connection* connection = connection_of(session);
  assert(connection != nullptr);
  for (auto flight = session.inflight.begin(); flight != session.inflight.end();) {
    flight->last_sent = now;
    if (flight->stage == Stage::awaiting_pubcomp) {
      send(*connection, codec::Pubrel{.packet_id = flight->packet_id});
      ++flight;
      continue;
    }
    if (!send_publish(session, flight->delivery, flight->packet_id, /*dup=*/true, now)) {
      flight = session.erase_flight(flight);
      continue;
    }
    ++flight;
  }
  mark_dirty(session);
}

void Broker::handle_puback(Connection& connection, const codec::Puback& puback, TimePoint now) {
  Session& session = session_of(connection);
  const auto flight = find_flight(session, puback.packet_id);
  if (flight == session.inflight.end() || flight->stage != Stage::awaiting_puback) {
    note(NoteKind::protocol_violation, session.client_id,
         "PUBACK for packet id " + std::to_string(puback.packet_id) + " that is not awaiting one");
    return;
  }
  // The id is free again only now (MQTT-2.3.1-4 in 3.1.1).
  cite(connection.version, "MQTT-2.3.1-4", "MQTT-4.3.2-3");
  session.erase_flight(flight);
  mark_dirty(session);
  fill_window(session, now);
}

void Broker::handle_pubrec(Connection& connection, const codec::Pubrec& pubrec, TimePoint now) {
  Session& session = session_of(connection);
  const auto flight = find_flight(session, pubrec.packet_id);
  if (flight == session.inflight.end() || flight->stage == Stage::awaiting_puback) {
    codec::Pubrel pubrel{.packet_id = pubrec.packet_id};
    if (connection.version == ProtocolVersion::v5_0) {
      pubrel.reason_code = ReasonCode::packet_identifier_not_found;
    }
    send(connection, pubrel);
    return;
  }
  if (connection.version == ProtocolVersion::v5_0 &&
      static_cast<std::uint8_t>(pubrec.reason_code) >= 0x80) {
    // An error PUBREC ends the exchange; the message is not resent (5.0
    // MQTT-4.4.0-2).
    cite(connection.version, "", "MQTT-4.4.0-2");
    session.erase_flight(flight);
    mark_dirty(session);
    fill_window(session, now);
    return;
  }
  // PUBREL with the same id; from now on the PUBLISH is never resent
  // (3.1.1 MQTT-4.3.3-1, 5.0 MQTT-4.3.3-4/-6).
  cite(connection.version, "MQTT-4.3.3-1", "MQTT-4.3.3-4");
  flight->stage = Stage::awaiting_pubcomp;
  flight->last_sent = now;
  mark_dirty(session);
  send(connection, codec::Pubrel{.packet_id = pubrec.packet_id});
}

void Broker::handle_pubcomp(Connection& connection, const codec::Pubcomp& pubcomp, TimePoint now) {
  Session& session = session_of(connection);
  const auto flight = find_flight(session, pubcomp.packet_id);
  if (flight == session.inflight.end() || flight->stage != Stage::awaiting_pubcomp) {
    note(
        NoteKind::protocol_violation, session.client_id,
        "PUBCOMP for packet id " + std::to_string(pubcomp.packet_id) + " that is not awaiting one");
    return;
  }
  cite(connection.version, "MQTT-4.3.3-1", "MQTT-4.3.3-5");
  session.erase_flight(flight);
  mark_dirty(session);
  fill_window(session, now);
}

// The next id not in use by an in-flight message (MQTT-2.3.1-2/-4 in 3.1.1,
// MQTT-4.3.2-1 in 5.0). The window is at most 65535, so one is always free.
std::uint16_t Broker::allocate_packet_id(Session& session) {
  assert(session.inflight.size() < 65535);
  while (true) {
    const std::uint16_t candidate = session.next_packet_id;
    session.next_packet_id = static_cast<std::uint16_t>(candidate == 65535 ? 1 : candidate + 1);
    if (!session.ids_in_flight.contains(candidate)) return candidate;
  }
}

}  // namespace mqttsim::broker
