#include "oracle/message_flow.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <utility>

#include "codec/topic.hpp"
#include "oracle/answers.hpp"
#include "oracle/filter_index.hpp"

namespace mqttsim::oracle {

namespace {

using Key = std::pair<std::string, codec::Bytes>;

Key key_of(const codec::Publish& publish) { return {publish.topic, publish.payload}; }

bool failed(codec::ReasonCode reason) { return static_cast<std::uint8_t>(reason) >= 0x80; }

// Whether the publications of one topic/payload pair are one QoS 1/2
// message received again under its packet id with DUP=1 (see the header).
bool is_resend_chain(const Evidence& e, const std::vector<PublicationIndex>& group) {
  const Publication& head = e.messages.publications[group.front()];
  if (head.is_will || !head.epoch || head.publish.qos == codec::QoS::at_most_once) return false;
  for (std::size_t k = 1; k < group.size(); ++k) {
    const Publication& p = e.messages.publications[group[k]];
    if (p.is_will || p.epoch != head.epoch || p.publish.qos != head.publish.qos ||
        p.publish.packet_id != head.publish.packet_id || !p.publish.dup) {
      return false;
    }
    if (head.publish.qos == codec::QoS::exactly_once) {
      const auto released = client_pubrel(e.seen, e.sessions.epochs[*head.epoch],
                                          head.publish.packet_id, head.first_index);
      if (released && *released < p.first_index) return false;  // a new message after PUBREL
    }
  }
  return true;
}

FlowMessage make_message(const Evidence& e, const std::vector<PublicationIndex>& group) {
  const Publication& head = e.messages.publications[group.front()];
  FlowMessage m{.head = group.front(),
                .publish = head.publish,
                .publisher = head.publisher,
                .is_will = head.is_will};
  for (const PublicationIndex i : group) {
    const Publication& p = e.messages.publications[i];
    m.receipts.push_back(p.first_index);
    m.receipts.insert(m.receipts.end(), p.resends.begin(), p.resends.end());
    if (p.acked_index && (!m.acked_index || *p.acked_index < *m.acked_index)) {
      m.acked_index = p.acked_index;
    }
  }
  std::sort(m.receipts.begin(), m.receipts.end());
  m.routed_from = head.first_index;
  m.routed_to = m.receipts.back();
  if (head.is_will) {
    m.routed_to = e.seen.end_index;
  } else if (head.publish.qos == codec::QoS::at_least_once) {
    m.routings = m.receipts.size();
  } else if (head.publish.qos == codec::QoS::exactly_once) {
    if (head.epoch) {
      m.released_index = client_pubrel(e.seen, e.sessions.epochs[*head.epoch],
                                       head.publish.packet_id, head.first_index);
    }
    if (e.profile.qos2_forwarding == Qos2Forwarding::on_pubrel) {
      m.routed_to = m.released_index.value_or(e.seen.end_index);
    } else {
      m.routed_to = head.first_index;
    }
  }
  return m;
}

// Flow::epochs_of_topic and topic_of_message, with one lookup per
// distinct topic.
void match_epochs(const Evidence& e, Flow& flow) {
  // The index tags each filter with its epoch's number.
  FilterIndex index;
  for (const EpochIndex ei : e.sessions.epochs.indices()) {
    for (const SubscriptionSpan& span : e.sessions.epochs[ei].subscriptions) {
      index.add(plain_filter(span), ei.value());
    }
  }
  std::map<std::string_view, std::size_t> topic_index;
  flow.topic_of_message.resize(flow.messages.size());
  for (const MessageIndex mi : flow.messages.indices()) {
    const std::string_view topic = flow.messages[mi].publish.topic;
    auto found = topic_index.find(topic);
    if (found == topic_index.end()) {
      std::vector<std::size_t> tags = index.matching(topic);
      std::sort(tags.begin(), tags.end());
      tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
      std::vector<EpochIndex> epochs;
      epochs.reserve(tags.size());
      for (const std::size_t tag : tags) epochs.emplace_back(tag);
      flow.epochs_of_topic.push_back(std::move(epochs));
      found = topic_index.emplace(topic, flow.epochs_of_topic.size() - 1).first;
    }
    flow.topic_of_message[mi] = found->second;
  }
}

struct TimelineEntry {
  ConnectionIndex connection;
  const SeenPacket* packet;
  // Where the packet falls in the broker's order: its trace index, except
  // for broker output on an earlier connection of the epoch recorded
  // after the next connection's CONNECT (see replay_order).
  TraceIndex order;
  bool read_late = false;
};

// The epoch's packets in the order the broker handled them. That is trace
// order, with one exception seen from outside: the harness reads each
// socket in whatever order it gets to it, so what the broker wrote on an
// old connection before it took the session over may be recorded after
// what it then wrote on the new one (found by explore --broker against an
// ASan-built mqttsim serve, seed 16: a DUP=0 first copy recorded after its
// DUP=1 resend). Such output counts as written before the CONNECT that
// took the session over; a broker that really wrote there later is the
// takeover checker's to catch.
std::vector<TimelineEntry> replay_order(const Evidence& e, const SessionEpoch& epoch) {
  std::vector<TimelineEntry> timeline;
  for (std::size_t k = 0; k < epoch.connections.size(); ++k) {
    const ConnectionIndex ci = epoch.connections[k];
    std::optional<TraceIndex> taken_over;
    if (e.seen.from_outside && k + 1 < epoch.connections.size()) {
      const ConnectionView& next = e.seen.connections[epoch.connections[k + 1]];
      taken_over = next.packets[*next.connect].index;
    }
    for (const SeenPacket& p : e.seen.connections[ci].packets) {
      const bool late = taken_over && p.to_client() && p.index > *taken_over;
      timeline.push_back({ci, &p, late ? *taken_over : p.index, late});
    }
  }
  std::sort(timeline.begin(), timeline.end(), [](const TimelineEntry& a, const TimelineEntry& b) {
    if (a.order != b.order) return a.order < b.order;
    if (a.read_late != b.read_late) return a.read_late;  // before the CONNECT
    return a.packet->index < b.packet->index;
  });
  return timeline;
}

// Per connection of the epoch, the receipt of the CONNECT that took its
// session over on the epoch's next connection. A client packet recorded on
// the old connection after it may never have been read: seen from outside
// (mqttsim check), the harness records what it wrote, and a broker that has
// just read the new CONNECT closes the old connection without reading
// further. Such an acknowledgement may or may not have ended its flight.
std::map<ConnectionIndex, TraceIndex> taken_over_at(const Evidence& e, const SessionEpoch& epoch) {
  std::map<ConnectionIndex, TraceIndex> at;
  for (std::size_t k = 0; k + 1 < epoch.connections.size(); ++k) {
    const ConnectionView& next = e.seen.connections[epoch.connections[k + 1]];
    at[epoch.connections[k]] = next.packets[*next.connect].index;
  }
  return at;
}

void replay_flights(const Evidence& e, EpochIndex epoch_index,
                    const std::map<TraceIndex, DeliveryIndex>& delivery_at, Flow& flow) {
  const SessionEpoch& epoch = e.sessions.epochs[epoch_index];
  const std::vector<TimelineEntry> timeline = replay_order(e, epoch);
  struct Open {
    DeliveryIndex delivery;
    codec::QoS qos;
    bool pubrec = false;
    ConnectionIndex last_connection;
    // A PUBREC, or the final PUBACK / PUBCOMP, that the broker may not
    // have read (see taken_over_at): the flight is still open if it did
    // not, over if it did. Open for resends, over for a new message.
    bool pubrec_unsure = false;
    bool maybe_over = false;
  };
  std::map<std::uint16_t, Open> open;
  // id -> PUBREC since the last PUBLISH under it
  std::map<std::uint16_t, TraceIndex> pubrec_since;
  std::set<std::uint16_t> released;  // ids with a PUBREL already sent
  const bool v5 = epoch.version == ProtocolVersion::v5_0;
  const auto takeovers = taken_over_at(e, epoch);
  const auto maybe_unread = [&](const TimelineEntry& entry) {
    const auto found = takeovers.find(entry.connection);
    if (found != takeovers.end() && entry.packet->index > found->second) return true;
    // Seen from outside, a connection the harness reset: the reset
    // discards what the broker had not yet read, so an acknowledgement is
    // surely read only if the broker answered it or a later packet on that
    // connection (found by explore --broker against an ASan-built serve,
    // seed 15: PUBCOMP and PUBRECs written just before a client's reset,
    // never read, and the PUBREL and PUBLISHes rightly sent again).
    const ConnectionView& c = e.seen.connections[entry.connection];
    return e.seen.from_outside && c.output_unseen_at_close && !answered_by(c, entry.packet->index);
  };
  // Records how many flights are open from `index` (the packet just
  // replayed) on, when that changed.
  auto& in_flight = flow.in_flight[epoch_index];
  const auto count_from = [&](TraceIndex index) {
    if (in_flight.empty() ? !open.empty() : in_flight.back().second != open.size()) {
      in_flight.emplace_back(index, open.size());
    }
  };
  std::optional<TraceIndex> previous;
  for (const TimelineEntry& entry : timeline) {
    const SeenPacket& p = *entry.packet;
    if (previous) count_from(*previous);
    previous = entry.order;
    if (p.to_client()) {
      if (const auto* publish = std::get_if<codec::Publish>(&p.packet)) {
        const DeliveryIndex d = delivery_at.at(p.index);
        DeliveryFlow& df = flow.deliveries[d];
        if (publish->qos == codec::QoS::at_most_once) {
          df.attempt = Attempt::at_most_once;
          continue;
        }
        const auto found = open.find(publish->packet_id);
        if (found == open.end()) {
          df.attempt = Attempt::first;
          open.insert_or_assign(publish->packet_id, Open{d, publish->qos, false, entry.connection});
        } else {
          const codec::Publish& earlier = e.messages.deliveries[found->second.delivery].publish();
          df.opened_by = found->second.delivery;
          df.same_connection = found->second.last_connection == entry.connection;
          if (key_of(earlier) == key_of(*publish)) {
            df.attempt = found->second.pubrec ? Attempt::after_release : Attempt::resend;
            found->second.last_connection = entry.connection;
            // Sent again: whatever acknowledgement was in doubt went unread.
            found->second.pubrec_unsure = false;
            found->second.maybe_over = false;
            continue;
          }
          if (found->second.maybe_over) {
            df.attempt = Attempt::first;
            df.opened_by.reset();
            df.same_connection = false;
          } else {
            df.attempt = Attempt::reuse;
          }
          found->second = Open{d, publish->qos, false, entry.connection};
        }
        pubrec_since.erase(publish->packet_id);
        released.erase(publish->packet_id);
      } else if (const auto* rel = std::get_if<codec::Pubrel>(&p.packet)) {
        // A PUBREL shows the broker read the PUBREC in doubt, and that the
        // PUBCOMP in doubt went unread.
        if (const auto flight = open.find(rel->packet_id); flight != open.end()) {
          if (flight->second.pubrec_unsure) flight->second.pubrec = true;
          flight->second.pubrec_unsure = false;
          flight->second.maybe_over = false;
        }
        const auto since = pubrec_since.find(rel->packet_id);
        flow.releases.push_back({.index = p.index,
                                 .epoch = epoch_index,
                                 .connection = entry.connection,
                                 .packet_id = rel->packet_id,
                                 .pubrec_index = since == pubrec_since.end()
                                                     ? std::nullopt
                                                     : std::optional{since->second},
                                 .first = !released.contains(rel->packet_id)});
        released.insert(rel->packet_id);
      }
      continue;
    }
    const bool unread = maybe_unread(entry);
    if (const auto* ack = std::get_if<codec::Puback>(&p.packet)) {
      const auto found = open.find(ack->packet_id);
      if (found == open.end() || found->second.qos != codec::QoS::at_least_once) continue;
      if (unread) {
        found->second.maybe_over = true;
      } else {
        open.erase(found);
      }
    } else if (const auto* rec = std::get_if<codec::Pubrec>(&p.packet)) {
      pubrec_since[rec->packet_id] = p.index;
      const auto found = open.find(rec->packet_id);
      if (found == open.end() || found->second.qos != codec::QoS::exactly_once ||
          found->second.pubrec) {
        continue;
      }
      if (v5 && failed(rec->reason_code)) {  // 5.0: an error PUBREC ends the exchange
        if (unread) {
          found->second.maybe_over = true;
        } else {
          open.erase(found);
        }
      } else if (unread) {
        found->second.pubrec_unsure = true;
      } else {
        found->second.pubrec = true;
      }
    } else if (const auto* comp = std::get_if<codec::Pubcomp>(&p.packet)) {
      const auto found = open.find(comp->packet_id);
      const bool releasing =
          found != open.end() && (found->second.pubrec || found->second.pubrec_unsure);
      if (unread) {
        if (releasing) found->second.maybe_over = true;
        continue;
      }
      if (releasing) open.erase(found);
      pubrec_since.erase(comp->packet_id);
      released.erase(comp->packet_id);
    }
  }
  if (previous) count_from(*previous);
  for (const auto& [id, flight] : open) {
    // An acknowledgement in doubt on an earlier connection that the broker
    // did not answer by sending again on a later one: it read it, since a
    // resumed session gets its unacknowledged PUBLISHes and PUBRELs first
    // (MQTT-4.4.0-1). Counted open, a lost queue behind it would pass for
    // one still being delivered (found by mqttsim check against Mosquitto).
    const bool in_doubt = flight.maybe_over || flight.pubrec_unsure;
    if (in_doubt && flight.last_connection != epoch.connections.back()) continue;
    flow.open_at_end[epoch_index].push_back(flight.delivery);
  }
  std::sort(flow.open_at_end[epoch_index].begin(), flow.open_at_end[epoch_index].end());
}

// Seen from outside (trace::Mark::observed_from_outside), the broker may have
// read the packet that made a message routable (its PUBLISH, or its PUBREL
// under on_pubrel) after packets recorded later on other connections, such
// as a SUBSCRIBE: the stretch in which it routed the message runs on until
// what it wrote back proves the routing done. That is its answer to that
// packet or a later one on the same connection, or, for a message routed
// once, the first copy of it sent to anyone. Found by mqttsim explore
// against Mosquitto under load (seed 27): a SUBSCRIBE recorded just after
// a QoS 2 message's PUBREL, read first, earned a third copy (one per
// matching subscription).
void widen_routing_seen_from_outside(const Evidence& e, Flow& flow) {
  IndexedVector<MessageIndex, std::optional<TraceIndex>> first_copy(flow.messages.size());
  for (const DeliveryIndex d : flow.deliveries.indices()) {
    const auto& message = flow.deliveries[d].message;
    if (!message) continue;
    const TraceIndex index = e.messages.deliveries[d].index;
    if (!first_copy[*message] || index < *first_copy[*message]) first_copy[*message] = index;
  }
  for (const MessageIndex mi : flow.messages.indices()) {
    FlowMessage& m = flow.messages[mi];
    if (m.is_will || m.routed_to >= e.seen.end_index) continue;
    const Publication& head = e.messages.publications[m.head];
    std::vector<ConnectionIndex> candidates{head.connection};
    if (head.epoch) {
      const auto& more = e.sessions.epochs[*head.epoch].connections;
      candidates.insert(candidates.end(), more.begin(), more.end());
    }
    TraceIndex surely = e.seen.end_index;
    if (const ConnectionView* c = connection_holding(e.seen, candidates, m.routed_to)) {
      surely = answered_by(*c, m.routed_to).value_or(surely);
    }
    if (m.routings == 1 && first_copy[mi]) surely = std::min(surely, *first_copy[mi]);
    m.routed_to = std::max(m.routed_to, surely);
  }
}

}  // namespace

Flow message_flow(const Evidence& e) {
  Flow flow;
  const auto& publications = e.messages.publications;
  flow.message_of_publication.resize(publications.size());
  std::map<Key, std::vector<PublicationIndex>> groups;
  for (const PublicationIndex i : publications.indices()) {
    groups[key_of(publications[i].publish)].push_back(i);
  }
  std::map<Key, MessageIndex> message_of_key;
  for (auto& [key, group] : groups) {
    std::sort(group.begin(), group.end(), [&](PublicationIndex a, PublicationIndex b) {
      return publications[a].first_index < publications[b].first_index;
    });
    if (group.size() > 1 && !is_resend_chain(e, group)) continue;
    flow.messages.push_back(make_message(e, group));
    message_of_key[key] = flow.messages.back_index();
    for (const PublicationIndex i : group)
      flow.message_of_publication[i] = flow.messages.back_index();
  }

  const auto& deliveries = e.messages.deliveries;
  flow.deliveries.resize(deliveries.size());
  std::map<TraceIndex, DeliveryIndex> delivery_at;
  for (const DeliveryIndex d : deliveries.indices()) {
    const Delivery& delivery = deliveries[d];
    delivery_at[delivery.index] = d;
    DeliveryFlow& df = flow.deliveries[d];
    df.attempt = delivery.epoch ? Attempt::at_most_once : Attempt::no_session;
    const Key key = key_of(delivery.publish());
    if (const auto found = message_of_key.find(key); found != message_of_key.end()) {
      df.message = found->second;
    } else if (!groups.contains(key)) {
      flow.unpublished.push_back(d);
    }
    if (!df.message || !delivery.epoch || !delivery.publish().retain) continue;
    const FlowMessage& m = flow.messages[*df.message];
    if (!m.publish.retain) continue;
    // A retained copy answers a subscription made once the message was
    // retained: at its receipt, or under on_pubrel at its release. A
    // subscription made before that gets it as a forward (found by mqttsim
    // explore: a SUBSCRIBE between a retained QoS 2 PUBLISH and its PUBREL).
    const bool on_release = e.profile.qos2_forwarding == Qos2Forwarding::on_pubrel &&
                            m.publish.qos == codec::QoS::exactly_once;
    const TraceIndex retained_at =
        on_release ? m.released_index.value_or(m.routed_from) : m.routed_from;
    for (const SubscriptionSpan& span : e.sessions.epochs[*delivery.epoch].subscriptions) {
      if (span.subscribe_index > retained_at && span.subscribe_index < delivery.index &&
          span_matches(span, delivery.publish().topic)) {
        df.retained_copy = true;
      }
    }
  }
  if (e.seen.from_outside) widen_routing_seen_from_outside(e, flow);
  match_epochs(e, flow);
  flow.deliveries_of_epoch.resize(e.sessions.epochs.size());
  for (const DeliveryIndex d : deliveries.indices()) {
    if (deliveries[d].epoch) flow.deliveries_of_epoch[*deliveries[d].epoch].push_back(d);
  }
  flow.open_at_end.resize(e.sessions.epochs.size());
  flow.in_flight.resize(e.sessions.epochs.size());
  for (const EpochIndex epoch : e.sessions.epochs.indices()) {
    replay_flights(e, epoch, delivery_at, flow);
  }
  std::sort(flow.releases.begin(), flow.releases.end(),
            [](const Release& a, const Release& b) { return a.index < b.index; });
  return flow;
}

namespace {

// How many QoS 1/2 PUBLISHes the broker may have unacknowledged toward the
// epoch at `index`: the profile's max_inflight (none: 65535), and for a 5.0
// client the Receive Maximum of its connection then.
std::size_t window_at(const Evidence& e, const SessionEpoch& epoch, TraceIndex index) {
  std::size_t limit = e.profile.max_inflight != 0 ? e.profile.max_inflight : 65535;
  const codec::Connect* connect = nullptr;
  for (const ConnectionIndex ci : epoch.connections) {
    const ConnectionView& c = e.seen.connections[ci];
    if (c.connack && c.packets[*c.connack].index <= index) connect = c.connect_packet();
  }
  if (connect != nullptr && connect->version == ProtocolVersion::v5_0 &&
      connect->properties.receive_maximum) {
    limit = std::min<std::size_t>(limit, *connect->properties.receive_maximum);
  }
  return limit;
}

// Whether the window toward the epoch was full at some moment (`any`) or
// at every moment (else) from `from` to `to`.
bool window_full(const Evidence& e, const Flow& flow, EpochIndex epoch, TraceIndex from,
                 TraceIndex to, bool any) {
  const SessionEpoch& session = e.sessions.epochs[epoch];
  std::size_t open_at_from = 0;
  for (const auto& [index, open] : flow.in_flight[epoch]) {
    if (index <= from) {
      open_at_from = open;
    } else if (index <= to && (open >= window_at(e, session, index)) == any) {
      return any;
    }
  }
  return open_at_from >= window_at(e, session, from);
}

}  // namespace

bool window_full_throughout(const Evidence& e, const Flow& flow, EpochIndex epoch, TraceIndex from,
                            TraceIndex to) {
  return window_full(e, flow, epoch, from, to, false);
}

std::optional<TraceIndex> queue_out_by(const Evidence& e, const Flow& flow, MessageIndex message,
                                       EpochIndex epoch, codec::QoS qos, TraceIndex ready) {
  const FlowMessage& m = flow.messages[message];
  // A backlog sent when the session comes back may fill the window just
  // after `ready`: look a settle further.
  TraceIndex sent_by = ready;
  if (ready < e.seen.end_index) {
    const TimePoint until = e.seen.event(ready).time + settle;
    while (sent_by.next() < e.seen.end_index && e.seen.event(sent_by.next()).time <= until)
      ++sent_by;
  }
  if (!window_full(e, flow, epoch, m.routed_from, sent_by, true)) return ready;
  for (const DeliveryIndex di : flow.deliveries_of_epoch[epoch]) {
    const Delivery& d = e.messages.deliveries[di];
    const DeliveryFlow& df = flow.deliveries[di];
    if (!df.message || df.retained_copy || df.attempt != Attempt::first || d.publish().qos != qos) {
      continue;
    }
    const FlowMessage& later = flow.messages[*df.message];
    if (later.routed_from > m.routed_to && !later.is_will && later.publisher == m.publisher &&
        later.publish.topic == m.publish.topic) {
      return d.index;
    }
  }
  return std::nullopt;
}

const Flow& flow_of(const Evidence& e) {
  if (e.flow == nullptr) throw std::logic_error("oracle: evidence without its message flow");
  return *e.flow;
}

std::string_view plain_filter(const SubscriptionSpan& span) {
  const std::string_view filter = span.request.topic_filter;
  if (!codec::is_shared_subscription(filter)) return filter;
  const auto shared = codec::split_shared_subscription(filter);
  return shared ? shared->topic_filter : filter;
}

bool span_matches(const SubscriptionSpan& span, std::string_view topic) {
  return codec::topic_matches(plain_filter(span), topic);
}

bool span_routes(const SessionEpoch& epoch, const SubscriptionSpan& span,
                 const FlowMessage& message) {
  if (!span_matches(span, message.publish.topic)) return false;
  // 5.0 No Local: never back to the publishing client id (MQTT-3.8.3-3).
  return !(epoch.version == ProtocolVersion::v5_0 && span.request.no_local &&
           message.publisher == epoch.client_id);
}

bool span_possibly_in_place(const SubscriptionSpan& span, const FlowMessage& message) {
  return span.subscribe_index < message.routed_to &&
         (!span.ended_index || *span.ended_index > message.routed_from);
}

bool span_surely_in_place(const SubscriptionSpan& span, const FlowMessage& message) {
  return span.suback_index < message.routed_from &&
         (!span.unsubscribe_index || *span.unsubscribe_index > message.routed_to) &&
         (!span.ended_index || *span.ended_index > message.routed_to);
}

std::string name_of(const FlowMessage& message) {
  return (message.is_will ? "will " : "message ") + describe(message.publish);
}

std::string client_of(const SessionEpoch& epoch) { return "client \"" + epoch.client_id + "\""; }

std::string at_index(const Evidence& evidence, TraceIndex index) {
  return at(evidence.seen.event(index).time);
}

std::string qos_text(codec::QoS qos) { return "QoS " + std::to_string(static_cast<unsigned>(qos)); }

}  // namespace mqttsim::oracle
