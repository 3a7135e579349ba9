// The wire: what the broker sends is valid, and the connection's life
// around CONNECT follows §3.1.4 and §3.2 of both versions.
//
// - Every packet the broker sent decodes. A packet that does not is
//   reported with the statement the decoder names (codec::DecodeError).
//   The statements the decoder checks on a packet type count as judged in a
//   run where the broker sent a packet of that type (the table below lists
//   only ids whose rule the decoder actually evaluates for that type).
// - CONNACK is the first packet the broker sends (3.1.1 MQTT-3.2.0-1; 5.0
//   MQTT-3.2.0-1, where AUTH may come before), and only one is sent (5.0
//   MQTT-3.2.0-2). A 5.0 broker sends DISCONNECT only after a successful
//   CONNACK (MQTT-3.14.0-1) and nothing after its DISCONNECT (MQTT-3.14.4-1).
// - A refused CONNACK (non-zero return code, 5.0 reason 0x80 or above) is
//   followed by the close (3.1.1 MQTT-3.2.2-5, 5.0 MQTT-3.2.2-7), within a
//   second, and nothing the client sent after the refused CONNECT is
//   answered (3.1.1 MQTT-3.1.4-5, 5.0 MQTT-3.1.4-6).

#include <array>
#include <map>
#include <set>

#include "oracle/checkers.hpp"

namespace mqttsim::oracle {

namespace {

using V = ProtocolVersion;
using T = codec::PacketType;

constexpr SpecRef v311_connack_first{V::v3_1_1, "MQTT-3.2.0-1"};
constexpr SpecRef v311_refused_close{V::v3_1_1, "MQTT-3.2.2-5"};
constexpr SpecRef v311_refused_ignore{V::v3_1_1, "MQTT-3.1.4-5"};
constexpr SpecRef v5_connack_first{V::v5_0, "MQTT-3.2.0-1"};
constexpr SpecRef v5_one_connack{V::v5_0, "MQTT-3.2.0-2"};
constexpr SpecRef v5_refused_close{V::v5_0, "MQTT-3.2.2-7"};
constexpr SpecRef v5_refused_ignore{V::v5_0, "MQTT-3.1.4-6"};
constexpr SpecRef v5_disconnect_after_connack{V::v5_0, "MQTT-3.14.0-1"};
constexpr SpecRef v5_nothing_after_disconnect{V::v5_0, "MQTT-3.14.4-1"};

constexpr Duration close_grace = Duration::from_s(1);

// The decoder's checks per packet type, for packets the broker sends.
// `always` applies to every packet of the type; `with_reason` only when a
// 5.0 acknowledgement carries its reason code byte (the short form has
// none to check); strings only where the packet holds one.
struct CodecRules {
  std::vector<std::string_view> always;
  std::vector<std::string_view> with_reason;  // 5.0 only
};

const CodecRules& rules_for(V version, T type) {
  static const CodecRules none{};
  static const std::map<T, CodecRules> v311{
      // Table 2.2 flags: the decoder rejects any other nibble.
      {T::connack, {{"MQTT-2.2.2-1"}, {}}},
      {T::publish,
       // QoS 3, DUP on QoS 0, a zero packet id, the topic's UTF-8, no
       // wildcards, not empty.
       {{"MQTT-3.3.1-4", "MQTT-3.3.1-2", "MQTT-1.5.3-1", "MQTT-1.5.3-2", "MQTT-3.3.2-2",
         "MQTT-4.7.1-1", "MQTT-4.7.3-1"},
        {}}},
      {T::puback, {{"MQTT-2.2.2-1"}, {}}},
      {T::pubrec, {{"MQTT-2.2.2-1"}, {}}},
      {T::pubrel, {{"MQTT-2.2.2-1", "MQTT-3.6.1-1"}, {}}},
      {T::pubcomp, {{"MQTT-2.2.2-1"}, {}}},
      {T::suback, {{"MQTT-2.2.2-1", "MQTT-3.9.3-2"}, {}}},
      {T::unsuback, {{"MQTT-2.2.2-1"}, {}}},
      {T::pingresp, {{"MQTT-2.2.2-1"}, {}}},
  };
  static const std::map<T, CodecRules> v5{
      // Every packet's remaining length is a Variable Byte Integer.
      {T::connack, {{"MQTT-1.5.5-1", "MQTT-2.1.3-1", "MQTT-3.2.2-1", "MQTT-3.2.2-8"}, {}}},
      {T::publish,
       {{"MQTT-1.5.5-1", "MQTT-3.3.1-4", "MQTT-3.3.1-2", "MQTT-1.5.4-1", "MQTT-1.5.4-2",
         "MQTT-3.3.2-2"},
        {}}},
      {T::puback, {{"MQTT-1.5.5-1", "MQTT-2.1.3-1"}, {"MQTT-3.4.2-1"}}},
      {T::pubrec, {{"MQTT-1.5.5-1", "MQTT-2.1.3-1"}, {"MQTT-3.5.2-1"}}},
      {T::pubrel, {{"MQTT-1.5.5-1", "MQTT-3.6.1-1"}, {"MQTT-3.6.2-1"}}},
      {T::pubcomp, {{"MQTT-1.5.5-1", "MQTT-2.1.3-1"}, {"MQTT-3.7.2-1"}}},
      {T::suback, {{"MQTT-1.5.5-1", "MQTT-2.1.3-1"}, {}}},
      {T::unsuback, {{"MQTT-1.5.5-1", "MQTT-2.1.3-1", "MQTT-3.11.3-2"}, {}}},
      {T::pingresp, {{"MQTT-1.5.5-1", "MQTT-2.1.3-1"}, {}}},
      {T::disconnect, {{"MQTT-1.5.5-1", "MQTT-3.14.1-1"}, {"MQTT-3.14.2-1"}}},
      {T::auth, {{"MQTT-1.5.5-1"}, {}}},
  };
  const auto& table = version == V::v5_0 ? v5 : v311;
  const auto found = table.find(type);
  return found == table.end() ? none : found->second;
}

bool has_user_properties(const codec::Packet& packet) {
  const codec::Properties* properties = codec::properties_of(packet);
  return properties != nullptr && !properties->user_properties.empty();
}

class Wire final : public Checker {
 public:
  std::string_view name() const override { return "wire"; }

  void judge(const Evidence& e, Verdict& verdict) const override {
    judge_decoding(e, verdict);
    for (const ConnectionView& c : e.seen.connections) judge_life(e, c, verdict);
  }

 private:
  static void judge_decoding(const Evidence& e, Verdict& verdict) {
    for (const MalformedPacket& m : e.seen.malformed) {
      if (m.direction != trace::Direction::broker_to_client) continue;
      const ConnectionView& c = e.seen.connections[m.connection];
      verdict.judge(m.error.spec);
      verdict.violations.push_back(violation(
          e, "wire", {m.error.spec}, m.index, m.index,
          "the broker sent client \"" + c.client_id() + "\" at " + at(e.seen.event(m.index).time) +
              " bytes that are not a valid " + std::string{to_string(c.version)} +
              " packet: " + codec::to_string(m.error)));
    }
    for (const ConnectionView& c : e.seen.connections) {
      for (const SeenPacket& p : c.packets) {
        if (!p.to_client()) continue;
        const CodecRules& rules = rules_for(c.version, codec::type_of(p.packet));
        for (const std::string_view id : rules.always) verdict.judge(c.version, id);
        // The short 5.0 acknowledgement (remaining length 2, or 0 for
        // DISCONNECT) carries no reason code to check.
        const std::size_t short_form = codec::type_of(p.packet) == T::disconnect ? 2 : 4;
        if (e.seen.event(p.index).bytes.size() > short_form) {
          for (const std::string_view id : rules.with_reason) verdict.judge(c.version, id);
        }
        if (const auto* publish = std::get_if<codec::Publish>(&p.packet);
            publish && c.version == V::v3_1_1 && publish->qos != codec::QoS::at_most_once) {
          verdict.judge(V::v3_1_1, "MQTT-2.3.1-1");  // a non-zero packet identifier
        }
        if (c.version == V::v5_0 && has_user_properties(p.packet)) {
          verdict.judge(V::v5_0, "MQTT-1.5.7-1");
        }
      }
    }
  }

  static void judge_life(const Evidence& e, const ConnectionView& c, Verdict& verdict) {
    const bool v5 = c.version == V::v5_0;
    const std::string who = "client \"" + c.client_id() + "\"";
    const auto report = [&](SpecRef rule, TraceIndex first, TraceIndex last, std::string text) {
      verdict.violations.push_back(violation(e, "wire", {rule}, first, last, std::move(text)));
    };
    // CONNACK first (5.0: AUTH may precede it), and only one.
    const SeenPacket* first_sent = nullptr;
    std::size_t connacks = 0;
    for (const SeenPacket& p : c.packets) {
      if (!p.to_client()) continue;
      const T type = codec::type_of(p.packet);
      if (type == T::connack) ++connacks;
      if (first_sent == nullptr && !(v5 && type == T::auth)) first_sent = &p;
    }
    if (first_sent != nullptr) {
      const SpecRef rule = v5 ? v5_connack_first : v311_connack_first;
      verdict.judge(rule);
      if (codec::type_of(first_sent->packet) != T::connack) {
        report(rule, c.first_index, first_sent->index,
               "the first packet the broker sent " + who + " at " + at(first_sent->time) + " was " +
                   std::string{codec::to_string(codec::type_of(first_sent->packet))} +
                   ", not CONNACK");
      }
    }
    if (v5 && connacks > 0) {
      verdict.judge(v5_one_connack);
      if (connacks > 1) {
        report(v5_one_connack, c.first_index, c.packets.back().index,
               "the broker sent " + who + " " + std::to_string(connacks) +
                   " CONNACKs on one connection");
      }
    }
    if (v5 && c.server_disconnect) {
      const SeenPacket& d = c.packets[*c.server_disconnect];
      verdict.judge(v5_disconnect_after_connack);
      if (!c.connack || c.packets[*c.connack].index > d.index || !c.accepted()) {
        report(v5_disconnect_after_connack, c.first_index, d.index,
               "the broker sent " + who + " DISCONNECT at " + at(d.time) +
                   " without having accepted the connection with CONNACK");
      }
      verdict.judge(v5_nothing_after_disconnect);
      for (const SeenPacket& p : c.packets) {
        if (p.to_client() && p.index > d.index) {
          report(v5_nothing_after_disconnect, d.index, p.index,
                 "the broker sent " + who + " " +
                     std::string{codec::to_string(codec::type_of(p.packet))} + " at " + at(p.time) +
                     ", after its own DISCONNECT");
          break;
        }
      }
    }
    judge_refusal(e, c, verdict);
  }

  static void judge_refusal(const Evidence& e, const ConnectionView& c, Verdict& verdict) {
    const codec::Connack* ack = c.connack_packet();
    if (ack == nullptr || ack->code == 0) return;
    const bool v5 = c.version == V::v5_0;
    if (v5 && ack->code < 0x80) return;  // not a refusal
    const SeenPacket& refused = c.packets[*c.connack];
    const std::string who = "client \"" + c.client_id() + "\"";
    const SpecRef close_rule = v5 ? v5_refused_close : v311_refused_close;
    const TimePoint deadline = refused.time + close_grace;
    const bool closed_in_time = c.closed_at && *c.closed_at <= deadline;
    if (closed_in_time || e.seen.end_time >= deadline) {
      verdict.judge(close_rule);
      if (!closed_in_time) {
        verdict.violations.push_back(violation(
            e, "wire", {close_rule}, refused.index, c.closed_index.value_or(refused.index),
            "the broker refused " + who + " at " + at(refused.time) + " (code " +
                std::to_string(ack->code) + ") but " +
                (c.closed_at ? "closed the connection only at " + at(*c.closed_at)
                             : std::string{"never closed the connection"})));
      }
    }
    // Nothing the client pipelined after the refused CONNECT is answered.
    const SpecRef ignore_rule = v5 ? v5_refused_ignore : v311_refused_ignore;
    bool client_sent_more = false;
    for (const SeenPacket& p : c.packets) {
      if (p.from_client() && p.index > c.packets[*c.connect].index) client_sent_more = true;
      if (!p.to_client() || p.index <= refused.index) continue;
      if (!client_sent_more) continue;
      const T type = codec::type_of(p.packet);
      if (type == T::disconnect || type == T::auth) continue;
      verdict.judge(ignore_rule);
      verdict.violations.push_back(
          violation(e, "wire", {ignore_rule}, refused.index, p.index,
                    "the broker refused " + who + " at " + at(refused.time) + " but then sent it " +
                        std::string{codec::to_string(type)} + " at " + at(p.time)));
      return;
    }
    if (client_sent_more) verdict.judge(ignore_rule);
  }
};

}  // namespace

std::unique_ptr<Checker> wire_checker() { return std::make_unique<Wire>(); }

}  // namespace mqttsim::oracle
