#pragma once
// What the message-flow checkers (ordering, no-loss, duplicates, qos,
// dup-flag, packet-ids) share: which message each delivery carries, when
// the broker could have routed each message, and the state of each QoS 1/2
// flight the broker sent to a session, replayed from the trace.
//
// Message identity. messages.hpp matches deliveries by topic and payload
// when that pair names one publication. A publisher that resends a QoS 1/2
// PUBLISH (DUP=1, same packet id) after the broker acknowledged it, because
// the acknowledgement was lost on the way, makes a second publication with
// the same pair; here such a chain counts as one message received several
// times (QoS 1: each receipt is a new message to the broker and may be
// routed again, 3.1.1 MQTT-4.3.2-2 / 5.0 MQTT-4.3.2-5; QoS 2: routed once,
// unless the publisher's PUBREL came in between, 3.1.1 MQTT-4.3.3-2 / 5.0
// MQTT-4.3.3-10). Any other shared pair stays unmatched.
//
// Flights. Per session epoch, in trace order: a QoS 1/2 PUBLISH under a
// packet id not in flight opens a flight; PUBACK (QoS 1), a PUBREC with an
// error code (5.0) or PUBCOMP (QoS 2) closes it; a PUBREC moves a QoS 2
// flight to its release stage. A later PUBLISH under an id in flight is a
// resend of the same message, a resend after the PUBREL stage, or a reuse
// of the id for another message. A client acknowledgement recorded on a
// connection after the CONNECT that took its session over may never have
// been read (a race seen from outside): it leaves the flight open to a
// resend and free for a new message.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "oracle/checker.hpp"

namespace mqttsim::oracle {

// How long a broker may take to send what is deliverable before the run's
// end makes it "pending" rather than lost.
inline constexpr Duration settle = Duration::from_s(1);

struct FlowMessage {
  PublicationIndex head;
  codec::Publish publish;  // the head's first PUBLISH (or the will)
  std::string publisher;
  bool is_will = false;
  std::vector<TraceIndex> receipts;  // every PUBLISH received for it
  // The stretch in which the broker may have routed it: from its first
  // receipt to its last receipt (QoS 0/1), to the publisher's PUBREL (QoS 2
  // forwarded on PUBREL), or to the end of the trace (a will). Seen from
  // outside, it runs on to the broker's answer that proves the routing done
  // (answers.hpp).
  TraceIndex routed_from;
  TraceIndex routed_to;
  // How many times the broker may route it: QoS 1 every receipt, else once.
  std::size_t routings = 1;
  // The acknowledgement to the publisher (PUBACK, or PUBREC below 0x80).
  std::optional<TraceIndex> acked_index;
  // QoS 2 under the on_pubrel profile: the publisher's PUBREL, if it came.
  std::optional<TraceIndex> released_index;
};

enum class Attempt : std::uint8_t {
  at_most_once,   // a QoS 0 PUBLISH
  first,          // a QoS 1/2 PUBLISH under an id not in flight to the session
  resend,         // the same message under an id still awaiting PUBACK / PUBREC
  after_release,  // the same message under an id whose PUBREC had come
  reuse,          // a different message under an id still in flight
  no_session,     // sent on a connection without an accepted session
};

struct DeliveryFlow {
  std::optional<MessageIndex> message;
  // Sent with RETAIN=1 because a matching subscription was just made, not
  // forwarded live.
  bool retained_copy = false;
  Attempt attempt = Attempt::at_most_once;
  // For resend, after_release and reuse: the delivery that opened the flight.
  std::optional<DeliveryIndex> opened_by;
  bool same_connection = false;  // resent on the connection of the previous attempt
};

// A broker PUBREL for its own QoS 2 PUBLISH.
struct Release {
  TraceIndex index;
  EpochIndex epoch;
  ConnectionIndex connection;
  std::uint16_t packet_id = 0;
  // The client's PUBREC for the id that it answers, if one had come since
  // the broker last sent a PUBLISH under the id.
  std::optional<TraceIndex> pubrec_index;
  bool first = true;  // not a resend of a PUBREL already sent
};

struct Flow {
  IndexedVector<MessageIndex, FlowMessage> messages;
  IndexedVector<PublicationIndex, std::optional<MessageIndex>> message_of_publication;
  IndexedVector<DeliveryIndex, DeliveryFlow> deliveries;  // parallel to Messages::deliveries
  std::vector<Release> releases;
  // Deliveries whose topic and payload match no publication at all.
  std::vector<DeliveryIndex> unpublished;
  // Per distinct topic: the epochs (ascending) with a subscription whose
  // filter matches it at some time (span_matches), with or without No
  // Local; and per message, its topic's entry. Every other epoch has
  // nothing to do with the message. One list per topic, not per message:
  // a copy per message would grow with messages times epochs. Topics are
  // numbered in order of first appearance.
  std::vector<std::vector<EpochIndex>> epochs_of_topic;
  IndexedVector<MessageIndex, std::size_t> topic_of_message;
  const std::vector<EpochIndex>& matching_epochs(MessageIndex message) const {
    return epochs_of_topic[topic_of_message[message]];
  }
  // Per epoch: its deliveries, in order.
  IndexedVector<EpochIndex, std::vector<DeliveryIndex>> deliveries_of_epoch;
  // Per epoch: the flights still open when the trace ends (the delivery of
  // the PUBLISH that opened each). One whose last acknowledgement may have
  // gone unread is over if the broker did not send it again on a later
  // connection.
  IndexedVector<EpochIndex, std::vector<DeliveryIndex>> open_at_end;
  // Per epoch: how many flights were open from each trace index on at which
  // that number changed, in order.
  IndexedVector<EpochIndex, std::vector<std::pair<TraceIndex, std::size_t>>> in_flight;
};

// Derives the flow from the evidence's observation, sessions, messages
// and profile (its `flow` is not read).
Flow message_flow(const Evidence& evidence);

// The flow judge() derived for this evidence.
const Flow& flow_of(const Evidence& evidence);

// The filter `span` matches topics with: "$share/g/f" as f.
std::string_view plain_filter(const SubscriptionSpan& span);
// Whether `span` matches `topic` ("$share/g/f" matches as f).
bool span_matches(const SubscriptionSpan& span, std::string_view topic);
// Whether `span` of `epoch` routes `message` at all: it matches, and 5.0
// No Local does not keep the publisher's own messages from it (MQTT-3.8.3-3).
bool span_routes(const SessionEpoch& epoch, const SubscriptionSpan& span,
                 const FlowMessage& message);
// May have been in place at some moment of the message's routing stretch.
bool span_possibly_in_place(const SubscriptionSpan& span, const FlowMessage& message);
// Surely in place over the whole routing stretch (SUBACK before, no
// UNSUBSCRIBE nor replacement until after).
bool span_surely_in_place(const SubscriptionSpan& span, const FlowMessage& message);

// The trace index by which the copy at `qos` (1 or 2) of `message` owed to
// `epoch` went out, if it went at all, given that the session could take it
// from `ready` on (its routing, or the session's next connection). That is
// `ready` itself, unless the broker's in-flight window toward the epoch was
// full at some moment from the routing to a `settle` after `ready` (as many
// flights open as the profile's max_inflight, or a 5.0 client's Receive
// Maximum, allows: 5.0 MQTT-3.3.4-9; a backlog sent on a reconnect fills it
// at once). Then the copy waited in the session's queue until at the latest
// the first copy at `qos` of a later message of the same publisher and topic
// (which must follow it: 3.1.1 MQTT-4.6.0-6, 5.0 MQTT-4.6.0-5); nullopt when
// none went: it may still have been waiting when the epoch or the trace
// ended.
std::optional<TraceIndex> queue_out_by(const Evidence& evidence, const Flow& flow,
                                       MessageIndex message, EpochIndex epoch, codec::QoS qos,
                                       TraceIndex ready);

// Whether the broker's in-flight window toward `epoch` (see queue_out_by)
// was full throughout from trace index `from` to `to`: a QoS 1/2 copy queued
// for the session in that time could not go out before `to`.
bool window_full_throughout(const Evidence& evidence, const Flow& flow, EpochIndex epoch,
                            TraceIndex from, TraceIndex to);

// "\"t/a\" \"m7\"" of a message.
std::string name_of(const FlowMessage& message);
// "client \"sub-1\"".
std::string client_of(const SessionEpoch& epoch);
// The time of a trace event, "1.204s".
std::string at_index(const Evidence& evidence, TraceIndex index);
// "QoS 1".
std::string qos_text(codec::QoS qos);

}  // namespace mqttsim::oracle
