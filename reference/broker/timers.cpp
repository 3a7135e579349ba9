// Everything the broker does because time passed: keep-alive, the CONNECT
// timeout, session expiry, delayed wills and the 3.1.1 in-session retry.
// `next_deadline()` and `advance()` must agree on every kind of deadline.

#include <algorithm>

#include "broker/broker.hpp"
#include "broker/connection.hpp"

namespace mqttsim::broker {

namespace {

// 1.5 x Keep Alive (3.1.1 MQTT-3.1.2-24, 5.0 MQTT-3.1.2-22).
Duration keep_alive_grace(std::uint16_t keep_alive_s) {
  return Duration::from_ms(std::int64_t{keep_alive_s} * 1'500);
}

void earliest(std::optional<TimePoint>& best, TimePoint candidate) {
  if (!best || candidate < *best) best = candidate;
}

}  // namespace

void Broker::advance(TimePoint now) {
  check_keep_alive(now);
  check_sessions(now);
  retry_inflight(now);
  flush();
}

std::optional<TimePoint> Broker::next_deadline() const {
  std::optional<TimePoint> best;
  for (const auto& [id, connection] : connections_) {
    if (connection->connected) {
      if (connection->keep_alive_s != 0) {
        earliest(best, connection->last_received_at + keep_alive_grace(connection->keep_alive_s));
      }
    } else if (profile_.connect_timeout_s != 0) {
      earliest(best, connection->opened_at + Duration::from_s(profile_.connect_timeout_s));
    }
  }
  const bool retry = profile_.in_session_retry_s != 0;
  for (const auto& [client_id, session] : sessions_) {
    if (session.expires_at) earliest(best, *session.expires_at);
    if (session.will_due_at) earliest(best, *session.will_due_at);
    if (retry && session.connection && session.version == ProtocolVersion::v3_1_1) {
      for (const OutboundFlight& flight : session.inflight) {
        earliest(best, flight.last_sent + Duration::from_s(profile_.in_session_retry_s));
      }
    }
  }
  return best;
}

void Broker::check_keep_alive(TimePoint now) {
  std::vector<ConnectionId> expired;
  for (const auto& [id, connection] : connections_) {
    if (connection->connected) {
      if (connection->keep_alive_s != 0 &&
          now >= connection->last_received_at + keep_alive_grace(connection->keep_alive_s)) {
        expired.push_back(id);
      }
    } else if (profile_.connect_timeout_s != 0 &&
               now >= connection->opened_at + Duration::from_s(profile_.connect_timeout_s)) {
      expired.push_back(id);
    }
  }
  for (const ConnectionId id : expired) {
    Connection& connection = *connections_.at(id);
    if (!connection.connected) {
      close(connection, "no CONNECT within " + std::to_string(profile_.connect_timeout_s) + " s",
            now, false);
      continue;
    }
    cite(connection.version, "MQTT-3.1.2-24", "MQTT-3.1.2-22");
    note(NoteKind::keep_alive_timeout, connection.client_id,
         "nothing received for 1.5 x " + std::to_string(connection.keep_alive_s) + " s");
    if (connection.version == ProtocolVersion::v5_0) {
      send(connection, codec::Disconnect{.reason_code = codec::ReasonCode::keep_alive_timeout,
                                         .properties = {}});
    }
    // "As if the network had failed": the will goes out.
    close(connection, "keep-alive timeout", now, /*publish_will=*/true);
  }
}

void Broker::check_sessions(TimePoint now) {
  // Collect first: publishing a will routes messages into other sessions but
  // never creates or ends one, so the keys stay valid.
  std::vector<std::string> wills_due;
  std::vector<std::string> expired;
  for (const auto& [client_id, session] : sessions_) {
    if (session.will_due_at && *session.will_due_at <= now) wills_due.push_back(client_id);
    if (session.expires_at && *session.expires_at <= now) expired.push_back(client_id);
  }
  for (const std::string& client_id : wills_due) {
    publish_will(sessions_.at(client_id), now);
  }
  for (const std::string& client_id : expired) {
    const auto session = sessions_.find(client_id);
    if (session == sessions_.end()) continue;
    // 5.0 MQTT-4.1.0-2: the session's state is deleted when it expires.
    cite(session->second.version, "", "MQTT-4.1.0-2");
    end_session(session, NoteKind::session_expired, now);
  }
}

// 3.1.1 allows resending an unacknowledged PUBLISH (DUP=1) or PUBREL on the
// same connection; 5.0 forbids it (MQTT-4.4.0-1), so the profile option only
// applies to 3.1.1 sessions.
void Broker::retry_inflight(TimePoint now) {
  if (profile_.in_session_retry_s == 0) return;
  const Duration interval = Duration::from_s(profile_.in_session_retry_s);
  for (auto& [client_id, session] : sessions_) {
    Connection* connection = connection_of(session);
    if (connection == nullptr || session.version != ProtocolVersion::v3_1_1) continue;
    for (OutboundFlight& flight : session.inflight) {
      if (now < flight.last_sent + interval) continue;
      flight.last_sent = now;
      if (flight.stage == OutboundFlight::Stage::awaiting_pubcomp) {
        send(*connection, codec::Pubrel{.packet_id = flight.packet_id});
      } else {
        send_publish(session, flight.delivery, flight.packet_id, /*dup=*/true, now);
      }
    }
  }
}

}  // namespace mqttsim::broker
