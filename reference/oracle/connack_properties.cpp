// What a 5.0 CONNACK promises and how the broker then behaves (5.0 §3.1.2.11,
// §3.2.2.3):
// - Response Information only when the client asked for it with Request
//   Response Information 1 (5.0 MQTT-3.1.2-28);
// - with Request Problem Information 0, no Reason String or User Property
//   on any packet but PUBLISH, CONNACK and DISCONNECT (MQTT-3.1.2-29);
// - a client that connected with an empty client id gets an Assigned Client
//   Identifier that no other current session uses (MQTT-3.2.2-16);
// - a broker whose profile supports less than QoS 2 says so in Maximum QoS
//   (MQTT-3.2.2-9), and still grants SUBSCRIBE requests asking for QoS 1 or
//   2 (MQTT-3.2.2-10): a refusal with 0x80 (unspecified) or 0x83
//   (implementation specific) of such a filter is reported; the refusals
//   with a reason of their own (not authorized, quota, wildcards, shared
//   subscriptions, ...) are not.

#include <map>

#include "oracle/checkers.hpp"

namespace mqttsim::oracle {

namespace {

constexpr SpecRef v5_response_information{ProtocolVersion::v5_0, "MQTT-3.1.2-28"};
constexpr SpecRef v5_problem_information{ProtocolVersion::v5_0, "MQTT-3.1.2-29"};
constexpr SpecRef v5_maximum_qos{ProtocolVersion::v5_0, "MQTT-3.2.2-9"};
constexpr SpecRef v5_subscribe_any_qos{ProtocolVersion::v5_0, "MQTT-3.2.2-10"};
constexpr SpecRef v5_assigned_id{ProtocolVersion::v5_0, "MQTT-3.2.2-16"};

class ConnackProperties final : public Checker {
 public:
  std::string_view name() const override { return "connack-properties"; }

  void judge(const Evidence& e, Verdict& verdict) const override {
    for (const ConnectionIndex i : e.seen.connections.indices()) {
      const ConnectionView& c = e.seen.connections[i];
      if (c.version != ProtocolVersion::v5_0 || !c.connect || !c.connack) continue;
      judge_response_information(e, c, verdict);
      judge_problem_information(e, c, verdict);
      if (!c.accepted()) continue;
      judge_assigned_id(e, i, verdict);
      judge_maximum_qos(e, c, verdict);
    }
  }

 private:
  static std::string who(const ConnectionView& c) { return "client \"" + c.client_id() + "\""; }

  static void judge_response_information(const Evidence& e, const ConnectionView& c,
                                         Verdict& verdict) {
    if (c.connect_packet()->properties.request_response_information.value_or(0) != 0) return;
    verdict.judge(v5_response_information);
    const auto& answer = c.connack_packet()->properties.response_information;
    if (!answer) return;
    verdict.violations.push_back(violation(
        e, "connack-properties", {v5_response_information}, c.packets[*c.connect].index,
        c.packets[*c.connack].index,
        "the broker's CONNACK to " + who(c) + " at " + at(c.packets[*c.connack].time) +
            " carried Response Information \"" + *answer + "\", which the client did not request"));
  }

  static void judge_problem_information(const Evidence& e, const ConnectionView& c,
                                        Verdict& verdict) {
    if (c.connect_packet()->properties.request_problem_information.value_or(1) != 0) return;
    for (const SeenPacket& seen : c.packets) {
      if (!seen.to_client()) continue;
      const codec::PacketType type = codec::type_of(seen.packet);
      if (type == codec::PacketType::publish || type == codec::PacketType::connack ||
          type == codec::PacketType::disconnect)
        continue;
      const codec::Properties* properties = codec::properties_of(seen.packet);
      if (properties == nullptr) continue;
      verdict.judge(v5_problem_information);
      if (!properties->reason_string && properties->user_properties.empty()) continue;
      verdict.violations.push_back(
          violation(e, "connack-properties", {v5_problem_information}, c.packets[*c.connect].index,
                    seen.index,
                    "the broker sent " + who(c) + " a " + std::string{codec::to_string(type)} +
                        " at " + at(seen.time) + " with " +
                        (properties->reason_string ? "a Reason String" : "User Properties") +
                        ", though its CONNECT set Request Problem Information 0"));
    }
  }

  static void judge_assigned_id(const Evidence& e, ConnectionIndex connection, Verdict& verdict) {
    const ConnectionView& c = e.seen.connections[connection];
    if (!c.connect_packet()->client_id.empty()) return;
    verdict.judge(v5_assigned_id);
    const TraceIndex connect_index = c.packets[*c.connect].index;
    const TraceIndex connack_index = c.packets[*c.connack].index;
    const auto& assigned = c.connack_packet()->properties.assigned_client_identifier;
    const std::string head = "a client connected with an empty client id at " +
                             at(c.packets[*c.connect].time) + ", and the broker's CONNACK ";
    if (!assigned || assigned->empty()) {
      verdict.violations.push_back(violation(e, "connack-properties", {v5_assigned_id},
                                             connect_index, connack_index,
                                             head + "assigned no client identifier"));
      return;
    }
    for (const EpochIndex k : e.sessions.epochs.indices()) {
      const SessionEpoch& other = e.sessions.epochs[k];
      if (k == e.sessions.epoch_of[connection] || other.client_id != *assigned) continue;
      if (other.start_index >= connect_index ||
          (other.end_index && *other.end_index < connect_index))
        continue;
      verdict.violations.push_back(violation(
          e, "connack-properties", {v5_assigned_id}, other.start_index, connack_index,
          head + "assigned it \"" + *assigned + "\", the client id of a session that was " +
              "current then (since " + at(e.seen.event(other.start_index).time) + ")"));
      return;
    }
  }

  static void judge_maximum_qos(const Evidence& e, const ConnectionView& c, Verdict& verdict) {
    const codec::Connack& ack = *c.connack_packet();
    if (e.profile.maximum_qos < 2) {
      verdict.judge(v5_maximum_qos);
      if (!ack.properties.maximum_qos || *ack.properties.maximum_qos > e.profile.maximum_qos) {
        verdict.violations.push_back(
            violation(e, "connack-properties", {v5_maximum_qos}, c.packets[*c.connect].index,
                      c.packets[*c.connack].index,
                      "the broker supports QoS up to " + std::to_string(e.profile.maximum_qos) +
                          " (profile " + e.profile.name + ") but its CONNACK to " + who(c) +
                          " at " + at(c.packets[*c.connack].time) + " announced " +
                          (ack.properties.maximum_qos
                               ? "Maximum QoS " + std::to_string(*ack.properties.maximum_qos)
                               : std::string{"no Maximum QoS (that is, QoS 2)"})));
      }
    }
    const std::uint8_t announced = ack.properties.maximum_qos.value_or(2);
    if (announced >= 2) return;
    std::map<std::uint16_t, const SeenPacket*> pending;  // SUBSCRIBE by packet id
    for (const SeenPacket& seen : c.packets) {
      if (const auto* s = std::get_if<codec::Subscribe>(&seen.packet); s && seen.from_client()) {
        pending[s->packet_id] = &seen;
        continue;
      }
      const auto* suback = std::get_if<codec::Suback>(&seen.packet);
      if (suback == nullptr || !seen.to_client()) continue;
      const auto found = pending.find(suback->packet_id);
      if (found == pending.end()) continue;
      const auto& request = std::get<codec::Subscribe>(found->second->packet);
      for (std::size_t f = 0; f < request.subscriptions.size() && f < suback->reason_codes.size();
           ++f) {
        const codec::Subscription& wanted = request.subscriptions[f];
        if (static_cast<std::uint8_t>(wanted.max_qos) <= announced) continue;
        verdict.judge(v5_subscribe_any_qos);
        const std::uint8_t code = suback->reason_codes[f];
        if (code != 0x80 && code != 0x83) continue;
        verdict.violations.push_back(violation(
            e, "connack-properties", {v5_subscribe_any_qos}, found->second->index, seen.index,
            "client \"" + c.client_id() + "\" subscribed to " + wanted.topic_filter +
                " asking for QoS " + std::to_string(static_cast<int>(wanted.max_qos)) + " at " +
                at(found->second->time) + ", above the announced Maximum QoS " +
                std::to_string(announced) + ", and the broker refused it (code " +
                std::to_string(code) + ") instead of granting a lower QoS"));
      }
      pending.erase(found);
    }
  }
};

}  // namespace

std::unique_ptr<Checker> connack_properties_checker() {
  return std::make_unique<ConnackProperties>();
}

}  // namespace mqttsim::oracle
