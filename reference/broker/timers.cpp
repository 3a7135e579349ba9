// Everything the broker does because time passed: keep-alive, the CONNECT
// timeout, session expiry, delayed wills and the 3.1.1 in-session retry.
// `next_deadline()` and `advance()` must agree on every kind of deadline,
// and every change that can bring a deadline nearer calls hint_deadline().

#include <algorithm>
#include <cassert>

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

std::optional<TimePoint> Broker::deadline_of(const Connection& connection) const {
  if (connection.connected) {
    if (connection.keep_alive_s == 0) return std::nullopt;
    return connection.last_received_at + keep_alive_grace(connection.keep_alive_s);
  }
  if (profile_.connect_timeout_s == 0) return std::nullopt;
  return connection.opened_at + Duration::from_s(profile_.connect_timeout_s);
}

std::optional<TimePoint> Broker::deadline_of(const Session& session) const {
  std::optional<TimePoint> best;
  if (session.expires_at) earliest(best, *session.expires_at);
  if (session.will_due_at) earliest(best, *session.will_due_at);
  return best;
}

void Broker::hint_deadline(Connection& connection) {
  const auto due = deadline_of(connection);
  if (!due || (connection.deadline_hint && *connection.deadline_hint <= *due)) return;
  connection.deadline_hint = due;
  deadline_hints_.push({.at = *due, .connection = connection.id, .client_id = {}});
}

void Broker::hint_deadline(Session& session) {
  const auto due = deadline_of(session);
  if (!due || (session.deadline_hint && *session.deadline_hint <= *due)) return;
  session.deadline_hint = due;
  deadline_hints_.push({.at = *due, .connection = 0, .client_id = session.client_id});
}

// The earliest hint that is still its connection's or session's deadline.
// A live hint whose deadline has moved on (a packet came, a session got
// its connection back) is replaced by one at the new deadline; a stale
// one (superseded, or of a connection or session gone) is dropped. Each
// received packet makes at most one hint stale, so the cost is a heap
// operation per packet, not a scan of every client.
std::optional<TimePoint> Broker::earliest_hinted() {
  while (!deadline_hints_.empty()) {
    DeadlineHint top = deadline_hints_.top();
    std::optional<TimePoint>* live = nullptr;
    std::optional<TimePoint> due;
    if (top.connection != 0) {
      if (Connection* connection = find_connection(top.connection)) {
        live = &connection->deadline_hint;
        due = deadline_of(*connection);
      }
    } else if (const auto session = sessions_.find(top.client_id); session != sessions_.end()) {
      live = &session->second.deadline_hint;
      due = deadline_of(session->second);
    }
    if (live != nullptr && *live == top.at && due == top.at) return top.at;
    deadline_hints_.pop();
    if (live == nullptr || *live != top.at) continue;  // stale
    live->reset();
    if (!due) continue;
    *live = due;
    top.at = *due;
    deadline_hints_.push(std::move(top));
  }
  return std::nullopt;
}

std::optional<TimePoint> Broker::earliest_by_scan() const {
  std::optional<TimePoint> best;
  for (const auto& [id, connection] : connections_) {
    if (const auto due = deadline_of(*connection)) earliest(best, *due);
  }
  for (const auto& [client_id, session] : sessions_) {
    if (const auto due = deadline_of(session)) earliest(best, *due);
  }
  return best;
}

std::optional<TimePoint> Broker::next_deadline() {
  std::optional<TimePoint> best = earliest_hinted();
  // A debug build checks the hints against a scan of everything (the ASan
  // preset runs the whole test suite so).
  assert(best == earliest_by_scan());
  // The 3.1.1 in-session retry is a profile option off by default; its
  // deadlines move with every flight, and are scanned.
  if (profile_.in_session_retry_s != 0) {
    const Duration interval = Duration::from_s(profile_.in_session_retry_s);
    for (const auto& [client_id, session] : sessions_) {
      if (!session.connection || session.version != ProtocolVersion::v3_1_1) continue;
      for (const OutboundFlight& flight : session.inflight) {
        earliest(best, flight.last_sent + interval);
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
