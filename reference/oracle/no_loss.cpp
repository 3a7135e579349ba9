// No loss: a QoS 1 or QoS 2 message the broker acknowledged to its
// publisher (PUBACK, or PUBREC below 0x80) is its own, and goes into the
// session of every client with a matching subscription (3.1.1 and 5.0
// MQTT-4.5.0-1), queued while that client is offline (3.1.1 MQTT-3.1.2-5;
// 5.0 MQTT-3.1.2-23, a session with an expiry outlives its connection) and
// sent, resent if need be, when it comes back (MQTT-4.4.0-1 of both).
//
// Required: each session epoch with a matching subscription surely in place
// while the broker routed the message (SUBACK before its receipt, no
// UNSUBSCRIBE before it was acknowledged or, under the profile's
// qos2_forwarding on_pubrel, released), alive then, and not the publisher's
// own 5.0 No Local subscription. Shared subscriptions deliver to one member
// of a group and are not judged. A subscription granted QoS 0 gets the
// message at QoS 0 (MQTT-3.8.4-6 / -8): required only if the subscriber was
// connected when it was routed and stayed so a while (a QoS 0 copy may go
// with a connection that drops), or was offline and the profile queues
// QoS 0 offline (queue_qos0_offline).
//
// Explained, so not loss: the session epoch ended (clean session, expiry,
// a restart that lost the broker's state: the last is remarked); the 5.0
// Message Expiry Interval ran out before the session was back, or while the
// copy waited behind a full in-flight window (MQTT-3.3.2-5);
// the profile's queue limit (max_queued_messages) can account for it
// (remarked, with a count); the message was too large for the client's
// Maximum Packet Size (5.0 MQTT-3.1.2-25); the subscriber never came back,
// or was still being served when the run ended (pending, remarked).
// Reported: a later message of the same publisher and topic reached the
// session while this one never did, or the session was connected and idle
// for a while at the end of the run without it.

#include <algorithm>
#include <map>
#include <set>

#include "codec/topic.hpp"
#include "oracle/checkers.hpp"
#include "oracle/message_flow.hpp"

namespace mqttsim::oracle {

namespace {

using V = ProtocolVersion;

struct Stretch {
  TraceIndex from;  // CONNACK
  TraceIndex to;    // close, or the end of the trace
  bool open_at_end = false;
};

enum class Excuse : std::uint8_t {
  restart_lost,
  expired,
  queue_limit,
  too_large,
  never_back,
  still_serving,
  left_again,
};

std::string_view excuse_text(Excuse excuse) {
  switch (excuse) {
    case Excuse::restart_lost:
      return "lost with the broker's state in a restart that did not keep it";
    case Excuse::expired:
      return "expired (5.0 Message Expiry Interval) before the session could get them";
    case Excuse::queue_limit:
      return "beyond the profile's queue limit";
    case Excuse::too_large:
      return "larger than the client's Maximum Packet Size";
    case Excuse::never_back:
      return "pending: the client had not come back when the run ended";
    case Excuse::still_serving:
      return "pending: still deliverable, or the broker still delivering, when the run ended";
    case Excuse::left_again:
      return "not judged: the client came back and left again before they went out";
  }
  return "";
}

class NoLoss final : public Checker {
 public:
  std::string_view name() const override { return "no-loss"; }

  void judge(const Evidence& e, Verdict& verdict) const override {
    const Flow& flow = flow_of(e);
    std::map<std::pair<EpochIndex, Excuse>, std::size_t> excused;  // (epoch, why) -> messages
    std::set<std::pair<EpochIndex, MessageIndex>> delivered;
    for (const DeliveryIndex di : e.messages.deliveries.indices()) {
      const auto& d = e.messages.deliveries[di];
      if (d.epoch && flow.deliveries[di].message)
        delivered.emplace(*d.epoch, *flow.deliveries[di].message);
    }
    for (const MessageIndex mi : flow.messages.indices()) {
      const FlowMessage& m = flow.messages[mi];
      if (m.is_will || m.publish.qos == codec::QoS::at_most_once || !m.acked_index) continue;
      if (e.profile.qos2_forwarding == Qos2Forwarding::on_pubrel &&
          m.publish.qos == codec::QoS::exactly_once && !m.released_index) {
        continue;  // never released by the publisher: never the broker's to route
      }
      for (const EpochIndex ei : flow.matching_epochs(mi)) {
        const auto why = judge_one(e, flow, delivered, mi, ei, verdict);
        if (why) ++excused[{ei, *why}];
      }
    }
    for (const auto& [key, count] : excused) {
      const SessionEpoch& epoch = e.sessions.epochs[key.first];
      std::string text = std::to_string(count) + " acknowledged message" + (count == 1 ? "" : "s") +
                         " for " + client_of(epoch) +
                         " not delivered: " + std::string{excuse_text(key.second)};
      if (key.second == Excuse::queue_limit) {
        text += " (max_queued_messages " + std::to_string(e.profile.max_queued_messages) + ", " +
                std::string{to_string(e.profile.queue_drop_policy)} + ")";
      }
      verdict.remarks.push_back({"no-loss", std::move(text)});
    }
  }

 private:
  static TimePoint time_of(const Evidence& e, TraceIndex index) {
    return index < e.seen.end_index ? e.seen.event(index).time : e.seen.end_time;
  }

  static std::vector<Stretch> stretches(const Evidence& e, const SessionEpoch& epoch) {
    std::vector<Stretch> list;
    for (const ConnectionIndex ci : epoch.connections) {
      const ConnectionView& c = e.seen.connections[ci];
      list.push_back({.from = c.packets[*c.connack].index,
                      .to = c.closed_index.value_or(e.seen.end_index),
                      .open_at_end = !c.closed_index});
    }
    std::sort(list.begin(), list.end(),
              [](const Stretch& a, const Stretch& b) { return a.from < b.from; });
    return list;
  }

  // Returns an excuse when the message need not (yet) have reached the
  // epoch; reports a violation when it was lost; nothing when it arrived or
  // was never required.
  static std::optional<Excuse> judge_one(
      const Evidence& e, const Flow& flow,
      const std::set<std::pair<EpochIndex, MessageIndex>>& delivered, MessageIndex mi,
      EpochIndex ei, Verdict& verdict) {
    const FlowMessage& m = flow.messages[mi];
    const SessionEpoch& epoch = e.sessions.epochs[ei];
    if (epoch.start_index > m.routed_from || !epoch.alive_at(m.routed_to)) return std::nullopt;
    std::optional<codec::QoS> granted;
    for (const SubscriptionSpan& span : epoch.subscriptions) {
      if (codec::split_shared_subscription(span.request.topic_filter)) continue;
      if (!span_routes(epoch, span, m) || !span_surely_in_place(span, m)) continue;
      if (!granted || span.granted > *granted) granted = span.granted;
    }
    if (!granted) return std::nullopt;
    const bool v5 = epoch.version == V::v5_0;
    const codec::QoS qos = std::min(m.publish.qos, *granted);
    const std::vector<Stretch> connected = stretches(e, epoch);
    const auto stretch_at = [&](TraceIndex index) -> const Stretch* {
      for (const Stretch& s : connected) {
        if (s.from <= index && index < s.to) return &s;
      }
      return nullptr;
    };
    const Stretch* online = stretch_at(m.routed_to);
    if (qos == codec::QoS::at_most_once) {
      if (online) {
        // Connected: a QoS 0 copy may be lost only with its connection.
        if (time_of(e, online->to) < time_of(e, m.routed_to) + settle) return std::nullopt;
      } else if (!e.profile.queue_qos0_offline) {
        return std::nullopt;
      }
    }
    const SpecRef owned = pick(v5, "MQTT-4.5.0-1", "MQTT-4.5.0-1");
    std::vector<SpecRef> rules{owned};
    verdict.judge(owned);
    if (!online && qos != codec::QoS::at_most_once) {
      // Offline when routed: the session had to queue it.
      rules.push_back(pick(v5, "MQTT-3.1.2-5", "MQTT-3.1.2-23"));
      verdict.judge(rules.back());
    }

    if (delivered.contains({ei, mi})) return std::nullopt;

    // Explanations that hold whatever happened later.
    // The publisher's expiry binds the server whatever the subscriber speaks
    // (5.0 MQTT-3.3.2-5 deletes the copy for "a matching subscriber"): a
    // 3.1.1 session may lose an expired message too.
    if (const auto expiry_s = m.publish.properties.message_expiry_interval) {
      const TimePoint expires =
          time_of(e, m.routed_from) + Duration::from_s(static_cast<std::int64_t>(*expiry_s));
      // From when the session could take it; behind a full in-flight
      // window, from when the queue was seen past it (or the run's end).
      std::optional<TimePoint> back;
      for (const Stretch& s : connected) {
        if (s.to > m.routed_to) {
          const auto out = queue_out_by(e, flow, mi, ei, qos, std::max(s.from, m.routed_to));
          back = out ? time_of(e, *out) : e.seen.end_time;
          break;
        }
      }
      if (!back || *back + settle >= expires) return Excuse::expired;
    }
    if (explained_by_queue_limit(e, flow, m, epoch, connected)) return Excuse::queue_limit;
    if (too_large(e, m, epoch)) return Excuse::too_large;

    // A later message of the same stream arrived while this one never did.
    for (const DeliveryIndex di : flow.deliveries_of_epoch[ei]) {
      const Delivery& d = e.messages.deliveries[di];
      const DeliveryFlow& df = flow.deliveries[di];
      if (!df.message || df.retained_copy || d.index <= m.routed_to) continue;
      const FlowMessage& later = flow.messages[*df.message];
      if (later.is_will || later.publisher != m.publisher ||
          later.publish.topic != m.publish.topic || later.publish.qos != m.publish.qos ||
          later.routed_from <= m.routed_to) {
        continue;
      }
      report(e, verdict, m, epoch, connected, rules, d.index,
             ", though " + describe(later.publish) +
                 ", published after it by the same client, "
                 "reached that session at " +
                 at_index(e, d.index));
      return std::nullopt;
    }

    if (epoch.end_index) {
      for (const Restart& restart : e.seen.restarts) {
        if (restart.state_lost && restart.index == *epoch.end_index) return Excuse::restart_lost;
      }
      return std::nullopt;  // the session ended: clean session or expiry
    }
    const Stretch* last = connected.empty() ? nullptr : &connected.back();
    if (last == nullptr || last->to <= m.routed_to) return Excuse::never_back;
    if (!last->open_at_end) return Excuse::left_again;
    const TimePoint since = std::max(time_of(e, last->from), time_of(e, m.routed_to));
    if (e.seen.end_time < since + settle || busy_at_end(e, flow, ei)) return Excuse::still_serving;
    report(e, verdict, m, epoch, connected, rules, e.seen.end_index.previous(),
           "; the session was connected from " + at(since) + " to the end of the run at " +
               at(e.seen.end_time) + " and the broker sent it nothing more");
    return std::nullopt;
  }

  static void report(const Evidence& e, Verdict& verdict, const FlowMessage& m,
                     const SessionEpoch& epoch, const std::vector<Stretch>& connected,
                     std::vector<SpecRef> rules, TraceIndex last, const std::string& tail) {
    std::size_t reconnects = 0;
    for (const Stretch& s : connected) {
      if (s.from > m.routed_from) ++reconnects;
    }
    const std::string persisted = reconnects == 0 ? ""
                                                  : ", whose session persisted through " +
                                                        std::to_string(reconnects) + " reconnect" +
                                                        (reconnects == 1 ? "" : "s");
    verdict.violations.push_back(
        violation(e, "no-loss", std::move(rules), m.routed_from, last,
                  name_of(m) + " (" + qos_text(m.publish.qos) + ", acked to client \"" +
                      m.publisher + "\" at " + at_index(e, *m.acked_index) +
                      ") was never delivered to " + client_of(epoch) + persisted + tail));
  }

  // The broker was still sending to the epoch near the end: a flight open,
  // or a fresh PUBLISH in the last `settle`.
  static bool busy_at_end(const Evidence& e, const Flow& flow, EpochIndex ei) {
    if (!flow.open_at_end[ei].empty()) return true;
    const auto& mine = flow.deliveries_of_epoch[ei];
    return !mine.empty() &&
           time_of(e, e.messages.deliveries[mine.back()].index) + settle > e.seen.end_time;
  }

  // Whether more copies were routed to the epoch during the offline gap (or
  // connection) in which `m` was routed than the profile's queue holds.
  static bool explained_by_queue_limit(const Evidence& e, const Flow& flow, const FlowMessage& m,
                                       const SessionEpoch& epoch,
                                       const std::vector<Stretch>& connected) {
    const std::uint32_t limit = e.profile.max_queued_messages;
    if (limit == 0) return false;
    TraceIndex from = epoch.start_index;
    TraceIndex to = e.seen.end_index;
    for (const Stretch& s : connected) {
      if (s.to <= m.routed_from) from = std::max(from, s.to);
      if (s.from > m.routed_from) {
        to = s.from;
        break;
      }
      if (s.from <= m.routed_from && m.routed_from < s.to) {
        from = s.from;
        to = s.to;
        break;
      }
    }
    std::size_t routed = 0;
    for (const FlowMessage& other : flow.messages) {
      if (other.routed_from < from || other.routed_from >= to) continue;
      for (const SubscriptionSpan& span : epoch.subscriptions) {
        if (span_routes(epoch, span, other) && span_possibly_in_place(span, other)) {
          ++routed;
          break;
        }
      }
    }
    return routed > limit;
  }

  // 5.0 MQTT-3.1.2-25: a PUBLISH above the client's Maximum Packet Size is
  // dropped as if delivered. The size is bounded from below generously.
  static bool too_large(const Evidence& e, const FlowMessage& m, const SessionEpoch& epoch) {
    if (epoch.version != V::v5_0) return false;
    for (const ConnectionIndex ci : epoch.connections) {
      const codec::Connect* connect = e.seen.connections[ci].connect_packet();
      if (connect == nullptr || !connect->properties.maximum_packet_size) continue;
      const std::size_t size_min = m.publish.topic.size() + m.publish.payload.size();
      if (size_min + 64 >= *connect->properties.maximum_packet_size) return true;
    }
    return false;
  }
};

}  // namespace

std::unique_ptr<Checker> no_loss_checker() { return std::make_unique<NoLoss>(); }

}  // namespace mqttsim::oracle
