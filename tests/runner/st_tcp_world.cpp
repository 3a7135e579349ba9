// TcpWorld end to end against the reference broker served over real TCP
// (transport::TcpBrokerServer, `mqttsim serve`'s server) on the same event
// loop: the scenarios that pass in simulation pass over TCP, the fault
// proxy's partition, reset, half-open and crash behave as the scenario
// language says, the trace holds the broker's side for the oracle, and the
// oracle finds nothing wrong with the reference broker.

#include <boost/test/unit_test.hpp>

#include "tcp_fixture.hpp"

using namespace mqttsim;
using mqttsim::testing::Played;

namespace {

Played play(const std::string& yaml, std::uint32_t scale_per_mille = 10'000) {
  return testing::play_over_tcp(yaml, scale_per_mille);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_tcp_world)

BOOST_AUTO_TEST_CASE(persistent_session_queue_passes_over_tcp) {
  const Played played = play(R"(
name: queued while offline
protocol: 3.1.1
clients:
  pub:
  sub:
steps:
  - connect: sub
    clean_session: false
  - subscribe: sub
    filter: t/#
    qos: 1
    expect_codes: [1]
  - disconnect: sub
  - connect: pub
  - publish: pub
    topic: t/a
    qos: 1
    payload: "m{n}"
    count: 3
  - wait: 1s
  - connect: sub
    clean_session: false
    expect_session_present: true
  - expect: sub
    messages:
      - {topic: t/a, payload: "m{n}", count: 3, qos: 1, retain: false, dup: false}
  - expect: sub
    no_messages: true
    within: 1s
)");
  BOOST_TEST(played.result.passed(), played.failure());
  BOOST_TEST(played.verdict.violations.empty());
  // The broker's side was recorded for the oracle: its CONNACKs, among others.
  BOOST_TEST(played.count(trace::EventKind::packet, "broker", "CONNACK") == 3u);
  BOOST_TEST(played.count(trace::EventKind::packet, "sub", "PUBLISH") == 3u);
}

BOOST_AUTO_TEST_CASE(partition_holds_bytes_until_heal_then_delivers) {
  // While sub is cut off, the broker's PUBLISH cannot reach it; after heal
  // the retransmission delivers it (a TCP black hole, not lost bytes).
  const Played played = play(R"(
name: partition then heal
protocol: 3.1.1
clients:
  pub:
  sub:
    network: {rto_initial: 100ms}
steps:
  - connect: sub
  - subscribe: sub
    filter: t/#
    qos: 1
  - connect: pub
  - partition: sub
  - publish: pub
    topic: t/a
    qos: 1
    payload: held
  - expect: sub
    no_messages: true
    within: 2s
  - heal: sub
  - expect: sub
    messages:
      - {topic: t/a, payload: held, qos: 1}
    within: 10s
)");
  BOOST_TEST(played.result.passed(), played.failure());
  BOOST_TEST(played.count(trace::EventKind::note, "proxy", "(partition)") >= 1u);
  BOOST_TEST(played.count(trace::EventKind::fault, "proxy", "clients=sub") == 2u);
}

BOOST_AUTO_TEST_CASE(drop_resets_both_ends_and_the_session_survives) {
  const Played played = play(R"(
name: drop
protocol: 3.1.1
clients:
  pub:
  sub:
steps:
  - connect: sub
    clean_session: false
  - subscribe: sub
    filter: t/#
    qos: 1
  - drop: sub
    broker_notice_delay: 200ms
  - expect: sub
    closed: true
    within: 1s
  - wait: 1s
  - connect: pub
  - publish: pub
    topic: t/a
    qos: 1
    payload: kept
  - wait: 1s
  - connect: sub
    clean_session: false
    expect_session_present: true
  - expect: sub
    messages:
      - {topic: t/a, payload: kept, qos: 1}
)");
  BOOST_TEST(played.result.passed(), played.failure());
  BOOST_TEST(played.verdict.violations.empty());
  BOOST_TEST(played.count(trace::EventKind::fault, "proxy", "broker_notice_us=20000") == 1u);
  BOOST_TEST(played.count(trace::EventKind::close, "broker") >= 1u);
}

BOOST_AUTO_TEST_CASE(half_open_noticed_by_broker_leaves_the_client_to_its_keep_alive) {
  // The broker gets an RST and publishes the will; the client is told
  // nothing and finds out only when its PINGREQ goes unanswered (1 s
  // keep-alive, real time: the wire interval is not scaled).
  const Played played = play(R"(
name: half-open, broker notices
protocol: 3.1.1
clients:
  device:
  monitor:
steps:
  - connect: monitor
  - subscribe: monitor
    filter: status/#
    qos: 1
  - connect: device
    keep_alive: 1s
    will: {topic: status/device, payload: gone, qos: 1}
  - half_open: device
    noticed_by: broker
  - expect: monitor
    messages:
      - {will_of: device, qos: 1}
    within: 10s
  - expect: device
    closed: true
    within: 60s
)",
                             1'000);
  BOOST_TEST(played.result.passed(), played.failure());
  BOOST_TEST(played.count(trace::EventKind::fault, "proxy", "learner=broker") == 1u);
  BOOST_TEST(played.count(trace::EventKind::timer, "device") >= 1u);
}

BOOST_AUTO_TEST_CASE(half_open_noticed_by_client_keeps_the_broker_socket_silent) {
  // The client learns at once; the broker's socket stays open, so the
  // broker publishes no will until its keep-alive (1.5 x 1 s) runs out.
  const Played played = play(R"(
name: half-open, client notices
protocol: 3.1.1
clients:
  device:
  monitor:
steps:
  - connect: monitor
  - subscribe: monitor
    filter: status/#
    qos: 1
  - connect: device
    keep_alive: 1s
    will: {topic: status/device, payload: gone, qos: 1}
  - half_open: device
    noticed_by: client
  - expect: device
    closed: true
    within: 1s
  - expect: monitor
    messages:
      - {will_of: device, qos: 1}
    within: 10s
)",
                             1'000);
  BOOST_TEST(played.result.passed(), played.failure());
  BOOST_TEST(played.count(trace::EventKind::note, "proxy", "stays open and silent") == 1u);
}

BOOST_AUTO_TEST_CASE(broker_restart_without_a_command_is_skipped_with_the_reason) {
  const Played played = play(R"(
name: restart
protocol: 3.1.1
clients:
  c:
steps:
  - connect: c
  - broker_restart:
)");
  BOOST_TEST(played.result.skipped);
  BOOST_TEST(!played.result.passed());
  BOOST_TEST(played.result.skip_reason.find("--restart-cmd") != std::string::npos);
  BOOST_TEST(played.count(trace::EventKind::packet, "c") == 0u);  // nothing was played
}

BOOST_AUTO_TEST_CASE(a_scaled_run_skips_only_intervals_that_can_run_out) {
  // Scaled 20 times, a scenario of 100 s: a Session Expiry of 10 s is what
  // it is timed around (skipped: the broker's clock is not scaled); one of
  // an hour can never run out in it, scaled or not (played). Unscaled,
  // nothing is skipped; with the length unknown, any interval is skipped.
  const scenario::Scenario loaded = scenario::load_scenario_text(R"(
name: expiry
protocol: 5.0
clients:
  c:
steps:
  - connect: c
    clean_start: false
    session_expiry: 10s
  - connect: c
    clean_start: false
    session_expiry: 1h
)",
                                                                 "expiry.yaml");
  const auto skip_reason = [&](std::uint32_t scale, std::optional<Duration> length,
                               std::size_t step) {
    transport::EventLoop loop;
    runner::TcpTarget target;
    target.scale = runner::TimeScale{scale};
    target.scenario_length = length;
    const runner::TcpWorld world{loaded, loop, target};
    return world.cannot_play(loaded.steps.at(step).action);
  };
  const auto hundred_seconds = std::optional{Duration::from_s(100)};
  const auto short_expiry = skip_reason(20'000, hundred_seconds, 0);
  BOOST_TEST_REQUIRE(short_expiry.has_value());
  BOOST_TEST(short_expiry->find("it relies on a Session Expiry Interval") == 0u, *short_expiry);
  BOOST_TEST(!skip_reason(20'000, hundred_seconds, 1).has_value());
  BOOST_TEST(skip_reason(20'000, std::nullopt, 1).has_value());
  BOOST_TEST(!skip_reason(runner::TimeScale::real_time, hundred_seconds, 0).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
