// Accepting a valid CONNECT, and what the broker's CONNACK may say.
//
// - A CONNECT that passes validation is answered CONNACK 0 (3.1.1
//   MQTT-3.1.4-4, 5.0 MQTT-3.1.4-5). The oracle cannot see everything a
//   broker validates (its user table, its quotas, its load), so it reports
//   only refusals whose stated reason the trace disproves: for a CONNECT
//   that decoded (so its protocol name and level are right and it is well
//   formed),
//   - 3.1.1 0x01 / 5.0 0x84 "unacceptable / unsupported protocol version";
//   - 3.1.1 0x02 / 5.0 0x85 "identifier rejected / not valid" for a client
//     id of 1 to 23 letters and digits, which every server accepts (3.1.1
//     and 5.0 MQTT-3.1.3-5), or, in 3.1.1, for an empty id with Clean
//     Session 1 where the profile accepts empty ids
//     (accept_empty_client_id_v311; 3.1.1 MQTT-3.1.3-6);
//   - 5.0 0x8C "bad authentication method" when the CONNECT named none;
//   - 5.0 0x9A "retain not supported" when the CONNECT had no retained will
//     or the profile supports retain, and 0x9B "QoS not supported" when it
//     had no will above the profile's Maximum QoS.
//   Every CONNECT that decoded and was answered is judged by these rules.
// - 5.0: to a CONNECT without an Authentication Method, the broker sends no
//   AUTH and its CONNACK carries no Authentication Method (MQTT-4.12.0-6).
//   To one with a method it does not take, it may refuse (0x8C or 0x87)
//   and must close (MQTT-4.12.0-1); having refused it at all, it must close
//   (MQTT-4.12.0-4), within a second; if it accepts, its CONNACK names the
//   same method (MQTT-4.12.0-5).
// (One CONNACK per connection, 5.0 MQTT-3.2.0-2, and the close after any
// refusal, 3.1.1 MQTT-3.2.2-5 and 5.0 MQTT-3.2.2-7, are the wire checker's.)

#include "oracle/checkers.hpp"

namespace mqttsim::oracle {

namespace {

using V = ProtocolVersion;

constexpr Duration close_grace = Duration::from_s(1);

bool plain_client_id(const std::string& id) {
  if (id.empty() || id.size() > 23) return false;
  for (const char ch : id) {
    const bool alnum =
        (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
    if (!alnum) return false;
  }
  return true;
}

std::string hex(std::uint8_t code) {
  static constexpr char digits[] = "0123456789ABCDEF";
  return std::string{"0x"} + digits[code >> 4] + digits[code & 0x0F];
}

class ConnectAccept final : public Checker {
 public:
  std::string_view name() const override { return "connect-accept"; }

  void judge(const Evidence& e, Verdict& verdict) const override {
    for (const ConnectionView& c : e.seen.connections) {
      if (!c.connect || !c.connack) continue;
      judge_refusal_reason(e, c, verdict);
      if (c.version == V::v5_0) {
        judge_close_after_refused_method(e, c, verdict);
        judge_authentication(e, c, verdict);
      }
    }
  }

 private:
  static void report(const Evidence& e, Verdict& verdict, std::vector<SpecRef> rules,
                     TraceIndex first, TraceIndex last, std::string message) {
    verdict.violations.push_back(
        violation(e, "connect-accept", std::move(rules), first, last, std::move(message)));
  }

  static std::string who(const codec::Connect& connect) {
    return connect.client_id.empty() ? std::string{"a client with an empty client id"}
                                     : "client \"" + connect.client_id + "\"";
  }

  static void judge_refusal_reason(const Evidence& e, const ConnectionView& c, Verdict& verdict) {
    const bool v5 = c.version == V::v5_0;
    const codec::Connect& connect = *c.connect_packet();
    const codec::Connack& ack = *c.connack_packet();
    // The CONNACK must answer this CONNECT, not bad input before it.
    if (c.bad_input && c.bad_input->index < c.packets[*c.connack].index) return;
    const SpecRef accept = pick(v5, "MQTT-3.1.4-4", "MQTT-3.1.4-5");
    const SpecRef plain_id = pick(v5, "MQTT-3.1.3-5", "MQTT-3.1.3-5");
    verdict.judge(accept);
    const bool plain = plain_client_id(connect.client_id);
    if (plain) verdict.judge(plain_id);
    if (ack.code == 0) return;
    std::vector<SpecRef> rules{accept};
    std::string because;
    const std::uint8_t code = ack.code;
    if ((!v5 && code == 0x01) || (v5 && code == 0x84)) {
      because = std::string{"the CONNECT named protocol level "} + (v5 ? "5" : "4") +
                ", which the broker speaks";
    } else if ((!v5 && code == 0x02) || (v5 && code == 0x85)) {
      if (plain) {
        rules.push_back(plain_id);
        because = "a client id of 1 to 23 letters and digits must be accepted";
      } else if (!v5 && connect.client_id.empty() && connect.clean_start &&
                 e.profile.accept_empty_client_id_v311) {
        rules.push_back({V::v3_1_1, "MQTT-3.1.3-6"});
        verdict.judge({V::v3_1_1, "MQTT-3.1.3-6"});
        because = "the broker's profile (" + e.profile.name +
                  ") accepts an empty client id with Clean Session 1";
      }
    } else if (v5 && code == 0x8C && !connect.properties.authentication_method) {
      because = "the CONNECT named no authentication method";
    } else if (v5 && code == 0x9A &&
               (e.profile.retain_available || !connect.will || !connect.will->retain)) {
      because = e.profile.retain_available ? "the broker supports retained messages"
                                           : "the CONNECT had no retained will";
    } else if (v5 && code == 0x9B &&
               (!connect.will ||
                static_cast<std::uint8_t>(connect.will->qos) <= e.profile.maximum_qos)) {
      because = "the CONNECT had no will above the broker's Maximum QoS " +
                std::to_string(e.profile.maximum_qos);
    }
    if (because.empty()) return;
    report(e, verdict, std::move(rules), c.packets[*c.connect].index, c.packets[*c.connack].index,
           "the broker refused " + who(connect) + " at " + at(c.packets[*c.connack].time) +
               " with code " + hex(code) + ", though " + because);
  }

  // A CONNECT with an Authentication Method refused: the connection closes.
  static void judge_close_after_refused_method(const Evidence& e, const ConnectionView& c,
                                               Verdict& verdict) {
    const codec::Connack& ack = *c.connack_packet();
    if (ack.code < 0x80 || !c.connect_packet()->properties.authentication_method) return;
    const SeenPacket& sent = c.packets[*c.connack];
    const bool broker_closed = c.closed_index && (c.close_reason == trace::CloseReason::graceful ||
                                                  c.close_reason == trace::CloseReason::aborted);
    const TimePoint deadline = sent.time + close_grace;
    if (c.closed_index && !broker_closed && *c.closed_at <= deadline) return;  // the client's close
    if (!c.closed_index && e.seen.end_time < deadline) return;                 // the run ended
    std::vector<SpecRef> rules{{V::v5_0, "MQTT-4.12.0-4"}};
    if (ack.code == 0x8C || ack.code == 0x87) rules.push_back({V::v5_0, "MQTT-4.12.0-1"});
    for (const SpecRef& rule : rules) verdict.judge(rule);
    if (c.closed_index && *c.closed_at <= deadline) return;
    report(e, verdict, std::move(rules), sent.index,
           c.closed_index.value_or(e.seen.end_index.previous()),
           "the broker refused the authentication of " + who(*c.connect_packet()) +
               " with CONNACK code " + hex(ack.code) + " at " + at(sent.time) + " and " +
               (c.closed_index ? "closed the connection only at " + at(*c.closed_at)
                               : std::string{"never closed the connection"}));
  }

  static void judge_authentication(const Evidence& e, const ConnectionView& c, Verdict& verdict) {
    const codec::Connect& connect = *c.connect_packet();
    const codec::Connack& ack = *c.connack_packet();
    const SeenPacket& answered = c.packets[*c.connack];
    if (connect.properties.authentication_method) {
      if (ack.code != 0) return;
      const SpecRef rule{V::v5_0, "MQTT-4.12.0-5"};
      verdict.judge(rule);
      if (ack.properties.authentication_method == connect.properties.authentication_method) return;
      report(e, verdict, {rule}, c.packets[*c.connect].index, answered.index,
             "the broker accepted " + who(connect) + ", who authenticated with method \"" +
                 *connect.properties.authentication_method + "\", with a CONNACK at " +
                 at(answered.time) + " that " +
                 (ack.properties.authentication_method
                      ? "names method \"" + *ack.properties.authentication_method + "\""
                      : std::string{"names no authentication method"}));
      return;
    }
    const SpecRef rule{V::v5_0, "MQTT-4.12.0-6"};
    verdict.judge(rule);
    if (ack.properties.authentication_method || ack.properties.authentication_data) {
      report(e, verdict, {rule}, c.packets[*c.connect].index, answered.index,
             "the broker's CONNACK to " + who(connect) + " at " + at(answered.time) +
                 " carries authentication properties, though its CONNECT named no "
                 "authentication method");
      return;
    }
    for (const SeenPacket& p : c.packets) {
      if (!p.to_client() || !std::holds_alternative<codec::Auth>(p.packet)) continue;
      report(e, verdict, {rule}, c.packets[*c.connect].index, p.index,
             "the broker sent AUTH to " + who(connect) + " at " + at(p.time) +
                 ", though its CONNECT named no authentication method");
      return;
    }
  }
};

}  // namespace

std::unique_ptr<Checker> connect_accept_checker() { return std::make_unique<ConnectAccept>(); }

}  // namespace mqttsim::oracle
