// SUBACK and UNSUBACK: what the broker answers to SUBSCRIBE and UNSUBSCRIBE,
// and whether it did what it answered.
//
// - A SUBACK holds one code per filter of the SUBSCRIBE (3.1.1 MQTT-3.8.4-5;
//   5.0 MQTT-3.8.4-6, MQTT-3.9.3-2), each a permitted value (5.0
//   MQTT-3.8.4-7, MQTT-3.9.3-2: a Subscribe Reason Code of §3.9.3; a 3.1.1
//   code other than 0x00-0x02 and 0x80 does not decode and is the wire
//   checker's, 3.1.1 MQTT-3.9.3-2), and a granted QoS never above the
//   QoS the filter asked for (3.1.1 MQTT-3.8.4-5, 5.0 MQTT-3.8.4-7: the
//   maximum QoS granted, which "might" be lower than requested). The codes
//   go in the filters' order (MQTT-3.9.3-1 of both): with several filters,
//   a code that does not fit its own filter (a QoS above that filter's
//   request; 5.0 0xA2 "wildcards not supported" on a filter without one,
//   0x9E "shared subscriptions not supported" on a plain filter) is a code
//   out of place.
// - A 3.1.1 broker whose profile has no wildcard subscriptions refuses every
//   filter with a wildcard (MQTT-3.8.3-2).
// - A SUBSCRIBE with several filters works like one SUBSCRIBE per filter
//   (3.1.1 MQTT-3.8.4-4, 5.0 MQTT-3.8.4-5): every filter granted is in
//   place, so a QoS 1 message the broker acknowledged afterwards whose
//   topic matches it reaches the subscriber while it stays connected.
// - An UNSUBSCRIBE with several filters works like one UNSUBSCRIBE per
//   filter (MQTT-3.10.4-6 of both): no message the broker received after
//   the UNSUBACK reaches the subscriber through any of them.
// - 5.0 UNSUBACK holds one code per filter from the Unsubscribe Reason Code
//   table (MQTT-3.11.3-2), in the filters' order (MQTT-3.11.3-1); a 0x11
//   ("no subscription existed") for a filter the session surely held is
//   out of place (several filters) or a filter not matched exactly
//   (MQTT-3.10.4-1, one filter).
// - A QoS 2 delivery the broker had begun when the subscription was
//   removed is completed (MQTT-3.10.4-3 of both): the client's PUBREC that
//   arrives after the UNSUBSCRIBE is answered with PUBREL.
//
// A message only counts as due (the multi-filter SUBSCRIBE rule) where
// nothing else could excuse its absence: it was acknowledged to its
// publisher, carries no Message Expiry, is not the subscriber's own under
// No Local, the profile sets no queue limit, the subscriber set no Maximum
// Packet Size or Receive Maximum, and its connection stayed open a second
// after the message came in.

#include <algorithm>
#include <map>
#include <set>

#include "codec/topic.hpp"
#include "oracle/checkers.hpp"

namespace mqttsim::oracle {

namespace {

using V = ProtocolVersion;

constexpr Duration settle = Duration::from_s(1);

bool has_wildcard(std::string_view filter) {
  return filter.find_first_of("+#") != std::string_view::npos;
}

bool permitted_suback_code(bool v5, std::uint8_t code) {
  static const std::set<std::uint8_t> v311{0x00, 0x01, 0x02, 0x80};
  static const std::set<std::uint8_t> v5_codes{0x00, 0x01, 0x02, 0x80, 0x83, 0x87,
                                               0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2};
  return (v5 ? v5_codes : v311).count(code) > 0;
}

bool permitted_unsuback_code(std::uint8_t code) {
  static const std::set<std::uint8_t> codes{0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91};
  return codes.count(code) > 0;
}

std::string hex(std::uint8_t code) {
  static constexpr char digits[] = "0123456789ABCDEF";
  return std::string{"0x"} + digits[code >> 4] + digits[code & 0x0F];
}

std::string filters_of(const codec::Subscribe& s) {
  std::string text;
  for (const codec::Subscription& sub : s.subscriptions) {
    text += (text.empty() ? "" : ", ") + sub.topic_filter + " (QoS " +
            std::to_string(static_cast<int>(sub.max_qos)) + ")";
  }
  return text;
}

// The connection of `epoch` open at trace index `index`, if any.
const ConnectionView* open_at(const Evidence& e, const SessionEpoch& epoch, TraceIndex index) {
  for (const ConnectionIndex i : epoch.connections) {
    const ConnectionView& c = e.seen.connections[i];
    if (c.packets[*c.connack].index <= index && (!c.closed_index || index < *c.closed_index))
      return &c;
  }
  return nullptr;
}

class SubscribeAcks final : public Checker {
 public:
  std::string_view name() const override { return "subscribe-acks"; }

  void judge(const Evidence& e, Verdict& verdict) const override {
    for (const ConnectionIndex ci : e.seen.connections.indices()) {
      const auto epoch = e.sessions.epoch_of[ci];
      if (!epoch) continue;
      const ConnectionView& c = e.seen.connections[ci];
      std::map<std::uint16_t, const SeenPacket*> subscribes;
      std::map<std::uint16_t, const SeenPacket*> unsubscribes;
      for (const SeenPacket& p : c.packets) {
        if (p.from_client()) {
          if (const auto* s = std::get_if<codec::Subscribe>(&p.packet))
            subscribes[s->packet_id] = &p;
          if (const auto* u = std::get_if<codec::Unsubscribe>(&p.packet))
            unsubscribes[u->packet_id] = &p;
          continue;
        }
        if (const auto* ack = std::get_if<codec::Suback>(&p.packet)) {
          const auto found = subscribes.find(ack->packet_id);
          if (found == subscribes.end()) continue;
          judge_suback(e, c, *found->second, p, *epoch, verdict);
          subscribes.erase(found);
        } else if (const auto* ack = std::get_if<codec::Unsuback>(&p.packet)) {
          const auto found = unsubscribes.find(ack->packet_id);
          if (found == unsubscribes.end()) continue;
          judge_unsuback(e, c, *found->second, p, *epoch, verdict);
          unsubscribes.erase(found);
        }
      }
    }
  }

 private:
  static void report(const Evidence& e, Verdict& verdict, std::vector<SpecRef> rules,
                     TraceIndex first, TraceIndex last, std::string message) {
    verdict.violations.push_back(
        violation(e, "subscribe-acks", std::move(rules), first, last, std::move(message)));
  }

  static void judge_suback(const Evidence& e, const ConnectionView& c, const SeenPacket& request,
                           const SeenPacket& answer, EpochIndex epoch, Verdict& verdict) {
    const bool v5 = c.version == V::v5_0;
    const auto& subscribe = std::get<codec::Subscribe>(request.packet);
    const auto& suback = std::get<codec::Suback>(answer.packet);
    const std::string who = "client \"" + c.client_id() + "\"";
    const std::string head = who + " subscribed to " + filters_of(subscribe) + " at " +
                             at(request.time) + ", and the broker's SUBACK at " + at(answer.time);
    const std::size_t filters = subscribe.subscriptions.size();
    const bool several = filters >= 2;

    std::vector<SpecRef> count_rules{pick(v5, "MQTT-3.8.4-5", "MQTT-3.8.4-6")};
    if (v5) count_rules.push_back({V::v5_0, "MQTT-3.9.3-2"});
    for (const SpecRef& rule : count_rules) verdict.judge(rule);
    if (suback.reason_codes.size() != filters) {
      report(e, verdict, count_rules, request.index, answer.index,
             head + " held " + std::to_string(suback.reason_codes.size()) + " return codes for " +
                 std::to_string(filters) + " filters");
      return;
    }
    const SpecRef value_rule = pick(v5, "MQTT-3.9.3-2", "MQTT-3.9.3-2");
    const SpecRef granted_rule = pick(v5, "MQTT-3.8.4-5", "MQTT-3.8.4-7");
    const SpecRef order_rule = pick(v5, "MQTT-3.9.3-1", "MQTT-3.9.3-1");
    const SpecRef no_wildcards{V::v3_1_1, "MQTT-3.8.3-2"};
    for (std::size_t i = 0; i < filters; ++i) {
      const codec::Subscription& wanted = subscribe.subscriptions[i];
      const std::uint8_t code = suback.reason_codes[i];
      const std::string which =
          "filter " + wanted.topic_filter + " (position " + std::to_string(i + 1) + ")";
      if (v5) verdict.judge(value_rule);
      if (v5) verdict.judge(granted_rule);
      if (several) verdict.judge(order_rule);
      // A 3.1.1 code outside 0x00-0x02 and 0x80 does not decode: the wire
      // checker reports it (3.1.1 MQTT-3.9.3-2).
      if (v5 && !permitted_suback_code(v5, code)) {
        report(e, verdict, {value_rule, granted_rule}, request.index, answer.index,
               head + " answered " + which + " with code " + hex(code) +
                   ", which is not a Subscribe Reason Code");
        continue;
      }
      if (code < 0x80) {
        verdict.judge(granted_rule);
        if (code > static_cast<std::uint8_t>(wanted.max_qos)) {
          std::vector<SpecRef> rules{granted_rule};
          if (several) rules.push_back(order_rule);
          report(e, verdict, std::move(rules), request.index, answer.index,
                 head + " granted QoS " + std::to_string(code) + " to " + which +
                     ", which asked for at most QoS " +
                     std::to_string(static_cast<int>(wanted.max_qos)));
          continue;
        }
        if (!v5 && !e.profile.wildcard_subscription_available &&
            has_wildcard(wanted.topic_filter)) {
          std::vector<SpecRef> rules{no_wildcards};
          if (several) rules.push_back(order_rule);
          report(e, verdict, std::move(rules), request.index, answer.index,
                 head + " granted " + which + ", a wildcard filter, though the broker (profile " +
                     e.profile.name + ") has no wildcard subscriptions");
          continue;
        }
      } else if (!v5 && !e.profile.wildcard_subscription_available &&
                 has_wildcard(wanted.topic_filter)) {
        verdict.judge(no_wildcards);
      }
      if (several && v5) {
        const bool misfit = (code == 0xA2 && !has_wildcard(wanted.topic_filter)) ||
                            (code == 0x9E && !codec::is_shared_subscription(wanted.topic_filter));
        if (misfit) {
          report(e, verdict, {order_rule}, request.index, answer.index,
                 head + " answered " + which + " with " + hex(code) + " (" +
                     (code == 0xA2 ? "wildcard subscriptions not supported"
                                   : "shared subscriptions not supported") +
                     "), which does not fit that filter: the codes are out of order");
        }
      }
    }
    if (!several) return;
    judge_filters_in_place(e, c, request, answer, epoch, verdict);
  }

  // Every filter of a multi-filter SUBSCRIBE is in place: the messages that
  // came in afterwards and match it reach the subscriber.
  static void judge_filters_in_place(const Evidence& e, const ConnectionView& c,
                                     const SeenPacket& request, const SeenPacket& answer,
                                     EpochIndex epoch_index, Verdict& verdict) {
    const bool v5 = c.version == V::v5_0;
    const SpecRef rule = pick(v5, "MQTT-3.8.4-4", "MQTT-3.8.4-5");
    if (e.profile.max_queued_messages != 0) return;
    if (c.connect_packet() == nullptr) return;  // accepted without a CONNECT that decoded
    const codec::Properties& asked = c.connect_packet()->properties;
    // A size limit may drop a copy; a Receive Maximum may hold it back.
    if (asked.maximum_packet_size || asked.receive_maximum) return;
    const SessionEpoch& epoch = e.sessions.epochs[epoch_index];
    const auto& subscribe = std::get<codec::Subscribe>(request.packet);
    for (const codec::Subscription& wanted : subscribe.subscriptions) {
      if (v5 && codec::is_shared_subscription(wanted.topic_filter)) continue;
      // The span this SUBSCRIBE made for the filter.
      const SubscriptionSpan* span = nullptr;
      for (const SubscriptionSpan& s : epoch.subscriptions) {
        if (s.suback_index == answer.index && s.request.topic_filter == wanted.topic_filter)
          span = &s;
      }
      if (span == nullptr) continue;
      for (const PublicationIndex pi : e.messages.publications.indices()) {
        const Publication& p = e.messages.publications[pi];
        if (p.is_will || p.ambiguous || !p.acked_index || p.first_index <= answer.index) continue;
        // QoS 1 only: a QoS 2 message may wait for its publisher's PUBREL.
        if (p.publish.qos != codec::QoS::at_least_once) continue;
        if (p.publish.properties.message_expiry_interval) continue;
        if (!codec::topic_matches(wanted.topic_filter, p.publish.topic)) continue;
        if (span->unsubscribe_index && *span->unsubscribe_index <= p.first_index) continue;
        if (span->ended_index && *span->ended_index <= p.first_index) continue;
        if (span->request.no_local && p.publisher == epoch.client_id) continue;
        const ConnectionView* open = open_at(e, epoch, p.first_index);
        if (open == nullptr) continue;
        const TimePoint received = e.seen.event(p.first_index).time;
        const TimePoint until = open->closed_at.value_or(e.seen.end_time);
        if (until < received + settle) continue;
        // A later UNSUBSCRIBE within the settling time could excuse it too.
        if (span->unsubscribe_index &&
            e.seen.event(*span->unsubscribe_index).time < received + settle)
          continue;
        verdict.judge(rule);
        const bool delivered = std::any_of(
            e.messages.deliveries.begin(), e.messages.deliveries.end(), [&](const Delivery& d) {
              return d.publication == pi && d.epoch == epoch_index && d.index > p.first_index;
            });
        if (delivered) continue;
        report(e, verdict, {rule}, request.index, p.first_index,
               "client \"" + epoch.client_id + "\" subscribed to " + filters_of(subscribe) +
                   " in one SUBSCRIBE, granted at " + at(answer.time) + ", but message " +
                   describe(p.publish) + " from \"" + p.publisher + "\" (QoS " +
                   std::to_string(static_cast<int>(p.publish.qos)) + ", received at " +
                   at(received) + "), which matches " + wanted.topic_filter +
                   ", never reached it, though it stayed connected until " + at(until));
        break;  // one report per filter
      }
    }
  }

  static void judge_unsuback(const Evidence& e, const ConnectionView& c, const SeenPacket& request,
                             const SeenPacket& answer, EpochIndex epoch_index, Verdict& verdict) {
    const bool v5 = c.version == V::v5_0;
    const auto& unsubscribe = std::get<codec::Unsubscribe>(request.packet);
    const auto& unsuback = std::get<codec::Unsuback>(answer.packet);
    const SessionEpoch& epoch = e.sessions.epochs[epoch_index];
    const std::size_t filters = unsubscribe.topic_filters.size();
    const bool several = filters >= 2;
    std::string list;
    for (const std::string& f : unsubscribe.topic_filters) list += (list.empty() ? "" : ", ") + f;
    const std::string head = "client \"" + c.client_id() + "\" unsubscribed from " + list + " at " +
                             at(request.time) + ", and the broker's UNSUBACK at " + at(answer.time);
    // The filters the session surely held when the UNSUBSCRIBE came: each
    // span this UNSUBSCRIBE ended.
    std::vector<const SubscriptionSpan*> removed;
    for (const SubscriptionSpan& span : epoch.subscriptions) {
      if (span.ended_index == answer.index && span.unsubscribe_index == request.index &&
          span.suback_index < request.index)
        removed.push_back(&span);
    }
    const auto held = [&](const std::string& filter) {
      return std::any_of(removed.begin(), removed.end(), [&](const SubscriptionSpan* s) {
        return s->request.topic_filter == filter;
      });
    };

    if (v5) {
      const SpecRef table_rule{V::v5_0, "MQTT-3.11.3-2"};
      const SpecRef order_rule{V::v5_0, "MQTT-3.11.3-1"};
      const SpecRef exact_rule{V::v5_0, "MQTT-3.10.4-1"};
      verdict.judge(table_rule);
      if (unsuback.reason_codes.size() != filters) {
        report(e, verdict, {table_rule}, request.index, answer.index,
               head + " held " + std::to_string(unsuback.reason_codes.size()) +
                   " reason codes for " + std::to_string(filters) + " filters");
      } else {
        std::set<std::string> seen_filters;
        for (std::size_t i = 0; i < filters; ++i) {
          const std::string& filter = unsubscribe.topic_filters[i];
          const auto code = static_cast<std::uint8_t>(unsuback.reason_codes[i]);
          const bool first_mention = seen_filters.insert(filter).second;
          const std::string which =
              "filter " + filter + " (position " + std::to_string(i + 1) + ")";
          if (!permitted_unsuback_code(code)) {
            report(e, verdict, {table_rule}, request.index, answer.index,
                   head + " answered " + which + " with code " + hex(code) +
                       ", which is not an Unsubscribe Reason Code");
            continue;
          }
          if (!first_mention || !held(filter)) continue;
          const SpecRef rule = several ? order_rule : exact_rule;
          verdict.judge(rule);
          if (code != 0x11) continue;
          report(e, verdict, {rule}, request.index, answer.index,
                 head + " answered " + which + " with 0x11 (no subscription existed), though " +
                     "the session held that subscription" +
                     (several ? ": the codes are out of order" : ""));
        }
      }
    }

    judge_removed_completely(e, request, answer, epoch_index, removed, several, verdict);
    judge_begun_completed(e, c, request, removed, verdict);
  }

  // After a multi-filter UNSUBACK, nothing received later reaches the
  // session through any of the removed filters.
  static void judge_removed_completely(const Evidence& e, const SeenPacket& request,
                                       const SeenPacket& answer, EpochIndex epoch_index,
                                       const std::vector<const SubscriptionSpan*>& removed,
                                       bool several, Verdict& verdict) {
    if (!several || removed.empty()) return;
    const SessionEpoch& epoch = e.sessions.epochs[epoch_index];
    const bool v5 = epoch.version == V::v5_0;
    const SpecRef rule = pick(v5, "MQTT-3.10.4-6", "MQTT-3.10.4-6");
    for (const PublicationIndex pi : e.messages.publications.indices()) {
      const Publication& p = e.messages.publications[pi];
      if (p.is_will || p.ambiguous || p.first_index <= answer.index) continue;
      const SubscriptionSpan* through = nullptr;
      for (const SubscriptionSpan* s : removed) {
        if (codec::topic_matches(s->request.topic_filter, p.publish.topic)) through = s;
      }
      if (through == nullptr) continue;
      // Another subscription of the session that may carry it excuses it.
      const bool other = std::any_of(
          epoch.subscriptions.begin(), epoch.subscriptions.end(), [&](const SubscriptionSpan& s) {
            if (std::find(removed.begin(), removed.end(), &s) != removed.end()) return false;
            if (s.ended_index && *s.ended_index <= p.first_index) return false;
            std::string_view filter = s.request.topic_filter;
            if (v5 && codec::is_shared_subscription(filter)) return true;
            return codec::topic_matches(filter, p.publish.topic);
          });
      if (other) continue;
      verdict.judge(rule);
      for (const Delivery& d : e.messages.deliveries) {
        if (d.publication != pi || d.epoch != epoch_index) continue;
        const auto& unsubscribe = std::get<codec::Unsubscribe>(request.packet);
        std::string list;
        for (const std::string& f : unsubscribe.topic_filters)
          list += (list.empty() ? "" : ", ") + f;
        report(e, verdict, {rule}, request.index, d.index,
               "client \"" + epoch.client_id + "\" unsubscribed from " + list +
                   " in one UNSUBSCRIBE (UNSUBACK at " + at(answer.time) + "), but message " +
                   describe(p.publish) + ", received at " + at(e.seen.event(p.first_index).time) +
                   " and matching only " + through->request.topic_filter +
                   ", was delivered to it at " + at(e.seen.event(d.index).time));
        return;
      }
    }
  }

  // A QoS 2 delivery begun before the UNSUBSCRIBE is completed: the PUBREC
  // the client sends after it is answered with PUBREL.
  static void judge_begun_completed(const Evidence& e, const ConnectionView& c,
                                    const SeenPacket& request,
                                    const std::vector<const SubscriptionSpan*>& removed,
                                    Verdict& verdict) {
    if (removed.empty()) return;
    const bool v5 = c.version == V::v5_0;
    const SpecRef rule = pick(v5, "MQTT-3.10.4-3", "MQTT-3.10.4-3");
    std::map<std::uint16_t, const SeenPacket*> begun;  // QoS 2 PUBLISH sent, by id
    for (const SeenPacket& p : c.packets) {
      if (p.index >= request.index) break;
      if (!p.to_client()) {
        if (const auto* rec = std::get_if<codec::Pubrec>(&p.packet)) begun.erase(rec->packet_id);
        continue;
      }
      const auto* publish = std::get_if<codec::Publish>(&p.packet);
      if (publish == nullptr || publish->qos != codec::QoS::exactly_once) continue;
      const bool through = std::any_of(removed.begin(), removed.end(), [&](const auto* s) {
        return codec::topic_matches(s->request.topic_filter, publish->topic);
      });
      if (through) begun[publish->packet_id] = &p;
    }
    for (const auto& [id, sent] : begun) {
      const SeenPacket* pubrec = nullptr;
      const SeenPacket* pubrel = nullptr;
      for (const SeenPacket& p : c.packets) {
        if (p.index <= request.index) continue;
        if (pubrec == nullptr && p.from_client()) {
          const auto* rec = std::get_if<codec::Pubrec>(&p.packet);
          if (rec != nullptr && rec->packet_id == id &&
              static_cast<std::uint8_t>(rec->reason_code) < 0x80)
            pubrec = &p;
        } else if (pubrec != nullptr && p.to_client()) {
          const auto* rel = std::get_if<codec::Pubrel>(&p.packet);
          if (rel != nullptr && rel->packet_id == id) {
            pubrel = &p;
            break;
          }
        }
      }
      if (pubrec == nullptr) continue;
      const TimePoint until = c.closed_at.value_or(e.seen.end_time);
      if (pubrel == nullptr && until < pubrec->time + settle) continue;
      verdict.judge(rule);
      if (pubrel != nullptr) continue;
      const auto& publish = std::get<codec::Publish>(sent->packet);
      report(e, verdict, {rule}, sent->index, pubrec->index,
             "the broker sent message " + describe(publish) + " (QoS 2, packet id " +
                 std::to_string(id) + ") to client \"" + c.client_id() + "\" at " + at(sent->time) +
                 "; the client unsubscribed at " + at(request.time) + " and sent PUBREC at " +
                 at(pubrec->time) +
                 ", and the broker never released the message with PUBREL (connection open until " +
                 at(until) + ")");
    }
  }
};

}  // namespace

std::unique_ptr<Checker> subscribe_acks_checker() { return std::make_unique<SubscribeAcks>(); }

}  // namespace mqttsim::oracle
