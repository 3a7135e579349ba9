// DUP flag: a PUBLISH the broker resends has DUP=1 (3.1.1 MQTT-3.3.1-1,
// 5.0 MQTT-3.3.1-1); a first attempt has DUP=0, whatever the publisher's
// PUBLISH carried (3.1.1 MQTT-3.3.1-3, MQTT-4.3.2-1, MQTT-4.3.3-1; 5.0
// MQTT-3.3.1-3, MQTT-4.3.2-2, MQTT-4.3.3-2); a QoS 0 PUBLISH never has
// DUP=1 (MQTT-3.3.1-2 and MQTT-4.3.1-1 in both versions).
//
// A resend is a PUBLISH of the same message (topic and payload) under a
// packet id still in flight to the same session (message_flow.hpp). The
// versions differ on when a resend may happen: 3.1.1 requires it when a
// session resumes and allows it at other times (§4.4), 5.0 allows it only
// then (MQTT-4.4.0-1: "MUST NOT resend messages at any other time"), so a
// 5.0 resend on the connection of the previous attempt is reported too.
// A PUBLISH that reuses an id in flight for another message is the
// packet-ids checker's.
//
// A first seen attempt with DUP=1 is left unjudged, with a remark, when an
// earlier connection of the session ended while the broker could still be
// writing and the harness could not see all it wrote
// (trace::Mark::output_may_be_unseen: mqttsim check resets or closes a real
// broker's socket, and bytes in the broker's own send queue die there), and
// the message had reached the broker while it could still be writing
// there: it may have been attempted there. That is before the end, and for
// an end the broker learns of only from the socket (a reset, or a FIN
// without a DISCONNECT) also a while after it: a busy broker routes what it
// has already read before it reads the reset (found by mqttsim explore
// against mqttsim serve: a burst that arrived 7 µs after the reset was
// written to the dead socket). That while ends when the session's next
// CONNACK shows the broker has moved on, and at the latest
// broker_notice_grace after the end. A message that reached the broker only
// later cannot have been attempted there, and is judged.

#include "oracle/checkers.hpp"
#include "oracle/message_flow.hpp"

namespace mqttsim::oracle {

namespace {

constexpr SpecRef v311_resend{ProtocolVersion::v3_1_1, "MQTT-3.3.1-1"};
constexpr SpecRef v311_qos0{ProtocolVersion::v3_1_1, "MQTT-3.3.1-2"};
constexpr SpecRef v311_not_copied{ProtocolVersion::v3_1_1, "MQTT-3.3.1-3"};
constexpr SpecRef v311_qos0_sender{ProtocolVersion::v3_1_1, "MQTT-4.3.1-1"};
constexpr SpecRef v311_qos1_sender{ProtocolVersion::v3_1_1, "MQTT-4.3.2-1"};
constexpr SpecRef v311_qos2_sender{ProtocolVersion::v3_1_1, "MQTT-4.3.3-1"};
constexpr SpecRef v5_resend{ProtocolVersion::v5_0, "MQTT-3.3.1-1"};
constexpr SpecRef v5_qos0{ProtocolVersion::v5_0, "MQTT-3.3.1-2"};
constexpr SpecRef v5_not_copied{ProtocolVersion::v5_0, "MQTT-3.3.1-3"};
constexpr SpecRef v5_qos0_sender{ProtocolVersion::v5_0, "MQTT-4.3.1-1"};
constexpr SpecRef v5_qos1_sender{ProtocolVersion::v5_0, "MQTT-4.3.2-2"};
constexpr SpecRef v5_qos2_sender{ProtocolVersion::v5_0, "MQTT-4.3.3-2"};
constexpr SpecRef v5_resend_only_on_resume{ProtocolVersion::v5_0, "MQTT-4.4.0-1"};

// How long after the harness reset a broker's socket the broker may still
// write to it (trace times are real time under mqttsim check): a broker
// learns of a reset when it next reads or writes that socket, which on
// loopback is within microseconds of its turn; a second covers a loaded one.
constexpr Duration broker_notice_grace = Duration::from_s(1);

class DupFlag final : public Checker {
 public:
  std::string_view name() const override { return "dup-flag"; }

  void judge(const Evidence& e, Verdict& verdict) const override {
    const Flow& flow = flow_of(e);
    for (const DeliveryIndex d : e.messages.deliveries.indices()) {
      const Delivery& delivery = e.messages.deliveries[d];
      if (!delivery.epoch) continue;
      judge_one(e, flow, d, e.sessions.epochs[*delivery.epoch], verdict);
    }
  }

 private:
  // An earlier connection of the session whose end may hide an attempt of
  // `message` (nullopt: unknown, so any such end counts): it ended with the
  // broker's output possibly unseen, after the message reached the broker.
  static std::optional<ConnectionIndex> hidden_attempt_on(const Evidence& e, const Flow& flow,
                                                          const SessionEpoch& epoch,
                                                          ConnectionIndex connection,
                                                          std::optional<MessageIndex> message) {
    for (std::size_t i = 0; i < epoch.connections.size(); ++i) {
      const ConnectionIndex c = epoch.connections[i];
      if (c == connection) return std::nullopt;
      const ConnectionView& earlier = e.seen.connections[c];
      if (!earlier.output_unseen_at_close || !earlier.closed_index) continue;
      const ConnectionIndex next = i + 1 < epoch.connections.size() ? epoch.connections[i + 1] : c;
      if (!message || flow.messages[*message].routed_from < writable_until(e, earlier, next)) {
        return c;
      }
    }
    return std::nullopt;
  }

  // The trace index until which the broker may still have written to
  // `earlier`, whose end hid its output; `next` is the session's next
  // connection.
  static TraceIndex writable_until(const Evidence& e, const ConnectionView& earlier,
                                   ConnectionIndex next) {
    const TraceIndex closed = *earlier.closed_index;
    // A DISCONNECT the broker read ended it in the broker's own order.
    if (earlier.client_disconnect) return closed;
    TraceIndex until = closed;
    const TimePoint grace_end = e.seen.event(closed).time + broker_notice_grace;
    while (until.next() < e.seen.end_index && e.seen.event(until.next()).time <= grace_end) ++until;
    const ConnectionView& following = e.seen.connections[next];
    if (following.connack) until = std::min(until, following.packets[*following.connack].index);
    return until;
  }

  static void judge_one(const Evidence& e, const Flow& flow, DeliveryIndex d,
                        const SessionEpoch& epoch, Verdict& verdict) {
    const Delivery& delivery = e.messages.deliveries[d];
    const DeliveryFlow& df = flow.deliveries[d];
    const codec::Publish& publish = delivery.publish();
    const bool v5 = epoch.version == ProtocolVersion::v5_0;
    const std::string what = "message " + describe(publish) + " (" + qos_text(publish.qos) +
                             (publish.qos == codec::QoS::at_most_once
                                  ? ""
                                  : ", packet id " + std::to_string(publish.packet_id)) +
                             ") to " + client_of(epoch) + " at " + at_index(e, delivery.index);
    const auto report = [&](std::vector<SpecRef> rules, TraceIndex first, std::string message) {
      verdict.violations.push_back(
          violation(e, "dup-flag", std::move(rules), first, delivery.index, std::move(message)));
    };
    switch (df.attempt) {
      case Attempt::at_most_once: {
        const SpecRef rule = v5 ? v5_qos0 : v311_qos0;
        const SpecRef sender = v5 ? v5_qos0_sender : v311_qos0_sender;
        verdict.judge(rule);
        verdict.judge(sender);
        if (publish.dup) {
          report({rule, sender}, delivery.index, "the broker sent " + what + " with DUP=1");
        }
        return;
      }
      case Attempt::first: {
        const bool qos1 = publish.qos == codec::QoS::at_least_once;
        const SpecRef copied = v5 ? v5_not_copied : v311_not_copied;
        const SpecRef sender = v5 ? (qos1 ? v5_qos1_sender : v5_qos2_sender)
                                  : (qos1 ? v311_qos1_sender : v311_qos2_sender);
        if (publish.dup) {
          if (const auto hidden =
                  hidden_attempt_on(e, flow, epoch, delivery.connection, df.message)) {
            verdict.remarks.push_back(
                {"dup-flag",
                 "not judged: " + what +
                     " had DUP=1 as a first seen attempt, but the message had reached "
                     "the broker while it could still write to the session's connection "
                     "that ended at " +
                     at_index(e, *e.seen.connections[*hidden].closed_index) +
                     " with what the broker wrote possibly unseen: it may be a resend"});
            return;
          }
        }
        verdict.judge(copied);
        verdict.judge(sender);
        if (publish.dup) {
          report({copied, sender}, delivery.index,
                 "the broker's first attempt of " + what +
                     " had DUP=1; only a retransmission of a PUBLISH already sent may set it");
        }
        return;
      }
      case Attempt::resend:
      case Attempt::after_release: {
        const SpecRef rule = v5 ? v5_resend : v311_resend;
        verdict.judge(rule);
        const TraceIndex earlier = e.messages.deliveries[*df.opened_by].index;
        if (!publish.dup) {
          report({rule}, earlier,
                 "the broker resent " + what +
                     " with DUP=0; it had first sent it under that "
                     "packet id at " +
                     at_index(e, earlier) + " and it was still unacknowledged");
        }
        if (v5) {
          verdict.judge(v5_resend_only_on_resume);
          if (df.same_connection) {
            report({v5_resend_only_on_resume}, earlier,
                   "the broker resent " + what + " on the same connection as its attempt at " +
                       at_index(e, earlier) +
                       "; 5.0 resends unacknowledged messages only when a session resumes");
          }
        }
        return;
      }
      case Attempt::reuse:
      case Attempt::no_session:
        return;
    }
  }
};

}  // namespace

std::unique_ptr<Checker> dup_flag_checker() { return std::make_unique<DupFlag>(); }

}  // namespace mqttsim::oracle
