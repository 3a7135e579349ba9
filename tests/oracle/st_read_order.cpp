// Seen from outside (mqttsim check, explore --broker), the trace orders
// each connection's packets as the broker read them, but not two
// connections: the broker may read a SUBSCRIBE the harness wrote after a
// message's PUBREL before it. Found by mqttsim explore against Mosquitto
// under load (seed 27): a subscription recorded just after the PUBREL of a
// QoS 2 message earned a copy of it (one copy per matching subscription),
// and the duplicates checker called the third copy a fault. Played here in
// simulation, where the broker does read the SUBSCRIBE first, then recorded
// as the harness may see it.
#include <boost/test/unit_test.hpp>

#include "broken_broker.hpp"
#include "oracle/answers.hpp"
#include "oracle/oracle.hpp"

using namespace mqttsim;
using namespace mqttsim::testing;

namespace {

// "sub" subscribes to "t/#" and "t/+" (a copy each: copy_per_subscription)
// before "pub" publishes one QoS 2 message, forwarded on its PUBREL.
const std::string two_subscriptions = R"(name: a copy per subscription
protocol: 3.1.1
broker:
  profile:
    overlapping_subscriptions: copy_per_subscription
    qos2_forwarding: on_pubrel
clients:
  sub:
  pub:
steps:
  - connect: sub
  - subscribe: sub
    filter: "t/#"
    qos: 2
  - subscribe: sub
    filter: t/+
    qos: 2
  - connect: pub
  - publish: pub
    topic: t/a
    qos: 2
    payload: one
  - wait: 1s
)";

Profile two_subscriptions_profile() {
  Profile profile;
  profile.overlapping_subscriptions = OverlapDelivery::copy_per_subscription;
  profile.qos2_forwarding = Qos2Forwarding::on_pubrel;
  return profile;
}

std::optional<codec::Packet> broker_packet(const trace::TraceEvent& event, trace::Direction dir) {
  if (event.actor != "broker" || event.kind != trace::EventKind::packet || event.direction != dir) {
    return std::nullopt;
  }
  auto packet = codec::decode(event.bytes, *event.protocol);
  if (!packet) return std::nullopt;
  return std::move(*packet);
}

template <typename T>
bool is_received(const trace::TraceEvent& event) {
  const auto packet = broker_packet(event, trace::Direction::client_to_broker);
  return packet && std::holds_alternative<T>(*packet);
}

template <typename T>
bool is_sent(const trace::TraceEvent& event) {
  const auto packet = broker_packet(event, trace::Direction::broker_to_client);
  return packet && std::holds_alternative<T>(*packet);
}

bool is_second_subscribe(const trace::TraceEvent& event) {
  const auto packet = broker_packet(event, trace::Direction::client_to_broker);
  const auto* subscribe = packet ? std::get_if<codec::Subscribe>(&*packet) : nullptr;
  return subscribe && subscribe->subscriptions.front().topic_filter == "t/+";
}

// The broker's SUBACK to the second SUBSCRIBE (packet id 2 on sub's link).
bool is_second_suback(const trace::TraceEvent& event) {
  const auto packet = broker_packet(event, trace::Direction::broker_to_client);
  const auto* ack = packet ? std::get_if<codec::Suback>(&*packet) : nullptr;
  return ack && ack->packet_id == 2;
}

// `played` with the second SUBSCRIBE's receipt and its SUBACK moved to
// just after the first event `anchor` picks, as a harness may record it;
// `from_outside` adds the note that says so.
trace::Trace moved_after(const trace::Trace& played,
                         const std::function<bool(const trace::TraceEvent&)>& anchor,
                         bool from_outside) {
  std::vector<trace::TraceEvent> moved;
  for (const auto& event : played.events()) {
    if (is_second_subscribe(event) || is_second_suback(event)) moved.push_back(event);
  }
  BOOST_TEST_REQUIRE(moved.size() == 2u);
  trace::Trace out;
  if (from_outside) {
    out.append({.kind = trace::EventKind::note,
                .actor = "scenario",
                .detail = "broker 127.0.0.1:1883, time scale 1000/1000",
                .mark = trace::Mark::observed_from_outside});
  }
  bool placed = false;
  for (const auto& event : played.events()) {
    if (is_second_subscribe(event) || is_second_suback(event)) continue;
    out.append(event);
    if (!placed && anchor(event)) {
      for (trace::TraceEvent m : moved) {
        m.time = event.time;
        out.append(std::move(m));
      }
      placed = true;
    }
  }
  BOOST_TEST_REQUIRE(placed);
  return out;
}

std::vector<oracle::Violation> duplicates_in(const oracle::Verdict& verdict) {
  std::vector<oracle::Violation> found;
  for (const auto& v : verdict.violations) {
    if (v.check == "duplicates") found.push_back(v);
  }
  return found;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_read_order)

BOOST_AUTO_TEST_CASE(a_subscribe_read_before_the_pubrel_may_earn_a_copy_from_outside) {
  const auto played = play_text(two_subscriptions);
  BOOST_TEST_REQUIRE(played.passed());
  BOOST_TEST_REQUIRE(duplicates_in(played.verdict).empty());
  const auto after_pubrel = [](const trace::TraceEvent& e) {
    return is_received<codec::Pubrel>(e);
  };
  // Recorded by the broker itself, a subscription made after the PUBREL
  // cannot have earned a copy: the second copy is a duplicate.
  const auto own = duplicates_in(
      oracle::judge(moved_after(played.trace, after_pubrel, false), two_subscriptions_profile()));
  BOOST_TEST_REQUIRE(own.size() == 1u);
  BOOST_TEST(own[0].message.find("2 times") != std::string::npos, own[0].message);
  BOOST_TEST(own[0].message.find("(1 copy allowed)") != std::string::npos, own[0].message);
  // Recorded from outside, the broker may have read it first.
  const auto outside =
      oracle::judge(moved_after(played.trace, after_pubrel, true), two_subscriptions_profile());
  for (const auto& v : outside.violations) BOOST_TEST(false, v.check + ": " + v.message);
}

BOOST_AUTO_TEST_CASE(a_copy_for_a_subscription_read_after_a_copy_went_out_is_still_caught) {
  // From outside too: once a copy of the message has gone out, the broker
  // had routed it, so a SUBSCRIBE recorded after that copy cannot have
  // earned one.
  const auto played = play_text(two_subscriptions);
  BOOST_TEST_REQUIRE(played.passed());
  const auto after_first_copy = [](const trace::TraceEvent& e) {
    return is_sent<codec::Publish>(e);
  };
  const auto found = duplicates_in(oracle::judge(moved_after(played.trace, after_first_copy, true),
                                                 two_subscriptions_profile()));
  BOOST_TEST_REQUIRE(found.size() == 1u);
  BOOST_TEST(cites(found[0], {ProtocolVersion::v3_1_1, "MQTT-2.3.1-4"}), found[0].message);
  BOOST_TEST(found[0].message.find("(1 copy allowed)") != std::string::npos, found[0].message);
}

BOOST_AUTO_TEST_CASE(an_answer_proves_what_the_broker_had_read) {
  const auto played = play_text(two_subscriptions);
  const oracle::Observation seen = oracle::observe(played.trace);
  const oracle::ConnectionView* pub = nullptr;
  for (const auto& c : seen.connections) {
    if (c.client_id() == "pub") pub = &c;
  }
  BOOST_TEST_REQUIRE(pub != nullptr);
  const auto index_of = [&](auto holds, trace::Direction dir) {
    for (const auto& p : pub->packets) {
      if (p.direction == dir && holds(p.packet)) return p.index;
    }
    BOOST_FAIL("no such packet on pub's connection");
    return oracle::TraceIndex{0};
  };
  const auto publish =
      index_of([](const codec::Packet& p) { return std::holds_alternative<codec::Publish>(p); },
               trace::Direction::client_to_broker);
  const auto pubrec =
      index_of([](const codec::Packet& p) { return std::holds_alternative<codec::Pubrec>(p); },
               trace::Direction::broker_to_client);
  const auto pubrel =
      index_of([](const codec::Packet& p) { return std::holds_alternative<codec::Pubrel>(p); },
               trace::Direction::client_to_broker);
  const auto pubcomp =
      index_of([](const codec::Packet& p) { return std::holds_alternative<codec::Pubcomp>(p); },
               trace::Direction::broker_to_client);
  BOOST_TEST((oracle::answered_by(*pub, publish) == pubrec));
  // The PUBREC answers the PUBLISH, which came before: not proof of the PUBREL.
  BOOST_TEST((oracle::answered_by(*pub, pubrel) == pubcomp));
  BOOST_TEST(!oracle::answered_by(*pub, pubcomp.next()).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
