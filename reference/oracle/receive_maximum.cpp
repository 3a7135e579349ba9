// Flow control toward the client (5.0 §4.9, §3.3.4): the broker never has
// more unacknowledged QoS 1/2 PUBLISHes on a connection than the Receive
// Maximum the client gave in CONNECT (5.0 MQTT-3.3.4-9): its send quota
// starts at no more than that (MQTT-4.9.0-1) and at zero quota it sends no
// new QoS 1/2 PUBLISH (MQTT-4.9.0-2). A full window holds back nothing but
// PUBLISH: every other packet the client is owed is still sent
// (MQTT-3.3.4-10, MQTT-4.9.0-3).
//
// A PUBLISH counts from the broker's send until the client's PUBACK,
// PUBCOMP or PUBREC with a reason of 0x80 or above. On a resumed session the
// broker first resends what was in flight (DUP=1, original ids); those
// count, but a smaller Receive Maximum than the messages already in flight
// is the client's doing, so only new PUBLISHes (DUP=0, an id not in flight)
// sent at zero quota are violations. The statements are judged on
// connections whose quota actually reached zero. A packet the client is
// owed at zero quota (PUBREL for its PUBREC, PUBACK / PUBREC for its
// PUBLISH, PUBCOMP for its PUBREL, SUBACK, UNSUBACK, PINGRESP) must follow
// while the connection stays open; one missing when the connection ended or
// the run stopped less than `answer_time` later is not judged.

#include <map>
#include <set>

#include "oracle/checkers.hpp"

namespace mqttsim::oracle {

namespace {

constexpr SpecRef v5_server_limit{ProtocolVersion::v5_0, "MQTT-3.3.4-9"};
constexpr SpecRef v5_not_held{ProtocolVersion::v5_0, "MQTT-3.3.4-10"};
constexpr SpecRef v5_initial_quota{ProtocolVersion::v5_0, "MQTT-4.9.0-1"};
constexpr SpecRef v5_zero_quota{ProtocolVersion::v5_0, "MQTT-4.9.0-2"};
constexpr SpecRef v5_answer_at_zero{ProtocolVersion::v5_0, "MQTT-4.9.0-3"};

constexpr Duration answer_time = Duration::from_s(2);

// What the client is owed for a packet it sent: the answer's type and id.
struct Owed {
  codec::PacketType type;
  std::optional<std::uint16_t> packet_id;  // none for PINGRESP
  std::string what;
};

std::optional<Owed> owed_for(const codec::Packet& packet) {
  using codec::PacketType;
  if (const auto* p = std::get_if<codec::Publish>(&packet)) {
    if (p->qos == codec::QoS::at_least_once)
      return Owed{PacketType::puback, p->packet_id, "PUBACK"};
    if (p->qos == codec::QoS::exactly_once) return Owed{PacketType::pubrec, p->packet_id, "PUBREC"};
    return std::nullopt;
  }
  if (const auto* p = std::get_if<codec::Pubrec>(&packet)) {
    if (static_cast<std::uint8_t>(p->reason_code) >= 0x80) return std::nullopt;
    return Owed{PacketType::pubrel, p->packet_id, "PUBREL"};
  }
  if (const auto* p = std::get_if<codec::Pubrel>(&packet))
    return Owed{PacketType::pubcomp, p->packet_id, "PUBCOMP"};
  if (const auto* p = std::get_if<codec::Subscribe>(&packet))
    return Owed{PacketType::suback, p->packet_id, "SUBACK"};
  if (const auto* p = std::get_if<codec::Unsubscribe>(&packet))
    return Owed{PacketType::unsuback, p->packet_id, "UNSUBACK"};
  if (std::holds_alternative<codec::Pingreq>(packet))
    return Owed{PacketType::pingresp, std::nullopt, "PINGRESP"};
  return std::nullopt;
}

std::optional<std::uint16_t> packet_id_of(const codec::Packet& packet) {
  return std::visit(
      [](const auto& p) -> std::optional<std::uint16_t> {
        if constexpr (requires { p.packet_id; }) {
          return p.packet_id;
        } else {
          return std::nullopt;
        }
      },
      packet);
}

class ReceiveMaximum final : public Checker {
 public:
  std::string_view name() const override { return "receive-maximum"; }

  void judge(const Evidence& e, Verdict& verdict) const override {
    for (const ConnectionView& c : e.seen.connections) {
      if (c.version != ProtocolVersion::v5_0 || !c.accepted()) continue;
      judge_connection(e, c, verdict);
    }
  }

 private:
  static void judge_connection(const Evidence& e, const ConnectionView& c, Verdict& verdict) {
    const std::uint16_t limit = c.connect_packet()->properties.receive_maximum.value_or(65'535);
    if (limit == 0) return;  // a protocol error of the client's
    const std::string who = "client \"" + c.client_id() + "\"";
    std::set<std::uint16_t> inflight;
    bool acknowledged = false;  // the client acknowledged something on this connection
    bool reached = false;
    for (const PacketPosition k : c.packets.indices_from(c.connack->next())) {
      const SeenPacket& seen = c.packets[k];
      if (seen.from_client()) {
        std::size_t freed = 0;
        if (const auto* ack = std::get_if<codec::Puback>(&seen.packet)) {
          freed = inflight.erase(ack->packet_id);
        } else if (const auto* done = std::get_if<codec::Pubcomp>(&seen.packet)) {
          freed = inflight.erase(done->packet_id);
        } else if (const auto* rec = std::get_if<codec::Pubrec>(&seen.packet);
                   rec && static_cast<std::uint8_t>(rec->reason_code) >= 0x80) {
          freed = inflight.erase(rec->packet_id);
        }
        if (freed > 0) acknowledged = true;
        if (inflight.size() >= limit) judge_answer(e, c, k, verdict);
        continue;
      }
      const auto* publish = std::get_if<codec::Publish>(&seen.packet);
      if (publish == nullptr || publish->qos == codec::QoS::at_most_once) continue;
      if (inflight.contains(publish->packet_id)) continue;  // a resend of one counted
      if (!publish->dup && inflight.size() >= limit) {
        std::vector<SpecRef> rules{v5_server_limit, v5_zero_quota};
        if (!acknowledged) rules.push_back(v5_initial_quota);
        verdict.violations.push_back(
            violation(e, "receive-maximum", rules, c.packets[*c.connack].index, seen.index,
                      "the broker sent " + who + " a new QoS " +
                          std::to_string(static_cast<int>(publish->qos)) + " PUBLISH " +
                          describe(*publish) + " (packet id " + std::to_string(publish->packet_id) +
                          ") at " + at(seen.time) + " while " + std::to_string(inflight.size()) +
                          " were unacknowledged, and the client's Receive Maximum is " +
                          std::to_string(limit)));
      }
      inflight.insert(publish->packet_id);
      if (inflight.size() >= limit && !reached) {
        reached = true;
        verdict.judge(v5_server_limit);
        verdict.judge(v5_zero_quota);
        verdict.judge(v5_initial_quota);
      }
    }
  }

  // The client's packet at position `k` arrived at zero send quota: what it
  // is owed must still be sent.
  static void judge_answer(const Evidence& e, const ConnectionView& c, PacketPosition k,
                           Verdict& verdict) {
    const SeenPacket& request = c.packets[k];
    const auto owed = owed_for(request.packet);
    if (!owed) return;
    for (const PacketPosition j : c.packets.indices_from(k.next())) {
      const SeenPacket& answer = c.packets[j];
      if (!answer.to_client() || codec::type_of(answer.packet) != owed->type) continue;
      if (!owed->packet_id || packet_id_of(answer.packet) == owed->packet_id) {
        verdict.judge(v5_not_held);
        verdict.judge(v5_answer_at_zero);
        return;
      }
    }
    const TimePoint ended = c.closed_at.value_or(e.seen.end_time);
    if (ended - request.time < answer_time) return;  // no time to tell
    verdict.judge(v5_not_held);
    verdict.judge(v5_answer_at_zero);
    verdict.violations.push_back(violation(
        e, "receive-maximum", {v5_not_held, v5_answer_at_zero}, request.index,
        c.closed_index.value_or(e.seen.end_index.previous()),
        "client \"" + c.client_id() + "\" sent " +
            std::string{codec::to_string(codec::type_of(request.packet))} + " at " +
            at(request.time) + " while the broker's send quota toward it was zero, and the " +
            owed->what + " it was owed never came (the connection stayed open until " + at(ended) +
            ")"));
  }
};

}  // namespace

std::unique_ptr<Checker> receive_maximum_checker() { return std::make_unique<ReceiveMaximum>(); }

}  // namespace mqttsim::oracle
