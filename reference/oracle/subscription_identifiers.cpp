// Subscription Identifiers (5.0 §3.3.4): a message delivered for
// subscriptions that have a Subscription Identifier carries those
// identifiers (5.0 MQTT-3.3.4-3); one copy for overlapping subscriptions
// carries the identifier of every one that has one, in any order
// (MQTT-3.3.4-4); with a copy per subscription (the profile's
// overlapping_subscriptions: copy_per_subscription), each copy carries its
// own subscription's identifier (MQTT-3.3.4-5): where the copy's QoS names
// its subscription (the only one granting that QoS to the message), exactly
// that one's. A delivery carries no identifier that none of its matching
// subscriptions has.
//
// A delivery is judged only when the subscriptions of its session matching
// its topic were stable from the message's receipt to the delivery (see
// subscription_match.hpp): a retained message sent for a new subscription,
// or a message queued across a re-subscription, is left alone. Subscriptions
// with No Local do not count for their own client's messages (the message
// is not forwarded on them, MQTT-3.8.3-3); wills published for a client
// with such a subscription are left alone.

#include <algorithm>
#include <set>

#include "oracle/checkers.hpp"
#include "oracle/subscription_match.hpp"

namespace mqttsim::oracle {

namespace {

constexpr SpecRef v5_carried{ProtocolVersion::v5_0, "MQTT-3.3.4-3"};
constexpr SpecRef v5_single_copy{ProtocolVersion::v5_0, "MQTT-3.3.4-4"};
constexpr SpecRef v5_copy_each{ProtocolVersion::v5_0, "MQTT-3.3.4-5"};

std::string show(const std::vector<std::uint32_t>& ids) {
  if (ids.empty()) return "none";
  std::string text;
  for (const std::uint32_t id : ids) text += (text.empty() ? "" : ", ") + std::to_string(id);
  return text;
}

class SubscriptionIdentifiers final : public Checker {
 public:
  std::string_view name() const override { return "subscription-identifiers"; }

  void judge(const Evidence& e, Verdict& verdict) const override {
    const bool copy_each =
        e.profile.overlapping_subscriptions == OverlapDelivery::copy_per_subscription;
    for (const Delivery& d : e.messages.deliveries) {
      if (!d.publication || !d.epoch) continue;
      const ConnectionView& c = e.seen.connections[d.connection];
      if (c.version != ProtocolVersion::v5_0) continue;
      const Publication& p = e.messages.publications[*d.publication];
      const SessionEpoch& epoch = e.sessions.epochs[*d.epoch];
      const MatchingSubscriptions matching =
          matching_subscriptions(epoch, d.publish().topic, p.first_index, d.index);
      if (!matching.stable) continue;
      std::vector<const SubscriptionSpan*> spans;
      bool no_local_will = false;
      for (const SubscriptionSpan* span : matching.spans) {
        if (span->request.no_local && p.publisher == epoch.client_id) {
          no_local_will = no_local_will || p.is_will;
          continue;
        }
        spans.push_back(span);
      }
      if (no_local_will || spans.empty()) continue;  // not forwarded on any: other checkers

      std::vector<std::uint32_t> expected;
      bool one_without = false;
      for (const SubscriptionSpan* span : spans) {
        if (span->subscription_identifier) {
          expected.push_back(*span->subscription_identifier);
        } else {
          one_without = true;
        }
      }
      std::sort(expected.begin(), expected.end());
      expected.erase(std::unique(expected.begin(), expected.end()), expected.end());
      std::vector<std::uint32_t> got = d.publish().properties.subscription_identifiers;
      std::sort(got.begin(), got.end());
      got.erase(std::unique(got.begin(), got.end()), got.end());

      const bool overlapping = spans.size() > 1;
      SpecRef rule = v5_carried;
      if (overlapping) rule = copy_each ? v5_copy_each : v5_single_copy;
      if (!expected.empty()) {
        verdict.judge(v5_carried);
        if (overlapping) verdict.judge(rule);
      }
      bool right = got == expected;
      if (!right && copy_each && overlapping) {
        // One copy per subscription: its own identifier, or none for a
        // subscription without one (a single merged copy is accepted too).
        // Where the copy's QoS names its subscription (the only one granting
        // that QoS to this message), it must be that one's identifier.
        const SubscriptionSpan* own_span = nullptr;
        std::size_t with_this_qos = 0;
        for (const SubscriptionSpan* span : spans) {
          if (std::min(p.publish.qos, span->granted) == d.publish().qos) {
            own_span = span;
            ++with_this_qos;
          }
        }
        if (with_this_qos == 1) {
          expected.clear();
          if (own_span->subscription_identifier) expected = {*own_span->subscription_identifier};
          right = got == expected;
        } else {
          const bool own =
              got.size() == 1 && std::binary_search(expected.begin(), expected.end(), got.front());
          right = own || (got.empty() && one_without);
        }
      }
      if (right) continue;
      std::string filters;
      for (const SubscriptionSpan* span : spans) {
        filters += (filters.empty() ? "" : ", ") + span->request.topic_filter + " (" +
                   (span->subscription_identifier
                        ? "identifier " + std::to_string(*span->subscription_identifier)
                        : std::string{"no identifier"}) +
                   ")";
      }
      std::vector<SpecRef> rules{v5_carried};
      if (overlapping) rules.push_back(rule);
      verdict.violations.push_back(violation(
          e, "subscription-identifiers", rules, p.first_index, d.index,
          "message " + describe(p.publish) + " reached client \"" + epoch.client_id + "\" at " +
              at(e.seen.event(d.index).time) + " with Subscription Identifiers " + show(got) +
              "; it matched " + filters + (overlapping && copy_each ? ", one copy each" : "") +
              ", so it should have carried " + show(expected)));
    }
  }
};

}  // namespace

std::unique_ptr<Checker> subscription_identifiers_checker() {
  return std::make_unique<SubscriptionIdentifiers>();
}

}  // namespace mqttsim::oracle
