// Wills (3.1.1 §3.1.2.5, 5.0 §3.1.2.5 and §3.1.3.2.2).
//
// A connection that declared a will and ended without a DISCONNECT that
// deletes it (a dropped link, a keep-alive timeout, a close for a protocol
// error, a takeover) has its will published (3.1.1 MQTT-3.1.2-8; 5.0
// MQTT-3.1.2-8, which a DISCONNECT with any reason but 0x00 does not stop:
// 0x04 "Disconnect with Will Message", or an error the client reports). A
// DISCONNECT deletes it (3.1.1 MQTT-3.1.2-10, MQTT-3.14.4-3; 5.0 with reason
// 0x00: MQTT-3.1.2-10, MQTT-3.14.4-3). A 3.1.1
// takeover publishes it as the profile says (will_on_takeover_v311: 3.1.1
// is silent). In 5.0 the will waits for its Will Delay Interval or the end
// of the session, whichever is sooner (MQTT-3.1.2-8), and a new connection
// of the session within the delay cancels it (MQTT-3.1.3-9).
//
// "Published" is seen where it can be: a will must reach every session that
// had a matching subscription when it was due and stayed connected a second
// after; it must not reach anyone before it was due or at all when it was
// deleted or cancelled. Times are trace times of the broker's own events,
// with a little slack for real brokers. Left unjudged, with a remark: wills
// of connections a broker restart killed, 5.0 reconnects with Clean Start 1
// inside the delay, times within the slack of a boundary, and a QoS 1/2 copy
// for a session whose in-flight window stayed full from when the will was
// due until that session or the run ended (the copy waits in its queue). The delivered QoS of a will is the QoS
// checker's; its RETAIN flag and the retained will are the retained
// checker's.

#include <algorithm>

#include "codec/topic.hpp"
#include "oracle/checkers.hpp"
#include "oracle/message_flow.hpp"

namespace mqttsim::oracle {

namespace {

using V = ProtocolVersion;

constexpr SpecRef v311_published{V::v3_1_1, "MQTT-3.1.2-8"};
constexpr SpecRef v311_deleted{V::v3_1_1, "MQTT-3.1.2-10"};
constexpr SpecRef v311_discarded{V::v3_1_1, "MQTT-3.14.4-3"};
constexpr SpecRef v5_published{V::v5_0, "MQTT-3.1.2-8"};
constexpr SpecRef v5_deleted{V::v5_0, "MQTT-3.1.2-10"};
constexpr SpecRef v5_discarded{V::v5_0, "MQTT-3.14.4-3"};
constexpr SpecRef v5_cancelled{V::v5_0, "MQTT-3.1.3-9"};

// Real brokers' timers run a little off the proxy's clock.
constexpr Duration slack = Duration::from_ms(500);
// How long an observer must stay connected after a will was due for its
// absence to count.
constexpr Duration grace = Duration::from_s(1);

enum class Fate { published, deleted, cancelled, unjudged };

struct Expected {
  Fate fate = Fate::unjudged;
  TimePoint due;        // published: when (not before, give or take slack)
  std::string because;  // for messages
};

// The next accepted connection of the same client id after `c`'s CONNECT.
const ConnectionView* next_of(const Observation& seen, const ConnectionView& c) {
  const TraceIndex after = c.packets[*c.connect].index;
  const ConnectionView* next = nullptr;
  for (const ConnectionView& o : seen.connections) {
    if (&o == &c || !o.accepted() || o.client_id() != c.client_id()) continue;
    const TraceIndex at_index = o.packets[*o.connect].index;
    if (at_index <= after) continue;
    if (next == nullptr || at_index < next->packets[*next->connect].index) next = &o;
  }
  return next;
}

TimePoint connect_time(const ConnectionView& c) { return c.packets[*c.connect].time; }

Expected expect(const Evidence& e, const ConnectionView& c) {
  const bool v5 = c.version == V::v5_0;
  if (!c.closed_index) return {Fate::unjudged, {}, "its connection was still open"};
  if (e.seen.closed_by_restart(c)) {
    return {Fate::unjudged, {}, "a broker restart closed its connection"};
  }
  const TimePoint closed = *c.closed_at;
  if (c.client_disconnect) {
    const auto& d = std::get<codec::Disconnect>(c.packets[*c.client_disconnect].packet);
    if (!v5 || d.reason_code == codec::ReasonCode::success) {
      return {Fate::deleted, closed,
              "\"" + c.client_id() + "\" sent DISCONNECT" + (v5 ? " (reason 0x00)" : "") + " at " +
                  at(c.packets[*c.client_disconnect].time)};
    }
    // Any other reason (0x04, or an error the client reports) leaves the
    // will to be published: only 0x00 deletes it (MQTT-3.1.2-8).
  }
  const ConnectionView* next = next_of(e.seen, c);
  const bool taken_over = next != nullptr && connect_time(*next) <= closed &&
                          next->packets[*next->connect].index <= *c.closed_index;
  if (!v5) {
    if (taken_over && !e.profile.will_on_takeover_v311) {
      return {Fate::unjudged, {}, "a 3.1.1 takeover, and the profile publishes no will then"};
    }
    return {Fate::published, closed,
            taken_over ? "its connection was taken over at " + at(closed)
                       : "its connection closed at " + at(closed) + " without DISCONNECT"};
  }
  const std::uint32_t delay_s =
      c.connect_packet()->will->properties.will_delay_interval.value_or(0);
  const std::uint32_t expiry_s = c.session_expiry_s();
  const std::string how = taken_over ? "was taken over" : "closed without a normal DISCONNECT";
  if (delay_s == 0 || expiry_s == 0) {
    return {Fate::published, closed, "its connection " + how + " at " + at(closed)};
  }
  const std::uint32_t wait_s = std::min(delay_s, expiry_s);
  const TimePoint due = closed + Duration::from_s(wait_s);
  for (const Restart& r : e.seen.restarts) {
    if (r.time >= closed && r.time <= due + slack) {
      return {Fate::unjudged, {}, "a broker restart came within its delay"};
    }
  }
  const std::string waited = std::to_string(wait_s) + " s after its connection " + how + " at " +
                             at(closed) +
                             (delay_s <= expiry_s ? " (its Will Delay Interval)"
                                                  : " (its session's end, before the delay)");
  if (next != nullptr) {
    const TimePoint back = connect_time(*next);
    const Duration gap = back < due ? due - back : back - due;
    if (gap < slack) return {Fate::unjudged, {}, "a reconnect too close to its delay's end"};
    if (back < due) {
      if (next->connect_packet()->clean_start) {
        return {Fate::unjudged, {}, "a reconnect with Clean Start 1 inside its delay"};
      }
      return {Fate::cancelled, due,
              "the session got a new connection at " + at(back) + ", inside the will delay"};
    }
  }
  return {Fate::published, due, waited};
}

// Sessions that had a subscription matching `topic` when the will was due
// and stayed connected `grace` after it (or until the run ended): they must
// get it.
std::vector<EpochIndex> observers(const Evidence& e, const std::string& topic,
                                  const std::string& publisher, TimePoint due) {
  std::vector<EpochIndex> found;
  for (const EpochIndex i : e.sessions.epochs.indices()) {
    const SessionEpoch& epoch = e.sessions.epochs[i];
    bool subscribed = false;
    for (const SubscriptionSpan& s : epoch.subscriptions) {
      if (codec::is_shared_subscription(s.request.topic_filter)) continue;
      if (!codec::topic_matches(s.request.topic_filter, topic)) continue;
      if (epoch.version == V::v5_0 && s.request.no_local && epoch.client_id == publisher) continue;
      const bool before = e.seen.event(s.suback_index).time + slack < due;
      const auto gone = s.unsubscribe_index ? s.unsubscribe_index : s.ended_index;
      const bool kept = !gone || e.seen.event(*gone).time > due + grace;
      if (before && kept) subscribed = true;
    }
    if (!subscribed) continue;
    bool connected = false;
    for (const ConnectionIndex ci : epoch.connections) {
      const ConnectionView& c = e.seen.connections[ci];
      const TimePoint opened = c.packets[*c.connack].time;
      const TimePoint until = c.closed_at.value_or(TimePoint{} + Duration::from_s(1LL << 40));
      if (opened + slack < due && until > due + grace) connected = true;
    }
    if (connected) found.push_back(i);
  }
  return found;
}

// Whether the copy of a will for `epoch` may have waited in its queue, from
// when the will was due until the session or the run ended, because the
// broker's in-flight window toward it stayed full (QoS 1/2 copies only: a
// QoS 0 copy takes no slot).
bool held_behind_full_window(const Evidence& e, const Flow& flow, EpochIndex epoch,
                             const codec::Publish& will, TimePoint due) {
  const SessionEpoch& session = e.sessions.epochs[epoch];
  codec::QoS granted = codec::QoS::at_most_once;
  for (const SubscriptionSpan& s : session.subscriptions) {
    if (codec::topic_matches(s.request.topic_filter, will.topic))
      granted = std::max(granted, s.granted);
  }
  if (std::min(granted, will.qos) == codec::QoS::at_most_once) return false;
  TraceIndex due_index{0};
  while (due_index < e.seen.end_index && e.seen.event(due_index).time < due) ++due_index;
  return window_full_throughout(e, flow, epoch, due_index,
                                session.end_index.value_or(e.seen.end_index));
}

class Wills final : public Checker {
 public:
  std::string_view name() const override { return "wills"; }

  void judge(const Evidence& e, Verdict& verdict) const override {
    const Flow& flow = flow_of(e);
    for (const PublicationIndex i : e.messages.publications.indices()) {
      const Publication& p = e.messages.publications[i];
      if (p.is_will) judge_one(e, flow, i, verdict);
    }
  }

 private:
  static void judge_one(const Evidence& e, const Flow& flow, PublicationIndex index,
                        Verdict& verdict) {
    const Publication& will = e.messages.publications[index];
    const ConnectionView& c = e.seen.connections[will.connection];
    const bool v5 = c.version == V::v5_0;
    const std::string whose =
        "the will " + describe(will.publish) + " of \"" + will.publisher + "\"";
    if (will.ambiguous) {
      verdict.remarks.push_back(
          {"wills", whose + " not judged: another message has the same topic and payload"});
      return;
    }
    std::vector<const Delivery*> sent;
    for (const Delivery& d : e.messages.deliveries) {
      if (d.publication == index) sent.push_back(&d);
    }
    const TraceIndex first = c.closed_index.value_or(c.packets[*c.connect].index);
    const auto report = [&](std::vector<SpecRef> rules, TraceIndex last, std::string message) {
      verdict.violations.push_back(
          violation(e, "wills", std::move(rules), std::min(first, last), last, std::move(message)));
    };
    // Never while its connection is open. A broker that closes a connection
    // routes the will as it closes it, so its copies may come just before
    // the close event: compare times.
    for (const Delivery* d : sent) {
      const TimePoint when = e.seen.event(d->index).time;
      if (!c.closed_at || when + slack < *c.closed_at) {
        const SpecRef rule = v5 ? v5_published : v311_published;
        report({rule}, d->index,
               whose + " was sent to \"" + e.sessions.epochs[*d->epoch].client_id + "\" at " +
                   at(e.seen.event(d->index).time) + " while its connection was still open");
        return;
      }
    }
    const Expected expected = expect(e, c);
    if (expected.fate == Fate::unjudged) {
      verdict.remarks.push_back({"wills", whose + " not judged: " + expected.because});
      return;
    }
    const auto watching = observers(e, will.publish.topic, will.publisher, expected.due);
    const SpecRef rule = v5 ? v5_published : v311_published;
    // Not before it was due (5.0: the Will Delay Interval or the session's
    // end), whether or not a reconnect later cancelled it.
    if (expected.fate != Fate::deleted) {
      for (const Delivery* d : sent) {
        const TimePoint when = e.seen.event(d->index).time;
        if (when + slack < expected.due) {
          verdict.judge(rule);
          report({rule}, d->index,
                 whose + " was sent to \"" + e.sessions.epochs[*d->epoch].client_id + "\" at " +
                     at(when) + ", before it was due at " + at(expected.due) +
                     (expected.fate == Fate::published ? " (" + expected.because + ")" : ""));
          return;
        }
      }
    }
    if (expected.fate == Fate::deleted || expected.fate == Fate::cancelled) {
      const std::vector<SpecRef> rules = expected.fate == Fate::cancelled
                                             ? std::vector<SpecRef>{v5_cancelled}
                                         : v5 ? std::vector<SpecRef>{v5_deleted, v5_discarded}
                                              : std::vector<SpecRef>{v311_deleted, v311_discarded};
      if (!watching.empty()) {
        for (const SpecRef r : rules) verdict.judge(r);
      }
      if (!sent.empty()) {
        const Delivery& d = *sent.front();
        report(
            rules, d.index,
            whose + " was published (sent to \"" + e.sessions.epochs[*d.epoch].client_id +
                "\" at " + at(e.seen.event(d.index).time) + "), but " + expected.because +
                (expected.fate == Fate::cancelled ? ", which cancels it" : ", which deletes it"));
      }
      return;
    }
    for (const EpochIndex epoch : watching) {
      const bool got = std::any_of(sent.begin(), sent.end(),
                                   [&](const Delivery* d) { return d->epoch == epoch; });
      if (got) {
        verdict.judge(rule);
        continue;
      }
      if (e.seen.end_time < expected.due + grace) {
        verdict.remarks.push_back(
            {"wills", whose + " due at " + at(expected.due) + " had not reached \"" +
                          e.sessions.epochs[epoch].client_id + "\" when the run ended (pending)"});
        continue;
      }
      if (held_behind_full_window(e, flow, epoch, will.publish, expected.due)) {
        verdict.remarks.push_back(
            {"wills", whose + " due at " + at(expected.due) + " never reached \"" +
                          e.sessions.epochs[epoch].client_id +
                          "\", whose in-flight window stayed full until its session or the run "
                          "ended (the copy may have waited in its queue)"});
        continue;
      }
      verdict.judge(rule);
      report({rule}, *c.closed_index,
             whose + " was due at " + at(expected.due) + " (" + expected.because +
                 "), but never reached \"" + e.sessions.epochs[epoch].client_id +
                 "\", which was subscribed and connected then");
    }
  }
};

}  // namespace

std::unique_ptr<Checker> wills_checker() { return std::make_unique<Wills>(); }

}  // namespace mqttsim::oracle
