#pragma once
// The client side of one MQTT session, sans-I/O (the mirror of the broker's
// server side). It is what the simulator's virtual clients and `mqttsim
// check`'s TCP clients both run: the driver reports what happened to the
// network connection and the application calls publish()/subscribe();
// nothing here reads a clock or touches a socket. Every input carries `now`;
// next_deadline() says when on_timer() is next wanted (quinn-proto style);
// take_actions() hands over what to send, close and tell the application.
//
// Connection states and their transitions (all in client_session.cpp):
//
//   offline --connection_opened--> awaiting_connack --CONNACK 0--> connected
//      ^                                |  CONNACK !=0, timeout,        |
//      +--------------------------------+--violation, connection_closed-+
//                                          disconnect(), keep-alive
//
// Session state survives every return to `offline` (a drop or a graceful
// disconnect): packet ids in use, outbound QoS 1/2 messages in flight (with
// the PUBRELs owed), the queue of publishes not yet sent, and inbound QoS 2
// ids awaiting PUBREL. It is discarded only as the standards say: before a
// CONNECT with clean start, and on a CONNACK with Session Present 0 (5.0
// MQTT-3.2.2-5; 3.1.1 §3.2.2.2, where the server holding no session makes
// our in-flight ids meaningless). Queued publishes that were never sent are
// application intent, not session state: they survive and go out as new
// messages. A client *crash* is modelled by constructing a new ClientSession:
// it starts with no state at all.
//
// Retransmission happens only on reconnect with Session Present 1 (5.0
// MQTT-4.4.0-1 forbids it at any other time; 3.1.1 allows in-session retry
// but this client, keeping one behaviour for both, does not).

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/expected.hpp"
#include "base/time.hpp"
#include "codec/codec.hpp"
#include "codec/packet_reader.hpp"
#include "protocol/client_actions.hpp"
#include "protocol/client_options.hpp"

namespace mqttsim::protocol {

enum class ConnectionState : std::uint8_t { offline, awaiting_connack, connected };

class ClientSession {
 public:
  explicit ClientSession(ClientOptions options);

  // --- driver inputs ---
  // A network connection is up: sends CONNECT. Refused while one is open.
  [[nodiscard]] std::optional<ClientError> connection_opened(TimePoint now);
  void on_bytes(codec::ByteView bytes, TimePoint now);
  // The network connection is gone (reset, EOF, the driver gave up). A no-op
  // when the session already closed it. Session state survives.
  void connection_closed(TimePoint now);
  // Handles every deadline at or before `now`.
  void on_timer(TimePoint now);
  std::optional<TimePoint> next_deadline() const;
  std::vector<Action> take_actions() { return std::exchange(actions_, {}); }

  // --- application calls ---
  // Queues an application message; it is sent at once when connected and
  // the window allows (5.0 Receive Maximum send quota, MQTT-4.9.0-1/-2;
  // max_inflight; free packet ids), else when that changes. Messages go out
  // in the order they were published, QoS 0 included.
  Expected<MessageId, ClientError> publish(std::string topic, codec::Bytes payload, codec::QoS qos,
                                           bool retain, codec::Properties properties,
                                           TimePoint now);
  Expected<RequestId, ClientError> subscribe(std::vector<codec::Subscription> subscriptions,
                                             codec::Properties properties, TimePoint now);
  Expected<RequestId, ClientError> unsubscribe(std::vector<std::string> topic_filters,
                                               codec::Properties properties, TimePoint now);
  // Graceful: DISCONNECT (5.0 with `reason` and, if given, a new Session
  // Expiry Interval), then Close. Without a connection it does nothing.
  void disconnect(codec::ReasonCode reason, std::optional<std::uint32_t> session_expiry_s,
                  TimePoint now);
  // Sends a PINGREQ now (unless one is already unanswered).
  [[nodiscard]] std::optional<ClientError> ping(TimePoint now);

  // For the next connection: what a CONNECT carries may change between
  // connections (a scenario's `connect` step sets clean start, keep-alive,
  // will, credentials, ...). The client id and the protocol version name
  // the session and the client's own bounds size its state, so those stay.
  // Refused (already_connected) unless offline.
  [[nodiscard]] std::optional<ClientError> set_connect_options(const ClientOptions& options);
  // The same for one field each.
  void set_clean_start(bool clean_start) { options_.clean_start = clean_start; }
  void set_session_expiry_interval_s(std::optional<std::uint32_t> seconds) {
    options_.session_expiry_interval_s = seconds;
  }

  // --- observation ---
  const ClientOptions& options() const { return options_; }
  ConnectionState state() const { return state_; }
  bool connected() const { return state_ == ConnectionState::connected; }
  // The keep-alive in force: 5.0 Server Keep Alive if CONNACK had one.
  std::uint16_t keep_alive_s() const { return keep_alive_s_; }
  std::size_t queued_count() const { return queue_.size(); }
  std::size_t inflight_count() const { return awaiting_ack_.size() + awaiting_pubcomp_.size(); }
  std::size_t inbound_qos2_count() const { return inbound_qos2_.size(); }
  bool has_session_state() const;
  // The CONNECT this session sends (built from the options).
  codec::Connect connect_packet() const;

 private:
  // An application publish not yet sent.
  struct Pending {
    MessageId message = 0;
    codec::Publish publish;  // packet_id and dup still unset
  };
  // A QoS 1/2 publish on the wire, awaiting PUBACK or PUBREC.
  struct Outbound {
    MessageId message = 0;
    codec::Publish publish;
  };
  // A QoS 2 publish past PUBREC: our PUBREL awaits PUBCOMP.
  struct Releasing {
    MessageId message = 0;
    std::uint16_t packet_id = 0;
  };
  enum class IdUse : std::uint8_t { publish, subscribe, unsubscribe };
  struct PendingRequest {
    RequestId request = 0;
    std::size_t filter_count = 0;
  };

  // client_session.cpp: connection state transitions
  void enter_connected(const codec::Connack& connack, TimePoint now);
  void close_connection(CloseReason reason, std::string detail);
  void violation(SpecRef spec, std::string message, bool close,
                 codec::ReasonCode disconnect_reason = codec::ReasonCode::protocol_error);
  // Closes the connection, with a 5.0 DISCONNECT first when connected.
  void end_connection(CloseReason why, codec::ReasonCode disconnect_reason, std::string detail);
  void discard_session_state();
  SpecRef cite(std::string_view id_v311, std::string_view id_v5) const;

  // client_inbound.cpp: packets from the server
  void dispatch(codec::Packet&& packet, TimePoint now);
  void on_connack(const codec::Connack& connack, TimePoint now);
  void on_publish(codec::Publish&& publish, TimePoint now);
  void on_puback(const codec::Puback& puback, TimePoint now);
  void on_pubrec(const codec::Pubrec& pubrec, TimePoint now);
  void on_pubrel(const codec::Pubrel& pubrel, TimePoint now);
  void on_pubcomp(const codec::Pubcomp& pubcomp, TimePoint now);
  void on_suback(codec::Suback&& suback);
  void on_unsuback(codec::Unsuback&& unsuback);
  void on_disconnect(codec::Disconnect&& disconnect);

  // client_outbound.cpp: the queue, the window, packet ids, resending
  void send(const codec::Packet& packet, TimePoint now);
  void flush_queue(TimePoint now);
  // The PUBLISH as it goes on the wire: with an empty topic when its Topic
  // Alias already stands for that topic on this connection.
  codec::Publish with_alias(const codec::Publish& publish);
  void resend_inflight(TimePoint now);
  std::size_t window() const;
  std::optional<std::uint16_t> allocate_packet_id(IdUse use);
  void release_packet_id(std::uint16_t packet_id);
  std::uint32_t server_maximum_packet_size() const;
  // 5.0: the reason this server's CONNACK forbids `publish`, if it does.
  std::optional<codec::ReasonCode> beyond_connack_limits(const codec::Publish& publish) const;

  ClientOptions options_;
  ConnectionState state_ = ConnectionState::offline;
  std::optional<codec::PacketReader> reader_;
  std::vector<Action> actions_;

  // --- per connection (reset by connection_opened) ---
  std::uint16_t keep_alive_s_ = 0;
  TimePoint connect_sent_at_;
  TimePoint last_sent_at_;
  std::optional<TimePoint> ping_sent_at_;
  codec::Properties connack_properties_;  // the server's 5.0 limits
  // 5.0 Topic Alias mappings of this connection: the server's (set by its
  // PUBLISH packets) and ours.
  std::map<std::uint16_t, std::string> inbound_aliases_;
  std::map<std::uint16_t, std::string> outbound_aliases_;

  // --- session state: survives the connection ---
  std::map<std::uint16_t, IdUse> ids_in_use_;  // MQTT-2.3.1-2/-3 (3.1.1), MQTT-2.2.1-3 (5.0)
  std::uint16_t last_packet_id_ = 0;
  std::deque<Outbound> awaiting_ack_;                 // in first-send order (MQTT-4.6.0-1)
  std::deque<Releasing> awaiting_pubcomp_;            // in PUBREC arrival order (MQTT-4.6.0-4)
  std::set<std::uint16_t> inbound_qos2_;              // PUBREC sent, PUBREL not yet received
  std::map<std::uint16_t, PendingRequest> requests_;  // SUBSCRIBE / UNSUBSCRIBE awaiting answer
  bool had_session_ = false;  // a connection was accepted since the last discard

  // --- application intent: survives even a session discard ---
  std::deque<Pending> queue_;
  MessageId next_message_ = 1;
  RequestId next_request_ = 1;
  std::uint64_t next_delivery_sequence_ = 1;
};

}  // namespace mqttsim::protocol
