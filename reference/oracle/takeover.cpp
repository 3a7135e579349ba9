// Takeover (3.1.1 §3.1.4, 5.0 §3.1.4).
//
// When a CONNECT arrives for a client id whose earlier connection is still
// open, and the broker accepts it, the broker must close the old connection
// (3.1.1 MQTT-3.1.4-2, 5.0 MQTT-3.1.4-3), and it must stop serving it: no
// message goes out on the old connection once the new one is accepted.
// In 5.0 the broker sends the old client DISCONNECT 0x8E "Session taken
// over" first; the statement's MUST is the close, so a missing or different
// DISCONNECT is a remark. Whether the session was continued or discarded is
// what Session Present says, judged by the session-present checker; what
// reaches the new connection afterwards is the message checkers'.
//
// Seen from outside, a PUBLISH the harness read on the old connection after
// the new CONNACK is judged only when the broker received its message after
// that CONNACK (see surely_written_after).
//
// A close is in time when the old connection ends within a second of the
// new CONNECT (the reference broker closes it at once; a real broker may
// take a moment); a run that ends sooner is not judged.

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "oracle/checkers.hpp"
#include "oracle/message_flow.hpp"

namespace mqttsim::oracle {

namespace {

using V = ProtocolVersion;

constexpr SpecRef v311_close_old{V::v3_1_1, "MQTT-3.1.4-2"};
constexpr SpecRef v5_close_old{V::v5_0, "MQTT-3.1.4-3"};

constexpr Duration close_grace = Duration::from_s(1);

// Whether the broker wrote `sent`, recorded on the old connection after
// the new connection's CONNACK at `accepted`, after that CONNACK. The
// broker's own record says so. Seen from outside, the harness reads each
// socket in whatever order it gets to it, and what the broker wrote on the
// old connection just before the takeover may be read after the CONNACK
// (found by explore --broker against an ASan-built mqttsim serve, seed
// 16). It is surely later only when the message reached the broker after
// the harness had read that CONNACK.
bool surely_written_after(const Evidence& e, const SeenPacket& sent, TraceIndex accepted) {
  if (!e.seen.from_outside) return true;
  const auto& deliveries = e.messages.deliveries;
  const auto d = std::lower_bound(
      deliveries.begin(), deliveries.end(), sent.index,
      [](const Delivery& delivery, TraceIndex index) { return delivery.index < index; });
  if (d == deliveries.end() || d->index != sent.index) return false;
  const auto& message =
      flow_of(e)
          .deliveries[DeliveryIndex{static_cast<std::size_t>(d - deliveries.begin())}]
          .message;
  return message && flow_of(e).messages[*message].routed_from > accepted;
}

class Takeover final : public Checker {
 public:
  std::string_view name() const override { return "takeover"; }

  void judge(const Evidence& e, Verdict& verdict) const override {
    // The accepted connections of each client id, in order of appearance:
    // a takeover pairs two of them.
    std::map<std::string, std::vector<const ConnectionView*>> by_client;
    for (const ConnectionView& c : e.seen.connections) {
      if (c.accepted()) by_client[c.client_id()].push_back(&c);
    }
    for (const ConnectionView& fresh : e.seen.connections) {
      if (!fresh.accepted()) continue;
      for (const ConnectionView* old : by_client.at(fresh.client_id())) {
        if (old != &fresh) judge_pair(e, *old, fresh, verdict);
      }
    }
  }

 private:
  static void judge_pair(const Evidence& e, const ConnectionView& old, const ConnectionView& fresh,
                         Verdict& verdict) {
    const SeenPacket& connect = fresh.packets[*fresh.connect];
    const TraceIndex old_accepted = old.packets[*old.connack].index;
    // A takeover: the old connection was accepted before the new CONNECT
    // and the broker had not seen it close.
    if (old_accepted >= connect.index) return;
    if (old.closed_index && *old.closed_index < connect.index) return;
    const SpecRef rule = old.version == V::v5_0 ? v5_close_old : v311_close_old;
    const std::string who = "client \"" + fresh.client_id() + "\"";
    const TimePoint deadline = connect.time + close_grace;
    const bool closed_in_time = old.closed_at && *old.closed_at <= deadline;
    if (!closed_in_time && e.seen.end_time < deadline) return;  // the run ended first
    verdict.judge(rule);
    const TraceIndex fresh_accepted = fresh.packets[*fresh.connack].index;
    if (!closed_in_time) {
      verdict.violations.push_back(violation(
          e, "takeover", {rule}, connect.index, fresh_accepted,
          "a new connection of " + who + " connected at " + at(connect.time) + ", but the broker " +
              (old.closed_at ? "closed the old one only at " + at(*old.closed_at)
                             : std::string{"never closed the old one"})));
      return;
    }
    for (const SeenPacket& p : old.packets) {
      if (p.to_client() && p.index > fresh_accepted &&
          std::holds_alternative<codec::Publish>(p.packet) &&
          surely_written_after(e, p, fresh_accepted)) {
        verdict.violations.push_back(violation(
            e, "takeover", {rule}, connect.index, p.index,
            "the broker accepted a new connection of " + who + " at " +
                at(fresh.packets[*fresh.connack].time) + " but then still sent " +
                describe(std::get<codec::Publish>(p.packet)) + " on the old one at " + at(p.time)));
        return;
      }
    }
    if (old.version == V::v5_0) {
      const codec::Disconnect* sent =
          old.server_disconnect
              ? std::get_if<codec::Disconnect>(&old.packets[*old.server_disconnect].packet)
              : nullptr;
      if (sent == nullptr || sent->reason_code != codec::ReasonCode::session_taken_over) {
        verdict.remarks.push_back(
            {"takeover", "the old connection of " + who + " was closed at " + at(*old.closed_at) +
                             " without DISCONNECT 0x8E (Session taken over)"});
      }
    }
  }
};

}  // namespace

std::unique_ptr<Checker> takeover_checker() { return std::make_unique<Takeover>(); }

}  // namespace mqttsim::oracle
