#include "oracle/sessions.hpp"

#include <algorithm>
#include <map>

namespace mqttsim::oracle {

namespace {

// Whether the session cannot outlive this connection: 3.1.1 Clean Session 1
// (MQTT-3.1.2-6), 5.0 Session Expiry Interval 0 after the connection
// (MQTT-3.1.2-23), where a DISCONNECT may have changed the interval.
bool ends_with_connection(const ConnectionView& c) {
  const codec::Connect* connect = c.connect_packet();
  if (connect == nullptr) return true;
  if (c.version == ProtocolVersion::v3_1_1) return connect->clean_start;
  std::uint32_t expiry = connect->properties.session_expiry_interval.value_or(0);
  if (c.client_disconnect) {
    const auto* disconnect =
        std::get_if<codec::Disconnect>(&c.packets[*c.client_disconnect].packet);
    if (disconnect && disconnect->properties.session_expiry_interval) {
      expiry = *disconnect->properties.session_expiry_interval;
    }
  }
  return expiry == 0;
}

void add_subscriptions(const Observation& seen, ConnectionIndex connection_index,
                       SessionEpoch& epoch) {
  const ConnectionView& c = seen.connections[connection_index];
  std::map<std::uint16_t, const SeenPacket*> subscribes;    // by packet id, awaiting SUBACK
  std::map<std::uint16_t, const SeenPacket*> unsubscribes;  // awaiting UNSUBACK
  const auto same_filter = [](const SubscriptionSpan& span, const std::string& filter) {
    return span.request.topic_filter == filter && !span.ended_index;
  };
  for (const SeenPacket& p : c.packets) {
    if (p.from_client()) {
      if (const auto* s = std::get_if<codec::Subscribe>(&p.packet)) subscribes[s->packet_id] = &p;
      if (const auto* u = std::get_if<codec::Unsubscribe>(&p.packet)) {
        unsubscribes[u->packet_id] = &p;
        for (SubscriptionSpan& span : epoch.subscriptions) {
          for (const std::string& filter : u->topic_filters) {
            if (same_filter(span, filter) && !span.unsubscribe_index)
              span.unsubscribe_index = p.index;
          }
        }
      }
      continue;
    }
    if (const auto* ack = std::get_if<codec::Suback>(&p.packet)) {
      const auto found = subscribes.find(ack->packet_id);
      if (found == subscribes.end()) continue;
      const auto& request = std::get<codec::Subscribe>(found->second->packet);
      for (std::size_t i = 0; i < request.subscriptions.size() && i < ack->reason_codes.size();
           ++i) {
        const std::uint8_t code = static_cast<std::uint8_t>(ack->reason_codes[i]);
        if (code >= 0x80) continue;  // refused
        const codec::Subscription& wanted = request.subscriptions[i];
        // A subscription to the same filter replaces the old one (3.1.1
        // MQTT-3.8.4-3, 5.0 MQTT-3.8.4-3).
        for (SubscriptionSpan& span : epoch.subscriptions) {
          if (same_filter(span, wanted.topic_filter)) span.ended_index = p.index;
        }
        std::optional<std::uint32_t> identifier;
        if (!request.properties.subscription_identifiers.empty()) {
          identifier = request.properties.subscription_identifiers.front();
        }
        epoch.subscriptions.push_back({.request = wanted,
                                       .granted = static_cast<codec::QoS>(code & 0x03),
                                       .connection = connection_index,
                                       .subscribe_index = found->second->index,
                                       .suback_index = p.index,
                                       .subscription_identifier = identifier});
      }
      subscribes.erase(found);
    } else if (const auto* ack = std::get_if<codec::Unsuback>(&p.packet)) {
      const auto found = unsubscribes.find(ack->packet_id);
      if (found == unsubscribes.end()) continue;
      for (const std::string& filter :
           std::get<codec::Unsubscribe>(found->second->packet).topic_filters) {
        for (SubscriptionSpan& span : epoch.subscriptions) {
          if (same_filter(span, filter)) span.ended_index = p.index;
        }
      }
      unsubscribes.erase(found);
    }
  }
}

}  // namespace

bool SessionEpoch::connected_at(const Observation& seen, TraceIndex index) const {
  for (const ConnectionIndex i : connections) {
    const ConnectionView& c = seen.connections[i];
    const TraceIndex opened = c.packets[*c.connack].index;
    if (opened <= index && (!c.closed_index || index < *c.closed_index)) return true;
  }
  return false;
}

Sessions sessions(const Observation& seen) {
  Sessions result;
  result.epoch_of.resize(seen.connections.size());
  // Connections in the order their CONNACK was sent, which is the order the
  // broker decided about sessions in.
  std::vector<ConnectionIndex> order;
  for (const ConnectionIndex i : seen.connections.indices()) {
    if (seen.connections[i].accepted()) order.push_back(i);
  }
  std::sort(order.begin(), order.end(), [&](ConnectionIndex a, ConnectionIndex b) {
    const ConnectionView& x = seen.connections[a];
    const ConnectionView& y = seen.connections[b];
    return x.packets[*x.connack].index < y.packets[*y.connack].index;
  });
  std::map<std::string, EpochIndex> latest;  // client id -> its newest epoch
  for (const ConnectionIndex i : order) {
    const ConnectionView& c = seen.connections[i];
    const std::string id = c.client_id();
    const TraceIndex connack_index = c.packets[*c.connack].index;
    const auto previous = latest.find(id);
    SessionEpoch* epoch = nullptr;
    const bool resumed = c.connack_packet()->session_present && previous != latest.end();
    if (resumed) {
      epoch = &result.epochs[previous->second];
    } else {
      if (previous != latest.end()) {
        SessionEpoch& old = result.epochs[previous->second];
        const TraceIndex connect_index = c.packets[*c.connect].index;
        if (!old.end_index || *old.end_index > connect_index) old.end_index = connect_index;
      }
      result.epochs.push_back(
          {.client_id = id, .version = c.version, .start_index = connack_index});
      latest[id] = result.epochs.back_index();
      epoch = &result.epochs.back();
    }
    epoch->connections.push_back(i);
    result.epoch_of[i] = latest[id];
    if (c.closed_index && ends_with_connection(c)) {
      if (!epoch->end_index || *epoch->end_index > *c.closed_index)
        epoch->end_index = c.closed_index;
    }
    add_subscriptions(seen, i, *epoch);
  }
  for (const Restart& restart : seen.restarts) {
    if (!restart.state_lost) continue;
    for (SessionEpoch& epoch : result.epochs) {
      if (epoch.alive_at(restart.index)) epoch.end_index = restart.index;
    }
  }
  return result;
}

}  // namespace mqttsim::oracle
