// The scenario player end to end on small inline scenarios: steps start and
// end as scenarios/README.md says, expectations pass and fail where they
// should (with the step, location and reason), and a seed fixes the trace.
#include <boost/test/unit_test.hpp>

#include "runner/broker_host.hpp"
#include "runner/scenario_player.hpp"
#include "scenario/scenario_loader.hpp"
#include "trace/trace_event.hpp"

using mqttsim::Duration;
using mqttsim::TimePoint;
using mqttsim::runner::RunResult;
using mqttsim::scenario::load_scenario_text;

namespace {

RunResult play(const std::string& yaml, std::uint64_t seed = 1) {
  const auto scenario = load_scenario_text(yaml, "test.yaml");
  return mqttsim::runner::run_scenario(scenario, {.seed = seed});
}

// The first failure's message, or "" when the run passed.
std::string failure(const RunResult& result) {
  return result.failures.empty() ? std::string{} : result.failures.front().message;
}

bool trace_has(const RunResult& result, std::string_view text) {
  for (const auto& event : result.trace.events()) {
    if (mqttsim::trace::describe(event).find(text) != std::string::npos) return true;
  }
  return false;
}

const std::string persistent_queue = R"(
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
)";

}  // namespace

BOOST_AUTO_TEST_SUITE(st_scenario_player)

BOOST_AUTO_TEST_CASE(a_persistent_session_scenario_passes) {
  const RunResult result = play(persistent_queue);
  BOOST_TEST(failure(result) == "");
  BOOST_TEST(result.passed());
  BOOST_TEST(result.steps_done == 9u);
  // The 1 s wait and the 1 s no_messages window are in the clock, plus
  // round trips of 10 ms (5 ms links), and no more than a second of them.
  BOOST_TEST(result.end_time > TimePoint::origin() + Duration::from_s(2));
  BOOST_TEST(result.end_time < TimePoint::origin() + Duration::from_s(3));
  BOOST_TEST(trace_has(result, "step 8: expect (test.yaml:"));
}

BOOST_AUTO_TEST_CASE(the_same_seed_gives_the_same_trace_and_another_seed_another) {
  const std::string jittery = persistent_queue + "network: {jitter: 3ms}\n";
  const RunResult first = play(jittery, 7);
  const RunResult again = play(jittery, 7);
  const RunResult other = play(jittery, 8);
  BOOST_TEST(first.passed());
  BOOST_TEST(mqttsim::trace::hash(first.trace) == mqttsim::trace::hash(again.trace));
  BOOST_TEST(mqttsim::trace::hash(first.trace) != mqttsim::trace::hash(other.trace));
}

BOOST_AUTO_TEST_CASE(a_missing_message_fails_when_the_window_ends) {
  std::string yaml = persistent_queue;
  yaml.replace(yaml.find("count: 3, qos: 1"), 8, "count: 4");
  const RunResult result = play(yaml);
  BOOST_TEST_REQUIRE(result.failures.size() == 1u);
  const auto& failed = result.failures.front();
  BOOST_TEST(failed.step_index == 7u);
  BOOST_TEST(failed.step_kind == "expect");
  BOOST_TEST(failed.where.line == 25);  // the expect step's line in persistent_queue
  BOOST_TEST(failed.message ==
             "within 5s, sub did not get what was expected: 3 of 4 expected messages "
             "arrived; the first missing is topic=\"t/a\" payload=\"m4\" qos=1 retain=0 dup=0");
  BOOST_TEST(result.steps_done == 7u);
}

BOOST_AUTO_TEST_CASE(a_message_out_of_order_fails_at_once) {
  std::string yaml = persistent_queue;
  const std::string in_order =
      "- {topic: t/a, payload: \"m{n}\", count: 3, qos: 1, retain: false, dup: false}";
  yaml.replace(yaml.find(in_order), in_order.size(),
               "- {topic: t/a, payload: m2}\n      - {topic: t/a, payload: m1}");
  const RunResult result = play(yaml);
  BOOST_TEST(failure(result) ==
             "sub did not get what was expected: message 1 of 2 should be topic=\"t/a\" "
             "payload=\"m2\", but topic=\"t/a\" payload=\"m1\" qos=1 retain=0 dup=0 arrived");
  // Judged when m1 arrived, long before the 5 s window would end.
  BOOST_TEST(result.end_time < TimePoint::origin() + Duration::from_s(2));
}

BOOST_AUTO_TEST_CASE(a_wrong_session_present_fails_the_connect) {
  std::string yaml = persistent_queue;
  yaml.replace(yaml.find("  - disconnect: sub"), 19, "  - disconnect: sub\n  - connect: sub");
  // The extra connect has clean_session true (the default): the session is
  // gone, so the later reconnect finds none.
  const RunResult result = play(yaml);
  BOOST_TEST_REQUIRE(result.failures.size() == 1u);
  BOOST_TEST(result.failures.front().step_kind == "connect");
  BOOST_TEST(result.failures.front().message == "CONNACK session present 0, expected 1");
}

BOOST_AUTO_TEST_CASE(no_messages_fails_when_one_arrives) {
  const RunResult result = play(R"(
name: a message in a quiet window
protocol: 3.1.1
clients:
  a:
steps:
  - connect: a
  - subscribe: a
    filter: t
    qos: 0
  - publish: a
    topic: t
    payload: echo
    at: 1s
  - expect: a
    no_messages: true
    within: 1s
)");
  BOOST_TEST(failure(result).find("a should have no message, but at 1.01") == 0u);
}

BOOST_AUTO_TEST_CASE(a_takeover_closes_the_old_connection_with_its_reason) {
  const std::string takeover = R"(
name: takeover
protocol: 5.0
clients:
  device:
  twin: {client_id: device}
steps:
  - connect: device
  - connect: twin
  - expect: device
    closed: {reason: REASON}
    within: 1s
)";
  std::string right = takeover;
  right.replace(right.find("REASON"), 6, "session_taken_over");
  BOOST_TEST(failure(play(right)) == "");
  std::string wrong = takeover;
  wrong.replace(wrong.find("REASON"), 6, "server_shutting_down");
  BOOST_TEST(failure(play(wrong)) ==
             "within 1s, the connection of device was not closed as expected (DISCONNECT "
             "reason 139); it was closed (server_disconnected, DISCONNECT reason 142)");
}

BOOST_AUTO_TEST_CASE(raw_bytes_reach_the_broker_past_the_session) {
  // A raw connection opening with a CONNECT of protocol level 6 gets CONNACK
  // 0x01 and the close; a wildcard PUBLISH on a session's connection ends it.
  const std::string raw = R"(
name: raw
protocol: 3.1.1
clients:
  intruder:
  app:
steps:
  - send_raw: intruder
    new_connection: true
    bytes: "10 0f 00 04 4d 51 54 54 06 02 00 3c 00 03 61 62 63"
  - expect: intruder
    closed: {connack: CODE}
    within: 1s
  - connect: app
  - send_raw: app
    bytes: "30 08 00 03 61 2f 23 62 61 64"
  - expect: app
    closed: true
    within: 1s
)";
  std::string right = raw;
  right.replace(right.find("CODE"), 4, "unacceptable_protocol_version");
  const RunResult passed = play(right);
  BOOST_TEST(failure(passed) == "");
  BOOST_TEST(trace_has(passed, "raw connection closed: peer_closed"));
  BOOST_TEST(passed.verdict.clean());
  std::string wrong = raw;
  wrong.replace(wrong.find("CODE"), 4, "identifier_rejected");
  BOOST_TEST(failure(play(wrong)) ==
             "within 1s, the connection of intruder was not closed as expected (CONNACK code "
             "2); it was closed (network: peer_closed, CONNACK code 1)");
}

BOOST_AUTO_TEST_CASE(raw_bytes_written_while_the_raw_connection_opens_follow_in_order) {
  // The PINGREQ is written at once, before the connection is up: it waits
  // and follows the CONNECT, so the broker answers both.
  const RunResult result = play(R"(
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
  BOOST_TEST(failure(result) == "");
  BOOST_TEST(result.verdict.clean());
  BOOST_TEST(trace_has(result, "raw bytes sent (15)"));
  BOOST_TEST(trace_has(result, "raw bytes sent (2)"));
  BOOST_TEST(!trace_has(result, "raw bytes not sent"));
  BOOST_TEST(trace_has(result, "PINGRESP"));
}

BOOST_AUTO_TEST_CASE(a_restart_keeps_or_loses_the_session_as_the_store_says) {
  const std::string restart = R"(
name: restart
protocol: 3.1.1
broker: {store: durable}
clients:
  a:
steps:
  - connect: a
    clean_session: false
  - broker_restart: STORE
    down_for: 2s
  - connect: a
    clean_session: false
    expect_session_present: PRESENT
)";
  const auto with = [&](std::string store, std::string present) {
    std::string yaml = restart;
    yaml.replace(yaml.find("STORE"), 5, store);
    yaml.replace(yaml.find("PRESENT"), 7, present);
    return play(yaml);
  };
  const RunResult durable = with("durable", "true");
  BOOST_TEST(failure(durable) == "");
  BOOST_TEST(durable.end_time > TimePoint::origin() + Duration::from_s(2));  // down for 2 s
  BOOST_TEST(failure(with("volatile", "false")) == "");
  BOOST_TEST(failure(with("volatile", "true")) == "CONNACK session present 0, expected 1");
}

BOOST_AUTO_TEST_CASE(a_connect_while_the_broker_is_down_fails_with_the_reason) {
  const RunResult result = play(R"(
name: refused
protocol: 3.1.1
clients:
  a:
steps:
  - broker_restart:
    down_for: 5s
  - connect: a
    at: 1s
)");
  // The restart step lasts until the broker is up, so the connect starts at 5 s.
  BOOST_TEST(failure(result) == "");
}

BOOST_AUTO_TEST_CASE(qos0_published_offline_is_lost_and_qos1_is_sent_after_connect) {
  const RunResult result = play(R"(
name: offline publishes
protocol: 3.1.1
clients:
  pub:
  sub:
steps:
  - connect: sub
  - subscribe: sub
    filter: t
    qos: 1
  - connect: pub
  - drop: pub
  - wait: 100ms             # the client learns of the reset
  - publish: pub
    topic: t
    payload: lost
  - publish: pub
    topic: t
    qos: 1
    payload: kept
  - connect: pub
  - expect: sub
    messages: [{topic: t, payload: kept}]
  - expect: sub
    no_messages: true
    within: 1s
)");
  BOOST_TEST(failure(result) == "");
  BOOST_TEST(trace_has(result, "pub is offline: QoS 0 message \"lost\" is lost"));
}

BOOST_AUTO_TEST_CASE(faults_hit_only_their_clients_and_loss_ends_with_the_window) {
  const RunResult result = play(R"(
name: targeted faults
protocol: 3.1.1
clients:
  victim:
  bystander:
steps:
  - connect: victim
  - connect: bystander
  - faults: 10s
    clients: [victim]
    resets_per_hour: 36000
    loss: 100%
  - expect: victim
    closed: true
    within: 10s
  - wait: 10s
  - connect: victim
)");
  BOOST_TEST(failure(result) == "");
  BOOST_TEST(trace_has(result, "loss override 1: loss_ppm=1000000 clients=victim"));
  BOOST_TEST(trace_has(result, "loss override 1 lifted"));
  for (const auto& event : result.trace.events()) {
    if (event.kind == mqttsim::trace::EventKind::fault) BOOST_TEST(event.actor == "network");
  }
}

namespace {

// Session Present 1 on every accepted CONNACK: a 5.0 client that asked for
// a clean start must see a protocol violation (MQTT-3.2.2-2).
class SessionAlwaysPresent final : public mqttsim::runner::PacketInterceptor {
 public:
  std::vector<mqttsim::codec::Packet> from_broker(mqttsim::net::ConnectionId,
                                                  mqttsim::codec::Packet packet,
                                                  mqttsim::ProtocolVersion) override {
    if (auto* ack = std::get_if<mqttsim::codec::Connack>(&packet)) ack->session_present = true;
    return {std::move(packet)};
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(a_violation_the_client_sees_fails_the_run) {
  const auto scenario = load_scenario_text(R"(
name: clean start
protocol: 5.0
clients:
  a:
steps:
  - connect: a
  - wait: 1s
)",
                                           "test.yaml");
  const RunResult result = mqttsim::runner::run_scenario(
      scenario, {.seed = 1, .interceptor = std::make_shared<SessionAlwaysPresent>()});
  BOOST_TEST(!result.passed());
  bool seen = false;
  for (const auto& f : result.failures) {
    seen = seen || (f.step_kind == "client" &&
                    f.message.find("a saw the broker break MQTT-3.2.2-2 (5.0): Session Present 1 "
                                   "in answer to a clean start") == 0);
  }
  BOOST_TEST(seen);
}

BOOST_AUTO_TEST_CASE(a_workload_step_the_faults_made_impossible_is_noted_not_failed) {
  // The subscriber's link is reset, so its subscribe cannot be done; as a
  // claim that fails the run, as a generated workload it is noted and the
  // steps after it still run.
  const std::string steps = R"(
clients:
  sub:
  pub:
steps:
  - connect: sub
  - connect: pub
  - drop: sub
  - subscribe: sub
    filter: t/#
    qos: 1
  - publish: pub
    topic: t/a
    qos: 1
    payload: after
  - wait: 1s
)";
  const RunResult claimed = play("name: claim\nprotocol: 3.1.1\n" + steps);
  BOOST_TEST_REQUIRE(claimed.failures.size() == 1u);
  BOOST_TEST(claimed.failures[0].step_kind == "subscribe");
  const RunResult workload = play("name: workload\nprotocol: 3.1.1\nworkload: true\n" + steps);
  BOOST_TEST(workload.failures.empty());
  BOOST_TEST(workload.passed());
  BOOST_TEST(trace_has(workload, "step 4 not done (workload): the connection of sub ended"));
  BOOST_TEST(trace_has(workload, "step 6: wait"));
}

BOOST_AUTO_TEST_SUITE_END()
