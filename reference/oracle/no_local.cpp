// No Local (5.0 §3.8.3.1): a message is not forwarded on a subscription with
// No Local 1 to a connection whose client id is that of the connection that
// published it (5.0 MQTT-3.8.3-3).
//
// Judged for every message a 5.0 client published on a topic that one of
// its own No Local subscriptions matched when it arrived. A delivery of
// such a message back to the same client id is a violation when every
// subscription of that session matching the topic has No Local and they
// were stable from the receipt to the delivery (see subscription_match.hpp);
// another matching subscription without No Local may carry it. Wills are
// left alone (whether a will counts as published by its client is not
// settled by the statement).

#include <map>
#include <string_view>
#include <vector>

#include "oracle/checkers.hpp"
#include "oracle/subscription_match.hpp"

namespace mqttsim::oracle {

namespace {

constexpr SpecRef v5_no_local{ProtocolVersion::v5_0, "MQTT-3.8.3-3"};

bool all_no_local(const MatchingSubscriptions& matching) {
  if (!matching.stable || matching.spans.empty()) return false;
  for (const SubscriptionSpan* span : matching.spans) {
    if (!span->request.no_local) return false;
  }
  return true;
}

class NoLocal final : public Checker {
 public:
  std::string_view name() const override { return "no-local"; }

  void judge(const Evidence& e, Verdict& verdict) const override {
    // The 5.0 epochs of each client id: a publication is checked against
    // its publisher's own, not every session of the run.
    std::map<std::string_view, std::vector<const SessionEpoch*>> epochs_of;
    for (const SessionEpoch& epoch : e.sessions.epochs) {
      if (epoch.version == ProtocolVersion::v5_0) epochs_of[epoch.client_id].push_back(&epoch);
    }
    for (const Publication& p : e.messages.publications) {
      if (p.is_will || p.publisher.empty()) continue;
      const auto own = epochs_of.find(p.publisher);
      if (own == epochs_of.end()) continue;
      for (const SessionEpoch* publisher_epoch : own->second) {
        const SessionEpoch& epoch = *publisher_epoch;
        if (!epoch.alive_at(p.first_index)) continue;
        const MatchingSubscriptions matching =
            matching_subscriptions(epoch, p.publish.topic, p.first_index, p.first_index);
        bool any_no_local = false;
        for (const SubscriptionSpan* span : matching.spans) {
          any_no_local = any_no_local || span->request.no_local;
        }
        if (any_no_local) verdict.judge(v5_no_local);
      }
    }
    for (const Delivery& d : e.messages.deliveries) {
      if (!d.publication || !d.epoch) continue;
      const Publication& p = e.messages.publications[*d.publication];
      const SessionEpoch& epoch = e.sessions.epochs[*d.epoch];
      if (p.is_will || p.publisher != epoch.client_id || epoch.version != ProtocolVersion::v5_0)
        continue;
      const MatchingSubscriptions matching =
          matching_subscriptions(epoch, d.publish().topic, p.first_index, d.index);
      if (!all_no_local(matching)) continue;
      std::string filters;
      for (const SubscriptionSpan* span : matching.spans) {
        filters += (filters.empty() ? "" : ", ") + span->request.topic_filter;
      }
      verdict.violations.push_back(
          violation(e, "no-local", {v5_no_local}, p.first_index, d.index,
                    "client \"" + p.publisher + "\" published " + describe(p.publish) + " at " +
                        at(e.seen.event(p.first_index).time) + " and got it back at " +
                        at(e.seen.event(d.index).time) + ", though its only matching subscription" +
                        (matching.spans.size() > 1 ? "s (" : " (") + filters + ") had No Local"));
    }
  }
};

}  // namespace

std::unique_ptr<Checker> no_local_checker() { return std::make_unique<NoLocal>(); }

}  // namespace mqttsim::oracle
