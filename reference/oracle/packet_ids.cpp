// Packet identifiers and acknowledgements.
//
// - The broker never gives a new PUBLISH an id still in flight to the
//   session: an id is free only after the final acknowledgement (3.1.1
//   MQTT-2.3.1-4 with MQTT-4.3.2-1 / MQTT-4.3.3-1; 5.0 MQTT-2.2.1-4 with
//   MQTT-4.3.2-1 / MQTT-4.3.3-1).
// - Its PUBREL for a QoS 2 PUBLISH it sent answers the client's PUBREC
//   (3.1.1 MQTT-4.3.3-1; 5.0 MQTT-4.3.3-3, -4), and after it the PUBLISH is
//   never sent again (3.1.1 MQTT-4.3.3-1; 5.0 MQTT-4.3.3-6). Its PUBRELs go
//   in the order the PUBRECs came (3.1.1 MQTT-4.6.0-4, which MQTT-4.6.0-6
//   applies to a server delivering to subscribers; 5.0 MQTT-4.6.0-4).
// - Its PUBACK, PUBREC and PUBCOMP echo the id of a PUBLISH or PUBREL of
//   the client still waiting for that answer (3.1.1 MQTT-2.3.1-6,
//   MQTT-4.3.2-2, MQTT-4.3.3-2; 5.0 MQTT-2.2.1-5, MQTT-4.3.2-4,
//   MQTT-4.3.3-8, MQTT-4.3.3-11), and PUBACKs / PUBRECs go in the order
//   the PUBLISHes came (MQTT-4.6.0-2 / -3 of both versions: §4.6 words them
//   for the client as receiver; the broker in the receiver's role is held
//   to them as the "acknowledgements go out in order").
// - SUBACK and UNSUBACK carry the id of the SUBSCRIBE / UNSUBSCRIBE they
//   answer (3.1.1 MQTT-2.3.1-7, MQTT-3.8.4-2, MQTT-3.10.4-4; 5.0
//   MQTT-2.2.1-6, MQTT-3.8.4-2, MQTT-3.10.4-5).
// - Every QoS 1/2 PUBLISH, PUBREL, SUBSCRIBE and UNSUBSCRIBE of the client
//   gets its answer (MQTT-3.3.4-1 of both, 3.1.1 MQTT-4.3.2-2, MQTT-4.3.3-2,
//   MQTT-3.8.4-1, MQTT-3.10.4-4, -5; 5.0 MQTT-4.3.2-4, MQTT-4.3.3-8, -11,
//   MQTT-3.8.4-1, MQTT-3.10.4-4), judged where the connection stayed open
//   a second after the request.

#include <algorithm>

#include "oracle/checkers.hpp"
#include "oracle/message_flow.hpp"

namespace mqttsim::oracle {

namespace {

using V = ProtocolVersion;

// An answer may take this long; a request the connection outlived by
// less is not judged (the run may have ended, or the link died, first).
constexpr Duration answer_within = Duration::from_s(1);

class PacketIds final : public Checker {
 public:
  std::string_view name() const override { return "packet-ids"; }

  void judge(const Evidence& e, Verdict& verdict) const override {
    const Flow& flow = flow_of(e);
    judge_outbound_ids(e, flow, verdict);
    judge_releases(e, flow, verdict);
    for (const ConnectionIndex ci : e.seen.connections.indices()) {
      if (!e.sessions.epoch_of[ci]) continue;
      judge_answers(e, ci, verdict);
    }
  }

 private:
  static void report(const Evidence& e, Verdict& verdict, std::vector<SpecRef> rules,
                     TraceIndex first, TraceIndex last, std::string message) {
    verdict.violations.push_back(
        violation(e, "packet-ids", std::move(rules), first, last, std::move(message)));
  }

  // PUBLISH ids the broker chose: reuse while in flight, and a PUBLISH sent
  // again after the client's PUBREC.
  static void judge_outbound_ids(const Evidence& e, const Flow& flow, Verdict& verdict) {
    for (const DeliveryIndex d : e.messages.deliveries.indices()) {
      const Delivery& delivery = e.messages.deliveries[d];
      const DeliveryFlow& df = flow.deliveries[d];
      if (!delivery.epoch) continue;
      const SessionEpoch& epoch = e.sessions.epochs[*delivery.epoch];
      const bool v5 = epoch.version == V::v5_0;
      const codec::Publish& publish = delivery.publish();
      const bool qos1 = publish.qos == codec::QoS::at_least_once;
      const SpecRef unused = pick(v5, "MQTT-2.3.1-4", "MQTT-2.2.1-4");
      const SpecRef sender = qos1 ? pick(v5, "MQTT-4.3.2-1", "MQTT-4.3.2-1")
                                  : pick(v5, "MQTT-4.3.3-1", "MQTT-4.3.3-1");
      if (df.attempt == Attempt::first) {
        verdict.judge(unused);
        verdict.judge(sender);
        continue;
      }
      if (df.attempt == Attempt::reuse) {
        verdict.judge(unused);
        verdict.judge(sender);
        const Delivery& earlier = e.messages.deliveries[*df.opened_by];
        report(e, verdict, {unused, sender}, earlier.index, delivery.index,
               "the broker sent message " + describe(publish) + " to " + client_of(epoch) + " at " +
                   at_index(e, delivery.index) + " under packet id " +
                   std::to_string(publish.packet_id) + ", still in flight for message " +
                   describe(earlier.publish()) + " (sent at " + at_index(e, earlier.index) +
                   " and not yet fully acknowledged)");
        continue;
      }
      if (df.attempt == Attempt::after_release) {
        const SpecRef rule = pick(v5, "MQTT-4.3.3-1", "MQTT-4.3.3-6");
        verdict.judge(rule);
        const Delivery& earlier = e.messages.deliveries[*df.opened_by];
        report(e, verdict, {rule}, earlier.index, delivery.index,
               "the broker sent message " + describe(publish) + " (QoS 2, packet id " +
                   std::to_string(publish.packet_id) + ") to " + client_of(epoch) + " again at " +
                   at_index(e, delivery.index) + ", after the client's PUBREC had acknowledged it");
      }
    }
  }

  static void judge_releases(const Evidence& e, const Flow& flow, Verdict& verdict) {
    IndexedVector<EpochIndex, std::vector<const Release*>> first_releases(e.sessions.epochs.size());
    for (const Release& r : flow.releases) {
      const SessionEpoch& epoch = e.sessions.epochs[r.epoch];
      const bool v5 = epoch.version == V::v5_0;
      const SpecRef follows = pick(v5, "MQTT-4.3.3-1", "MQTT-4.3.3-3");
      const SpecRef answers = pick(v5, "MQTT-4.3.3-1", "MQTT-4.3.3-4");
      const SpecRef echo = pick(v5, "MQTT-2.3.1-6", "MQTT-2.2.1-5");
      verdict.judge(follows);
      verdict.judge(answers);
      verdict.judge(echo);
      // After a PUBREL, a resend of the PUBLISH would be reported above.
      verdict.judge(pick(v5, "MQTT-4.3.3-1", "MQTT-4.3.3-6"));
      if (!r.pubrec_index) {
        std::vector<SpecRef> rules{follows};
        if (answers != follows) rules.push_back(answers);
        rules.push_back(echo);
        report(e, verdict, std::move(rules), r.index, r.index,
               "the broker sent PUBREL for packet id " + std::to_string(r.packet_id) + " to " +
                   client_of(epoch) + " at " + at_index(e, r.index) +
                   " without a PUBREC from the client for that id");
        continue;
      }
      if (r.first) first_releases[r.epoch].push_back(&r);
    }
    for (const EpochIndex epoch : first_releases.indices()) {
      const auto& list = first_releases[epoch];
      if (list.size() < 2) continue;
      const bool v5 = e.sessions.epochs[epoch].version == V::v5_0;
      std::vector<SpecRef> rules{pick(v5, "MQTT-4.6.0-4", "MQTT-4.6.0-4")};
      if (!v5) rules.push_back({V::v3_1_1, "MQTT-4.6.0-6"});
      for (const SpecRef& rule : rules) verdict.judge(rule);
      for (std::size_t k = 1; k < list.size(); ++k) {
        if (*list[k]->pubrec_index > *list[k - 1]->pubrec_index) continue;
        report(e, verdict, rules, *list[k]->pubrec_index, list[k - 1]->index,
               "the broker sent PUBREL " + std::to_string(list[k - 1]->packet_id) +
                   " (its PUBREC came at " + at_index(e, *list[k - 1]->pubrec_index) +
                   ") before PUBREL " + std::to_string(list[k]->packet_id) + " (PUBREC at " +
                   at_index(e, *list[k]->pubrec_index) + ") to " +
                   client_of(e.sessions.epochs[epoch]) + ": PUBRELs go in PUBREC order");
      }
    }
  }

  struct Waiting {
    std::uint16_t packet_id;
    TraceIndex index;
    TimePoint time;
  };

  // The broker's answers on one connection to the client's PUBLISH, PUBREL,
  // SUBSCRIBE and UNSUBSCRIBE packets.
  static void judge_answers(const Evidence& e, ConnectionIndex ci, Verdict& verdict) {
    const ConnectionView& c = e.seen.connections[ci];
    const bool v5 = c.version == V::v5_0;
    const std::string who = "client \"" + c.client_id() + "\"";
    std::vector<Waiting> qos1;
    std::vector<Waiting> qos2;
    std::vector<Waiting> releases;
    std::vector<Waiting> subscribes;
    std::vector<Waiting> unsubscribes;
    const auto take = [](std::vector<Waiting>& list,
                         std::uint16_t id) -> std::optional<std::size_t> {
      const auto found = std::find_if(list.begin(), list.end(),
                                      [id](const Waiting& w) { return w.packet_id == id; });
      if (found == list.end()) return std::nullopt;
      const auto position = static_cast<std::size_t>(found - list.begin());
      return position;
    };
    // An answer `kind` with `id`: echoes a waiting request, in order.
    const auto answer = [&](std::vector<Waiting>& list, const SeenPacket& p, std::uint16_t id,
                            std::string_view kind, std::string_view request,
                            std::vector<SpecRef> echo_rules, std::optional<SpecRef> order_rule) {
      for (const SpecRef& rule : echo_rules) verdict.judge(rule);
      const auto position = take(list, id);
      if (position) {
        for (const SpecRef& rule : must_answer(v5, request)) verdict.judge(rule);
      }
      if (!position) {
        report(e, verdict, std::move(echo_rules), p.index, p.index,
               "the broker sent " + std::string{kind} + " with packet id " + std::to_string(id) +
                   " to " + who + " at " + at(p.time) + ", but no " + std::string{request} +
                   " with that id was waiting for an answer");
        return;
      }
      if (order_rule && list.size() >= 2) {
        verdict.judge(*order_rule);
        if (*position > 0) {
          const Waiting& skipped = list.front();
          report(e, verdict, {*order_rule}, skipped.index, p.index,
                 "the broker answered " + who + "'s " + std::string{request} + " " +
                     std::to_string(id) + " with " + std::string{kind} + " at " + at(p.time) +
                     " before its " + std::string{request} + " " +
                     std::to_string(skipped.packet_id) + ", received earlier at " +
                     at_index(e, skipped.index));
        }
      }
      list.erase(list.begin() + static_cast<std::ptrdiff_t>(*position));
    };
    for (const SeenPacket& p : c.packets) {
      if (p.from_client()) {
        if (const auto* publish = std::get_if<codec::Publish>(&p.packet)) {
          if (publish->qos == codec::QoS::at_least_once)
            qos1.push_back({publish->packet_id, p.index, p.time});
          if (publish->qos == codec::QoS::exactly_once)
            qos2.push_back({publish->packet_id, p.index, p.time});
        } else if (const auto* rel = std::get_if<codec::Pubrel>(&p.packet)) {
          releases.push_back({rel->packet_id, p.index, p.time});
        } else if (const auto* sub = std::get_if<codec::Subscribe>(&p.packet)) {
          subscribes.push_back({sub->packet_id, p.index, p.time});
        } else if (const auto* unsub = std::get_if<codec::Unsubscribe>(&p.packet)) {
          unsubscribes.push_back({unsub->packet_id, p.index, p.time});
        }
        continue;
      }
      if (const auto* ack = std::get_if<codec::Puback>(&p.packet)) {
        answer(qos1, p, ack->packet_id, "PUBACK", "QoS 1 PUBLISH",
               {pick(v5, "MQTT-2.3.1-6", "MQTT-2.2.1-5"), pick(v5, "MQTT-4.3.2-2", "MQTT-4.3.2-4")},
               pick(v5, "MQTT-4.6.0-2", "MQTT-4.6.0-2"));
      } else if (const auto* rec = std::get_if<codec::Pubrec>(&p.packet)) {
        answer(qos2, p, rec->packet_id, "PUBREC", "QoS 2 PUBLISH",
               {pick(v5, "MQTT-2.3.1-6", "MQTT-2.2.1-5"), pick(v5, "MQTT-4.3.3-2", "MQTT-4.3.3-8")},
               pick(v5, "MQTT-4.6.0-3", "MQTT-4.6.0-3"));
      } else if (const auto* comp = std::get_if<codec::Pubcomp>(&p.packet)) {
        std::vector<SpecRef> rules{pick(v5, "MQTT-4.3.3-2", "MQTT-4.3.3-11")};
        if (v5) rules.push_back({V::v5_0, "MQTT-2.2.1-5"});
        answer(releases, p, comp->packet_id, "PUBCOMP", "PUBREL", std::move(rules), std::nullopt);
      } else if (const auto* suback = std::get_if<codec::Suback>(&p.packet)) {
        std::vector<SpecRef> rules{pick(v5, "MQTT-2.3.1-7", "MQTT-2.2.1-6"),
                                   pick(v5, "MQTT-3.8.4-2", "MQTT-3.8.4-2")};
        answer(subscribes, p, suback->packet_id, "SUBACK", "SUBSCRIBE", std::move(rules),
               std::nullopt);
      } else if (const auto* unsuback = std::get_if<codec::Unsuback>(&p.packet)) {
        std::vector<SpecRef> rules{pick(v5, "MQTT-2.3.1-7", "MQTT-2.2.1-6"),
                                   pick(v5, "MQTT-3.10.4-4", "MQTT-3.10.4-5")};
        answer(unsubscribes, p, unsuback->packet_id, "UNSUBACK", "UNSUBSCRIBE", std::move(rules),
               std::nullopt);
      }
    }
    // What the connection left unanswered although it stayed open a while.
    const TimePoint end = c.closed_at.value_or(e.seen.end_time);
    const std::pair<std::vector<Waiting>*, std::string_view> pending[] = {
        {&qos1, "QoS 1 PUBLISH"},
        {&qos2, "QoS 2 PUBLISH"},
        {&releases, "PUBREL"},
        {&subscribes, "SUBSCRIBE"},
        {&unsubscribes, "UNSUBSCRIBE"}};
    for (const auto& [list, request] : pending) {
      for (const Waiting& w : *list) {
        if (end < w.time + answer_within) continue;
        const std::vector<SpecRef> rules = must_answer(v5, request);
        for (const SpecRef& rule : rules) verdict.judge(rule);
        report(e, verdict, rules, w.index, w.index,
               "the broker never answered " + who + "'s " + std::string{request} +
                   " with packet id " + std::to_string(w.packet_id) + " (received at " +
                   at(w.time) + "), though the connection stayed open until " + at(end));
      }
    }
  }

  // The statements that require an answer to `request`.
  static std::vector<SpecRef> must_answer(bool v5, std::string_view request) {
    if (request == "QoS 1 PUBLISH") {
      return {pick(v5, "MQTT-3.3.4-1", "MQTT-3.3.4-1"), pick(v5, "MQTT-4.3.2-2", "MQTT-4.3.2-4")};
    }
    if (request == "QoS 2 PUBLISH") {
      return {pick(v5, "MQTT-3.3.4-1", "MQTT-3.3.4-1"), pick(v5, "MQTT-4.3.3-2", "MQTT-4.3.3-8")};
    }
    if (request == "PUBREL") return {pick(v5, "MQTT-4.3.3-2", "MQTT-4.3.3-11")};
    if (request == "SUBSCRIBE") return {pick(v5, "MQTT-3.8.4-1", "MQTT-3.8.4-1")};
    if (v5) return {{V::v5_0, "MQTT-3.10.4-4"}};
    return {{V::v3_1_1, "MQTT-3.10.4-4"}, {V::v3_1_1, "MQTT-3.10.4-5"}};
  }
};

}  // namespace

std::unique_ptr<Checker> packet_ids_checker() { return std::make_unique<PacketIds>(); }

}  // namespace mqttsim::oracle
