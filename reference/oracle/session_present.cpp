// Session present: every accepted CONNACK says truly whether the broker held
// a session for the client id (3.1.1 MQTT-3.2.2-1..-3, 5.0 MQTT-3.2.2-2,
// -3), and a refused one says 0 (3.1.1 MQTT-3.2.2-4, 5.0 MQTT-3.2.2-6).
//
// Whether a session was held is worked out here from the client's own
// connections, not from the broker's answers: a session exists after an
// accepted connection with Clean Session 0 (3.1.1), or with a Session
// Expiry Interval above 0 (5.0), until a later connection starts clean, its
// Session Expiry Interval runs out after the connection closed (5.0
// MQTT-3.1.2-23), or a restart loses the broker's state. Reconnects too
// close to an expiry to call (real time against a real broker), reconnects
// between the expiry counted from a restart that closed the connection and
// the expiry counted from when the broker was back, and takeovers of a
// session that was to end with its connection are left unjudged.

#include <algorithm>
#include <map>

#include "oracle/checkers.hpp"

namespace mqttsim::oracle {

namespace {

constexpr SpecRef v311_clean{ProtocolVersion::v3_1_1, "MQTT-3.2.2-1"};
constexpr SpecRef v311_held{ProtocolVersion::v3_1_1, "MQTT-3.2.2-2"};
constexpr SpecRef v311_none{ProtocolVersion::v3_1_1, "MQTT-3.2.2-3"};
constexpr SpecRef v311_refused{ProtocolVersion::v3_1_1, "MQTT-3.2.2-4"};
constexpr SpecRef v5_clean{ProtocolVersion::v5_0, "MQTT-3.2.2-2"};
constexpr SpecRef v5_resume{ProtocolVersion::v5_0, "MQTT-3.2.2-3"};
constexpr SpecRef v5_refused{ProtocolVersion::v5_0, "MQTT-3.2.2-6"};
constexpr SpecRef v5_expiry{ProtocolVersion::v5_0, "MQTT-3.1.2-23"};

// Expiry boundaries closer than this to a CONNECT are not judged: a real
// broker's timers and the proxy's clock disagree by a little.
constexpr Duration expiry_slack = Duration::from_ms(500);
constexpr std::uint32_t never_expires = 0xFFFF'FFFF;

TraceIndex connack_index(const ConnectionView& c) { return c.packets[*c.connack].index; }

// Whether the broker held a session when a CONNECT arrived, and why.
struct Expectation {
  std::optional<bool> held;  // nullopt: cannot be called
  std::string because;
};

Expectation expectation(const Evidence& e, const ConnectionView* previous,
                        const ConnectionView& c) {
  if (previous == nullptr) return {false, "it had never connected before"};
  const TraceIndex connect_index = c.packets[*c.connect].index;
  const TimePoint connect_time = c.packets[*c.connect].time;
  for (const Restart& restart : e.seen.restarts) {
    if (restart.state_lost && restart.index > connack_index(*previous) &&
        restart.index < connect_index) {
      return {false, "a restart at " + at(restart.time) + " lost the broker's state"};
    }
  }
  const bool v5 = c.version == ProtocolVersion::v5_0;
  const std::uint32_t expiry_s = v5 ? previous->session_expiry_s() : 0;
  const bool persistent = v5 ? expiry_s > 0 : !previous->connect_packet()->clean_start;
  const bool still_open = !previous->closed_index || *previous->closed_index > connect_index;
  if (still_open) {
    if (persistent) return {true, "its session was open on another connection (a takeover)"};
    return {std::nullopt, "a takeover of a session meant to end with its connection"};
  }
  if (!persistent) {
    return {false, std::string{"its previous connection, with "} +
                       (v5 ? "Session Expiry Interval 0" : "Clean Session 1") + ", closed at " +
                       at(*previous->closed_at)};
  }
  if (!v5 || expiry_s == never_expires) {
    return {true, "its session was kept after the previous connection closed at " +
                      at(*previous->closed_at)};
  }
  const Duration expiry = Duration::from_s(static_cast<std::int64_t>(expiry_s));
  const TimePoint expires_at = *previous->closed_at + expiry;
  const Duration margin =
      connect_time < expires_at ? expires_at - connect_time : connect_time - expires_at;
  if (margin < expiry_slack) return {std::nullopt, "too close to its expiry"};
  // A restart closed the connection: the broker never saw the close, and
  // may count the expiry from when it was back instead.
  if (const Restart* restart = e.seen.restart_that_closed(*previous);
      restart && connect_time > expires_at &&
      connect_time < restart->up_at + expiry + expiry_slack) {
    return {std::nullopt, "its connection was closed by the restart at " + at(restart->time) +
                              ", and the expiry may count from when the broker was back"};
  }
  if (connect_time < expires_at) {
    return {true, "its session (expiry " + std::to_string(expiry_s) + "s after the close at " +
                      at(*previous->closed_at) + ") had not expired"};
  }
  return {false, "its session expired at " + at(expires_at) + " (" + std::to_string(expiry_s) +
                     "s after the close at " + at(*previous->closed_at) + ")"};
}

class SessionPresent final : public Checker {
 public:
  std::string_view name() const override { return "session-present"; }

  void judge(const Evidence& e, Verdict& verdict) const override {
    // Connections that got a CONNACK, in the order the broker answered.
    std::vector<const ConnectionView*> answered;
    for (const ConnectionView& c : e.seen.connections) {
      if (c.connack && c.connect) answered.push_back(&c);
    }
    std::sort(answered.begin(), answered.end(),
              [](const auto* a, const auto* b) { return connack_index(*a) < connack_index(*b); });
    std::map<std::string, const ConnectionView*> last_accepted;
    for (const ConnectionView* c : answered) judge_one(e, *c, last_accepted, verdict);
  }

 private:
  static void judge_one(const Evidence& e, const ConnectionView& c,
                        std::map<std::string, const ConnectionView*>& last_accepted,
                        Verdict& verdict) {
    const codec::Connect& connect = *c.connect_packet();
    const codec::Connack& ack = *c.connack_packet();
    const bool v5 = c.version == ProtocolVersion::v5_0;
    const std::string who = "client \"" + connect.client_id + "\"";
    const std::string flag = v5 ? "Clean Start" : "Clean Session";
    const TraceIndex from = c.packets[*c.connect].index;
    const TraceIndex to = connack_index(c);
    const auto report = [&](SpecRef rule, std::string message) {
      verdict.violations.push_back(
          violation(e, "session-present", {rule}, from, to, std::move(message)));
    };
    if (ack.code != 0) {
      const SpecRef rule = v5 ? v5_refused : v311_refused;
      verdict.judge(rule);
      if (ack.session_present) {
        report(rule, "the broker refused " + who + " (code " + std::to_string(ack.code) +
                         ") with Session Present 1");
      }
      return;
    }
    if (connect.clean_start) {
      const SpecRef rule = v5 ? v5_clean : v311_clean;
      verdict.judge(rule);
      if (ack.session_present) {
        report(rule, who + " connected with " + flag + " 1 at " + at(c.packets[*c.connect].time) +
                         ", and the broker answered Session Present 1");
      }
    } else {
      const auto found = last_accepted.find(connect.client_id);
      const Expectation expected =
          expectation(e, found == last_accepted.end() ? nullptr : found->second, c);
      if (!expected.held) {
        verdict.remarks.push_back({"session-present", "Session Present of " + who + " at " +
                                                          at(c.packets[*c.connect].time) +
                                                          " not judged: " + expected.because});
      } else {
        const SpecRef rule = v5 ? v5_resume : (*expected.held ? v311_held : v311_none);
        verdict.judge(rule);
        if (v5 && expected.because.find("expired") != std::string::npos) verdict.judge(v5_expiry);
        if (ack.session_present != *expected.held) {
          std::vector<SpecRef> rules{rule};
          if (v5 && expected.because.find("expir") != std::string::npos) rules.push_back(v5_expiry);
          verdict.violations.push_back(violation(
              e, "session-present", rules, from, to,
              who + " reconnected with " + flag + " 0 at " + at(c.packets[*c.connect].time) +
                  "; the broker should " + (*expected.held ? "" : "not ") +
                  "have held a session, because " + expected.because +
                  ", but it answered Session Present " + (ack.session_present ? "1" : "0")));
        }
      }
    }
    last_accepted[connect.client_id] = &c;
  }
};

}  // namespace

std::unique_ptr<Checker> session_present_checker() { return std::make_unique<SessionPresent>(); }

}  // namespace mqttsim::oracle
