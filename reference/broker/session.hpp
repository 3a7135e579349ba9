#pragma once
// The state the broker keeps for one client id (3.1.1 §4.1, 5.0 §4.1):
// subscriptions, QoS 1/2 messages in flight to the client, messages queued
// for it, and the QoS 2 packet ids it has sent us whose PUBREL is still due.
// A session outlives its network connection unless Clean Session / Session
// Expiry say otherwise.

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "base/spec_ref.hpp"
#include "base/time.hpp"
#include "broker/message.hpp"
#include "broker/session_ordinal.hpp"

namespace mqttsim::broker {

using ConnectionId = std::uint64_t;

struct SubscriptionOptions {
  codec::QoS granted_qos = codec::QoS::at_most_once;
  bool no_local = false;                                 // 5.0
  bool retain_as_published = false;                      // 5.0
  std::uint8_t retain_handling = 0;                      // 5.0
  std::optional<std::uint32_t> subscription_identifier;  // 5.0
  bool operator==(const SubscriptionOptions&) const = default;
};

// One copy of a message on its way to one session.
struct Delivery {
  MessagePtr message;
  codec::QoS qos = codec::QoS::at_most_once;  // min(published, granted)
  bool retain = false;                        // the RETAIN flag this copy carries
  std::vector<std::uint32_t> subscription_identifiers;
};

// A QoS 1/2 PUBLISH sent to the client and not yet fully acknowledged.
struct OutboundFlight {
  enum class Stage : std::uint8_t {
    awaiting_puback,   // QoS 1
    awaiting_pubrec,   // QoS 2, first half
    awaiting_pubcomp,  // QoS 2, PUBREL sent
  };
  std::uint16_t packet_id = 0;
  Delivery delivery;
  Stage stage = Stage::awaiting_puback;
  TimePoint last_sent;  // for the 3.1.1 in-session retry option
};

// The will, as CONNECT carried it (5.0 attaches it to the session,
// MQTT-3.1.2-7).
struct WillMessage {
  MessagePtr message;
  std::uint32_t delay_interval_s = 0;  // 5.0 Will Delay Interval
};

struct Session {
  std::string client_id;
  ProtocolVersion version = ProtocolVersion::v3_1_1;  // of its latest connection

  std::map<std::string, SubscriptionOptions, std::less<>> subscriptions;
  // In the order first sent. Add and remove through add_flight and
  // erase_flight, which keep ids_in_flight.
  std::vector<OutboundFlight> inflight;
  // The packet ids of `inflight`: allocate_packet_id asks here rather than
  // scan a window that may be thousands of flights long.
  std::unordered_set<std::uint16_t> ids_in_flight;  // order-free: membership only
  std::deque<Delivery> queue;            // waiting while offline or for the window
  // QoS 2 messages received from this client: PUBREC sent, PUBREL not yet
  // received. With Qos2Forwarding::on_pubrel the message waits here too.
  std::map<std::uint16_t, MessagePtr> inbound_qos2;
  std::uint16_t next_packet_id = 1;

  // Lifetime. 3.1.1: 0 for Clean Session 1, "never" for Clean Session 0.
  static constexpr std::uint32_t never_expires = 0xFFFF'FFFF;
  std::uint32_t expiry_interval_s = 0;
  std::optional<TimePoint> expires_at;  // set while no connection is attached

  std::optional<WillMessage> will;
  std::optional<TimePoint> will_due_at;  // 5.0: a delayed will waiting to go out

  std::optional<ConnectionId> connection;  // the attached network connection

  // The broker's live hint of this session's next deadline (timers.cpp)
  // and its handle on the routing path (Broker::adopt); neither is part of
  // the session's state, and neither is stored.
  std::optional<TimePoint> deadline_hint;
  SessionOrdinal ordinal = 0;

  void add_flight(OutboundFlight flight) {
    ids_in_flight.insert(flight.packet_id);
    inflight.push_back(std::move(flight));
  }
  std::vector<OutboundFlight>::iterator erase_flight(std::vector<OutboundFlight>::iterator flight) {
    ids_in_flight.erase(flight->packet_id);
    return inflight.erase(flight);
  }
};

}  // namespace mqttsim::broker
