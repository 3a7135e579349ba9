// Delivered QoS: a message delivered for a subscription goes at the lower
// of the QoS it was published with and the QoS the subscription was
// granted (3.1.1 MQTT-3.8.4-6, 5.0 MQTT-3.8.4-8). Where several
// subscriptions of the session match, delivery honours the highest granted
// QoS (3.1.1 MQTT-3.3.5-1, 5.0 MQTT-3.3.4-2): under the profile's
// single_copy_max_qos the one copy goes at min(published, highest granted);
// under copy_per_subscription each copy goes at its own subscription's
// QoS, and the best copy at min(published, highest granted).
//
// Which subscriptions count: the broker decides a copy's QoS when it routes
// the message (message_flow.hpp: its routing stretch), or, for a retained
// message sent because a subscription was just made, at that subscription.
// Too high is judged against every matching subscription that may have
// been in place (the most the broker could have granted); too low against
// those surely in place from before the routing until the delivery, so a
// subscription replaced or removed meanwhile never makes a report.
// Resends repeat their first attempt and are judged there.

#include <algorithm>
#include <map>

#include "oracle/checkers.hpp"
#include "oracle/message_flow.hpp"

namespace mqttsim::oracle {

namespace {

using V = ProtocolVersion;

SpecRef min_rule(bool v5) {
  return v5 ? SpecRef{V::v5_0, "MQTT-3.8.4-8"} : SpecRef{V::v3_1_1, "MQTT-3.8.4-6"};
}
SpecRef overlap_rule(bool v5) {
  return v5 ? SpecRef{V::v5_0, "MQTT-3.3.4-2"} : SpecRef{V::v3_1_1, "MQTT-3.3.5-1"};
}

struct Bounds {
  std::optional<codec::QoS> most;   // the highest QoS a possibly-in-place subscription allows
  std::optional<codec::QoS> least;  // what surely-in-place subscriptions require
  std::size_t possible = 0;         // matching subscriptions possibly in place
  std::size_t sure = 0;
  std::string filter_most;  // the filter that allowed the most
};

Bounds bounds_for(const SessionEpoch& epoch, const FlowMessage& m, const Delivery& d,
                  bool retained_copy) {
  Bounds b;
  for (const SubscriptionSpan& span : epoch.subscriptions) {
    // No Local (5.0 MQTT-3.8.3-3) keeps the client's own publications from
    // being forwarded to it; whether it also holds back a retained message
    // sent because the subscription was just made, the standard does not
    // say, so such a copy may come on a No Local subscription.
    if (retained_copy ? !span_matches(span, m.publish.topic) : !span_routes(epoch, span, m)) {
      continue;
    }
    const bool possible =
        retained_copy ? span.subscribe_index > m.routed_from && span.subscribe_index < d.index
                      : span_possibly_in_place(span, m);
    if (!possible) continue;
    ++b.possible;
    if (!b.most || span.granted > *b.most) {
      b.most = span.granted;
      b.filter_most = span.request.topic_filter;
    }
    const bool sure = !retained_copy && span_surely_in_place(span, m) &&
                      (!span.ended_index || *span.ended_index > d.index) &&
                      (!span.unsubscribe_index || *span.unsubscribe_index > d.index);
    if (sure) {
      ++b.sure;
      if (!b.least || span.granted > *b.least) b.least = span.granted;
    }
  }
  return b;
}

// Whether the copy at `qos` of `message` that never came to `epoch` (the
// best copy, sent at `best`, went lower) was missing rather than still
// waiting: behind a full in-flight window a QoS 1/2 copy waits in the
// session's queue while the QoS 0 copy goes at once, and may be dropped
// there with the session or when its Message Expiry runs out (5.0
// MQTT-3.3.2-5). Missing once the queue was seen past it before it expired.
bool went_missing(const Evidence& e, const Flow& flow, MessageIndex message, EpochIndex epoch,
                  codec::QoS qos, TraceIndex best) {
  const auto out = queue_out_by(e, flow, message, epoch, qos, best);
  if (!out) return false;
  const FlowMessage& m = flow.messages[message];
  const auto expiry_s = m.publish.properties.message_expiry_interval;
  return !expiry_s || e.seen.event(*out).time <
                          e.seen.event(m.routed_from).time +
                              Duration::from_s(static_cast<std::int64_t>(*expiry_s)) - settle;
}

// Whether a better copy of the message than `best` may have been sent and
// lost unseen: `best` came on the session's last connection, which the
// harness ended without reading all the broker wrote
// (trace::Mark::output_may_be_unseen). A copy lost there is never resent, as
// the session ends with it (found by mqttsim explore against Mosquitto: the
// QoS 0 copy of two arrived, and the reset came 2 ms later).
bool better_copy_may_be_unseen(const Evidence& e, const SessionEpoch& epoch, const Delivery& best) {
  const ConnectionView& connection = e.seen.connections[best.connection];
  return connection.output_unseen_at_close && connection.closed_index &&
         !epoch.connections.empty() && epoch.connections.back() == best.connection;
}

class Qos final : public Checker {
 public:
  std::string_view name() const override { return "qos"; }

  void judge(const Evidence& e, Verdict& verdict) const override {
    const Flow& flow = flow_of(e);
    const bool per_subscription =
        e.profile.overlapping_subscriptions == OverlapDelivery::copy_per_subscription;
    // copy_per_subscription: the best live copy per (message, epoch).
    struct Best {
      codec::QoS qos = codec::QoS::at_most_once;
      DeliveryIndex delivery;
      codec::QoS required = codec::QoS::at_most_once;
      std::size_t sure = 0;
      std::size_t copies = 0;  // first attempts
    };
    std::map<std::pair<MessageIndex, EpochIndex>, Best> best;
    for (const DeliveryIndex di : e.messages.deliveries.indices()) {
      const Delivery& d = e.messages.deliveries[di];
      const DeliveryFlow& df = flow.deliveries[di];
      if (!d.epoch || !df.message) continue;
      if (df.attempt == Attempt::resend || df.attempt == Attempt::after_release ||
          df.attempt == Attempt::no_session) {
        continue;
      }
      const SessionEpoch& epoch = e.sessions.epochs[*d.epoch];
      const FlowMessage& m = flow.messages[*df.message];
      const bool v5 = epoch.version == V::v5_0;
      const Bounds b = bounds_for(epoch, m, d, df.retained_copy);
      if (!b.most) continue;  // no subscription: the duplicates checker's phantom
      verdict.judge(min_rule(v5));
      const codec::QoS delivered = d.publish().qos;
      const codec::QoS allowed = std::min(m.publish.qos, *b.most);
      const std::string what = name_of(m) + " (published at " + qos_text(m.publish.qos) + ")";
      const std::string where =
          client_of(epoch) + " at " + at_index(e, d.index) + " at " + qos_text(delivered);
      if (delivered > allowed) {
        const std::string because = delivered > m.publish.qos
                                        ? "above the QoS it was published with"
                                        : "above the " + qos_text(*b.most) +
                                              " granted to its subscription \"" + b.filter_most +
                                              "\"";
        verdict.violations.push_back(
            violation(e, "qos", {min_rule(v5)}, m.routed_from, d.index,
                      "the broker delivered " + what + " to " + where + ", " + because));
        continue;
      }
      if (df.retained_copy || !b.least) continue;
      const codec::QoS required = std::min(m.publish.qos, *b.least);
      if (b.sure >= 2) verdict.judge(overlap_rule(v5));
      if (per_subscription) {
        const auto [entry, added] =
            best.try_emplace({*df.message, *d.epoch}, Best{delivered, di, required, b.sure, 0});
        ++entry->second.copies;
        if (!added && delivered > entry->second.qos) {
          entry->second.qos = delivered;
          entry->second.delivery = di;
        }
        continue;
      }
      if (delivered < required) {
        std::vector<SpecRef> rules{min_rule(v5)};
        if (b.sure >= 2) rules.push_back(overlap_rule(v5));
        verdict.violations.push_back(violation(
            e, "qos", std::move(rules), m.routed_from, d.index,
            "the broker delivered " + what + " to " + where + ", below the " + qos_text(required) +
                " its subscriptions" +
                (b.sure >= 2 ? " (the highest of " + std::to_string(b.sure) + " matching)" : "") +
                " required"));
      }
    }
    for (const auto& [key, entry] : best) {
      if (entry.qos >= entry.required || flow.messages[key.first].routings != 1) continue;
      const Delivery& d = e.messages.deliveries[entry.delivery];
      if (entry.copies < entry.sure &&
          !went_missing(e, flow, key.first, key.second, entry.required, d.index)) {
        continue;
      }
      const SessionEpoch& epoch = e.sessions.epochs[key.second];
      const FlowMessage& m = flow.messages[key.first];
      if (better_copy_may_be_unseen(e, epoch, d)) {
        verdict.remarks.push_back(
            {"qos", "not judged: the best copy seen of " + name_of(m) + " to " + client_of(epoch) +
                        " went at " + qos_text(entry.qos) +
                        ", but its connection, the session's last, then ended with what the "
                        "broker wrote possibly unseen: a better copy may have been lost there"});
        continue;
      }
      const bool v5 = epoch.version == V::v5_0;
      std::vector<SpecRef> rules{min_rule(v5)};
      if (entry.sure >= 2) rules.push_back(overlap_rule(v5));
      verdict.violations.push_back(violation(
          e, "qos", std::move(rules), m.routed_from, d.index,
          "the broker's best copy of " + name_of(m) + " (published at " + qos_text(m.publish.qos) +
              ") to " + client_of(epoch) + " went at " + qos_text(entry.qos) + ", below the " +
              qos_text(entry.required) + " of its highest matching subscription"));
    }
  }
};

}  // namespace

std::unique_ptr<Checker> qos_checker() { return std::make_unique<Qos>(); }

}  // namespace mqttsim::oracle
