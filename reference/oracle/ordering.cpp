// Ordering: every topic is an Ordered Topic by default, and the broker
// sends a subscriber the PUBLISHes of one topic and QoS in the order it
// received them from each client (3.1.1 MQTT-4.6.0-5, MQTT-4.6.0-6; 5.0
// MQTT-4.6.0-5, and MQTT-4.6.0-6 for non-shared subscriptions).
//
// What is compared is the *final* copy of each message a session received:
// both versions' §4.6 notes that a publisher's 1,2,3,4 may reach a
// subscriber as 1,2,3,2,3,4 when unacknowledged messages are resent after a
// reconnect, and that only the final copies are then in order. (Where the
// versions differ is when such resends may happen: 3.1.1 also allows them
// within a connection, 5.0 only when a session resumes; the dup-flag
// checker judges that.) Duplicates are the duplicates checker's; here they
// never count as a reordering.
//
// A stream is (publisher, topic, published QoS, delivered QoS) per
// subscriber session epoch. Retained messages sent because a subscription
// was made are not part of it. A QoS 1 message the publisher sent again
// (DUP=1, its PUBACK lost) is a new message to the broker each time it is
// received (3.1.1 MQTT-4.3.2-2, 5.0 MQTT-4.3.2-5): its final copy may
// follow later messages that came before its last receipt.

#include <algorithm>
#include <map>
#include <tuple>

#include "codec/topic.hpp"
#include "oracle/checkers.hpp"
#include "oracle/message_flow.hpp"

namespace mqttsim::oracle {

namespace {

using V = ProtocolVersion;

std::vector<SpecRef> rules_for(bool v5) {
  if (v5) return {{V::v5_0, "MQTT-4.6.0-5"}, {V::v5_0, "MQTT-4.6.0-6"}};
  return {{V::v3_1_1, "MQTT-4.6.0-6"}, {V::v3_1_1, "MQTT-4.6.0-5"}};
}

using StreamKey = std::tuple<EpochIndex, std::string, std::string, codec::QoS, codec::QoS>;

struct Final {
  MessageIndex message;
  DeliveryIndex delivery;  // the last copy
};

class Ordering final : public Checker {
 public:
  std::string_view name() const override { return "ordering"; }

  void judge(const Evidence& e, Verdict& verdict) const override {
    const Flow& flow = flow_of(e);
    // Stream -> message -> its last copy.
    std::map<StreamKey, std::map<MessageIndex, DeliveryIndex>> streams;
    for (const DeliveryIndex di : e.messages.deliveries.indices()) {
      const Delivery& d = e.messages.deliveries[di];
      const DeliveryFlow& df = flow.deliveries[di];
      if (!d.epoch || !df.message || df.retained_copy || df.attempt == Attempt::no_session)
        continue;
      const FlowMessage& m = flow.messages[*df.message];
      // Wills are the server's own publications; 5.0 orders non-shared
      // subscriptions only.
      if (m.is_will || shared_only(e.sessions.epochs[*d.epoch], m)) continue;
      const StreamKey key{*d.epoch, m.publisher, m.publish.topic, m.publish.qos, d.publish().qos};
      streams[key][*df.message] = di;  // deliveries are in trace order: the last one wins
    }
    for (const auto& [key, finals] : streams) judge_stream(e, flow, key, finals, verdict);
  }

 private:
  // Whether every subscription through which the session may have got the
  // message is a 5.0 shared subscription (not ordered, MQTT-4.6.0-6).
  static bool shared_only(const SessionEpoch& epoch, const FlowMessage& m) {
    bool any = false;
    for (const SubscriptionSpan& span : epoch.subscriptions) {
      if (!span_routes(epoch, span, m) || !span_possibly_in_place(span, m)) continue;
      if (!codec::split_shared_subscription(span.request.topic_filter)) return false;
      any = true;
    }
    return any && epoch.version == V::v5_0;
  }

  // The last receipt of `m` at which the broker may have routed it, up to
  // `before`: QoS 1 each receipt, otherwise the first.
  static TraceIndex last_routing(const FlowMessage& m, TraceIndex before) {
    if (m.publish.qos != codec::QoS::at_least_once) return m.routed_from;
    TraceIndex last = m.routed_from;
    for (const TraceIndex r : m.receipts) {
      if (r < before) last = std::max(last, r);
    }
    return last;
  }

  static void judge_stream(const Evidence& e, const Flow& flow, const StreamKey& key,
                           const std::map<MessageIndex, DeliveryIndex>& finals, Verdict& verdict) {
    if (finals.size() < 2) return;
    const SessionEpoch& epoch = e.sessions.epochs[std::get<0>(key)];
    const bool v5 = epoch.version == V::v5_0;
    for (const SpecRef& rule : rules_for(v5)) verdict.judge(rule);
    std::vector<Final> order;
    for (const auto& [message, delivery] : finals) order.push_back({message, delivery});
    std::sort(order.begin(), order.end(),
              [](const Final& a, const Final& b) { return a.delivery < b.delivery; });
    // The latest-received message among those whose final copy came already.
    std::optional<Final> latest;
    std::size_t reordered = 0;
    std::optional<std::pair<Final, Final>> first_case;
    for (const Final& f : order) {
      const FlowMessage& m = flow.messages[f.message];
      const TraceIndex delivered_at = e.messages.deliveries[f.delivery].index;
      if (latest) {
        const FlowMessage& before = flow.messages[latest->message];
        if (last_routing(m, delivered_at) < before.routed_from) {
          ++reordered;
          if (!first_case) first_case = std::pair{*latest, f};
          continue;
        }
      }
      if (!latest || m.routed_from > flow.messages[latest->message].routed_from) latest = f;
    }
    if (!first_case) return;
    const auto& [ahead, behind] = *first_case;
    const FlowMessage& early = flow.messages[behind.message];  // received first, delivered later
    const FlowMessage& late = flow.messages[ahead.message];
    const TraceIndex early_at = e.messages.deliveries[behind.delivery].index;
    const TraceIndex late_at = e.messages.deliveries[ahead.delivery].index;
    std::string message =
        client_of(epoch) + " got the final copy of " + name_of(early) + " at " +
        at_index(e, early_at) + ", after that of " + name_of(late) + " at " + at_index(e, late_at) +
        ", though the broker received " + describe(early.publish) + " from client \"" +
        early.publisher + "\" first (at " + at_index(e, early.routed_from) + ", the other at " +
        at_index(e, late.routed_from) + "; both " + qos_text(early.publish.qos) + ")";
    if (reordered > 1)
      message += "; " + std::to_string(reordered - 1) + " more out of order in this stream";
    verdict.violations.push_back(
        violation(e, "ordering", rules_for(v5), early.routed_from, early_at, std::move(message)));
  }
};

}  // namespace

std::unique_ptr<Checker> ordering_checker() { return std::make_unique<Ordering>(); }

}  // namespace mqttsim::oracle
