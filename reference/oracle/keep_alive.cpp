// Keep-alive (3.1.1 §3.1.2.10, §3.12; 5.0 §3.1.2.10, §3.2.2.3.14, §3.12).
//
// With a non-zero Keep Alive the server closes a connection from which it
// received nothing for 1.5 times the Keep Alive (3.1.1 MQTT-3.1.2-24, 5.0
// MQTT-3.1.2-22), and in 5.0 the Server Keep Alive of its CONNACK replaces
// the client's value (MQTT-3.2.2-22 when it sends none). Two ways to fail:
//
// - too late: the broker received nothing for longer than 1.5 x Keep Alive
//   (and a little slack) and the connection was still open;
// - too early: the broker closed the connection after a silence shorter than
//   that, with no other reason in sight. A keep-alive close is a close the
//   broker made on its own (a 5.0 DISCONNECT 0x8D "Keep alive timeout", or
//   a graceful close by the broker with no DISCONNECT of any other reason,
//   no takeover and no packet just received that it could have objected to).
//
// Every PINGREQ gets a PINGRESP (3.1.1 MQTT-3.12.4-1, 5.0 MQTT-3.12.4-1),
// unless the connection or the run ended within a second of it.
//
// "Received" means any bytes of the client that reached the broker, as the
// trace records them (partial packets count: a server hears bytes).

#include <algorithm>
#include <map>

#include "oracle/checkers.hpp"

namespace mqttsim::oracle {

namespace {

using V = ProtocolVersion;

constexpr SpecRef v311_timeout{V::v3_1_1, "MQTT-3.1.2-24"};
constexpr SpecRef v311_pingresp{V::v3_1_1, "MQTT-3.12.4-1"};
constexpr SpecRef v5_timeout{V::v5_0, "MQTT-3.1.2-22"};
constexpr SpecRef v5_client_value{V::v5_0, "MQTT-3.2.2-22"};
constexpr SpecRef v5_pingresp{V::v5_0, "MQTT-3.12.4-1"};

constexpr Duration slack = Duration::from_ms(500);
constexpr Duration answer_grace = Duration::from_s(1);

// When the broker heard from the client on each connection: every inbound
// packet or chunk of bytes the broker recorded, in trace order.
std::map<trace::ConnectionId, std::vector<TimePoint>> heard(const Observation& seen) {
  std::map<trace::ConnectionId, std::vector<TimePoint>> times;
  for (const trace::TraceEvent& event : seen.trace->events()) {
    if (event.actor != broker_actor || event.direction != trace::Direction::client_to_broker)
      continue;
    if (event.kind != trace::EventKind::packet && event.kind != trace::EventKind::bytes) continue;
    times[event.connection].push_back(event.time);
  }
  return times;
}

// The Keep Alive in force: 5.0 Server Keep Alive, else the client's.
std::uint16_t keep_alive_of(const ConnectionView& c) {
  if (c.version == V::v5_0) {
    if (const auto server = c.connack_packet()->properties.server_keep_alive) return *server;
  }
  return c.connect_packet()->keep_alive_s;
}

class KeepAlive final : public Checker {
 public:
  std::string_view name() const override { return "keep-alive"; }

  void judge(const Evidence& e, Verdict& verdict) const override {
    const auto times = heard(e.seen);
    for (const ConnectionView& c : e.seen.connections) {
      if (!c.accepted()) continue;
      judge_pings(e, c, verdict);
      const auto found = times.find(c.id);
      if (found != times.end()) judge_silence(e, c, found->second, verdict);
    }
  }

 private:
  static void judge_silence(const Evidence& e, const ConnectionView& c,
                            const std::vector<TimePoint>& heard_at, Verdict& verdict) {
    const bool v5 = c.version == V::v5_0;
    const std::uint16_t keep_alive_s = keep_alive_of(c);
    if (keep_alive_s == 0) return;
    const SpecRef rule = v5 ? v5_timeout : v311_timeout;
    std::vector<SpecRef> rules{rule};
    if (v5 && !c.connack_packet()->properties.server_keep_alive) rules.push_back(v5_client_value);
    const Duration limit = Duration::from_ms(std::int64_t{keep_alive_s} * 1'500);
    const std::string who =
        "client \"" + c.client_id() + "\" (Keep Alive " + std::to_string(keep_alive_s) + " s" +
        (v5 && c.connack_packet()->properties.server_keep_alive ? " from the Server Keep Alive"
                                                                : "") +
        ")";
    TimePoint open_until = c.closed_at.value_or(e.seen.end_time);
    for (const Restart& r : e.seen.restarts) {
      if (r.index > c.packets[*c.connack].index && r.time < open_until) open_until = r.time;
    }
    // Too late: a silence beyond the limit while the connection was open.
    for (std::size_t i = 0; i < heard_at.size(); ++i) {
      const TimePoint from = heard_at[i];
      if (from > open_until) break;
      const TimePoint to =
          i + 1 < heard_at.size() ? std::min(heard_at[i + 1], open_until) : open_until;
      if (to - from > limit + slack) {
        for (const SpecRef r : rules) verdict.judge(r);
        verdict.violations.push_back(
            violation(e, "keep-alive", rules, c.packets[*c.connect].index,
                      c.closed_index.value_or(e.seen.end_index.previous()),
                      "the broker heard nothing from " + who + " from " + at(from) + " to " +
                          at(to) + ", longer than 1.5 x Keep Alive, and kept the connection open"));
        return;
      }
    }
    // Too early: a close the broker made on its own after a shorter silence.
    if (!closed_for_keep_alive(e, c)) return;
    const auto last = std::find_if(heard_at.rbegin(), heard_at.rend(),
                                   [&](TimePoint t) { return t <= *c.closed_at; });
    if (last == heard_at.rend()) return;
    for (const SpecRef r : rules) verdict.judge(r);
    if (*c.closed_at - *last + slack < limit) {
      verdict.violations.push_back(
          violation(e, "keep-alive", rules,
                    TraceIndex{c.closed_index->value() > 8 ? c.closed_index->value() - 8 : 0},
                    *c.closed_index,
                    "the broker closed the connection of " + who + " at " + at(*c.closed_at) +
                        " for silence, but it had heard from the client at " + at(*last) +
                        ", less than 1.5 x Keep Alive before"));
    }
  }

  // Whether the broker closed `c` on its own, with nothing but silence to
  // explain it.
  static bool closed_for_keep_alive(const Evidence& e, const ConnectionView& c) {
    if (!c.closed_index || c.client_disconnect) return false;
    // Bad input from the client explains a close (the bad-input checker
    // judges that one).
    if (c.bad_input) return false;
    if (c.server_disconnect) {
      const auto& d = std::get<codec::Disconnect>(c.packets[*c.server_disconnect].packet);
      return d.reason_code == codec::ReasonCode::keep_alive_timeout;
    }
    if (c.close_reason != trace::CloseReason::graceful) return false;
    // A second CONNECT explains it too (MQTT-3.1.0-2, the bad-input
    // checker's). Against a real broker the close comes a little after it
    // in the trace's real time, so the same-moment rule below misses it.
    for (const PacketPosition i : c.packets.indices()) {
      if (i != *c.connect && c.packets[i].from_client() &&
          std::holds_alternative<codec::Connect>(c.packets[i].packet)) {
        return false;
      }
    }
    // A packet received at the very moment of the close may be what the
    // broker objected to.
    for (const SeenPacket& p : c.packets) {
      if (p.from_client() && p.time == *c.closed_at) return false;
    }
    for (const MalformedPacket& m : e.seen.malformed) {
      if (&e.seen.connections[m.connection] == &c) return false;
    }
    for (const Restart& r : e.seen.restarts) {
      if (r.time == *c.closed_at) return false;
    }
    // A takeover: another connection of the client id connected meanwhile.
    for (const ConnectionView& o : e.seen.connections) {
      if (&o == &c || !o.connect || o.client_id() != c.client_id()) continue;
      const TraceIndex at_index = o.packets[*o.connect].index;
      if (at_index > c.packets[*c.connect].index && at_index <= *c.closed_index) return false;
    }
    return true;
  }

  static void judge_pings(const Evidence& e, const ConnectionView& c, Verdict& verdict) {
    const SpecRef rule = c.version == V::v5_0 ? v5_pingresp : v311_pingresp;
    const TimePoint open_until = c.closed_at.value_or(e.seen.end_time);
    std::vector<const SeenPacket*> waiting;
    for (const SeenPacket& p : c.packets) {
      if (p.from_client() && std::holds_alternative<codec::Pingreq>(p.packet)) {
        waiting.push_back(&p);
      } else if (p.to_client() && std::holds_alternative<codec::Pingresp>(p.packet) &&
                 !waiting.empty()) {
        verdict.judge(rule);
        waiting.erase(waiting.begin());
      }
    }
    for (const SeenPacket* ping : waiting) {
      if (open_until - ping->time < answer_grace) continue;
      verdict.judge(rule);
      verdict.violations.push_back(violation(
          e, "keep-alive", {rule}, ping->index, c.closed_index.value_or(ping->index),
          "the broker never answered the PINGREQ of client \"" + c.client_id() + "\" at " +
              at(ping->time) + " with a PINGRESP, though the connection stayed open until " +
              at(open_until)));
      return;
    }
  }
};

}  // namespace

std::unique_ptr<Checker> keep_alive_checker() { return std::make_unique<KeepAlive>(); }

}  // namespace mqttsim::oracle
