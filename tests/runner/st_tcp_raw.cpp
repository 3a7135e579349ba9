// send_raw over TCP: TcpClient's raw mode against the reference broker
// served over real TCP. Bytes written past the session reach the broker's
// socket as they are; the broker's answers on a raw connection are recorded
// and kept for `expect ... closed` as in simulation (VirtualClient); and the
// bytes at the broker's socket are in the trace, so the oracle's bad-input
// check judges what the broker did with them.

#include <boost/test/unit_test.hpp>

#include "tcp_fixture.hpp"

using namespace mqttsim;
using mqttsim::testing::play_over_tcp;
using mqttsim::testing::Played;

namespace {

// How many trace events of `kind` by `actor` come before the first one
// whose detail holds `text` (the trace's size when there is none).
std::size_t index_of(const Played& played, trace::EventKind kind, std::string_view actor,
                     std::string_view text) {
  const auto& events = played.result.trace.events();
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (events[i].kind == kind && events[i].actor == actor &&
        trace::describe(events[i]).find(text) != std::string::npos) {
      return i;
    }
  }
  return events.size();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_tcp_raw)

BOOST_AUTO_TEST_CASE(malformed_packet_on_the_sessions_connection_is_closed_and_judged) {
  // A PUBLISH whose topic name holds a wildcard, on app's accepted
  // connection: the broker closes it and delivers nothing.
  const Played played = play_over_tcp(R"(
name: malformed PUBLISH on the session's connection
protocol: 3.1.1
clients:
  watcher:
  app:
steps:
  - connect: watcher
  - subscribe: watcher
    filter: "#"
  - connect: app
  - send_raw: app
    bytes: "30 08 00 03 61 2f 23 62 61 64"
  - expect: app
    closed: true
    within: 2s
  - expect: watcher
    no_messages: true
    within: 1s
)");
  BOOST_TEST(played.result.passed(), played.failure());
  BOOST_TEST(played.verdict.violations.empty());
  BOOST_TEST(played.count(trace::EventKind::note, "app", "raw bytes sent (10)") == 1u);
  // The broker's side read the bytes that reached its socket and closed.
  BOOST_TEST(played.count(trace::EventKind::note, "broker", "undecodable bytes from the client") ==
             1u);
  BOOST_TEST(played.count(trace::EventKind::close, "broker") >= 1u);
  // The oracle found the bad input in the trace and judged the close rule
  // (3.1.1 MQTT-4.8.0-1); without the broker's `bytes` events it could not.
  BOOST_TEST(played.count(trace::EventKind::bytes, "broker") >= 3u);
  BOOST_TEST(played.judged(ProtocolVersion::v3_1_1, "MQTT-4.8.0-1"));
}

BOOST_AUTO_TEST_CASE(second_connect_on_the_sessions_connection_is_judged_as_bad_input) {
  // 3.1.1: the broker closes without a DISCONNECT, a little after the
  // second CONNECT in real time; the oracle must judge that close as the
  // answer to the bad input, not as a keep-alive timeout.
  const Played played = play_over_tcp(R"(
name: second CONNECT on the session's connection
protocol: 3.1.1
clients:
  device:
steps:
  - connect: device
  - send_raw: device
    bytes: "10 12 00 04 4d 51 54 54 04 02 00 3c 00 06 64 65 76 69 63 65"
  - expect: device
    closed: true
    within: 2s
)");
  BOOST_TEST(played.result.passed(), played.failure());
  BOOST_TEST(played.verdict.violations.empty());
  BOOST_TEST(played.count(trace::EventKind::packet, "broker", "CONNECT") == 2u);
  BOOST_TEST(played.judged(ProtocolVersion::v3_1_1, "MQTT-3.1.0-2"));
}

BOOST_AUTO_TEST_CASE(raw_connect_on_a_new_connection_gets_its_connack_recorded_and_judged) {
  // A zero-length client id with Clean Session 0: CONNACK 0x02, then the
  // close. The session is not told of the raw connection, so a later
  // `connect` on the same client starts from an offline session.
  const Played played = play_over_tcp(R"(
name: raw CONNECT refused
protocol: 3.1.1
clients:
  nameless:
steps:
  - send_raw: nameless
    new_connection: true
    bytes: "10 0c 00 04 4d 51 54 54 04 00 00 3c 00 00"
  - expect: nameless
    closed: {connack: identifier_rejected}
    within: 2s
  - connect: nameless
    expect_session_present: false
)");
  BOOST_TEST(played.result.passed(), played.failure());
  BOOST_TEST(played.verdict.violations.empty());
  BOOST_TEST(played.count(trace::EventKind::note, "nameless", "raw connection: the session") == 1u);
  BOOST_TEST(played.count(trace::EventKind::note, "nameless", "raw bytes sent (14)") == 1u);
  BOOST_TEST(played.count(trace::EventKind::note, "nameless", "raw connection closed") == 1u);
  // Recorded on both sides: the refusing CONNACK and the session's later one.
  BOOST_TEST(played.count(trace::EventKind::packet, "nameless", "CONNACK") == 2u);
  BOOST_TEST(played.count(trace::EventKind::packet, "broker", "CONNACK") == 2u);
  // The session sent exactly one CONNECT: the raw one is not its own.
  BOOST_TEST(played.count(trace::EventKind::packet, "nameless", "CONNECT") == 1u);
  // The refusal's close rule, judged from the broker's side of the raw
  // connection: CONNACK 0x02 and its close.
  BOOST_TEST(played.judged(ProtocolVersion::v3_1_1, "MQTT-3.2.2-5"));
}

BOOST_AUTO_TEST_CASE(raw_5_0_connection_keeps_the_servers_disconnect_reason) {
  // An accepted raw 5.0 CONNECT, then a second CONNECT on it: the broker
  // sends DISCONNECT 0x82 (protocol error) and closes.
  const Played played = play_over_tcp(R"(
name: second raw CONNECT
protocol: 5.0
clients:
  raw5:
steps:
  - send_raw: raw5
    new_connection: true
    bytes: "10 11 00 04 4d 51 54 54 05 02 00 3c 00 00 04 72 61 77 35"
  - wait: 500ms
  - send_raw: raw5
    bytes: "10 11 00 04 4d 51 54 54 05 02 00 3c 00 00 04 72 61 77 35"
  - expect: raw5
    closed: {reason: protocol_error}
    within: 2s
)");
  BOOST_TEST(played.result.passed(), played.failure());
  BOOST_TEST(played.verdict.violations.empty());
  BOOST_TEST(played.count(trace::EventKind::packet, "raw5", "DISCONNECT") == 1u);
  BOOST_TEST(played.judged(ProtocolVersion::v5_0, "MQTT-3.1.0-2"));
}

BOOST_AUTO_TEST_CASE(the_brokers_side_reads_its_answers_in_the_version_of_the_raw_connect) {
  // A 3.1.1 client writes a 5.0 CONNECT: the broker's side records its
  // CONNACK as 5.0, as the broker wrote it. The client's own reading is in
  // its session's version, as in simulation, and cannot read it.
  const Played played = play_over_tcp(R"(
name: 5.0 CONNECT from a 3.1.1 client
protocol: 3.1.1
clients:
  r:
steps:
  - send_raw: r
    new_connection: true
    bytes: "10 11 00 04 4d 51 54 54 05 02 00 3c 00 00 04 72 61 77 35"
  - wait: 1s
)");
  BOOST_TEST(played.result.passed(), played.failure());
  BOOST_TEST(played.verdict.violations.empty());
  const std::size_t connack = index_of(played, trace::EventKind::packet, "broker", "CONNACK");
  BOOST_TEST_REQUIRE(connack < played.result.trace.size());
  BOOST_TEST((played.result.trace[connack].protocol == ProtocolVersion::v5_0));
  BOOST_TEST(played.count(trace::EventKind::note, "r", "undecodable bytes from the broker") == 1u);
}

BOOST_AUTO_TEST_CASE(raw_bytes_written_before_the_connection_is_up_follow_in_order) {
  // The second write comes at once, before the TCP connection is up: it
  // waits for the first, so the broker reads CONNECT then PINGREQ.
  const Played played = play_over_tcp(R"(
name: pipelined raw writes
protocol: 3.1.1
clients:
  r:
steps:
  - send_raw: r
    new_connection: true
    bytes: "10 0d 00 04 4d 51 54 54 04 02 00 3c 00 01 72"
  - send_raw: r
    bytes: "c0 00"
  - wait: 1s
)");
  BOOST_TEST(played.result.passed(), played.failure());
  BOOST_TEST(played.verdict.violations.empty());
  BOOST_TEST(played.count(trace::EventKind::note, "r", "raw bytes sent") == 2u);
  BOOST_TEST(played.count(trace::EventKind::note, "r", "raw bytes not sent") == 0u);
  const std::size_t connack = index_of(played, trace::EventKind::packet, "r", "CONNACK");
  const std::size_t pingresp = index_of(played, trace::EventKind::packet, "r", "PINGRESP");
  BOOST_TEST(connack < pingresp);
  BOOST_TEST(pingresp < played.result.trace.size());
}

BOOST_AUTO_TEST_CASE(send_raw_after_the_connection_ended_fails_the_step) {
  const Played played = play_over_tcp(R"(
name: nowhere to write
protocol: 3.1.1
clients:
  c:
steps:
  - connect: c
  - drop: c
  - expect: c
    closed: true
    within: 1s
  - send_raw: c
    bytes: "c0 00"
)");
  BOOST_TEST(!played.result.passed());
  BOOST_TEST(!played.result.skipped);
  BOOST_TEST(played.failure().find("c has no open connection to write to") != std::string::npos,
             played.failure());
}

BOOST_AUTO_TEST_CASE(a_wrong_expectation_about_a_raw_connection_fails) {
  // Protocol level 6 gets CONNACK 0x01, not 0x02: the expectation is wrong
  // and the step fails, saying what was seen.
  const Played played = play_over_tcp(R"(
name: wrong CONNACK expected
protocol: 3.1.1
clients:
  future:
steps:
  - send_raw: future
    new_connection: true
    bytes: "10 12 00 04 4d 51 54 54 06 02 00 3c 00 06 66 75 74 75 72 65"
  - expect: future
    closed: {connack: identifier_rejected}
    within: 1s
)");
  BOOST_TEST(!played.result.passed());
  BOOST_TEST(!played.result.skipped);
  BOOST_TEST(played.failure().find("CONNACK code 1") != std::string::npos, played.failure());
  BOOST_TEST(played.verdict.violations.empty());  // the broker did right
}

BOOST_AUTO_TEST_SUITE_END()
