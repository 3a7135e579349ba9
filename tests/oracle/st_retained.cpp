// The retained checker catches a live forward with RETAIN=1, a stale
// retained message, a missing one, and a copy sent against Retain Handling
// 2, on library scenarios, and names the statement broken; the correct
// broker passes.
#include <boost/test/unit_test.hpp>

#include <map>

#include "broken_broker.hpp"
#include "flow_breaks.hpp"
#include "oracle/oracle.hpp"
#include "state_breaks.hpp"

using namespace mqttsim;
using namespace mqttsim::testing;

namespace {

const std::string forward_v311 = "sessions/persistent-session-queues-qos1.yaml";
const std::string retain_flags_v5 = "retained/retain-flag-and-retain-as-published-5.0.yaml";
const std::string queued_then_retained = "sessions/drop-resubscribe-queued-then-retained.yaml";
const std::string outlives_session = "retained/retained-not-part-of-session.yaml";
const std::string handling_2 = "retained/retain-handling-2-never-sends-retained-5.0.yaml";

std::vector<codec::Packet> one(codec::Packet packet) { return {std::move(packet)}; }

// Every PUBLISH the broker sends has RETAIN=1.
std::shared_ptr<runner::PacketInterceptor> retain_everything() {
  return std::make_shared<OutboundBreak>([](net::ConnectionId, codec::Packet packet) {
    if (auto* publish = std::get_if<codec::Publish>(&packet)) publish->retain = true;
    return one(std::move(packet));
  });
}

// Retained copies are never sent.
std::shared_ptr<runner::PacketInterceptor> drop_retained() {
  return std::make_shared<OutboundBreak>([](net::ConnectionId, codec::Packet packet) {
    if (auto* publish = std::get_if<codec::Publish>(&packet); publish && publish->retain) {
      return std::vector<codec::Packet>{};
    }
    return one(std::move(packet));
  });
}

// The broker reads Retain Handling 2 as 0.
std::shared_ptr<runner::PacketInterceptor> ignore_retain_handling() {
  return std::make_shared<InboundBreak>([](net::ConnectionId, codec::Packet packet) {
    if (auto* subscribe = std::get_if<codec::Subscribe>(&packet)) {
      for (auto& s : subscribe->subscriptions) s.retain_handling = 0;
    }
    return one(std::move(packet));
  });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_retained)

BOOST_AUTO_TEST_CASE(the_reference_broker_is_not_reported) {
  for (const std::string& file :
       {forward_v311, retain_flags_v5, queued_then_retained, outlives_session, handling_2,
        std::string{"retained/retain-handling-1-only-for-new-subscription-5.0.yaml"},
        std::string{"retained/resubscribe-resends-retained.yaml"},
        std::string{"retained/retained-survives-durable-restart.yaml"},
        std::string{"will/will-retained-reaches-later-subscriber.yaml"}}) {
    BOOST_TEST_CONTEXT(file) {
      const auto result = play_library(file, nullptr);
      BOOST_TEST(violations_of(result, "retained").empty());
    }
  }
  const auto result = play_library(queued_then_retained, nullptr);
  BOOST_TEST(result.verdict.judged.count({ProtocolVersion::v3_1_1, "MQTT-3.3.1-6"}) == 1u);
  BOOST_TEST(result.verdict.judged.count({ProtocolVersion::v3_1_1, "MQTT-3.3.1-8"}) == 1u);
  BOOST_TEST(result.verdict.judged.count({ProtocolVersion::v3_1_1, "MQTT-3.3.1-9"}) == 1u);
}

BOOST_AUTO_TEST_CASE(a_live_forward_with_retain_1_is_caught) {
  const auto v311 = violations_of(play_library(forward_v311, retain_everything()), "retained");
  BOOST_TEST_REQUIRE(!v311.empty());
  BOOST_TEST(any_cites(v311, {ProtocolVersion::v3_1_1, "MQTT-3.3.1-9"}));
  BOOST_TEST(v311[0].message.find("with RETAIN=1") != std::string::npos);
  const auto v5 = violations_of(play_library(retain_flags_v5, retain_everything()), "retained");
  BOOST_TEST(any_cites(v5, {ProtocolVersion::v5_0, "MQTT-3.3.1-12"}));
}

BOOST_AUTO_TEST_CASE(a_stale_retained_message_is_caught) {
  const auto found =
      violations_of(play_library(queued_then_retained, stale_retained()), "retained");
  BOOST_TEST_REQUIRE(found.size() == 1u);
  BOOST_TEST(cites(found[0], {ProtocolVersion::v3_1_1, "MQTT-3.3.1-6"}));
  BOOST_TEST(found[0].message.find("\"boot\"") != std::string::npos);
  BOOST_TEST(found[0].message.find("\"c5\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_missing_retained_message_is_caught) {
  const auto found = violations_of(play_library(outlives_session, drop_retained()), "retained");
  BOOST_TEST_REQUIRE(found.size() == 1u);
  BOOST_TEST(cites(found[0], {ProtocolVersion::v3_1_1, "MQTT-3.3.1-6"}));
  BOOST_TEST(found[0].message.find("was never sent to \"app\"") != std::string::npos);
  const auto again = violations_of(play_library(queued_then_retained, drop_retained()), "retained");
  BOOST_TEST(any_cites(again, {ProtocolVersion::v3_1_1, "MQTT-3.8.4-3"}));
}

BOOST_AUTO_TEST_CASE(a_retained_will_missing_for_a_later_subscriber_is_caught) {
  const auto found = violations_of(
      play_library("will/will-retained-reaches-later-subscriber.yaml", drop_retained()),
      "retained");
  BOOST_TEST_REQUIRE(found.size() == 1u);
  BOOST_TEST(cites(found[0], {ProtocolVersion::v3_1_1, "MQTT-3.1.2-17"}));
  BOOST_TEST(found[0].message.find("the will of \"device\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(retain_handling_2_ignored_is_caught) {
  const auto found = violations_of(play_library(handling_2, ignore_retain_handling()), "retained");
  BOOST_TEST_REQUIRE(!found.empty());
  BOOST_TEST(any_cites(found, {ProtocolVersion::v5_0, "MQTT-3.3.1-11"}));
}

BOOST_AUTO_TEST_CASE(a_retained_will_that_died_with_its_broker_is_not_owed) {
  // Found by mqttsim explore: the device's connection is closed by a
  // restart that loses the broker's state; a broker that died with the
  // connection never published the will, so a later subscriber is not owed
  // it as a retained message.
  const auto result = play_text(R"(name: will lost with its broker
protocol: 3.1.1
clients:
  device:
  monitor:
steps:
  - connect: device
    will: {topic: status/device, payload: gone, qos: 1, retain: true}
  - connect: monitor
  - broker_restart: volatile
    down_for: 1s
  - connect: monitor
  - subscribe: monitor
    filter: status/#
    qos: 1
  - wait: 5s
)");
  BOOST_TEST(violations_of(result, "retained").empty());
  BOOST_TEST(result.passed());
}

BOOST_AUTO_TEST_CASE(one_subscribe_with_several_filters_may_bring_a_copy_per_filter) {
  // Found by mqttsim explore: one SUBSCRIBE of three filters matching the
  // retained topic, the first with Retain Handling 2. Handled as three
  // SUBSCRIBEs in a row (MQTT-3.8.4-5, 5.0), the other two each bring the
  // retained message, so the second copy is not one Retain Handling 2
  // forbade.
  const auto result = play_text(R"(name: copy per filter
protocol: 5.0
clients:
  pub:
  app:
steps:
  - connect: pub
  - publish: pub
    topic: t/a/x
    qos: 1
    retain: true
    payload: kept
  - connect: app
  - subscribe: app
    filters:
      - {filter: t/a/x, qos: 1, retain_handling: 2}
      - {filter: t/+/x, qos: 1}
      - {filter: "#", qos: 2}
  - wait: 2s
)");
  BOOST_TEST(violations_of(result, "retained").empty());
  BOOST_TEST(result.passed());
}

BOOST_AUTO_TEST_CASE(a_retain_1_forward_of_a_twice_published_message_is_left_unjudged) {
  // Found by mqttsim explore: the topic is cleared twice (two publications
  // of the same empty payload), and a Retain As Published subscriber gets
  // the forwards with RETAIN=1. Which publication each is, nothing says;
  // the checker remarks instead of calling it a cleared retained copy.
  const auto result = play_text(R"(name: cleared twice
protocol: 5.0
clients:
  pub:
  app:
steps:
  - connect: app
  - subscribe: app
    filter: t/#
    qos: 1
    retain_as_published: true
  - connect: pub
  - publish: pub
    topic: t/a
    qos: 1
    retain: true
    payload: ""
  - publish: pub
    topic: t/a
    qos: 1
    retain: true
    payload: ""
  - wait: 2s
)");
  BOOST_TEST(violations_of(result, "retained").empty());
  bool remarked = false;
  for (const auto& r : result.verdict.remarks) remarked = remarked || r.check == "retained";
  BOOST_TEST(remarked);
}

BOOST_AUTO_TEST_CASE(a_copy_of_a_twice_published_message_still_pays_its_claim) {
  // Found by mqttsim explore: the same retained payload published twice
  // (there, a publisher's resend after the broker had acknowledged it);
  // the copy a later subscription gets is unmatched, yet it is the retained
  // message that subscription was owed, not a missing one.
  const auto result = play_text(R"(name: retained twice
protocol: 5.0
clients:
  pub:
  app:
steps:
  - connect: pub
  - publish: pub
    topic: t/a
    qos: 1
    retain: true
    payload: same
  - publish: pub
    topic: t/a
    qos: 1
    retain: true
    payload: same
  - wait: 1s
  - connect: app
  - subscribe: app
    filter: t/#
    qos: 1
  - wait: 2s
)");
  BOOST_TEST(violations_of(result, "retained").empty());
}

BOOST_AUTO_TEST_CASE(a_retained_copy_resent_after_a_reconnect_keeps_retain_1) {
  // Found by mqttsim explore: the retained copy a SUBSCRIBE brought was cut
  // off by a reset and resent with DUP=1 on the next connection, after the
  // subscription was established. A resend is the same PUBLISH again, so
  // its RETAIN=1 is right (the will, routed until the end of the trace, made
  // it look like a forward on an established subscription).
  const auto result = play_text(R"(name: retained will resent after a reconnect
protocol: 5.0
clients:
  pub:
  app:
steps:
  - connect: pub
    will:
      topic: will/pub
      payload: gone
      qos: 1
      retain: true
  - crash: pub
  - wait: 1s
  - connect: app
    clean_start: false
    session_expiry: 1h
  - subscribe: app
    filter: "#"
    qos: 2
  - drop: app
  - connect: app
    clean_start: false
    session_expiry: 1h
  - wait: 2s
)");
  BOOST_TEST(violations_of(result, "retained").empty());
  // The resend did come, with DUP=1 and RETAIN=1: the case is exercised.
  bool resent = false;
  for (const auto& event : result.trace.events()) {
    const bool from_broker = event.actor == "broker" && event.kind == trace::EventKind::packet;
    if (from_broker &&
        trace::describe(event).find("PUBLISH dup=1 qos=1 retain=1") != std::string::npos) {
      resent = true;
    }
  }
  BOOST_TEST(resent);
}

BOOST_AUTO_TEST_CASE(a_resend_that_turns_retain_on_is_still_judged) {
  // The other side of the resend rule: a live forward (RETAIN=0) cut off by
  // a reset and resent with RETAIN=1 is judged on the resend.
  const auto broken =
      std::make_shared<OutboundBreak>([](net::ConnectionId, codec::Packet packet) -> Packets {
        if (auto* p = std::get_if<codec::Publish>(&packet); p && p->dup) p->retain = true;
        return testing::one(std::move(packet));
      });
  const auto result = play_text(R"(name: forward resent with retain
protocol: 3.1.1
clients:
  pub:
  app:
steps:
  - connect: pub
  - connect: app
    clean_session: false
  - subscribe: app
    filter: "t/#"
    qos: 1
  - publish: pub
    topic: t/a
    qos: 1
    payload: live
  - wait: 7ms
  - drop: app
  - connect: app
    clean_session: false
  - wait: 2s
)",
                                broken);
  const auto found = violations_of(result, "retained");
  BOOST_TEST_REQUIRE(!found.empty());
  BOOST_TEST(cites(found.front(), {ProtocolVersion::v3_1_1, "MQTT-3.3.1-9"}));
}

BOOST_AUTO_TEST_CASE(a_twice_published_qos_2_clear_applies_at_its_release_under_on_pubrel) {
  // Found by mqttsim explore: two devices share the client id "dev". The
  // twin's QoS 2 PUBLISH clearing "t" (an empty retained payload) gets its
  // PUBREC, and the twin is gone before its PUBREL. Under qos2_forwarding
  // on_pubrel the broker holds the message until then. "old" is retained
  // meanwhile. The other device resumes the session and sends its own PUBREL
  // for id 1, which releases the twin's message (MQTT-4.3.3-2, 3.1.1): "t"
  // is cleared after "old", and a new subscription gets nothing. The twin
  // comes back later and resends the clear, so its topic and payload name
  // two publications; the first still applies at its release, not at its
  // receipt.
  const auto play = [](const std::string& twin_again) {
    return play_text(R"(name: a retained clear released by another device
protocol: 3.1.1
broker:
  profile: {qos2_forwarding: on_pubrel}
clients:
  sub:
  pub:
  dev:
  twin:
    client_id: dev
steps:
  - connect: twin
    clean_session: false
  - publish: twin
    topic: t
    qos: 2
    retain: true
    payload: ""
  - disconnect: twin
  - wait: 1s
  - connect: pub
  - publish: pub
    topic: t
    qos: 1
    retain: true
    payload: old
  - wait: 1s
  - connect: dev
    clean_session: false
  - publish: dev
    topic: x
    qos: 2
    payload: dev-1
  - wait: 1s
  - connect: sub
  - subscribe: sub
    filter: t
    qos: 1
  - wait: 2s
  - disconnect: dev
)" + twin_again + R"(  - wait: 2s
)");
  };
  const auto resent = play("  - connect: twin\n    clean_session: false\n");
  BOOST_TEST(violations_of(resent, "retained").empty());
  BOOST_TEST(resent.passed());
  BOOST_TEST(violations_of(play(""), "retained").empty());
}

BOOST_AUTO_TEST_CASE(a_resend_repeats_the_retain_flag_of_its_first_attempt) {
  // Found by mqttsim explore: a re-subscription brings the retained "kept"
  // with RETAIN=1 (MQTT-3.3.1-8, 3.1.1); the link drops before its PUBACK,
  // and on the resumed session the broker resends that PUBLISH with DUP=1
  // and its original id (MQTT-4.4.0-1), RETAIN=1 still. It is no forward on
  // the established subscription. A resend of a forward that gains RETAIN=1
  // is still caught.
  // `middle` leaves a PUBLISH to the persistent session unacknowledged;
  // the session then resumes.
  const auto play = [](const std::string& middle,
                       std::shared_ptr<runner::PacketInterceptor> broken) {
    return play_text(R"(name: a PUBLISH resent
protocol: 3.1.1
clients:
  sub:
  pub:
steps:
  - connect: sub
    clean_session: false
  - subscribe: sub
    filter: t
    qos: 1
  - connect: pub
)" + middle + R"(  - wait: 1s
  - connect: sub
    clean_session: false
  - wait: 2s
)",
                     std::move(broken));
  };
  const auto resent_copy = play(R"(  - publish: pub
    topic: t
    qos: 1
    retain: true
    payload: kept
  - wait: 1s
  - unsubscribe: sub
    filter: t
  - subscribe: sub
    filter: t
    qos: 1
  - drop: sub
)",
                                nullptr);
  BOOST_TEST(violations_of(resent_copy, "retained").empty());
  BOOST_TEST(resent_copy.passed());
  const auto resent_forward = violations_of(
      play(R"(  - half_open: sub
    noticed_by: client
  - publish: pub
    topic: t
    qos: 1
    retain: true
    payload: kept
)",
           rewrite_publishes([](codec::Publish& p) { p.retain = p.retain || p.dup; })),
      "retained");
  BOOST_TEST_REQUIRE(resent_forward.size() == 1u);
  BOOST_TEST(resent_forward[0].message.find("a forward must have RETAIN=0") != std::string::npos,
             resent_forward[0].message);
}

BOOST_AUTO_TEST_CASE(from_outside_a_qos_0_retained_message_is_applied_by_its_first_delivery) {
  // Found by explore --broker against mqttsim serve under ASan: the harness
  // wrote a QoS 0 retained PUBLISH to one socket before it wrote a
  // SUBSCRIBE to another, but the broker read the SUBSCRIBE first and sent
  // the older retained message. Played here in simulation (where the broker
  // does read the SUBSCRIBE first), then recorded as mqttsim check saw it:
  // the PUBLISH's receipt moved before the SUBSCRIBE's.
  const auto played = play_text(R"(name: retained QoS 0 read late
protocol: 3.1.1
clients:
  pub:
  app:
steps:
  - connect: pub
  - publish: pub
    topic: t
    retain: true
    payload: old
  - connect: app
  - subscribe: app
    filter: t
  - publish: pub
    topic: t
    retain: true
    payload: new
  - wait: 1s
)");
  BOOST_TEST_REQUIRE(played.passed());
  const auto is_receipt_of = [](const trace::TraceEvent& event, auto holds) {
    if (event.actor != "broker" || event.kind != trace::EventKind::packet ||
        event.direction != trace::Direction::client_to_broker) {
      return false;
    }
    const auto packet = codec::decode(event.bytes, *event.protocol);
    return packet && holds(*packet);
  };
  const auto is_new = [](const codec::Packet& p) {
    const auto* publish = std::get_if<codec::Publish>(&p);
    return publish && publish->payload == codec::Bytes{'n', 'e', 'w'};
  };
  const auto is_subscribe = [](const codec::Packet& p) {
    return std::holds_alternative<codec::Subscribe>(p);
  };
  const auto as_seen = [&](bool from_outside) {
    std::optional<trace::TraceEvent> late;
    for (const auto& event : played.trace.events()) {
      if (is_receipt_of(event, is_new)) late = event;
    }
    trace::Trace out;
    if (from_outside) {
      out.append({.kind = trace::EventKind::note,
                  .actor = "scenario",
                  .detail = "broker 127.0.0.1:1883, time scale 1000/1000",
                  .mark = trace::Mark::observed_from_outside});
    }
    for (trace::TraceEvent event : played.trace.events()) {
      if (is_receipt_of(event, is_new)) continue;
      if (late && is_receipt_of(event, is_subscribe)) {
        trace::TraceEvent early = *late;
        early.time = event.time;
        out.append(std::move(early));
      }
      out.append(std::move(event));
    }
    return oracle::judge(out, Profile{});
  };
  const auto retained_in = [](const oracle::Verdict& verdict) {
    std::size_t found = 0;
    for (const auto& v : verdict.violations) found += v.check == "retained" ? 1 : 0;
    return found;
  };
  // Recorded in the broker's own order, the older copy would be stale.
  BOOST_TEST(retained_in(as_seen(false)) == 1u);
  // From outside, "new" is applied only by its first delivery, which came
  // after the SUBSCRIBE: "old" was still a value the topic could hold.
  BOOST_TEST(retained_in(as_seen(true)) == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
