// The dup-flag checker catches a broker that resends without DUP=1 and one
// that sets DUP=1 on first attempts, on library scenarios, and names the
// statements broken; the correct broker passes.
#include <boost/test/unit_test.hpp>

#include "flow_breaks.hpp"
#include "oracle/oracle.hpp"

using namespace mqttsim;
using namespace mqttsim::testing;

namespace {

const std::string queued_while_offline = "sessions/persistent-session-queues-qos1.yaml";
const std::string resent = "qos/dup-set-on-resend-after-takeover-qos1.yaml";

}  // namespace

BOOST_AUTO_TEST_SUITE(st_dup_flag)

BOOST_AUTO_TEST_CASE(the_reference_broker_is_not_reported) {
  const auto result = play_library(resent, nullptr);
  BOOST_TEST(violations_of(result, "dup-flag").empty());
  BOOST_TEST(result.verdict.judged.count({ProtocolVersion::v3_1_1, "MQTT-3.3.1-1"}) == 1u);
  BOOST_TEST(result.verdict.judged.count({ProtocolVersion::v3_1_1, "MQTT-3.3.1-3"}) == 1u);
}

BOOST_AUTO_TEST_CASE(dup_not_set_on_a_resend_is_caught) {
  const auto result =
      play_library(resent, rewrite_publishes([](codec::Publish& p) { p.dup = false; }));
  const auto found = violations_of(result, "dup-flag");
  BOOST_TEST_REQUIRE(!found.empty());
  BOOST_TEST(cites(found[0], {ProtocolVersion::v3_1_1, "MQTT-3.3.1-1"}));
  BOOST_TEST(found[0].message.find("the broker resent message \"meter/gas\" \"m1\"") == 0u,
             found[0].message);
  BOOST_TEST(found[0].message.find("with DUP=0") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(dup_set_on_a_first_attempt_is_caught) {
  const auto result = play_library(queued_while_offline,
                                   rewrite_publishes([](codec::Publish& p) { p.dup = true; }));
  const auto found = violations_of(result, "dup-flag");
  BOOST_TEST_REQUIRE(found.size() == 10u);
  BOOST_TEST(cites(found[0], {ProtocolVersion::v3_1_1, "MQTT-3.3.1-3"}));
  BOOST_TEST(cites(found[0], {ProtocolVersion::v3_1_1, "MQTT-4.3.2-1"}));
}

// As mqttsim check can record it: the broker wrote its first attempts on
// `connection` but they never reached the harness (they died in the broker's
// send queue with the reset), so the trace lacks them; `marked`: the close
// says what the broker wrote may be unseen (trace::Mark::output_may_be_unseen).
trace::Trace with_attempts_unseen(const trace::Trace& played, trace::ConnectionId connection,
                                  bool marked) {
  trace::Trace out;
  for (trace::TraceEvent event : played.events()) {
    const bool on_it = event.actor == "broker" && event.connection == connection;
    if (on_it && event.kind == trace::EventKind::packet &&
        event.direction == trace::Direction::broker_to_client) {
      const auto packet = codec::decode(event.bytes, *event.protocol);
      if (packet && std::holds_alternative<codec::Publish>(*packet)) continue;
    }
    if (on_it && marked && event.kind == trace::EventKind::close) {
      event.mark = trace::Mark::output_may_be_unseen;
    }
    out.append(std::move(event));
  }
  return out;
}

BOOST_AUTO_TEST_CASE(an_attempt_hidden_by_the_harness_is_not_judged) {
  // m1..m3 reached the broker while the app's first connection was up; the
  // broker sent them there and resent them with DUP=1 after the takeover.
  const auto result = play_library(resent, nullptr);
  const trace::ConnectionId first = first_sent_on(result.trace, "m1");
  BOOST_TEST_REQUIRE(first != 0u);
  const oracle::Verdict verdict =
      oracle::judge(with_attempts_unseen(result.trace, first, true), Profile{});
  for (const auto& v : verdict.violations) BOOST_TEST(v.check != "dup-flag", v.message);
  std::size_t noted = 0;
  for (const auto& r : verdict.remarks) {
    if (r.check != "dup-flag") continue;
    ++noted;
    BOOST_TEST(r.message.find("may be a resend") != std::string::npos, r.message);
  }
  BOOST_TEST(noted == 3u);
}

BOOST_AUTO_TEST_CASE(without_the_mark_a_missing_first_attempt_is_caught) {
  // The same trace, but the close does not say that output may be unseen:
  // then DUP=1 on the first PUBLISH seen is the broker's error.
  const auto result = play_library(resent, nullptr);
  const oracle::Verdict verdict = oracle::judge(
      with_attempts_unseen(result.trace, first_sent_on(result.trace, "m1"), false), Profile{});
  std::size_t caught = 0;
  for (const auto& v : verdict.violations) {
    if (v.check != "dup-flag") continue;
    ++caught;
    BOOST_TEST(cites(v, {ProtocolVersion::v3_1_1, "MQTT-3.3.1-3"}));
  }
  BOOST_TEST(caught == 3u);
}

BOOST_AUTO_TEST_CASE(a_message_that_came_after_the_unseen_end_is_judged) {
  // Queued while the subscriber was away: the messages reached the broker
  // after its connection ended, so none can have been attempted there, and
  // a broker that sends them with DUP=1 is caught even though every close
  // is marked as hiding output.
  const auto result = play_library(queued_while_offline,
                                   rewrite_publishes([](codec::Publish& p) { p.dup = true; }));
  trace::Trace marked;
  for (trace::TraceEvent event : result.trace.events()) {
    if (event.kind == trace::EventKind::close && event.actor == "broker") {
      event.mark = trace::Mark::output_may_be_unseen;
    }
    marked.append(std::move(event));
  }
  const oracle::Verdict verdict = oracle::judge(marked, Profile{});
  std::size_t caught = 0;
  for (const auto& v : verdict.violations) caught += v.check == "dup-flag" ? 1 : 0;
  BOOST_TEST(caught == 10u);
}

// As mqttsim check records a reset it makes: the broker's end of
// `connection` closes (marked) at the `drop` step, when the proxy sends the
// RST, not when the broker reads it; the PUBLISHes the broker wrote there
// meanwhile never reach the harness.
trace::Trace reset_as_check_sees_it(const trace::Trace& played, trace::ConnectionId connection) {
  const trace::Trace unseen = with_attempts_unseen(played, connection, true);
  std::optional<trace::TraceEvent> close;
  for (const trace::TraceEvent& event : unseen.events()) {
    if (event.actor == "broker" && event.connection == connection &&
        event.kind == trace::EventKind::close) {
      close = event;
    }
  }
  trace::Trace out;
  for (const trace::TraceEvent& event : unseen.events()) {
    if (close && event.kind == trace::EventKind::close && event.actor == "broker" &&
        event.connection == connection) {
      continue;
    }
    out.append(event);
    if (close && event.kind == trace::EventKind::note && event.detail.find(": drop (") != std::string::npos) {
      trace::TraceEvent early = *close;
      early.time = event.time;
      out.append(std::move(early));
    }
  }
  return out;
}

BOOST_AUTO_TEST_CASE(a_message_routed_before_the_broker_read_the_reset_is_not_judged) {
  // Found by mqttsim explore against mqttsim serve: the harness reset the
  // subscriber's connection, and a burst reached the broker just after,
  // before the broker had read the reset; it wrote the burst to the dead
  // socket and resent it with DUP=1 on the next connection. Here the broker
  // learns of the reset 50ms late, as a busy real broker does.
  const std::string yaml = R"(name: reset while a burst arrives
protocol: 3.1.1
clients:
  pub:
  sub:
steps:
  - connect: pub
  - connect: sub
    clean_session: false
  - subscribe: sub
    filter: t
    qos: 1
  - drop: sub
    broker_notice_delay: 50ms
  - publish: pub
    topic: t
    qos: 1
    payload: "m{n}"
    count: 3
  - wait: 1s
  - connect: sub
    clean_session: false
  - publish: pub
    topic: t
    qos: 1
    payload: late
  - wait: 1s
)";
  const auto played = play_text(yaml);
  const trace::ConnectionId first = first_sent_on(played.trace, "m1");
  BOOST_TEST_REQUIRE(first != 0u);
  const oracle::Verdict hidden = oracle::judge(reset_as_check_sees_it(played.trace, first), Profile{});
  for (const auto& v : hidden.violations) BOOST_TEST(v.check != "dup-flag", v.message);
  std::size_t noted = 0;
  for (const auto& r : hidden.remarks) noted += r.check == "dup-flag" ? 1 : 0;
  BOOST_TEST(noted == 3u);
  // Without the mark it is the broker's error; and a broker that sets DUP=1
  // on a message that came after the session's next CONNACK is caught even
  // with it.
  std::size_t caught = 0;
  for (const auto& v : oracle::judge(with_attempts_unseen(played.trace, first, false), Profile{})
                           .violations) {
    caught += v.check == "dup-flag" ? 1 : 0;
  }
  BOOST_TEST(caught == 3u);
  const auto broken = play_text(yaml, rewrite_publishes([](codec::Publish& p) {
                                  if (p.payload == codec::Bytes{'l', 'a', 't', 'e'}) p.dup = true;
                                }));
  const oracle::Verdict late =
      oracle::judge(reset_as_check_sees_it(broken.trace, first_sent_on(broken.trace, "m1")), Profile{});
  std::size_t late_caught = 0;
  for (const auto& v : late.violations) {
    late_caught += v.check == "dup-flag" && v.message.find("\"late\"") != std::string::npos;
  }
  BOOST_TEST(late_caught == 1u);
}

BOOST_AUTO_TEST_CASE(a_5_0_resend_on_the_same_connection_is_caught) {
  // Each QoS 2 PUBLISH goes out twice at once, the second with DUP=1: a
  // resend 5.0 allows only when a session resumes.
  const auto twice = std::make_shared<OutboundBreak>([](net::ConnectionId, codec::Packet packet) {
    Packets out = one(packet);
    if (auto* p = std::get_if<codec::Publish>(&packet);
        p && p->qos == codec::QoS::exactly_once && !p->dup) {
      p->dup = true;
      out.push_back(std::move(packet));
    }
    return out;
  });
  const auto result =
      play_library("qos/qos2-exactly-once-subscriber-drop-mid-flow-5.0.yaml", twice);
  const auto found = violations_of(result, "dup-flag");
  BOOST_TEST_REQUIRE(!found.empty());
  BOOST_TEST(cites(found[0], {ProtocolVersion::v5_0, "MQTT-4.4.0-1"}));
  BOOST_TEST(found[0].message.find("on the same connection") != std::string::npos,
             found[0].message);
  BOOST_TEST(violations_of(result, "duplicates").empty());
}

BOOST_AUTO_TEST_SUITE_END()
