#pragma once
// The reference broker: MQTT 3.1.1 and 5.0 session semantics, sans-I/O.
//
// The driver (simulation or `mqttsim serve`) tells it what happened —
// a connection was accepted, bytes arrived, a connection was lost, time
// passed — always with the current time, and then takes the outputs: bytes
// to send, connections to close, notes for the trace. The broker never reads
// a clock; `next_deadline()` says when it next wants `advance()` to be called
// (keep-alive, session expiry, will delay, retries), in the manner of
// quinn-proto.
//
// The work is split by concern across files: broker.cpp (connections and
// dispatch), connect.cpp (CONNECT, takeover, clean start, session present),
// routing.cpp (inbound PUBLISH, retained, matching), delivery.cpp (outbound
// window, queue, acknowledgements, resend), subscribe.cpp, will.cpp,
// timers.cpp (keep-alive, expiry, will delay, retry), persistence.cpp.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.hpp"
#include "broker/authenticator.hpp"
#include "broker/output.hpp"
#include "broker/retained_store.hpp"
#include "broker/session.hpp"
#include "broker/session_store.hpp"
#include "broker/subscription_trie.hpp"
#include "codec/codec.hpp"
#include "codec/packet_reader.hpp"
#include "profile/profile.hpp"

namespace mqttsim::broker {

class Broker {
 public:
  // Starts the broker; whatever `store` kept from an earlier life is
  // restored (sessions come back offline).
  Broker(Profile profile, SessionStore& store, const Authenticator& authenticator, TimePoint now);
  ~Broker();
  Broker(const Broker&) = delete;
  Broker& operator=(const Broker&) = delete;

  // --- driver interface ---
  ConnectionId accept(std::string peer, TimePoint now);
  void receive(ConnectionId connection, codec::ByteView bytes, TimePoint now);
  // The network connection ended without the broker closing it (reset, EOF,
  // the driver's own timeout). MQTT treats this as an ungraceful close.
  void connection_lost(ConnectionId connection, TimePoint now);
  // Handles every deadline at or before `now`.
  void advance(TimePoint now);
  // When advance() is next wanted. Not const: it brings the deadline hints
  // up to date (timers.cpp).
  std::optional<TimePoint> next_deadline();
  std::vector<Output> take_outputs();

  // --- observation, for tests and reports ---
  const Profile& profile() const { return profile_; }
  const std::map<std::string, Session, std::less<>>& sessions() const { return sessions_; }
  const RetainedStore& retained() const { return retained_; }
  std::size_t connection_count() const { return connections_.size(); }
  // Normative statements the broker has acted on. Ids are string literals
  // (static storage), so recording one costs no allocation.
  const std::set<std::pair<ProtocolVersion, std::string_view>>& exercised() const {
    return exercised_;
  }
  bool exercised(const SpecRef& ref) const { return exercised_.contains({ref.version, ref.id}); }

 private:
  struct Connection;

  // broker.cpp
  void dispatch(Connection& connection, codec::Packet&& packet, TimePoint now);
  void violation(Connection& connection, const codec::DecodeError& error, TimePoint now);
  void protocol_error(Connection& connection, codec::ReasonCode reason, SpecRef spec,
                      std::string text, TimePoint now);
  void send(Connection& connection, const codec::Packet& packet);
  void close(Connection& connection, std::string reason, TimePoint now, bool publish_will);
  void detach(Connection& connection, TimePoint now, bool publish_will);
  void cite(ProtocolVersion version, std::string_view id_v311, std::string_view id_v5);
  void note(NoteKind kind, std::string_view client_id, std::string text);
  Connection* find_connection(ConnectionId id);
  Connection* connection_of(const Session& session);
  // The session of a connection whose CONNECT was accepted.
  Session& session_of(const Connection& connection);

  // connect.cpp
  void handle_connect(Connection& connection, codec::Connect&& connect, TimePoint now);
  void refuse(Connection& connection, ProtocolVersion version, std::uint8_t code,
              std::string reason, TimePoint now);
  void take_over(Connection& old_connection, TimePoint now);
  void handle_disconnect(Connection& connection, const codec::Disconnect& disconnect,
                         TimePoint now);

  // routing.cpp
  void handle_publish(Connection& connection, codec::Publish&& publish, TimePoint now);
  void handle_pubrel(Connection& connection, const codec::Pubrel& pubrel, TimePoint now);
  void route(const MessagePtr& message, TimePoint now);

  // delivery.cpp
  void deliver(Session& session, Delivery&& delivery, TimePoint now);
  void enqueue(Session& session, Delivery&& delivery);
  // Notes a copy dropped because its Message Expiry Interval ran out.
  void drop_expired(const Session& session, const Delivery& delivery);
  void fill_window(Session& session, TimePoint now);
  bool send_publish(Session& session, const Delivery& delivery, std::uint16_t packet_id, bool dup,
                    TimePoint now);
  void resend_inflight(Session& session, TimePoint now);
  void handle_puback(Connection& connection, const codec::Puback& puback, TimePoint now);
  void handle_pubrec(Connection& connection, const codec::Pubrec& pubrec, TimePoint now);
  void handle_pubcomp(Connection& connection, const codec::Pubcomp& pubcomp, TimePoint now);
  std::uint16_t allocate_packet_id(Session& session);
  std::size_t window(const Session& session) const;

  // subscribe.cpp
  void handle_subscribe(Connection& connection, codec::Subscribe&& subscribe, TimePoint now);
  void handle_unsubscribe(Connection& connection, const codec::Unsubscribe& unsubscribe);

  // will.cpp
  void connection_ended_will(Session& session, TimePoint now, bool will_wanted);
  void publish_will(Session& session, TimePoint now);

  // session lifetime (connect.cpp)
  Session& create_session(const std::string& client_id);
  // Gives a session its ordinal (created or restored), and takes it back
  // when the session ends.
  void adopt(Session& session);
  void release(const Session& session);
  void end_session(std::map<std::string, Session, std::less<>>::iterator session, NoteKind why,
                   TimePoint now);

  // timers.cpp
  std::optional<TimePoint> deadline_of(const Connection& connection) const;
  std::optional<TimePoint> deadline_of(const Session& session) const;
  // Call whenever a connection's or session's deadline may have moved
  // earlier than its hint (a new connection, a CONNECT accepted, an expiry
  // or will delay set); a deadline that moves later needs no call.
  void hint_deadline(Connection& connection);
  void hint_deadline(Session& session);
  std::optional<TimePoint> earliest_hinted();
  std::optional<TimePoint> earliest_by_scan() const;  // what the hints must agree with
  void check_keep_alive(TimePoint now);
  void check_sessions(TimePoint now);
  void retry_inflight(TimePoint now);

  // persistence.cpp
  void restore(TimePoint now);
  // Only a durable store needs to hear of changes; a volatile one keeps
  // nothing, so tracking would be wasted work on every delivery.
  void mark_dirty(const Session& session) {
    if (persistent_) dirty_sessions_.insert(session.client_id);
  }
  void flush();

  Profile profile_;
  SessionStore& store_;
  const Authenticator& authenticator_;
  const bool persistent_;  // store_.durable(), asked once

  std::map<ConnectionId, std::unique_ptr<Connection>> connections_;
  std::map<std::string, Session, std::less<>> sessions_;
  SubscriptionTrie subscriptions_;
  // Sessions by ordinal: null where an ordinal is free. Freed ordinals are
  // reused last-freed first, so the numbering is deterministic.
  std::vector<Session*> session_by_ordinal_;
  std::vector<SessionOrdinal> free_ordinals_;
  RetainedStore retained_;

  // Where the next deadline may be, so that next_deadline() need not scan
  // every connection and session after every packet (a product of clients
  // and packets on a population). Each hint is a lower bound of its
  // connection's or session's deadline; the one live hint of each is the
  // value in its `deadline_hint`, and any other is stale.
  struct DeadlineHint {
    TimePoint at;
    ConnectionId connection = 0;  // 0: the session `client_id`'s
    std::string client_id;
    auto operator<=>(const DeadlineHint&) const = default;
  };
  std::priority_queue<DeadlineHint, std::vector<DeadlineHint>, std::greater<>> deadline_hints_;

  std::vector<Output> outputs_;
  std::set<std::pair<ProtocolVersion, std::string_view>> exercised_;
  std::set<std::string, std::less<>> dirty_sessions_;
  std::set<std::string, std::less<>> dirty_retained_;
  ConnectionId next_connection_id_ = 1;
  std::uint64_t next_message_sequence_ = 1;
  std::uint64_t next_assigned_id_ = 1;
};

}  // namespace mqttsim::broker
