// Seen from outside (mqttsim check, explore --broker), a client's last
// acknowledgement on its old connection can be recorded just after the
// CONNECT that takes its session over on a new one: the harness wrote it,
// but the broker may have closed the old connection without reading it.
// The broker then resends on the new connection (PUBREL, or the PUBLISH
// with DUP=1), and that is no fault. The flow checkers must read such an
// acknowledgement as "may not have arrived", yet still catch a broker
// that breaks the rules either way.
#include <boost/test/unit_test.hpp>

#include "flow_breaks.hpp"
#include "oracle/oracle.hpp"

using namespace mqttsim;
using namespace mqttsim::testing;

namespace {

// The client id of `connection`'s CONNECT in `played` ("" if none seen).
std::string client_id_of(const trace::Trace& played, trace::ConnectionId connection) {
  for (const trace::TraceEvent& event : played.events()) {
    if (event.kind != trace::EventKind::packet || event.connection != connection ||
        event.direction != trace::Direction::client_to_broker) {
      continue;
    }
    const auto packet = codec::decode(event.bytes, *event.protocol);
    if (const auto* connect = packet ? std::get_if<codec::Connect>(&*packet) : nullptr) {
      return connect->client_id;
    }
  }
  return {};
}

// Where the client's acknowledgement is recorded on its old connection,
// relative to the broker's receipt of the CONNECT that takes the session
// over on another connection.
enum class Sent : bool { before_takeover, after_takeover };

// `played` with `ack` recorded as received from the client on `old` just
// before or just after the broker read the CONNECT of the same client id
// on a later connection (after: the harness sent it a few microseconds too
// late).
trace::Trace with_ack_around_takeover(const trace::Trace& played, trace::ConnectionId old,
                                      const codec::Packet& ack, Sent when) {
  const std::string id = client_id_of(played, old);
  trace::Trace out;
  bool inserted = false;
  for (const trace::TraceEvent& event : played.events()) {
    const bool takeover = [&] {
      if (inserted || event.actor != "broker" || event.kind != trace::EventKind::packet ||
          event.direction != trace::Direction::client_to_broker || event.connection <= old) {
        return false;
      }
      const auto packet = codec::decode(event.bytes, *event.protocol);
      const auto* connect = packet ? std::get_if<codec::Connect>(&*packet) : nullptr;
      return connect != nullptr && connect->client_id == id;
    }();
    trace::TraceEvent late = event;
    if (takeover) {
      late.connection = old;
      late.bytes = codec::encode(ack, *event.protocol);
      late.detail = "acknowledgement on the old connection";
      inserted = true;
    }
    if (takeover && when == Sent::before_takeover) out.append(late);
    out.append(event);
    if (takeover && when == Sent::after_takeover) out.append(late);
  }
  BOOST_TEST_REQUIRE(inserted);
  return out;
}

// A 5.0 subscriber 100 ms away whose link goes half-open while ten QoS 2
// messages are at every stage; its takeover finds PUBRELs outstanding,
// which the broker sends again on the new connection.
const std::string qos2_takeover = R"(name: takeover while QoS 2 is mid-flow
protocol: 5.0
clients:
  ledger:
    network: {latency: 100ms}
  till:
steps:
  - connect: ledger
    clean_start: false
    session_expiry: 1h
  - subscribe: ledger
    filter: orders/#
    qos: 2
  - connect: till
  - publish: till
    topic: orders/a
    qos: 2
    payload: "order {n}"
    count: 10
    interval: 50ms
  - half_open: ledger
    noticed_by: client
  - wait: 1s
  - connect: ledger
    clean_start: false
    session_expiry: 1h
  - wait: 3s
)";

// The PUBREL the broker had outstanding on the old connection for the
// earliest message that it released again after the takeover.
std::optional<SentPublish> released_again(const trace::Trace& played) {
  for (int n = 1; n <= 10; ++n) {
    const auto sent = first_sent(played, "order " + std::to_string(n));
    if (!sent) continue;
    std::size_t pubrels = 0;
    for (const trace::TraceEvent& event : played.events()) {
      if (event.actor != "broker" || event.kind != trace::EventKind::packet ||
          event.direction != trace::Direction::broker_to_client) {
        continue;
      }
      const auto packet = codec::decode(event.bytes, *event.protocol);
      const auto* rel = packet ? std::get_if<codec::Pubrel>(&*packet) : nullptr;
      if (rel && rel->packet_id == sent->packet_id) ++pubrels;
    }
    if (pubrels == 2) return sent;
  }
  return std::nullopt;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_takeover_race)

BOOST_AUTO_TEST_CASE(a_late_pubcomp_does_not_make_the_pubrel_resend_a_fault) {
  // Found by mqttsim explore against Mosquitto (seed 91): the PUBCOMP went
  // out on the old connection after the takeover CONNECT; the broker never
  // read it and released the id again on the new connection.
  const auto played = play_text(qos2_takeover);
  BOOST_TEST_REQUIRE(played.verdict.violations.empty());
  const auto outstanding = released_again(played.trace);
  BOOST_TEST_REQUIRE(outstanding.has_value());
  const trace::Trace raced = with_ack_around_takeover(
      played.trace, outstanding->connection, codec::Pubcomp{.packet_id = outstanding->packet_id},
      Sent::after_takeover);
  const oracle::Verdict verdict = oracle::judge(raced, Profile{});
  for (const auto& v : verdict.violations) BOOST_TEST(false, v.check + ": " + v.message);
}

BOOST_AUTO_TEST_CASE(a_late_puback_does_not_make_the_dup_resend_a_first_copy) {
  // Found by mqttsim explore against Mosquitto (seed 100): the PUBACK went
  // out on the old connection after the takeover CONNECT; the broker never
  // read it and resent the PUBLISH with DUP=1 on the new connection.
  const auto played = play_library("qos/dup-set-on-resend-after-takeover-qos1.yaml", nullptr);
  BOOST_TEST_REQUIRE(played.verdict.violations.empty());
  const auto m1 = first_sent(played.trace, "m1");
  BOOST_TEST_REQUIRE(m1.has_value());
  const trace::Trace raced =
      with_ack_around_takeover(played.trace, m1->connection,
                               codec::Puback{.packet_id = m1->packet_id}, Sent::after_takeover);
  const oracle::Verdict verdict = oracle::judge(raced, Profile{});
  for (const auto& v : verdict.violations) BOOST_TEST(false, v.check + ": " + v.message);
}

BOOST_AUTO_TEST_CASE(a_pubcomp_read_before_the_takeover_still_ends_the_flight) {
  // The same PUBCOMP recorded before the takeover CONNECT reached the
  // broker, which read it: releasing the id again is the broker's error.
  const auto played = play_text(qos2_takeover);
  const auto outstanding = released_again(played.trace);
  BOOST_TEST_REQUIRE(outstanding.has_value());
  const trace::Trace timely = with_ack_around_takeover(
      played.trace, outstanding->connection, codec::Pubcomp{.packet_id = outstanding->packet_id},
      Sent::before_takeover);
  const oracle::Verdict verdict = oracle::judge(timely, Profile{});
  std::size_t caught = 0;
  for (const auto& v : verdict.violations) {
    if (v.check != "packet-ids") continue;
    ++caught;
    BOOST_TEST(v.message.find("without a PUBREC") != std::string::npos, v.message);
  }
  BOOST_TEST(caught == 1u);
}

BOOST_AUTO_TEST_CASE(a_puback_read_before_the_takeover_still_ends_the_flight) {
  // The PUBACK of m1 recorded before the takeover CONNECT: the broker read
  // it, so its DUP=1 copy on the new connection is a first attempt with
  // DUP=1 (MQTT-3.3.1-3) and a second copy of a delivered message.
  const auto played = play_library("qos/dup-set-on-resend-after-takeover-qos1.yaml", nullptr);
  const auto m1 = first_sent(played.trace, "m1");
  BOOST_TEST_REQUIRE(m1.has_value());
  const trace::Trace timely =
      with_ack_around_takeover(played.trace, m1->connection,
                               codec::Puback{.packet_id = m1->packet_id}, Sent::before_takeover);
  const oracle::Verdict verdict = oracle::judge(timely, Profile{});
  BOOST_TEST(count_of(verdict, "dup-flag") == 1u);
}

BOOST_AUTO_TEST_CASE(a_first_copy_with_dup_after_a_late_ack_is_still_caught) {
  // A message published after the takeover is new to the session: DUP=1 on
  // it is the broker's error, late acknowledgement or not.
  const auto played = play_library("qos/dup-set-on-resend-after-takeover-qos1.yaml",
                                   rewrite_publishes([](codec::Publish& p) {
                                     if (p.payload == codec::Bytes{'m', '4'}) p.dup = true;
                                   }));
  const auto m1 = first_sent(played.trace, "m1");
  BOOST_TEST_REQUIRE(m1.has_value());
  const trace::Trace raced =
      with_ack_around_takeover(played.trace, m1->connection,
                               codec::Puback{.packet_id = m1->packet_id}, Sent::after_takeover);
  BOOST_TEST(count_of(oracle::judge(raced, Profile{}), "dup-flag") == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
