// The broker as the receiver of a client's QoS 1 and QoS 2 messages.
//
// - Once it has sent PUBACK for a packet id, a PUBLISH reusing that id is a
//   new message, whatever its DUP flag (3.1.1 MQTT-4.3.2-2; 5.0
//   MQTT-4.3.2-5); once it has sent PUBCOMP, likewise for QoS 2 (3.1.1
//   MQTT-4.3.3-2; 5.0 MQTT-4.3.3-12). A new message is processed: it
//   reaches every subscriber whose matching subscription was in place
//   throughout (see subscription_match.hpp), connected when the message
//   became deliverable (QoS 1: on receipt; QoS 2: by the publisher's
//   PUBREL at the latest) and for a second after. A broker that took the
//   reused id for a resend of the old message and dropped the new one is
//   caught here.
// - 5.0: the QoS 2 exchange is completed even when the message expired
//   meanwhile (MQTT-4.3.3-13): a PUBREL that comes after the message's
//   Message Expiry Interval has run out is still answered with PUBCOMP.
//
// Nothing is judged where something else could excuse a missing copy: a
// message with a Message Expiry Interval, the subscriber's own message
// under No Local, a subscriber with a Maximum Packet Size or a Receive
// Maximum, a profile with a queue or in-flight limit, or a topic/payload
// pair shared by two publications (then the copies cannot be told apart).

#include <algorithm>
#include <map>

#include "oracle/checkers.hpp"
#include "oracle/subscription_match.hpp"

namespace mqttsim::oracle {

namespace {

using V = ProtocolVersion;

constexpr Duration settle = Duration::from_s(1);

// A packet the broker received or sent on some connection of an epoch.
struct Found {
  const SeenPacket* packet = nullptr;
  const ConnectionView* connection = nullptr;
};

// Per epoch and packet id, in trace order: the client's QoS 1/2 PUBLISHes
// under the id, and the broker's PUBACKs and PUBCOMPs for it. Finding the
// last use of an id before a publication is then a search, not a scan of
// every packet the publisher's connections carried (a product of a
// publisher's messages with themselves on a long run).
struct IdHistory {
  std::vector<const SeenPacket*> publishes;
  std::vector<const SeenPacket*> pubacks;
  std::vector<const SeenPacket*> pubcomps;
};
using IdHistories = std::map<std::pair<EpochIndex, std::uint16_t>, IdHistory>;

IdHistories id_histories(const Evidence& e) {
  IdHistories histories;
  for (const EpochIndex ei : e.sessions.epochs.indices()) {
    for (const ConnectionIndex ci : e.sessions.epochs[ei].connections) {
      for (const SeenPacket& q : e.seen.connections[ci].packets) {
        if (const auto* publish = std::get_if<codec::Publish>(&q.packet)) {
          if (q.from_client() && publish->qos != codec::QoS::at_most_once) {
            histories[{ei, publish->packet_id}].publishes.push_back(&q);
          }
        } else if (const auto* ack = std::get_if<codec::Puback>(&q.packet)) {
          if (q.to_client()) histories[{ei, ack->packet_id}].pubacks.push_back(&q);
        } else if (const auto* comp = std::get_if<codec::Pubcomp>(&q.packet)) {
          if (q.to_client()) histories[{ei, comp->packet_id}].pubcomps.push_back(&q);
        }
      }
    }
  }
  const auto by_index = [](const SeenPacket* a, const SeenPacket* b) {
    return a->index < b->index;
  };
  for (auto& [key, history] : histories) {
    std::sort(history.publishes.begin(), history.publishes.end(), by_index);
    std::sort(history.pubacks.begin(), history.pubacks.end(), by_index);
    std::sort(history.pubcomps.begin(), history.pubcomps.end(), by_index);
  }
  return histories;
}

// The first of `packets` (in trace order) with an index above `after`.
std::vector<const SeenPacket*>::const_iterator first_after(
    const std::vector<const SeenPacket*>& packets, TraceIndex after) {
  return std::upper_bound(packets.begin(), packets.end(), after,
                          [](TraceIndex index, const SeenPacket* q) { return index < q->index; });
}

class QosReceiver final : public Checker {
 public:
  std::string_view name() const override { return "qos-receiver"; }

  void judge(const Evidence& e, Verdict& verdict) const override {
    const IdHistories histories = id_histories(e);
    for (const PublicationIndex pi : e.messages.publications.indices()) {
      const Publication& p = e.messages.publications[pi];
      if (p.is_will || !p.epoch || p.publish.qos == codec::QoS::at_most_once) continue;
      judge_reuse(e, histories, pi, verdict);
      if (e.sessions.epochs[*p.epoch].version == V::v5_0 &&
          p.publish.qos == codec::QoS::exactly_once)
        judge_expired_exchange(e, p, verdict);
    }
  }

 private:
  static void report(const Evidence& e, Verdict& verdict, std::vector<SpecRef> rules,
                     TraceIndex first, TraceIndex last, std::string message) {
    verdict.violations.push_back(
        violation(e, "qos-receiver", std::move(rules), first, last, std::move(message)));
  }

  // The first packet of the epoch's connections after `after` (and before
  // `before`) that `wanted` accepts, in trace order.
  template <typename Wanted>
  static Found first_in_epoch(const Evidence& e, EpochIndex epoch, TraceIndex after,
                              TraceIndex before, Wanted wanted) {
    Found best;
    for (const ConnectionIndex ci : e.sessions.epochs[epoch].connections) {
      const ConnectionView& c = e.seen.connections[ci];
      for (const SeenPacket& q : c.packets) {
        if (q.index <= after || q.index >= before || !wanted(q)) continue;
        if (best.packet == nullptr || q.index < best.packet->index) best = {&q, &c};
        break;
      }
    }
    return best;
  }

  // The publisher's last PUBLISH with this packet id before `p`, and the
  // broker's final acknowledgement of it (PUBACK, or PUBCOMP) before `p`.
  static std::optional<std::pair<const SeenPacket*, const SeenPacket*>> earlier_completed(
      const IdHistories& histories, const Publication& p) {
    const auto found = histories.find({*p.epoch, p.publish.packet_id});
    if (found == histories.end()) return std::nullopt;
    const IdHistory& history = found->second;
    const SeenPacket* previous = nullptr;
    // The PUBLISHes before `p`, latest first.
    const auto before =
        std::lower_bound(history.publishes.begin(), history.publishes.end(), p.first_index,
                         [](const SeenPacket* q, TraceIndex index) { return q->index < index; });
    for (auto q = before; q != history.publishes.begin();) {
      --q;
      if (std::get<codec::Publish>((*q)->packet).qos == p.publish.qos) {
        previous = *q;
        break;
      }
    }
    if (previous == nullptr) return std::nullopt;
    const auto& acks =
        p.publish.qos == codec::QoS::exactly_once ? history.pubcomps : history.pubacks;
    const auto done = first_after(acks, previous->index);
    if (done == acks.end() || (*done)->index >= p.first_index) return std::nullopt;
    return std::pair{previous, *done};
  }

  static void judge_reuse(const Evidence& e, const IdHistories& histories, PublicationIndex pi,
                          Verdict& verdict) {
    const Publication& p = e.messages.publications[pi];
    const SessionEpoch& publisher = e.sessions.epochs[*p.epoch];
    const bool v5 = publisher.version == V::v5_0;
    const bool qos2 = p.publish.qos == codec::QoS::exactly_once;
    const auto earlier = earlier_completed(histories, p);
    if (!earlier) return;
    const SpecRef rule =
        qos2 ? pick(v5, "MQTT-4.3.3-2", "MQTT-4.3.3-12") : pick(v5, "MQTT-4.3.2-2", "MQTT-4.3.2-5");
    if (p.ambiguous) {
      verdict.remarks.push_back(
          {"qos-receiver", "message " + describe(p.publish) + " from \"" + p.publisher +
                               "\" reused packet id " + std::to_string(p.publish.packet_id) +
                               " after its acknowledgement, but another publication has the " +
                               "same topic and payload: its forwarding is not judged"});
      return;
    }
    if (p.publish.properties.message_expiry_interval) return;
    if (e.profile.max_queued_messages != 0 || e.profile.max_inflight != 0) return;
    // When the message was surely deliverable.
    TraceIndex from = p.first_index;
    if (qos2) {
      const std::uint16_t id = p.publish.packet_id;
      const Found release =
          first_in_epoch(e, *p.epoch, p.first_index, e.seen.end_index, [&](const SeenPacket& q) {
            const auto* rel = std::get_if<codec::Pubrel>(&q.packet);
            return q.from_client() && rel != nullptr && rel->packet_id == id;
          });
      if (release.packet == nullptr) return;
      from = release.packet->index;
    }
    const TimePoint ready = e.seen.event(from).time;
    for (const EpochIndex si : e.sessions.epochs.indices()) {
      const SessionEpoch& subscriber = e.sessions.epochs[si];
      if (!subscriber.alive_at(from)) continue;
      const MatchingSubscriptions matching =
          matching_subscriptions(subscriber, p.publish.topic, p.first_index, from);
      if (!matching.stable || matching.spans.empty()) continue;
      const bool own_excluded =
          std::all_of(matching.spans.begin(), matching.spans.end(), [&](const SubscriptionSpan* s) {
            return s->request.no_local && p.publisher == subscriber.client_id;
          });
      if (own_excluded) continue;
      const ConnectionView* open = nullptr;
      for (const ConnectionIndex ci : subscriber.connections) {
        const ConnectionView& c = e.seen.connections[ci];
        if (c.packets[*c.connack].index <= p.first_index &&
            (!c.closed_index || from < *c.closed_index))
          open = &c;
      }
      if (open == nullptr || open->connect_packet() == nullptr) continue;
      // A size limit may drop a copy; a Receive Maximum may hold it back.
      const codec::Properties& asked = open->connect_packet()->properties;
      if (asked.maximum_packet_size || asked.receive_maximum) continue;
      const TimePoint until = open->closed_at.value_or(e.seen.end_time);
      if (until < ready + settle) continue;
      if (subscriber.end_index && e.seen.event(*subscriber.end_index).time < ready + settle)
        continue;
      verdict.judge(rule);
      const bool delivered =
          std::any_of(e.messages.deliveries.begin(), e.messages.deliveries.end(),
                      [&](const Delivery& d) { return d.publication == pi && d.epoch == si; });
      if (delivered) continue;
      const auto [previous, done] = *earlier;
      report(e, verdict, {rule}, previous->index, p.first_index,
             "client \"" + p.publisher + "\" published " + describe(p.publish) + " (QoS " +
                 std::to_string(static_cast<int>(p.publish.qos)) + ", DUP " +
                 (p.publish.dup ? "1" : "0") + ") at " + at(e.seen.event(p.first_index).time) +
                 " under packet id " + std::to_string(p.publish.packet_id) +
                 ", which the broker had already " +
                 (qos2 ? "completed with PUBCOMP" : "acknowledged with PUBACK") + " at " +
                 at(done->time) +
                 " for its earlier message; the broker did not treat "
                 "it as a new message: it never reached \"" +
                 subscriber.client_id + "\", subscribed and connected until " + at(until));
    }
  }

  // 5.0 MQTT-4.3.3-13: a PUBREL after the message expired is still answered.
  static void judge_expired_exchange(const Evidence& e, const Publication& p, Verdict& verdict) {
    const auto expiry = p.publish.properties.message_expiry_interval;
    if (!expiry || !p.acked_index) return;
    const std::uint16_t id = p.publish.packet_id;
    const TimePoint received = e.seen.event(p.first_index).time;
    const TimePoint expires = received + Duration::from_s(static_cast<std::int64_t>(*expiry));
    const Found release =
        first_in_epoch(e, *p.epoch, p.first_index, e.seen.end_index, [&](const SeenPacket& q) {
          const auto* rel = std::get_if<codec::Pubrel>(&q.packet);
          return q.from_client() && rel != nullptr && rel->packet_id == id;
        });
    if (release.packet == nullptr || release.packet->time <= expires) return;
    const SeenPacket* complete = nullptr;
    for (const SeenPacket& q : release.connection->packets) {
      if (q.index <= release.packet->index || !q.to_client()) continue;
      const auto* comp = std::get_if<codec::Pubcomp>(&q.packet);
      if (comp != nullptr && comp->packet_id == id) {
        complete = &q;
        break;
      }
    }
    const TimePoint until = release.connection->closed_at.value_or(e.seen.end_time);
    if (complete == nullptr && until < release.packet->time + settle) return;
    const SpecRef rule{V::v5_0, "MQTT-4.3.3-13"};
    verdict.judge(rule);
    if (complete != nullptr) return;
    report(e, verdict, {rule}, p.first_index, release.packet->index,
           "client \"" + p.publisher + "\" published " + describe(p.publish) +
               " (QoS 2, packet id " + std::to_string(id) + ", Message Expiry Interval " +
               std::to_string(*expiry) + "s) at " + at(received) + " and released it at " +
               at(release.packet->time) + ", after it expired; the broker never answered the " +
               "PUBREL with PUBCOMP (connection open until " + at(until) + ")");
  }
};

}  // namespace

std::unique_ptr<Checker> qos_receiver_checker() { return std::make_unique<QosReceiver>(); }

}  // namespace mqttsim::oracle
