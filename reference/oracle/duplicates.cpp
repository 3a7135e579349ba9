// Duplicates and phantoms.
//
// Each routing of a message gives a session one copy (the profile's
// copy_per_subscription: one per matching subscription, 3.1.1 MQTT-3.3.5-1,
// 5.0 MQTT-3.3.4-2). Any further PUBLISH of it to the session must be a
// resend under the packet id still in flight (message_flow.hpp), never a
// fresh copy:
// - QoS 2 exactly once: the broker must not pass a publisher's repeat on
//   (3.1.1 MQTT-4.3.3-2, 5.0 MQTT-4.3.3-10), must not send the PUBLISH again
//   after its PUBREL (3.1.1 MQTT-4.3.3-1, 5.0 MQTT-4.3.3-6), and resends
//   under the original id (3.1.1 MQTT-2.3.1-4, 5.0 MQTT-4.4.0-1);
// - QoS 1 duplicates only as resends under the original id (the same ids);
//   each QoS 1 receipt from the publisher is a new message to the broker
//   (3.1.1 MQTT-4.3.2-2, 5.0 MQTT-4.3.2-5) and may be routed again;
// - QoS 0 at most once: no retry (MQTT-4.3.1-1 of both). 3.1.1 lets a
//   server send duplicates of a QoS 1 message delivered at QoS 0
//   (MQTT-3.8.4-6), so those are not counted.
// A retained message sent because a subscription was just made is a new
// copy, not a duplicate.
//
// Phantoms: a delivery must carry a message someone published, to a
// session with a matching subscription in place when the broker routed it
// (3.1.1 and 5.0 MQTT-4.5.0-1; its topic matched by the filter of a
// subscription, MQTT-3.3.2-3 of both): not after an UNSUBSCRIBE removed it
// (MQTT-3.10.4-2 of both), not through a 5.0 No Local subscription to the
// publisher itself (5.0 MQTT-3.8.3-3), and nothing from a session a clean
// start discarded (3.1.1 MQTT-3.1.2-6, 5.0 MQTT-3.1.2-4). A retained
// delivery of a message not published in the trace is only a remark: a
// real broker may hold retained messages from before the run.

#include <map>

#include "oracle/checkers.hpp"
#include "oracle/message_flow.hpp"

namespace mqttsim::oracle {

namespace {

using V = ProtocolVersion;

bool fresh(Attempt attempt) {
  return attempt == Attempt::first || attempt == Attempt::at_most_once || attempt == Attempt::reuse;
}

class Duplicates final : public Checker {
 public:
  std::string_view name() const override { return "duplicates"; }

  void judge(const Evidence& e, Verdict& verdict) const override {
    const Flow& flow = flow_of(e);
    judge_unpublished(e, flow, verdict);
    // Live (not retained-on-subscribe) fresh copies per (message, epoch).
    std::map<std::pair<MessageIndex, EpochIndex>, std::vector<DeliveryIndex>> copies;
    for (const DeliveryIndex di : e.messages.deliveries.indices()) {
      const Delivery& d = e.messages.deliveries[di];
      const DeliveryFlow& df = flow.deliveries[di];
      if (!d.epoch || !df.message || df.retained_copy) continue;
      if (!judge_routed(e, flow, di, verdict)) continue;
      if (fresh(df.attempt)) copies[{*df.message, *d.epoch}].push_back(di);
    }
    for (const auto& [key, list] : copies)
      judge_copies(e, flow, key.first, key.second, list, verdict);
    judge_unsubscribed_and_discarded(e, flow, verdict);
  }

 private:
  static void report(const Evidence& e, Verdict& verdict, std::vector<SpecRef> rules,
                     TraceIndex first, TraceIndex last, std::string message) {
    verdict.violations.push_back(
        violation(e, "duplicates", std::move(rules), first, last, std::move(message)));
  }

  static void judge_unpublished(const Evidence& e, const Flow& flow, Verdict& verdict) {
    for (const DeliveryIndex di : flow.unpublished) {
      const Delivery& d = e.messages.deliveries[di];
      const ConnectionView& c = e.seen.connections[d.connection];
      const std::string what = "message " + describe(d.publish()) + " to client \"" +
                               c.client_id() + "\" at " + at_index(e, d.index);
      if (d.publish().topic.empty() || d.publish().retain) {
        // A topic alias (5.0) hides the topic; a retained message may predate the run.
        verdict.remarks.push_back({"duplicates", "not judged: the broker sent " + what +
                                                     ", which no client published in this run" +
                                                     (d.publish().retain ? " (retained)" : "")});
        continue;
      }
      const SpecRef rule = pick(c.version == V::v5_0, "MQTT-4.5.0-1", "MQTT-4.5.0-1");
      verdict.judge(rule);
      report(e, verdict, {rule}, d.index, d.index,
             "the broker delivered " + what + ", which no client published (a phantom message)");
    }
  }

  // A live delivery needs a matching subscription possibly in place while
  // the broker routed the message. Returns whether it had one.
  static bool judge_routed(const Evidence& e, const Flow& flow, DeliveryIndex di,
                           Verdict& verdict) {
    const Delivery& d = e.messages.deliveries[di];
    const SessionEpoch& epoch = e.sessions.epochs[*d.epoch];
    const FlowMessage& m = flow.messages[*flow.deliveries[di].message];
    const bool v5 = epoch.version == V::v5_0;
    const SpecRef owned = pick(v5, "MQTT-4.5.0-1", "MQTT-4.5.0-1");
    const SpecRef topic_matched = pick(v5, "MQTT-3.3.2-3", "MQTT-3.3.2-3");
    verdict.judge(owned);
    verdict.judge(topic_matched);
    bool unsubscribed = false;
    bool no_local = false;
    for (const SubscriptionSpan& span : epoch.subscriptions) {
      if (!span_matches(span, m.publish.topic)) continue;
      if (span_possibly_in_place(span, m)) {
        if (span_routes(epoch, span, m)) return true;
        no_local = true;
      } else if (span.unsubscribe_index && span.ended_index && *span.ended_index <= m.routed_from) {
        unsubscribed = true;
      }
    }
    std::vector<SpecRef> rules{owned, topic_matched};
    std::string because = "no subscription of its session matched when the broker routed it";
    if (no_local) {
      rules = {{V::v5_0, "MQTT-3.8.3-3"}};
      because = "its only matching subscription has No Local and it published the message itself";
    } else if (unsubscribed) {
      rules = {owned, pick(v5, "MQTT-3.10.4-2", "MQTT-3.10.4-2")};
      because = "its matching subscription had been removed by UNSUBSCRIBE before the message came";
    } else if (m.routed_to < epoch.start_index) {
      const ConnectionView& first = e.seen.connections[epoch.connections.front()];
      if (first.connect_packet() != nullptr && first.connect_packet()->clean_start) {
        rules = {pick(v5, "MQTT-3.1.2-6", "MQTT-3.1.2-4")};
      }
      because = "the message came at " + at_index(e, m.routed_from) +
                ", before this session began at " + at_index(e, epoch.start_index) +
                " (so it belonged to a session that had been discarded)";
    }
    report(e, verdict, std::move(rules), m.routed_from, d.index,
           "the broker delivered " + name_of(m) + " to " + client_of(epoch) + " at " +
               at_index(e, d.index) + ", but " + because);
    return false;
  }

  static void judge_copies(const Evidence& e, const Flow& flow, MessageIndex mi, EpochIndex ei,
                           const std::vector<DeliveryIndex>& list, Verdict& verdict) {
    const FlowMessage& m = flow.messages[mi];
    const SessionEpoch& epoch = e.sessions.epochs[ei];
    const bool v5 = epoch.version == V::v5_0;
    std::size_t per_routing = 1;
    if (e.profile.overlapping_subscriptions == OverlapDelivery::copy_per_subscription) {
      std::size_t matching = 0;
      for (const SubscriptionSpan& span : epoch.subscriptions) {
        if (span_routes(epoch, span, m) && span_possibly_in_place(span, m)) ++matching;
      }
      per_routing = std::max<std::size_t>(1, matching);
    }
    const std::size_t allowed = per_routing * m.routings;
    std::size_t counted = 0;
    std::optional<DeliveryIndex> first_copy;
    for (const DeliveryIndex di : list) {
      const Delivery& d = e.messages.deliveries[di];
      const codec::QoS qos = d.publish().qos;
      // 3.1.1 MQTT-3.8.4-6 permits duplicates of a QoS 1 message downgraded to 0.
      if (!v5 && qos == codec::QoS::at_most_once && m.publish.qos == codec::QoS::at_least_once) {
        continue;
      }
      const SpecRef rule =
          qos == codec::QoS::at_most_once    ? pick(v5, "MQTT-4.3.1-1", "MQTT-4.3.1-1")
          : qos == codec::QoS::at_least_once ? pick(v5, "MQTT-2.3.1-4", "MQTT-4.4.0-1")
                                             : pick(v5, "MQTT-4.3.3-1", "MQTT-4.3.3-6");
      verdict.judge(rule);
      if (!first_copy) first_copy = di;
      if (++counted <= allowed) continue;
      const Delivery& earlier = e.messages.deliveries[*first_copy];
      std::vector<SpecRef> rules{rule};
      if (qos == codec::QoS::exactly_once) {
        if (m.receipts.size() > 1) {
          rules = {pick(v5, "MQTT-4.3.3-2", "MQTT-4.3.3-10")};
        } else if (!released_between(flow, ei, earlier, d)) {
          rules = {pick(v5, "MQTT-2.3.1-4", "MQTT-4.4.0-1")};
        }
      }
      for (const SpecRef& r : rules) verdict.judge(r);
      const std::string id = qos == codec::QoS::at_most_once
                                 ? ""
                                 : " under packet id " + std::to_string(d.publish().packet_id);
      report(e, verdict, std::move(rules), earlier.index, d.index,
             name_of(m) + " (" + qos_text(qos) + ") reached " + client_of(epoch) + " " +
                 std::to_string(counted) + " times: first at " + at_index(e, earlier.index) +
                 ", again at " + at_index(e, d.index) + id + " with DUP=" +
                 (d.publish().dup ? "1" : "0") + ", not as a resend of a PUBLISH in flight (" +
                 std::to_string(allowed) + " cop" + (allowed == 1 ? "y" : "ies") + " allowed)");
    }
  }

  // Whether the broker sent PUBREL for the earlier copy's id before `later`.
  static bool released_between(const Flow& flow, EpochIndex epoch, const Delivery& earlier,
                               const Delivery& later) {
    for (const Release& r : flow.releases) {
      if (r.epoch == epoch && r.packet_id == earlier.publish().packet_id &&
          r.index > earlier.index && r.index < later.index) {
        return true;
      }
    }
    return false;
  }

  // Marks the statements on removed subscriptions, No Local and discarded
  // sessions judged where the trace gave them something to constrain: a
  // message routed after a matching subscription was removed, a message a
  // No Local subscriber published itself, a message routed to a session a
  // clean start later discarded.
  static void judge_unsubscribed_and_discarded(const Evidence& e, const Flow& flow,
                                               Verdict& verdict) {
    for (const MessageIndex mi : flow.messages.indices()) {
      const FlowMessage& m = flow.messages[mi];
      for (const EpochIndex ei : flow.matching_epochs(mi)) {
        const SessionEpoch& epoch = e.sessions.epochs[ei];
        const bool v5 = epoch.version == V::v5_0;
        for (const SubscriptionSpan& span : epoch.subscriptions) {
          if (!span_matches(span, m.publish.topic)) continue;
          if (span.unsubscribe_index && span.ended_index && *span.ended_index <= m.routed_from &&
              epoch.alive_at(m.routed_to)) {
            verdict.judge(pick(v5, "MQTT-3.10.4-2", "MQTT-3.10.4-2"));
          }
          if (v5 && span.request.no_local && m.publisher == epoch.client_id &&
              span_possibly_in_place(span, m)) {
            verdict.judge({V::v5_0, "MQTT-3.8.3-3"});
          }
          if (epoch.end_index && *epoch.end_index > m.routed_to &&
              span_possibly_in_place(span, m)) {
            // A later epoch of the client id that started clean.
            for (const EpochIndex later : e.sessions.epochs.indices_from(ei.next())) {
              const SessionEpoch& next = e.sessions.epochs[later];
              if (next.client_id != epoch.client_id) continue;
              const ConnectionView& c = e.seen.connections[next.connections.front()];
              if (c.connect_packet() != nullptr && c.connect_packet()->clean_start) {
                verdict.judge(pick(next.version == V::v5_0, "MQTT-3.1.2-6", "MQTT-3.1.2-4"));
              }
              break;
            }
          }
        }
      }
    }
  }
};

}  // namespace

std::unique_ptr<Checker> duplicates_checker() { return std::make_unique<Duplicates>(); }

}  // namespace mqttsim::oracle
