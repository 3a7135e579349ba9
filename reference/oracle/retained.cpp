// Retained messages (3.1.1 §3.3.1.3, 5.0 §3.3.1.3).
//
// The retained store is modelled from what the broker received: every
// PUBLISH with RETAIN=1 (an empty payload clears the topic: 3.1.1
// MQTT-3.3.1-10/-11, 5.0 MQTT-3.3.1-6/-7), retained wills, and restarts
// that lost the broker's state. Each change *may* have happened from the
// moment the broker received it and *surely* had by its acknowledgement or
// its first delivery, so the value a SUBSCRIBE finds is a small set of
// possible values: the newest surely-applied one and any that may have been
// applied later. Then, per session:
//
// - A new subscription (3.1.1: every SUBSCRIBE, MQTT-3.3.1-6, MQTT-3.8.4-3;
//   5.0: Retain Handling 0, or 1 when the subscription is new, MQTT-3.3.1-9,
//   -10, MQTT-3.8.4-4) gets the newest retained message of each matching
//   topic with RETAIN=1 (3.1.1 MQTT-3.3.1-8), and not an older one (3.1.1
//   MQTT-3.3.1-6, 5.0 MQTT-3.3.1-5), a cleared one, or a message published
//   with RETAIN=0 (3.1.1 MQTT-3.3.1-12, 5.0 MQTT-3.3.1-8). Retained messages
//   outlive the publisher's session (3.1.1 MQTT-3.1.2-7); a retained will
//   is one (3.1.1 MQTT-3.1.2-17, 5.0 MQTT-3.1.2-15).
// - Retain Handling 2 never sends them (5.0 MQTT-3.3.1-11), Retain
//   Handling 1 not on a replaced subscription (5.0 MQTT-3.3.1-10).
// - A forward on an established subscription has RETAIN=0 (3.1.1
//   MQTT-3.3.1-9; 5.0 MQTT-3.3.1-12), or in 5.0 with Retain As Published the
//   flag as published (MQTT-3.3.1-13). A resend repeats the flag of the
//   PUBLISH it resends and is judged there.
//
// Lenient on timing, strict on content: a copy may come any time after the
// SUBSCRIBE (behind queued messages, on a later connection of the session).
// A missing copy is reported only when the subscriber stayed connected for
// a second after the SUBACK; a QoS 0 retained message (which a server MAY
// discard at any time, 3.1.1 MQTT-3.3.1-7) and one whose 5.0 Message Expiry
// may have passed are never required. Shared subscriptions get no retained
// messages (5.0 §4.8.2) and are left alone.

#include <algorithm>
#include <map>

#include "codec/print.hpp"
#include "codec/topic.hpp"
#include "oracle/checkers.hpp"
#include "oracle/message_flow.hpp"

namespace mqttsim::oracle {

namespace {

using V = ProtocolVersion;

constexpr SpecRef v311_survives_session{V::v3_1_1, "MQTT-3.1.2-7"};
constexpr SpecRef v311_stored{V::v3_1_1, "MQTT-3.3.1-5"};
constexpr SpecRef v311_will_retained{V::v3_1_1, "MQTT-3.1.2-17"};
constexpr SpecRef v5_will_retained{V::v5_0, "MQTT-3.1.2-15"};
constexpr SpecRef v311_sent_on_subscribe{V::v3_1_1, "MQTT-3.3.1-6"};
constexpr SpecRef v311_copy_flag{V::v3_1_1, "MQTT-3.3.1-8"};
constexpr SpecRef v311_forward_flag{V::v3_1_1, "MQTT-3.3.1-9"};
constexpr SpecRef v311_cleared{V::v3_1_1, "MQTT-3.3.1-10"};
constexpr SpecRef v311_never_empty{V::v3_1_1, "MQTT-3.3.1-11"};
constexpr SpecRef v311_not_retained{V::v3_1_1, "MQTT-3.3.1-12"};
constexpr SpecRef v311_resubscribe{V::v3_1_1, "MQTT-3.8.4-3"};
constexpr SpecRef v5_replaced{V::v5_0, "MQTT-3.3.1-5"};
constexpr SpecRef v5_cleared{V::v5_0, "MQTT-3.3.1-6"};
constexpr SpecRef v5_never_empty{V::v5_0, "MQTT-3.3.1-7"};
constexpr SpecRef v5_not_retained{V::v5_0, "MQTT-3.3.1-8"};
constexpr SpecRef v5_handling_0{V::v5_0, "MQTT-3.3.1-9"};
constexpr SpecRef v5_handling_1{V::v5_0, "MQTT-3.3.1-10"};
constexpr SpecRef v5_handling_2{V::v5_0, "MQTT-3.3.1-11"};
constexpr SpecRef v5_as_published_0{V::v5_0, "MQTT-3.3.1-12"};
constexpr SpecRef v5_as_published_1{V::v5_0, "MQTT-3.3.1-13"};
constexpr SpecRef v5_resubscribe{V::v5_0, "MQTT-3.8.4-4"};
// 5.0 states RETAIN=1 on a copy sent for a new subscription without an id.
constexpr SpecRef v5_copy_flag{V::v5_0, "§3.3.1.3"};

// How long a subscriber must stay connected after its SUBACK before a
// missing retained copy counts as missing rather than still on its way.
constexpr Duration copy_grace = Duration::from_s(1);

// A change that is never surely applied.
constexpr TraceIndex never{static_cast<std::size_t>(-1)};

// One change of a topic's retained message.
struct Change {
  codec::Bytes payload;  // empty: cleared
  codec::QoS qos = codec::QoS::at_most_once;
  bool may_vanish = false;       // QoS 0 or a 5.0 Message Expiry: a server may drop it
  TraceIndex applied_from;       // may have been applied from here
  TraceIndex surely_by = never;  // surely applied by here
  std::optional<PublicationIndex> publication;
  bool restart = false;  // a restart that lost the broker's state
  std::string why;       // "published by sensor at 1.2s", for messages
};

using Store = std::map<std::string, std::vector<Change>>;  // topic -> changes by applied_from

// The values topic may hold for a SUBSCRIBE processed between `from` and
// `to` (trace indices): changes that may be applied by `to` and were not
// surely superseded by `from`. nullptr stands for "no retained message".
std::vector<const Change*> possible(const std::vector<Change>& changes, TraceIndex from,
                                    TraceIndex to) {
  std::vector<const Change*> values;
  bool none_possible = true;
  for (std::size_t k = 0; k < changes.size(); ++k) {
    if (changes[k].surely_by < from) none_possible = false;
    if (changes[k].applied_from > to) continue;
    bool superseded = false;
    for (std::size_t j = k + 1; j < changes.size(); ++j) {
      if (changes[j].surely_by < from) superseded = true;
    }
    if (!superseded) values.push_back(&changes[k]);
  }
  if (none_possible) values.push_back(nullptr);
  return values;
}

bool holds(const std::vector<const Change*>& values, const codec::Bytes& payload) {
  return std::any_of(values.begin(), values.end(), [&](const Change* c) {
    return c != nullptr && !c->payload.empty() && c->payload == payload;
  });
}

// The last possible value that is a message (nullptr if none is).
const Change* newest_of(const std::vector<const Change*>& values) {
  const Change* newest = nullptr;
  for (const Change* c : values) {
    if (c != nullptr && !c->payload.empty()) newest = c;
  }
  return newest;
}

TraceIndex first_delivery_of(const Messages& m, PublicationIndex publication) {
  for (const Delivery& d : m.deliveries) {
    if (d.publication == publication) return d.index;
  }
  return never;
}

// Whether a will may have been published: its connection closed without a
// DISCONNECT that deletes it (3.1.1 any DISCONNECT, 5.0 reason 0x00..).
bool will_may_go_out(const ConnectionView& c) {
  if (!c.closed_index) return false;
  if (!c.client_disconnect) return true;
  if (c.version != V::v5_0) return false;
  const auto& d = std::get<codec::Disconnect>(c.packets[*c.client_disconnect].packet);
  return d.reason_code == codec::ReasonCode::disconnect_with_will_message;
}

// By when a will without delay surely went out: a second after its
// connection closed without DISCONNECT, unless another connection of the
// client id came in between (a takeover: 3.1.1 leaves that to the profile)
// or a broker restart closed it.
TraceIndex will_surely_out(const Evidence& e, const ConnectionView& c) {
  if (c.client_disconnect) return never;
  // A broker that died with the connection may never publish it (the wills
  // checker leaves such a will unjudged).
  if (e.seen.closed_by_restart(c)) return never;
  if (c.connect_packet()->will->properties.will_delay_interval.value_or(0) != 0) return never;
  for (const ConnectionView& o : e.seen.connections) {
    if (&o == &c || !o.connect || o.client_id() != c.client_id()) continue;
    const TraceIndex at_index = o.packets[*o.connect].index;
    if (at_index > c.packets[*c.connect].index && at_index <= *c.closed_index) return never;
  }
  const auto& events = e.seen.trace->events();
  const TimePoint by = *c.closed_at + Duration::from_s(1);
  const auto found =
      std::lower_bound(events.begin(), events.end(), by,
                       [](const trace::TraceEvent& event, TimePoint t) { return event.time < t; });
  return found == events.end() ? never
                               : TraceIndex{static_cast<std::size_t>(found - events.begin())};
}

Store model_store(const Evidence& e, const Flow& flow) {
  Store store;
  const Messages& m = e.messages;
  for (const PublicationIndex i : m.publications.indices()) {
    const Publication& p = m.publications[i];
    if (!p.publish.retain) continue;
    const ConnectionView& c = e.seen.connections[p.connection];
    if (c.version == V::v5_0 && !e.profile.retain_available) continue;  // refused (MQTT-3.2.2-14)
    Change change{.payload = p.publish.payload,
                  .qos = p.publish.qos,
                  .may_vanish = p.publish.qos == codec::QoS::at_most_once ||
                                p.publish.properties.message_expiry_interval.has_value(),
                  .publication = i};
    const TraceIndex delivered = first_delivery_of(m, i);
    if (p.is_will) {
      if (!will_may_go_out(c)) continue;
      change.applied_from = *c.closed_index;
      change.surely_by = std::min(delivered, will_surely_out(e, c));
      change.why = "the will of \"" + p.publisher + "\"";
    } else if (p.publish.qos == codec::QoS::exactly_once && p.epoch &&
               e.profile.qos2_forwarding == Qos2Forwarding::on_pubrel) {
      // Stored with the message at the publisher's PUBREL, so after any
      // later message of the topic the broker took in meanwhile; never
      // without it. A publication whose topic and payload another one
      // shares has no message of its own, but its release is still the
      // session's next PUBREL for its id (from whichever device holds the
      // session: MQTT-4.3.3-2 in 3.1.1, MQTT-4.3.3-10 in 5.0).
      const auto m = flow.message_of_publication[i];
      const std::optional<TraceIndex> released =
          m ? flow.messages[*m].released_index
            : client_pubrel(e.seen, e.sessions.epochs[*p.epoch], p.publish.packet_id,
                            p.first_index);
      if (!released) continue;
      change.applied_from = *released;
      change.surely_by = delivered;
      change.why = "published by \"" + p.publisher + "\" at " +
                   at(e.seen.event(p.first_index).time) + ", released at " +
                   at(e.seen.event(change.applied_from).time);
    } else {
      change.applied_from = p.first_index;
      // A QoS 2 PUBLISH the client marked as a resend may be one the broker
      // already knew (and ignored); a QoS 2 message forwarded on PUBREL is
      // applied then. Neither is surely applied at its acknowledgement.
      const bool ack_proves = p.publish.qos == codec::QoS::at_least_once ||
                              (p.publish.qos == codec::QoS::exactly_once && !p.publish.dup &&
                               e.profile.qos2_forwarding == Qos2Forwarding::on_publish);
      // A QoS 0 PUBLISH has no acknowledgement: in simulation its receipt
      // is the broker's; from outside a real broker, the broker may read it
      // after packets the harness wrote later to other sockets (found by
      // explore --broker against a slow mqttsim serve), and only its first
      // delivery proves it was applied.
      if (p.publish.qos == codec::QoS::at_most_once && !e.seen.from_outside) {
        change.surely_by = p.first_index;
      }
      if (ack_proves && p.acked_index) change.surely_by = *p.acked_index;
      change.surely_by = std::min(change.surely_by, delivered);
      change.why =
          "published by \"" + p.publisher + "\" at " + at(e.seen.event(p.first_index).time);
    }
    store[p.publish.topic].push_back(change);
    // A QoS 1 resend is a new publication to the broker: it may apply again.
    for (const TraceIndex resend : p.resends) {
      Change again = change;
      again.applied_from = resend;
      again.surely_by = never;
      store[p.publish.topic].push_back(again);
    }
  }
  for (const Restart& restart : e.seen.restarts) {
    if (!restart.state_lost) continue;
    for (auto& [topic, changes] : store) {
      changes.push_back({.applied_from = restart.index,
                         .surely_by = restart.index,
                         .restart = true,
                         .why = "the restart at " + at(restart.time) + " lost it"});
    }
  }
  for (auto& [topic, changes] : store) {
    std::stable_sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) {
      return a.applied_from < b.applied_from;
    });
  }
  return store;
}

// One SUBSCRIBE's claim to the retained message of one topic.
struct Owed {
  const SubscriptionSpan* span = nullptr;
  std::string topic;
  std::vector<const Change*> values;
  bool must = false;  // every possible value is a message the broker must keep
  bool paid = false;
  bool replaced = false;  // the filter was already subscribed
};

class Retained final : public Checker {
 public:
  std::string_view name() const override { return "retained"; }

  void judge(const Evidence& e, Verdict& verdict) const override {
    const Flow& flow = flow_of(e);
    const Store store = model_store(e, flow);
    for (const EpochIndex epoch : e.sessions.epochs.indices()) {
      judge_epoch(e, store, flow, epoch, verdict);
    }
  }

 private:
  struct Context {
    const Evidence& e;
    const Store& store;
    const Flow& flow;
    const SessionEpoch& epoch;
    Verdict& verdict;
    bool v5() const { return epoch.version == V::v5_0; }
    SpecRef pick(SpecRef old_rule, SpecRef new_rule) const { return v5() ? new_rule : old_rule; }
    void report(std::vector<SpecRef> spec, TraceIndex first, TraceIndex last,
                std::string message) const {
      verdict.violations.push_back(
          violation(e, "retained", std::move(spec), first, last, std::move(message)));
    }
  };

  static bool shared(const SubscriptionSpan& s) {
    return codec::is_shared_subscription(s.request.topic_filter);
  }

  // Whether the span's filter was already subscribed in the session.
  static bool replaces(const SessionEpoch& epoch, const SubscriptionSpan& s) {
    return std::any_of(epoch.subscriptions.begin(), epoch.subscriptions.end(), [&](const auto& o) {
      return &o != &s && o.request.topic_filter == s.request.topic_filter &&
             o.subscribe_index < s.subscribe_index &&
             (!o.ended_index || *o.ended_index > s.subscribe_index);
    });
  }

  static bool requests_retained(const SessionEpoch& epoch, const SubscriptionSpan& s) {
    if (shared(s)) return false;
    if (epoch.version != V::v5_0) return true;
    return s.request.retain_handling == 0 ||
           (s.request.retain_handling == 1 && !replaces(epoch, s));
  }

  static void judge_epoch(const Evidence& e, const Store& store, const Flow& flow,
                          EpochIndex epoch_index, Verdict& verdict) {
    const SessionEpoch& epoch = e.sessions.epochs[epoch_index];
    const Context cx{e, store, flow, epoch, verdict};
    // Every SUBSCRIBE's claims, and the deliveries, merged in trace order.
    std::vector<Owed> owed;
    std::vector<const SubscriptionSpan*> spans;
    for (const SubscriptionSpan& s : epoch.subscriptions) spans.push_back(&s);
    std::sort(spans.begin(), spans.end(),
              [](const auto* a, const auto* b) { return a->subscribe_index < b->subscribe_index; });
    std::size_t next_span = 0;
    const auto open_claims_before = [&](TraceIndex index) {
      for (; next_span < spans.size() && spans[next_span]->subscribe_index < index; ++next_span) {
        const SubscriptionSpan& s = *spans[next_span];
        if (!requests_retained(epoch, s)) continue;
        for (const auto& entry : store) {
          const std::string& topic = entry.first;
          const std::vector<Change>& changes = entry.second;
          if (!codec::topic_matches(s.request.topic_filter, topic)) continue;
          // One claim per SUBSCRIBE packet and topic.
          const bool claimed = std::any_of(owed.begin(), owed.end(), [&](const Owed& o) {
            return o.topic == topic && o.span->subscribe_index == s.subscribe_index;
          });
          if (claimed) continue;
          Owed claim{.span = &s,
                     .topic = topic,
                     .values = possible(changes, s.subscribe_index, s.suback_index),
                     .replaced = replaces(epoch, s)};
          const bool any = std::any_of(claim.values.begin(), claim.values.end(),
                                       [](auto* c) { return c != nullptr && !c->payload.empty(); });
          if (!any) continue;
          claim.must = std::all_of(claim.values.begin(), claim.values.end(), [](auto* c) {
            return c != nullptr && !c->payload.empty() && !c->may_vanish;
          });
          owed.push_back(std::move(claim));
        }
      }
    };
    for (const DeliveryIndex di : flow.deliveries_of_epoch[epoch_index]) {
      const Delivery& d = e.messages.deliveries[di];
      open_claims_before(d.index);
      if (repeats_its_first_attempt(e, flow.deliveries[di], d)) continue;
      judge_delivery(cx, d, owed);
    }
    open_claims_before(never);
    for (const Owed& o : owed) settle(cx, o);
  }

  // A resend (DUP=1, the same id, 3.1.1 and 5.0 MQTT-4.4.0-1) carrying the
  // RETAIN flag of the PUBLISH it repeats: judged there, whether it was a
  // retained copy or a forward.
  static bool repeats_its_first_attempt(const Evidence& e, const DeliveryFlow& df,
                                        const Delivery& d) {
    if ((df.attempt != Attempt::resend && df.attempt != Attempt::after_release) || !df.opened_by) {
      return false;
    }
    return e.messages.deliveries[*df.opened_by].publish().retain == d.publish().retain;
  }

  // The subscriptions of the session in place (possibly) when publication
  // `p` was routed, that match its topic.
  static std::vector<const SubscriptionSpan*> forwarding_spans(const Context& cx,
                                                               const Delivery& d) {
    std::vector<const SubscriptionSpan*> found;
    if (!d.publication) return found;
    const Publication& p = cx.e.messages.publications[*d.publication];
    TraceIndex from = p.first_index;
    TraceIndex to = p.first_index;
    // Routed until its routing stretch ends: a QoS 2 message forwarded on
    // PUBREL (the profile's qos2_forwarding) goes to the subscriptions made
    // before the PUBREL, live.
    if (const auto m = cx.flow.message_of_publication[*d.publication]) {
      to = std::max(to, cx.flow.messages[*m].routed_to);
    }
    if (p.is_will) {
      const ConnectionView& c = cx.e.seen.connections[p.connection];
      if (!c.closed_index) return found;
      from = *c.closed_index;
      to = d.index;
    }
    for (const SubscriptionSpan& s : cx.epoch.subscriptions) {
      if (shared(s) || !codec::topic_matches(s.request.topic_filter, p.publish.topic)) continue;
      if (cx.v5() && s.request.no_local && p.publisher == cx.epoch.client_id) continue;
      if (s.subscribe_index < to && (!s.ended_index || *s.ended_index > from)) {
        found.push_back(&s);
      }
    }
    return found;
  }

  // Whether the delivery's topic and payload name more than one
  // publication (messages.hpp leaves such deliveries unmatched).
  static bool shares_its_message(const Context& cx, const Delivery& d) {
    return std::any_of(cx.e.messages.publications.begin(), cx.e.messages.publications.end(),
                       [&](const Publication& p) {
                         return p.ambiguous && p.publish.topic == d.publish().topic &&
                                p.publish.payload == d.publish().payload;
                       });
  }

  static Owed* first_unpaid(std::vector<Owed>& owed, const std::string& topic,
                            const codec::Bytes* payload) {
    for (Owed& o : owed) {
      if (o.paid || o.topic != topic) continue;
      if (payload == nullptr || holds(o.values, *payload)) return &o;
    }
    return nullptr;
  }

  static std::string who(const Context& cx, const Delivery& d) {
    return "\"" + cx.epoch.client_id + "\" at " + at(cx.e.seen.event(d.index).time);
  }

  static void judge_delivery(const Context& cx, const Delivery& d, std::vector<Owed>& owed) {
    const codec::Publish& got = d.publish();
    const auto forwards = forwarding_spans(cx, d);
    const Publication* p = d.publication ? &cx.e.messages.publications[*d.publication] : nullptr;
    const bool as_published = std::any_of(forwards.begin(), forwards.end(),
                                          [](auto* s) { return s->request.retain_as_published; });
    const bool all_as_published =
        !forwards.empty() && std::all_of(forwards.begin(), forwards.end(),
                                         [](auto* s) { return s->request.retain_as_published; });
    if (!got.retain) {
      if (!forwards.empty()) {
        if (!cx.v5()) {
          cx.verdict.judge(v311_forward_flag);
          return;
        }
        if (p->publish.retain) {
          cx.verdict.judge(all_as_published ? v5_as_published_1 : v5_as_published_0);
          if (all_as_published) {
            cx.report({v5_as_published_1}, p->first_index, d.index,
                      "message " + describe(got) +
                          " was published with RETAIN=1 and forwarded to " + who(cx, d) +
                          " on a subscription with Retain As Published, but with RETAIN=0");
          }
        }
        return;
      }
      if (Owed* o = first_unpaid(owed, got.topic, &got.payload)) {
        o->paid = true;
        cx.verdict.judge(cx.pick(v311_copy_flag, v5_copy_flag));
        cx.report({cx.pick(v311_copy_flag, v5_copy_flag)}, o->span->subscribe_index, d.index,
                  "the retained message " + describe(got) + " sent to " + who(cx, d) +
                      " for its new subscription to \"" + o->span->request.topic_filter +
                      "\" has RETAIN=0; a retained copy must have RETAIN=1");
      }
      return;
    }
    // RETAIN=1.
    if (Owed* o = first_unpaid(owed, got.topic, &got.payload)) {
      o->paid = true;
      cx.verdict.judge(cx.pick(v311_copy_flag, v5_copy_flag));
      return;
    }
    if (!p && shares_its_message(cx, d)) {
      // A topic and payload two publications share (an empty payload that
      // clears the topic, twice): it may be a forward with Retain As
      // Published as well as a retained copy, and which one is unknown.
      cx.verdict.remarks.push_back({"retained", "not judged: the RETAIN=1 PUBLISH " +
                                                    describe(got) + " to " + who(cx, d) +
                                                    " names a message published more than once"});
      return;
    }
    if (!forwards.empty() && cx.v5() && as_published && p->publish.retain) {
      cx.verdict.judge(v5_as_published_1);
      return;
    }
    if (Owed* o = first_unpaid(owed, got.topic, nullptr)) {
      o->paid = true;
      report_content(cx, *o, d);
      return;
    }
    if (!forwards.empty()) {
      const SpecRef rule = !cx.v5()       ? v311_forward_flag
                           : as_published ? v5_as_published_1
                                          : v5_as_published_0;
      cx.verdict.judge(rule);
      const std::string published = p->publish.retain ? "RETAIN=1" : "RETAIN=0";
      cx.report({rule}, p->first_index, d.index,
                "message " + describe(got) + " (published with " + published + " by \"" +
                    p->publisher + "\") was forwarded to " + who(cx, d) +
                    " on its established subscription to \"" +
                    forwards.front()->request.topic_filter + "\" with RETAIN=1" +
                    (cx.v5() ? (as_published ? ", though it was published with RETAIN=0"
                                             : " without Retain As Published")
                             : "; a forward must have RETAIN=0"));
      return;
    }
    judge_unclaimed_copy(cx, d);
  }

  // A RETAIN=1 copy no open claim explains: the latest matching SUBSCRIBE
  // before it asked for none (5.0 Retain Handling), or it is a further copy
  // whose content must still be the retained message.
  static void judge_unclaimed_copy(const Context& cx, const Delivery& d) {
    // A SUBSCRIBE with several filters counts as that many SUBSCRIBEs in a
    // row (3.1.1 MQTT-3.8.4-4, 5.0 MQTT-3.8.4-5): a further copy may come
    // from any of its matching filters that asks for retained messages.
    const SubscriptionSpan* latest = nullptr;
    for (const SubscriptionSpan& s : cx.epoch.subscriptions) {
      if (s.subscribe_index >= d.index ||
          !codec::topic_matches(s.request.topic_filter, d.publish().topic)) {
        continue;
      }
      if (latest == nullptr || s.subscribe_index > latest->subscribe_index ||
          (s.subscribe_index == latest->subscribe_index && !requests_retained(cx.epoch, *latest) &&
           requests_retained(cx.epoch, s))) {
        latest = &s;
      }
    }
    if (latest == nullptr || shared(*latest)) return;  // a phantom: not this checker's
    if (!requests_retained(cx.epoch, *latest)) {
      const bool never_any = latest->request.retain_handling == 2;
      const SpecRef rule = never_any ? v5_handling_2 : v5_handling_1;
      cx.verdict.judge(rule);
      cx.report({rule}, latest->subscribe_index, d.index,
                "the retained message " + describe(d.publish()) + " was sent to " + who(cx, d) +
                    " after it subscribed to \"" + latest->request.topic_filter +
                    "\" with Retain Handling " + std::to_string(latest->request.retain_handling) +
                    (never_any ? ", which asks for no retained messages"
                               : " to a filter it already held, which asks for none"));
      return;
    }
    const auto changes = cx.store.find(d.publish().topic);
    if (changes == cx.store.end()) return;
    const auto values = possible(changes->second, latest->subscribe_index, d.index);
    if (holds(values, d.publish().payload)) return;
    Owed extra{.span = latest, .topic = d.publish().topic, .values = values};
    report_content(cx, extra, d);
  }

  // A retained copy whose content is not a value the topic could hold.
  static void report_content(const Context& cx, const Owed& o, const Delivery& d) {
    const auto changes = cx.store.find(o.topic);
    const Change* newest = newest_of(o.values);
    const std::string now_held = newest == nullptr || newest->payload.empty()
                                     ? "the topic had no retained message"
                                     : "the newest retained message was " +
                                           codec::describe_payload(newest->payload) + " (" +
                                           newest->why + ")";
    const std::string head = "the retained copy sent to " + who(cx, d) +
                             " for its subscription to \"" + o.span->request.topic_filter +
                             "\" was " + describe(d.publish()) + ", but when it subscribed ";
    // What the delivered content was: an older retained message, a cleared
    // one, or a message published without RETAIN.
    bool was_retained = false;
    if (changes != cx.store.end()) {
      for (const Change& c : changes->second) {
        if (!c.payload.empty() && c.payload == d.publish().payload) was_retained = true;
      }
    }
    const bool after_restart =
        newest == nullptr && std::any_of(o.values.begin(), o.values.end(), [](const Change* c) {
          return c != nullptr && c->restart;
        });
    if (after_restart && !d.publish().payload.empty()) {
      // Keeping retained messages through a restart the trace says lost
      // them is the world's business, not a rule of the standard.
      cx.verdict.remarks.push_back({"retained", head + now_held + " after a restart that lost it"});
      return;
    }
    if (d.publish().payload.empty() || (newest == nullptr && was_retained)) {
      const std::vector<SpecRef> rules = cx.v5()
                                             ? std::vector<SpecRef>{v5_cleared, v5_never_empty}
                                             : std::vector<SpecRef>{v311_cleared, v311_never_empty};
      for (const SpecRef r : rules) cx.verdict.judge(r);
      cx.report(rules, o.span->subscribe_index, d.index,
                head + now_held + " (it had been cleared)");
      return;
    }
    if (was_retained) {
      const SpecRef rule = cx.pick(v311_sent_on_subscribe, v5_replaced);
      cx.verdict.judge(rule);
      cx.report({rule}, o.span->subscribe_index, d.index,
                head + now_held + ": an older retained message was sent");
      return;
    }
    const SpecRef rule = cx.pick(v311_not_retained, v5_not_retained);
    cx.verdict.judge(rule);
    cx.report({rule}, o.span->subscribe_index, d.index,
              head + now_held + ": that message was never published with RETAIN=1");
  }

  // A claim at the end of the trace: its rules were judged if the copy was
  // required; a required copy that never came is missing.
  static void settle(const Context& cx, const Owed& o) {
    const SubscriptionSpan& s = *o.span;
    const Observation& seen = cx.e.seen;
    const ConnectionView& c = seen.connections[s.connection];
    const TimePoint acked = seen.event(s.suback_index).time;
    const TimePoint until = c.closed_at.value_or(seen.end_time);
    const Change* newest = newest_of(o.values);
    std::vector<SpecRef> rules;
    if (!cx.v5()) {
      rules = {v311_sent_on_subscribe, v311_stored};
      if (o.replaced) rules.push_back(v311_resubscribe);
    } else {
      rules = {s.request.retain_handling == 0 ? v5_handling_0 : v5_handling_1, v5_replaced};
      if (o.replaced) rules.push_back(v5_resubscribe);
    }
    // A retained will is published as a retained message (3.1.1
    // MQTT-3.1.2-17, 5.0 MQTT-3.1.2-15).
    if (newest != nullptr && newest->publication &&
        cx.e.messages.publications[*newest->publication].is_will) {
      rules.push_back(cx.pick(v311_will_retained, v5_will_retained));
    }
    // The publisher's session ended before the SUBSCRIBE: retained messages
    // are not part of any session (3.1.1 MQTT-3.1.2-7).
    if (!cx.v5() && newest != nullptr && newest->publication) {
      const Publication& p = cx.e.messages.publications[*newest->publication];
      if (p.epoch) {
        const SessionEpoch& publisher = cx.e.sessions.epochs[*p.epoch];
        if (publisher.end_index && *publisher.end_index < s.subscribe_index) {
          rules.push_back(v311_survives_session);
        }
      }
    }
    const bool in_time = until - acked >= copy_grace;
    if (o.must && (o.paid || in_time)) {
      for (const SpecRef r : rules) cx.verdict.judge(r);
    }
    if (o.paid) return;
    const std::string what = "the retained message " + codec::describe_payload(newest->payload) +
                             " of \"" + o.topic + "\" (" + newest->why + ")";
    if (!o.must || !in_time) {
      cx.verdict.remarks.push_back(
          {"retained",
           what + " did not reach \"" + cx.epoch.client_id + "\" for its subscription to \"" +
               s.request.topic_filter + "\" at " + at(acked) +
               (o.must ? ": its connection or the run ended within a second"
                       : ": the broker may have dropped it (QoS 0 or Message Expiry)")});
      return;
    }
    cx.report(
        rules, s.subscribe_index, std::max(s.suback_index, c.closed_index.value_or(s.suback_index)),
        what + " was never sent to \"" + cx.epoch.client_id + "\" for its " +
            (o.replaced ? "repeated " : "new ") + "subscription to \"" + s.request.topic_filter +
            "\" at " + at(acked) + ", though it stayed connected until " + at(until));
  }
};

}  // namespace

std::unique_ptr<Checker> retained_checker() { return std::make_unique<Retained>(); }

}  // namespace mqttsim::oracle
