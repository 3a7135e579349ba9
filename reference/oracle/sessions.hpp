#pragma once
// Sessions as the broker's answers describe them. A client id's connections
// are grouped into *epochs*: an epoch starts with an accepted CONNACK with
// Session Present 0 and goes on through every later accepted CONNACK of
// the same client id with Session Present 1. The epoch ends where the
// broker no longer held it: at the next CONNECT of that client id answered
// with Session Present 0, at the close of a connection after which the
// session could not outlive it (3.1.1 Clean Session 1; 5.0 Session Expiry
// 0), or at a restart that lost the broker's state.
//
// Checkers other than `session-present` take Session Present as the broker
// gave it; the session-present checker judges whether each answer was true.
// Each epoch also holds its subscriptions, from SUBACK to UNSUBACK.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "oracle/observation.hpp"

namespace mqttsim::oracle {

struct SubscriptionSpan {
  codec::Subscription request;  // the filter and options as subscribed
  codec::QoS granted = codec::QoS::at_most_once;
  ConnectionIndex connection;  // where it was made
  TraceIndex subscribe_index;  // SUBSCRIBE received
  TraceIndex suback_index;     // SUBACK sent: surely in place from here
  // UNSUBSCRIBE received (possibly in place until then) and UNSUBACK sent
  // (surely gone from here), or a later SUBSCRIBE replacing it.
  std::optional<TraceIndex> unsubscribe_index;
  std::optional<TraceIndex> ended_index;
  std::optional<std::uint32_t> subscription_identifier;  // 5.0
};

struct SessionEpoch {
  std::string client_id;
  ProtocolVersion version = ProtocolVersion::v3_1_1;
  std::vector<ConnectionIndex> connections;
  TraceIndex start_index;               // the first connection's CONNACK
  std::optional<TraceIndex> end_index;  // the broker no longer holds it from here
  std::vector<SubscriptionSpan> subscriptions;

  // Whether the epoch's latest connection before `index` was open at `index`.
  bool connected_at(const Observation& seen, TraceIndex index) const;
  bool alive_at(TraceIndex index) const {
    return index >= start_index && (!end_index || index < *end_index);
  }
};

struct Sessions {
  IndexedVector<EpochIndex, SessionEpoch> epochs;
  // Per connection: its epoch, if the connection was accepted.
  IndexedVector<ConnectionIndex, std::optional<EpochIndex>> epoch_of;
};

Sessions sessions(const Observation& seen);

}  // namespace mqttsim::oracle
