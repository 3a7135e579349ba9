// Seen from outside (mqttsim check, explore --broker), a client's
// acknowledgement recorded just before the harness reset its connection
// may never have been read: the reset discards what the broker had not
// read yet (trace::Mark::output_may_be_unseen marks such a close). The broker
// then rightly sends the message again on the next connection. Found by
// explore --broker against an ASan-built mqttsim serve (seed 15). The
// flow checkers must read such an acknowledgement as "may not have
// arrived", and still judge a broker that did read it: one that never
// resends it is done with it, not still delivering (found by mqttsim check
// against Mosquitto: a lost queue excused as "pending" for ever).
#include <boost/test/unit_test.hpp>

#include "flow_breaks.hpp"
#include "oracle/oracle.hpp"

using namespace mqttsim;
using namespace mqttsim::testing;

namespace {

// "sub" is 100 ms away. Three QoS 1 copies are on their way to it when its
// link is reset; it comes back (clean session 0) after "m4" was queued.
const std::string reset_in_flight = R"(name: a reset with QoS 1 copies in flight
protocol: 3.1.1
clients:
  sub:
    network: {latency: 100ms}
  pub:
steps:
  - connect: sub
    clean_session: false
  - subscribe: sub
    filter: t/#
    qos: 1
  - connect: pub
  - publish: pub
    topic: t/a
    qos: 1
    payload: "m{n}"
    count: 3
    interval: 10ms
  - drop: sub
  - wait: 1s
  - publish: pub
    topic: t/a
    qos: 1
    payload: m4
  - wait: 1s
  - connect: sub
    clean_session: false
  - wait: 3s
)";

// The same with "sub" next door: it acknowledges m1..m3 before its link
// is reset.
const std::string reset_after_acks = [] {
  std::string text = reset_in_flight;
  text.replace(text.find("network: {latency: 100ms}"), 25, "network: {latency: 1ms}");
  const std::string drop = "  - drop: sub\n";
  text.replace(text.find(drop), drop.size(), "  - wait: 1s\n" + drop);
  return text;
}();

enum class Seen : bool { from_inside, from_outside };

// `played` with `ack` (if any) received from the client on `old` just
// before the broker's close of `old`. From outside, as a harness records
// it: the note that says so comes first, and that close is marked as a
// harness reset that may have left the broker's output unread.
trace::Trace recorded(const trace::Trace& played, trace::ConnectionId old,
                      std::optional<codec::Packet> ack, Seen seen) {
  trace::Trace out;
  if (seen == Seen::from_outside) {
    out.append(observed_from_outside_note());
  }
  std::optional<trace::TraceEvent> receipt;  // a packet the broker read on `old`
  bool closed = false;
  for (const trace::TraceEvent& event : played.events()) {
    const bool on_old = event.actor == "broker" && event.connection == old;
    if (on_old && event.kind == trace::EventKind::packet &&
        event.direction == trace::Direction::client_to_broker) {
      receipt = event;
    }
    if (on_old && event.kind == trace::EventKind::close && !closed) {
      BOOST_TEST_REQUIRE(receipt.has_value());
      if (ack) {
        trace::TraceEvent late = *receipt;
        late.time = event.time;
        late.bytes = codec::encode(*ack, *late.protocol);
        late.detail = "acknowledgement just before the reset";
        out.append(std::move(late));
      }
      trace::TraceEvent reset = event;
      if (seen == Seen::from_outside) reset.mark = trace::Mark::output_may_be_unseen;
      out.append(std::move(reset));
      closed = true;
      continue;
    }
    out.append(event);
  }
  BOOST_TEST_REQUIRE(closed);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_reset_race)

BOOST_AUTO_TEST_CASE(an_ack_just_before_a_harness_reset_may_have_gone_unread) {
  // The broker never read the PUBACK of m1 and sent m1 again with DUP=1.
  const auto played = play_text(reset_in_flight);
  BOOST_TEST_REQUIRE(played.verdict.violations.empty());
  const auto m1 = first_sent(played.trace, "m1");
  BOOST_TEST_REQUIRE(m1.has_value());
  const codec::Packet ack = codec::Puback{.packet_id = m1->packet_id};
  const oracle::Verdict outside =
      oracle::judge(recorded(played.trace, m1->connection, ack, Seen::from_outside), Profile{});
  for (const auto& v : outside.violations) BOOST_TEST(false, v.check + ": " + v.message);
  // Recorded by the broker itself, the PUBACK was read: the DUP=1 copy on
  // the next connection is a first attempt with DUP=1 (MQTT-3.3.1-3).
  const oracle::Verdict inside =
      oracle::judge(recorded(played.trace, m1->connection, ack, Seen::from_inside), Profile{});
  BOOST_TEST(count_of(inside, "dup-flag") == 1u);
}

BOOST_AUTO_TEST_CASE(a_message_lost_after_an_ack_in_doubt_is_still_caught) {
  // The broker read the PUBACKs (it sends none of m1..m3 again) and loses
  // m4, queued while sub was offline. The acknowledgements in doubt must
  // not leave m1..m3 "still being delivered" at the end, which would
  // excuse the loss as pending.
  const auto played = play_text(reset_after_acks, never_send_publishes([](const codec::Publish& p) {
                                  return p.payload == codec::Bytes{'m', '4'};
                                }));
  const auto m1 = first_sent(played.trace, "m1");
  BOOST_TEST_REQUIRE(m1.has_value());
  const oracle::Verdict verdict = oracle::judge(
      recorded(played.trace, m1->connection, std::nullopt, Seen::from_outside), Profile{});
  const auto lost = std::count_if(
      verdict.violations.begin(), verdict.violations.end(), [](const oracle::Violation& v) {
        return v.check == "no-loss" && v.message.find("\"m4\"") != std::string::npos;
      });
  BOOST_TEST(lost == 1);
  for (const auto& r : verdict.remarks) {
    BOOST_TEST(r.message.find("pending") == std::string::npos, r.check + ": " + r.message);
  }
}

BOOST_AUTO_TEST_SUITE_END()
