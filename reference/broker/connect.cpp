// CONNECT and DISCONNECT: client identifiers, authentication, takeover,
// Clean Session / Clean Start, Session Present, and the start and end of a
// session's life.

#include <algorithm>
#include <cassert>

#include "broker/broker.hpp"
#include "broker/connection.hpp"

namespace mqttsim::broker {

using codec::ReasonCode;

namespace {

constexpr std::uint8_t code(ReasonCode reason) { return static_cast<std::uint8_t>(reason); }
constexpr std::uint8_t code(codec::ConnectReturnCode rc) { return static_cast<std::uint8_t>(rc); }

MessagePtr will_message(const codec::Will& will, const std::string& client_id,
                        std::uint64_t sequence) {
  auto message = std::make_shared<Message>();
  message->topic = will.topic;
  message->payload = will.payload;
  message->qos = will.qos;
  message->retain = will.retain;
  // The will properties that are not message properties stay behind; the
  // rest (payload format, content type, response topic, correlation data,
  // message expiry, user properties in order: 5.0 MQTT-3.1.3-10) travel.
  codec::Properties properties = will.properties;
  properties.will_delay_interval.reset();
  if (!properties.empty()) {
    message->properties = std::make_shared<const codec::Properties>(std::move(properties));
  }
  message->publisher_client_id = client_id;
  message->sequence = sequence;
  return message;
}

}  // namespace

void Broker::handle_connect(Connection& connection, codec::Connect&& connect, TimePoint now) {
  const ProtocolVersion version = connect.version;
  const bool v5 = version == ProtocolVersion::v5_0;
  connection.version = version;

  // 5.0 enhanced authentication (§4.12) is not offered.
  if (v5 && connect.properties.authentication_method) {
    refuse(connection, version, code(ReasonCode::bad_authentication_method),
           "authentication method '" + *connect.properties.authentication_method +
               "' is not supported",
           now);
    return;
  }

  // Client identifier (3.1.1 §3.1.3.1, 5.0 §3.1.3.1).
  bool assigned_id = false;
  if (connect.client_id.empty()) {
    if (!v5 && !connect.clean_start) {
      cite(version, "MQTT-3.1.3-8", "");
      refuse(connection, version, code(codec::ConnectReturnCode::identifier_rejected),
             "zero-length client id with Clean Session 0", now);
      return;
    }
    if (!v5 && !profile_.accept_empty_client_id_v311) {
      cite(version, "MQTT-3.1.3-9", "");
      refuse(connection, version, code(codec::ConnectReturnCode::identifier_rejected),
             "zero-length client id not accepted by profile " + profile_.name, now);
      return;
    }
    // 3.1.1 MQTT-3.1.3-6, 5.0 MQTT-3.1.3-6/-7 and MQTT-3.2.2-16: a unique id.
    do {
      connect.client_id = "mqttsim-" + std::to_string(next_assigned_id_++);
    } while (sessions_.contains(connect.client_id));
    assigned_id = true;
    cite(version, "MQTT-3.1.3-6", "MQTT-3.1.3-6");
  }

  switch (authenticator_.authenticate(connect.client_id, connect.username, connect.password)) {
    case AuthResult::accepted:
      break;
    case AuthResult::bad_user_name_or_password:
      refuse(connection, version,
             v5 ? code(ReasonCode::bad_user_name_or_password)
                : code(codec::ConnectReturnCode::bad_user_name_or_password),
             "bad user name or password", now);
      return;
    case AuthResult::not_authorized:
      refuse(connection, version,
             v5 ? code(ReasonCode::not_authorized) : code(codec::ConnectReturnCode::not_authorized),
             "not authorized", now);
      return;
  }

  if (v5 && connect.will) {
    if (static_cast<std::uint8_t>(connect.will->qos) > profile_.maximum_qos) {
      cite(version, "", "MQTT-3.2.2-12");
      refuse(connection, version, code(ReasonCode::qos_not_supported),
             "will QoS above the server's maximum QoS", now);
      return;
    }
    if (connect.will->retain && !profile_.retain_available) {
      cite(version, "", "MQTT-3.2.2-13");
      refuse(connection, version, code(ReasonCode::retain_not_supported),
             "will retain without retain support", now);
      return;
    }
  }

  auto existing = sessions_.find(connect.client_id);
  if (existing == sessions_.end() && profile_.max_sessions != 0 &&
      sessions_.size() >= profile_.max_sessions) {
    refuse(
        connection, version,
        v5 ? code(ReasonCode::quota_exceeded) : code(codec::ConnectReturnCode::server_unavailable),
        "session limit of " + std::to_string(profile_.max_sessions) + " reached", now);
    return;
  }

  // Takeover: the client id is already connected (3.1.1 MQTT-3.1.4-2, 5.0
  // MQTT-3.1.4-3).
  if (existing != sessions_.end()) {
    if (Connection* old = connection_of(existing->second)) take_over(*old, now);
    existing = sessions_.find(connect.client_id);  // takeover may have ended it
  }

  // Clean Session / Clean Start (3.1.1 MQTT-3.1.2-4/-6, 5.0 MQTT-3.1.2-4/-5/-6).
  cite(version, "MQTT-3.1.4-3", "MQTT-3.1.4-4");
  if (connect.clean_start && existing != sessions_.end()) {
    cite(version, "MQTT-3.1.2-6", "MQTT-3.1.2-4");
    end_session(existing, NoteKind::session_discarded, now);
    existing = sessions_.end();
  }
  const bool session_present = existing != sessions_.end();
  if (session_present) {
    cite(version, "MQTT-3.1.2-4", "MQTT-3.1.2-5");
    cite(version, "MQTT-3.2.2-2", "MQTT-3.2.2-3");
    note(NoteKind::session_resumed, connect.client_id, "");
  } else {
    cite(version, connect.clean_start ? "MQTT-3.2.2-1" : "MQTT-3.2.2-3",
         connect.clean_start ? "MQTT-3.2.2-2" : "MQTT-3.1.2-6");
  }
  Session& session = session_present ? existing->second : create_session(connect.client_id);

  session.version = version;
  session.connection = connection.id;
  connection.session = session.ordinal;
  session.expires_at.reset();
  if (session.will_due_at) {
    // A new connection before the will delay passed: no will (5.0 MQTT-3.1.3-9).
    cite(version, "", "MQTT-3.1.3-9");
    note(NoteKind::will_discarded, session.client_id, "reconnected within the will delay");
    session.will_due_at.reset();
  }
  session.will.reset();
  if (connect.will) {
    cite(version, "MQTT-3.1.2-8", "MQTT-3.1.2-7");
    session.will = WillMessage{
        .message = will_message(*connect.will, connect.client_id, next_message_sequence_++),
        .delay_interval_s = connect.will->properties.will_delay_interval.value_or(0)};
  }

  codec::Connack connack{.session_present = session_present, .code = 0, .properties = {}};
  if (v5) {
    std::uint32_t expiry = connect.properties.session_expiry_interval.value_or(0);
    if (profile_.max_session_expiry_s && expiry > *profile_.max_session_expiry_s) {
      expiry = *profile_.max_session_expiry_s;
      connack.properties.session_expiry_interval = expiry;
    }
    session.expiry_interval_s = expiry;
    connection.receive_maximum = connect.properties.receive_maximum.value_or(65535);
    connection.maximum_packet_size_bytes = connect.properties.maximum_packet_size.value_or(0);
    if (assigned_id) connack.properties.assigned_client_identifier = connect.client_id;
    if (profile_.maximum_qos < 2) connack.properties.maximum_qos = profile_.maximum_qos;
    if (!profile_.retain_available) connack.properties.retain_available = 0;
    if (profile_.max_packet_size != 0)
      connack.properties.maximum_packet_size = profile_.max_packet_size;
    if (profile_.topic_alias_maximum != 0) {
      connack.properties.topic_alias_maximum = profile_.topic_alias_maximum;
    }
    if (!profile_.wildcard_subscription_available)
      connack.properties.wildcard_subscription_available = 0;
    if (!profile_.subscription_identifiers_available) {
      connack.properties.subscription_identifier_available = 0;
    }
    if (!profile_.shared_subscriptions_available)
      connack.properties.shared_subscription_available = 0;
    connection.keep_alive_s = connect.keep_alive_s;
    if (profile_.server_keep_alive_s != 0) {
      connection.keep_alive_s = profile_.server_keep_alive_s;
      connack.properties.server_keep_alive = profile_.server_keep_alive_s;
    } else {
      cite(version, "", "MQTT-3.2.2-22");
    }
  } else {
    session.expiry_interval_s = connect.clean_start ? 0 : Session::never_expires;
    connection.keep_alive_s = connect.keep_alive_s;
  }

  connection.connected = true;
  hint_deadline(connection);
  connection.client_id = connect.client_id;
  cite(version, "MQTT-3.1.4-4", "MQTT-3.1.4-5");
  send(connection, connack);
  mark_dirty(session);

  if (session_present) {
    // Unacknowledged PUBLISH and PUBREL first, in their original order and
    // with their original ids (MQTT-4.4.0-1 in both), then the queue.
    resend_inflight(session, now);
    fill_window(session, now);
  }
}

// CONNACK with a non-zero code, then close (3.1.1 MQTT-3.2.2-4/-5, 5.0
// MQTT-3.2.2-6/-7).
void Broker::refuse(Connection& connection, ProtocolVersion version, std::uint8_t code_value,
                    std::string reason, TimePoint now) {
  connection.version = version;
  cite(version, "MQTT-3.2.2-4", "MQTT-3.2.2-6");
  cite(version, "MQTT-3.2.2-5", "MQTT-3.2.2-7");
  note(NoteKind::connection_refused, "", reason);
  send(connection, codec::Connack{.session_present = false, .code = code_value, .properties = {}});
  close(connection, std::move(reason), now, /*publish_will=*/false);
}

void Broker::take_over(Connection& old_connection, TimePoint now) {
  const ProtocolVersion version = old_connection.version;
  note(NoteKind::session_taken_over, old_connection.client_id,
       "connection " + std::to_string(old_connection.id) + " replaced");
  if (version == ProtocolVersion::v5_0) {
    cite(version, "", "MQTT-3.1.4-3");
    send(old_connection,
         codec::Disconnect{.reason_code = ReasonCode::session_taken_over, .properties = {}});
  } else {
    cite(version, "MQTT-3.1.4-2", "");
  }
  // 5.0 §3.1.4: the old connection's will follows §3.1.2.5 — published now
  // if its delay is 0, else when the session ends (e.g. the new connection
  // has Clean Start 1) or cancelled by the new connection. 3.1.1 is silent;
  // the profile decides.
  const bool publish_will = version == ProtocolVersion::v5_0 || profile_.will_on_takeover_v311;
  close(old_connection, "session taken over", now, publish_will);
}

void Broker::handle_disconnect(Connection& connection, const codec::Disconnect& disconnect,
                               TimePoint now) {
  const ProtocolVersion version = connection.version;
  bool publish_will = false;
  if (version == ProtocolVersion::v5_0) {
    const auto session = sessions_.find(connection.client_id);
    if (disconnect.properties.session_expiry_interval && session != sessions_.end()) {
      // 5.0 §3.14.2.2.2: a client that connected with an expiry of 0 may not
      // set one now.
      if (session->second.expiry_interval_s == 0 &&
          *disconnect.properties.session_expiry_interval != 0) {
        protocol_error(connection, ReasonCode::protocol_error, {version, "§3.14.2.2.2"},
                       "DISCONNECT sets a Session Expiry Interval after CONNECT set 0", now);
        return;
      }
      session->second.expiry_interval_s = *disconnect.properties.session_expiry_interval;
    }
    // Only 0x00 "Normal disconnection" deletes the will (MQTT-3.14.4-3,
    // MQTT-3.1.2-10); with 0x04 "Disconnect with Will Message" or any error
    // reason the connection ended abnormally and the will goes out
    // (MQTT-3.1.2-8).
    publish_will = disconnect.reason_code != ReasonCode::success;
  }
  if (!publish_will) cite(version, "MQTT-3.14.4-3", "MQTT-3.14.4-3");
  close(connection, "client sent DISCONNECT", now, publish_will);
}

void Broker::adopt(Session& session) {
  if (free_ordinals_.empty()) {
    session.ordinal = static_cast<SessionOrdinal>(session_by_ordinal_.size());
    session_by_ordinal_.push_back(&session);
  } else {
    session.ordinal = free_ordinals_.back();
    free_ordinals_.pop_back();
    session_by_ordinal_[session.ordinal] = &session;
  }
}

void Broker::release(const Session& session) {
  assert(session_by_ordinal_.at(session.ordinal) == &session);
  session_by_ordinal_[session.ordinal] = nullptr;
  free_ordinals_.push_back(session.ordinal);
}

Session& Broker::create_session(const std::string& client_id) {
  auto [slot, inserted] = sessions_.try_emplace(client_id);
  assert(inserted);
  slot->second.client_id = client_id;
  adopt(slot->second);
  note(NoteKind::session_created, client_id, "");
  mark_dirty(slot->second);
  return slot->second;
}

void Broker::end_session(std::map<std::string, Session, std::less<>>::iterator session,
                         NoteKind why, TimePoint now) {
  Session& state = session->second;
  assert(!state.connection.has_value());
  // A will still waiting for its delay goes out when the session ends (5.0
  // MQTT-3.1.2-8).
  if (state.will_due_at) publish_will(state, now);
  for (const auto& [filter, options] : state.subscriptions) {
    subscriptions_.erase(filter, state.client_id);
  }
  note(why, state.client_id,
       std::to_string(state.queue.size()) + " queued and " + std::to_string(state.inflight.size()) +
           " in-flight messages discarded");
  if (persistent_) dirty_sessions_.insert(state.client_id);
  release(state);
  sessions_.erase(session);
}

}  // namespace mqttsim::broker
