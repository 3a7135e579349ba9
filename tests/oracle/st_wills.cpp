// The wills checker catches a will published after a DISCONNECT, a will
// missing after a dropped link or a keep-alive timeout, and a 5.0 will
// delay cut short, on library scenarios; the correct broker passes.
#include <boost/test/unit_test.hpp>

#include "broken_broker.hpp"

using namespace mqttsim;
using namespace mqttsim::testing;

namespace {

const std::string graceful_v311 = "will/will-discarded-on-graceful-disconnect.yaml";
const std::string graceful_v5 = "will/will-deleted-on-normal-disconnect-5.0.yaml";
const std::string dropped_link = "will/will-published-on-dropped-link.yaml";
const std::string keep_alive_timeout = "keepalive/keepalive-timeout-publishes-will.yaml";
const std::string delayed = "will/will-delay-longer-than-session-expiry-5.0.yaml";
const std::string error_reason = "will/will-published-after-disconnect-with-error-reason-5.0.yaml";

std::vector<codec::Packet> one(codec::Packet packet) { return {std::move(packet)}; }

// The broker never reads a DISCONNECT: the client's close looks ungraceful
// to it, so it publishes the will the DISCONNECT deleted.
std::shared_ptr<runner::PacketInterceptor> ignore_disconnect() {
  return std::make_shared<InboundBreak>([](net::ConnectionId, codec::Packet packet) {
    if (std::holds_alternative<codec::Disconnect>(packet)) return std::vector<codec::Packet>{};
    return one(std::move(packet));
  });
}

// The broker forgets every will it is given.
std::shared_ptr<runner::PacketInterceptor> forget_wills() {
  return std::make_shared<InboundBreak>([](net::ConnectionId, codec::Packet packet) {
    if (auto* connect = std::get_if<codec::Connect>(&packet)) connect->will.reset();
    return one(std::move(packet));
  });
}

// The broker reads no Will Delay Interval: the will goes out at once.
std::shared_ptr<runner::PacketInterceptor> ignore_will_delay() {
  return std::make_shared<InboundBreak>([](net::ConnectionId, codec::Packet packet) {
    if (auto* connect = std::get_if<codec::Connect>(&packet); connect && connect->will) {
      connect->will->properties.will_delay_interval.reset();
    }
    return one(std::move(packet));
  });
}

// The broker reads every 5.0 DISCONNECT as 0x00 (Normal disconnection), so
// it deletes a will that a DISCONNECT with an error reason leaves standing.
std::shared_ptr<runner::PacketInterceptor> any_disconnect_is_normal() {
  return std::make_shared<InboundBreak>([](net::ConnectionId, codec::Packet packet) {
    if (auto* disconnect = std::get_if<codec::Disconnect>(&packet)) {
      disconnect->reason_code = codec::ReasonCode::success;
    }
    return one(std::move(packet));
  });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_wills)

BOOST_AUTO_TEST_CASE(the_reference_broker_is_not_reported) {
  for (const std::string& file :
       {graceful_v311, graceful_v5, dropped_link, keep_alive_timeout, delayed,
        std::string{"will/will-delay-cancelled-by-reconnect.yaml"},
        std::string{"will/takeover-within-will-delay-sends-no-will-5.0.yaml"},
        std::string{"will/will-published-on-takeover-5.0.yaml"},
        std::string{"will/will-on-takeover-is-a-profile-choice-3.1.1.yaml"},
        std::string{"will/will-sent-on-disconnect-with-will-message-5.0.yaml"}, error_reason}) {
    BOOST_TEST_CONTEXT(file) {
      BOOST_TEST(violations_of(play_library(file, nullptr), "wills").empty());
    }
  }
  const auto result = play_library(dropped_link, nullptr);
  BOOST_TEST(result.verdict.judged.count({ProtocolVersion::v3_1_1, "MQTT-3.1.2-8"}) == 1u);
}

BOOST_AUTO_TEST_CASE(a_will_published_after_disconnect_is_caught) {
  const auto v311 = violations_of(play_library(graceful_v311, ignore_disconnect()), "wills");
  BOOST_TEST_REQUIRE(v311.size() == 1u);
  BOOST_TEST(cites(v311[0], {ProtocolVersion::v3_1_1, "MQTT-3.1.2-10"}));
  BOOST_TEST(cites(v311[0], {ProtocolVersion::v3_1_1, "MQTT-3.14.4-3"}));
  BOOST_TEST(v311[0].message.find("\"device\" sent DISCONNECT") != std::string::npos);
  const auto v5 = violations_of(play_library(graceful_v5, ignore_disconnect()), "wills");
  BOOST_TEST_REQUIRE(!v5.empty());
  BOOST_TEST(cites(v5[0], {ProtocolVersion::v5_0, "MQTT-3.1.2-10"}));
}

BOOST_AUTO_TEST_CASE(no_will_after_a_drop_is_caught) {
  const auto found = violations_of(play_library(dropped_link, forget_wills()), "wills");
  BOOST_TEST_REQUIRE(found.size() == 1u);
  BOOST_TEST(cites(found[0], {ProtocolVersion::v3_1_1, "MQTT-3.1.2-8"}));
  BOOST_TEST(found[0].message.find("never reached \"monitor\"") != std::string::npos);
  const auto timeout = violations_of(play_library(keep_alive_timeout, forget_wills()), "wills");
  BOOST_TEST_REQUIRE(timeout.size() == 1u);
  BOOST_TEST(cites(timeout[0], {ProtocolVersion::v3_1_1, "MQTT-3.1.2-8"}));
}

BOOST_AUTO_TEST_CASE(a_will_deleted_by_an_error_reason_is_caught) {
  const auto found = violations_of(play_library(error_reason, any_disconnect_is_normal()), "wills");
  BOOST_TEST_REQUIRE(found.size() == 1u);
  BOOST_TEST(cites(found[0], {ProtocolVersion::v5_0, "MQTT-3.1.2-8"}));
  BOOST_TEST(found[0].message.find("never reached \"monitor\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_will_delay_cut_short_is_caught) {
  const auto found = violations_of(play_library(delayed, ignore_will_delay()), "wills");
  BOOST_TEST_REQUIRE(found.size() == 1u);
  BOOST_TEST(cites(found[0], {ProtocolVersion::v5_0, "MQTT-3.1.2-8"}));
  BOOST_TEST(found[0].message.find("before it was due") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_will_copy_may_wait_behind_a_full_window) {
  // Found by mqttsim explore: the broker's in-flight window toward a
  // half-open connection is full when the will is due, so the subscriber's
  // QoS 1 copy waits in its session's queue. The client comes back with
  // Clean Session 1, which discards that session, queue and all
  // (MQTT-3.1.2-6, 3.1.1): the copy never goes, and the will was not lost.
  // With Clean Session 0 the window frees on the reconnect and the copy
  // must follow: a broker that forgets wills is still caught.
  const auto play = [](const std::string& clean,
                       std::shared_ptr<runner::PacketInterceptor> broken) {
    return play_text(R"(name: a will behind a full window
protocol: 3.1.1
broker:
  profile: {max_inflight: 2}
clients:
  sub:
  pub:
  dev:
steps:
  - connect: sub
    clean_session: )" + clean +
                         R"(
  - subscribe: sub
    filter: "#"
    qos: 1
  - connect: pub
  - connect: dev
    will: {topic: will/dev, payload: gone, qos: 1}
  - half_open: sub
    noticed_by: client
  - publish: pub
    topic: t
    qos: 1
    payload: m{n}
    count: 2
  - wait: 1s
  - drop: dev
  - wait: 2s
  - connect: sub
    clean_session: )" + clean +
                         R"(
  - wait: 2s
)",
                     std::move(broken));
  };
  const auto discarded = play("true", nullptr);
  BOOST_TEST(violations_of(discarded, "wills").empty());
  BOOST_TEST(discarded.passed());
  BOOST_TEST(violations_of(play("false", nullptr), "wills").empty());
  const auto forgotten = violations_of(play("false", forget_wills()), "wills");
  BOOST_TEST_REQUIRE(forgotten.size() == 1u);
  BOOST_TEST(forgotten[0].message.find("never reached \"sub\"") != std::string::npos,
             forgotten[0].message);
}

BOOST_AUTO_TEST_SUITE_END()
