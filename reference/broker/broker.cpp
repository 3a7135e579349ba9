// Connections and dispatch: bytes in, packets to the handler of their kind,
// and the common ways a connection ends.

#include "broker/broker.hpp"

#include <cassert>
#include <utility>

#include "broker/connection.hpp"

namespace mqttsim::broker {

using codec::ReasonCode;

Broker::Broker(Profile profile, SessionStore& store, const Authenticator& authenticator,
               TimePoint now)
    : profile_{std::move(profile)},
      store_{store},
      authenticator_{authenticator},
      persistent_{store.durable()} {
  restore(now);
  flush();
}

Broker::~Broker() = default;

ConnectionId Broker::accept(std::string peer, TimePoint now) {
  const ConnectionId id = next_connection_id_++;
  const std::uint32_t limit = profile_.max_packet_size != 0 ? profile_.max_packet_size
                                                            : codec::protocol_max_packet_size_bytes;
  const auto added =
      connections_.emplace(id, std::make_unique<Connection>(id, std::move(peer), limit, now));
  hint_deadline(*added.first->second);
  return id;
}

void Broker::receive(ConnectionId id, codec::ByteView bytes, TimePoint now) {
  Connection* connection = find_connection(id);
  if (connection == nullptr) return;  // closed by us already: late bytes are dropped
  connection->reader.feed(bytes);
  while (true) {
    auto result = connection->reader.next();
    if (result.need_more()) break;
    if (result.has_error()) {
      violation(*connection, result.error().error, now);
      break;
    }
    connection->last_received_at = now;
    dispatch(*connection, std::move(result.item().packet), now);
    // A handler may have closed the connection; its remaining bytes are
    // ignored (3.1.1 MQTT-3.1.4-5, 5.0 MQTT-3.1.4-6 for a refused CONNECT).
    connection = find_connection(id);
    if (connection == nullptr) break;
  }
  flush();
}

void Broker::connection_lost(ConnectionId id, TimePoint now) {
  if (Connection* connection = find_connection(id)) {
    detach(*connection, now, /*publish_will=*/true);
    connections_.erase(id);
  }
  flush();
}

std::vector<Output> Broker::take_outputs() { return std::exchange(outputs_, {}); }

void Broker::dispatch(Connection& connection, codec::Packet&& packet, TimePoint now) {
  if (!connection.connected) {
    // The reader only lets CONNECT through first (MQTT-3.1.0-1, both versions).
    handle_connect(connection, std::get<codec::Connect>(std::move(packet)), now);
    return;
  }
  switch (codec::type_of(packet)) {
    case codec::PacketType::connect:
      cite(connection.version, "MQTT-3.1.0-2", "MQTT-3.1.0-2");
      protocol_error(connection, ReasonCode::protocol_error, {connection.version, "MQTT-3.1.0-2"},
                     "second CONNECT on one connection", now);
      return;
    case codec::PacketType::publish:
      handle_publish(connection, std::get<codec::Publish>(std::move(packet)), now);
      return;
    case codec::PacketType::puback:
      handle_puback(connection, std::get<codec::Puback>(packet), now);
      return;
    case codec::PacketType::pubrec:
      handle_pubrec(connection, std::get<codec::Pubrec>(packet), now);
      return;
    case codec::PacketType::pubrel:
      handle_pubrel(connection, std::get<codec::Pubrel>(packet), now);
      return;
    case codec::PacketType::pubcomp:
      handle_pubcomp(connection, std::get<codec::Pubcomp>(packet), now);
      return;
    case codec::PacketType::subscribe:
      handle_subscribe(connection, std::get<codec::Subscribe>(std::move(packet)), now);
      return;
    case codec::PacketType::unsubscribe:
      handle_unsubscribe(connection, std::get<codec::Unsubscribe>(packet));
      return;
    case codec::PacketType::pingreq:
      cite(connection.version, "MQTT-3.12.4-1", "MQTT-3.12.4-1");
      send(connection, codec::Pingresp{});
      return;
    case codec::PacketType::disconnect:
      handle_disconnect(connection, std::get<codec::Disconnect>(packet), now);
      return;
    case codec::PacketType::auth:
      // Enhanced authentication is not offered (CONNECT carried no
      // Authentication Method, or it was refused), so AUTH is unexpected.
      protocol_error(connection, ReasonCode::protocol_error, {connection.version, "§4.12"},
                     "AUTH without an authentication method in CONNECT", now);
      return;
    case codec::PacketType::connack:
    case codec::PacketType::suback:
    case codec::PacketType::unsuback:
    case codec::PacketType::pingresp:
      protocol_error(
          connection, ReasonCode::protocol_error, {connection.version, "§2.1.2"},
          std::string{codec::to_string(codec::type_of(packet))} + " may only be sent by a server",
          now);
      return;
  }
}

// A packet that does not decode: the connection is closed (3.1.1
// MQTT-4.8.0-1, 5.0 MQTT-4.13.1-1), in 5.0 after a DISCONNECT (or a CONNACK
// before CONNECT was accepted) with the reason code.
void Broker::violation(Connection& connection, const codec::DecodeError& error, TimePoint now) {
  const ProtocolVersion version = connection.reader.version().value_or(ProtocolVersion::v3_1_1);
  cite(version, "MQTT-4.8.0-1", "MQTT-4.13.1-1");
  if (!connection.connected) {
    if (error.kind == codec::DecodeErrorKind::unsupported_protocol_level) {
      // 3.1.1 MQTT-3.1.2-2: CONNACK 0x01, then close. The 3.1.1 form is the
      // one every client version can read (5.0 §3.1.2.2 allows 0x84 too).
      cite(ProtocolVersion::v3_1_1, "MQTT-3.1.2-2", "");
      refuse(connection, ProtocolVersion::v3_1_1,
             static_cast<std::uint8_t>(codec::ConnectReturnCode::unacceptable_protocol_version),
             codec::to_string(error), now);
      return;
    }
    // 3.1.1 MQTT-3.1.4-1: a CONNECT that does not conform is closed without
    // CONNACK. 5.0 allows a CONNACK with the reason first.
    if (version == ProtocolVersion::v5_0 && connection.reader.version().has_value()) {
      refuse(connection, version, static_cast<std::uint8_t>(error.reason), codec::to_string(error),
             now);
      return;
    }
    cite(version, "MQTT-3.1.4-1", "MQTT-3.1.4-1");
    note(NoteKind::protocol_violation, "", codec::to_string(error));
    close(connection, codec::to_string(error), now, /*publish_will=*/false);
    return;
  }
  protocol_error(connection, error.reason, error.spec, codec::to_string(error), now);
}

void Broker::protocol_error(Connection& connection, ReasonCode reason, SpecRef spec,
                            std::string text, TimePoint now) {
  note(NoteKind::protocol_violation, connection.client_id, to_string(spec) + ": " + text);
  if (connection.version == ProtocolVersion::v5_0) {
    codec::Disconnect disconnect{.reason_code = reason, .properties = {}};
    send(connection, disconnect);
  }
  // The will is published: the connection did not end with a DISCONNECT from
  // the client (3.1.1 §3.1.2.5 lists protocol errors among the cases).
  close(connection, text, now, /*publish_will=*/true);
}

void Broker::send(Connection& connection, const codec::Packet& packet) {
  SendBytes output{.connection = connection.id, .type = codec::type_of(packet), .bytes = {}};
  codec::encode_to(packet, connection.version, output.bytes);
  outputs_.emplace_back(std::move(output));
}

void Broker::close(Connection& connection, std::string reason, TimePoint now, bool publish_will) {
  const ConnectionId id = connection.id;
  detach(connection, now, publish_will);
  outputs_.emplace_back(CloseConnection{.connection = id, .reason = std::move(reason)});
  connections_.erase(id);  // `connection` dangles from here on
}

// The session (if any) loses its connection: wills and session lifetime
// follow from how the connection ended.
void Broker::detach(Connection& connection, TimePoint now, bool publish_will) {
  if (!connection.connected) return;
  connection.connected = false;
  const auto session = sessions_.find(connection.client_id);
  if (session == sessions_.end() || session->second.connection != connection.id) return;
  Session& state = session->second;
  state.connection.reset();
  connection_ended_will(state, now, publish_will);
  mark_dirty(state);

  // 3.1.1: Clean Session 1 sessions end with their connection (MQTT-3.1.2-6).
  // 5.0: a Session Expiry Interval of 0 ends it now (MQTT-3.1.2-23 is the
  // converse).
  if (state.expiry_interval_s == 0) {
    cite(state.version, "MQTT-3.1.2-6", "MQTT-4.1.0-2");
    end_session(session, NoteKind::session_discarded, now);
    return;
  }
  cite(state.version, "MQTT-3.1.2-4", "MQTT-3.1.2-23");
  if (state.expiry_interval_s != Session::never_expires) {
    state.expires_at = now + Duration::from_s(state.expiry_interval_s);
    hint_deadline(state);
  }
}

void Broker::cite(ProtocolVersion version, std::string_view id_v311, std::string_view id_v5) {
  const std::string_view id = version == ProtocolVersion::v5_0 ? id_v5 : id_v311;
  if (id.empty()) return;
  exercised_.emplace(version, id);
}

void Broker::note(NoteKind kind, std::string_view client_id, std::string text) {
  outputs_.emplace_back(
      Note{.kind = kind, .client_id = std::string{client_id}, .text = std::move(text)});
}

Broker::Connection* Broker::find_connection(ConnectionId id) {
  const auto found = connections_.find(id);
  return found == connections_.end() ? nullptr : found->second.get();
}

Broker::Connection* Broker::connection_of(const Session& session) {
  return session.connection ? find_connection(*session.connection) : nullptr;
}

Session& Broker::session_of(const Connection& connection) {
  assert(connection.connected);
  Session* session = session_by_ordinal_.at(connection.session);
  assert(session != nullptr && session->connection == connection.id);
  return *session;
}

}  // namespace mqttsim::broker
