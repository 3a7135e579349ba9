#include "oracle/messages.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "codec/print.hpp"

namespace mqttsim::oracle {

namespace {

using Key = std::pair<std::string, codec::Bytes>;

Key key_of(const codec::Publish& publish) { return {publish.topic, publish.payload}; }

// The success codes of an acknowledgement: a 5.0 reason below 0x80.
bool success(codec::ReasonCode reason) { return static_cast<std::uint8_t>(reason) < 0x80; }

}  // namespace

std::optional<TraceIndex> client_pubrel(const Observation& seen, const SessionEpoch& epoch,
                                        std::uint16_t packet_id, TraceIndex after) {
  std::optional<TraceIndex> best;
  for (const ConnectionIndex ci : epoch.connections) {
    const ConnectionView& c = seen.connections[ci];
    for (auto packet = c.packets_from(after.next()); packet != c.packets.end(); ++packet) {
      const SeenPacket& p = *packet;
      if (!p.from_client()) continue;
      const auto* rel = std::get_if<codec::Pubrel>(&p.packet);
      if (rel != nullptr && rel->packet_id == packet_id && (!best || p.index < *best)) {
        best = p.index;
      }
    }
  }
  return best;
}

std::string describe(const codec::Publish& publish) {
  return codec::quote(publish.topic) + " " + codec::describe_payload(publish.payload);
}

Messages messages(const Observation& seen, const Sessions& sessions) {
  Messages result;
  // All received PUBLISH packets and wills, then every sent PUBLISH, in
  // trace order per connection; merged by index below.
  struct Inbound {
    TraceIndex index;
    ConnectionIndex connection;
    const codec::Publish* publish;
  };
  std::vector<Inbound> inbound;
  for (const ConnectionIndex i : seen.connections.indices()) {
    const ConnectionView& c = seen.connections[i];
    for (const SeenPacket& p : c.packets) {
      if (const auto* publish = std::get_if<codec::Publish>(&p.packet)) {
        if (p.from_client()) {
          inbound.push_back({p.index, i, publish});
        } else {
          result.deliveries.push_back(
              {.index = p.index, .connection = i, .epoch = sessions.epoch_of[i], .sent = publish});
        }
      }
    }
  }
  std::sort(inbound.begin(), inbound.end(),
            [](const Inbound& a, const Inbound& b) { return a.index < b.index; });
  std::sort(result.deliveries.begin(), result.deliveries.end(),
            [](const Delivery& a, const Delivery& b) { return a.index < b.index; });

  // Publications: a QoS 1/2 PUBLISH with DUP=1 whose packet id is still
  // unacknowledged in the publisher's session is a resend of that message.
  std::map<std::pair<EpochIndex, std::uint16_t>, PublicationIndex>
      unacked;  // (epoch, id) -> publication
  // QoS 2 ids the broker answered with PUBREC: (epoch, id) -> that PUBREC.
  std::map<std::pair<EpochIndex, std::uint16_t>, TraceIndex> pubrec_sent;
  // 5.0 Topic Aliases the client set, per connection (§3.3.2.3.4): a
  // PUBLISH with an empty topic names the topic its alias stands for.
  std::map<std::pair<ConnectionIndex, std::uint16_t>, std::string> aliases;
  for (const Inbound& in : inbound) {
    const ConnectionView& c = seen.connections[in.connection];
    const std::optional<EpochIndex> epoch = sessions.epoch_of[in.connection];
    codec::Publish p = *in.publish;
    if (const auto alias = p.properties.topic_alias) {
      if (p.topic.empty()) {
        const auto mapped = aliases.find({in.connection, *alias});
        if (mapped != aliases.end()) p.topic = mapped->second;
      } else {
        aliases[{in.connection, *alias}] = p.topic;
      }
    }
    if (p.qos != codec::QoS::at_most_once && p.dup && epoch) {
      const auto found = unacked.find({*epoch, p.packet_id});
      if (found != unacked.end()) {
        result.publications[found->second].resends.push_back(in.index);
        continue;
      }
    }
    result.publications.push_back({.publisher = c.client_id(),
                                   .connection = in.connection,
                                   .epoch = epoch,
                                   .publish = p,
                                   .first_index = in.index});
    if (p.qos != codec::QoS::at_most_once && epoch) {
      unacked[{*epoch, p.packet_id}] = result.publications.back_index();
    }
    // The acknowledgement the broker sent for it, on this connection or a
    // later one of the same session.
    const auto acked = [&]() -> std::optional<TraceIndex> {
      if (p.qos == codec::QoS::at_most_once) return std::nullopt;
      // This connection, then the session's later ones in the order they
      // appeared.
      std::vector<ConnectionIndex> candidates{in.connection};
      if (epoch) {
        for (const ConnectionIndex ci : sessions.epochs[*epoch].connections) {
          if (ci > in.connection) candidates.push_back(ci);
        }
        std::sort(candidates.begin(), candidates.end());
      }
      for (const ConnectionIndex ci : candidates) {
        const ConnectionView& later = seen.connections[ci];
        for (auto packet = later.packets_from(in.index.next()); packet != later.packets.end();
             ++packet) {
          const SeenPacket& q = *packet;
          if (!q.to_client()) continue;
          if (const auto* ack = std::get_if<codec::Puback>(&q.packet)) {
            if (p.qos == codec::QoS::at_least_once && ack->packet_id == p.packet_id)
              return success(ack->reason_code) ? std::optional{q.index} : std::nullopt;
          }
          if (const auto* rec = std::get_if<codec::Pubrec>(&q.packet)) {
            if (p.qos == codec::QoS::exactly_once && rec->packet_id == p.packet_id)
              return success(rec->reason_code) ? std::optional{q.index} : std::nullopt;
          }
        }
      }
      return std::nullopt;
    }();
    // Received under an id still held for an unreleased QoS 2 message.
    bool unreleased_id = false;
    if (p.qos == codec::QoS::exactly_once && epoch) {
      if (const auto held = pubrec_sent.find({*epoch, p.packet_id}); held != pubrec_sent.end()) {
        const auto released =
            client_pubrel(seen, sessions.epochs[*epoch], p.packet_id, held->second);
        unreleased_id = !released || *released > in.index;
      }
    }
    result.publications.back().acked_index = unreleased_id ? std::nullopt : acked;
    if (acked && epoch) unacked.erase({*epoch, p.packet_id});
    if (acked && epoch && p.qos == codec::QoS::exactly_once && !unreleased_id) {
      pubrec_sent[{*epoch, p.packet_id}] = *acked;
    }
  }
  // Wills: one publication per connection that declared one, available
  // from its CONNECT (the will checker judges when it may appear).
  for (const ConnectionIndex i : seen.connections.indices()) {
    const ConnectionView& c = seen.connections[i];
    const codec::Connect* connect = c.connect_packet();
    if (connect == nullptr || !connect->will || !c.accepted()) continue;
    codec::Publish will{.qos = connect->will->qos,
                        .retain = connect->will->retain,
                        .topic = connect->will->topic,
                        .payload = connect->will->payload};
    result.publications.push_back({.publisher = connect->client_id,
                                   .connection = i,
                                   .epoch = sessions.epoch_of[i],
                                   .publish = std::move(will),
                                   .first_index = c.packets[*c.connect].index,
                                   .is_will = true});
  }
  // Identity: topic and payload.
  std::map<Key, std::vector<PublicationIndex>> by_key;
  for (const PublicationIndex i : result.publications.indices()) {
    by_key[key_of(result.publications[i].publish)].push_back(i);
  }
  for (auto& [key, list] : by_key) {
    if (list.size() > 1) {
      for (const PublicationIndex i : list) result.publications[i].ambiguous = true;
    }
  }
  for (Delivery& d : result.deliveries) {
    const auto found = by_key.find(key_of(d.publish()));
    if (found != by_key.end() && found->second.size() == 1) d.publication = found->second.front();
  }
  return result;
}

}  // namespace mqttsim::oracle
