// The dup-flag checker catches a broker that resends without DUP=1 and one
// that sets DUP=1 on first attempts, on library scenarios, and names the
// statements broken; the correct broker passes.
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

BOOST_AUTO_TEST_CASE(dup_on_a_first_seen_attempt_after_an_unread_reset_is_not_judged) {
  // As mqttsim check records it over TLS: the session's earlier connection
  // was reset with the broker's last bytes unread, so a first seen attempt
  // with DUP=1 may be a resend of a PUBLISH the trace never saw.
  const auto result = play_library(queued_while_offline,
                                   rewrite_publishes([](codec::Publish& p) { p.dup = true; }));
  trace::Trace marked;
  for (trace::TraceEvent event : result.trace.events()) {
    if (event.kind == trace::EventKind::close && event.actor == "broker" && marked.size() > 0 &&
        event.close_reason != trace::CloseReason::reset) {
      event.close_reason = trace::CloseReason::reset;
      event.detail = "the link was reset" + std::string{trace::unread_output_at_reset};
    }
    marked.append(std::move(event));
  }
  const oracle::Verdict verdict = oracle::judge(marked, Profile{});
  bool noted = false;
  for (const auto& v : verdict.violations) BOOST_TEST(v.check != "dup-flag", v.message);
  for (const auto& r : verdict.remarks) noted = noted || r.check == "dup-flag";
  BOOST_TEST(noted);
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
