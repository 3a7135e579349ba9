// The wire checker catches packets the broker sends that do not decode (a
// SUBACK with a reserved return code, a PUBLISH to a wildcard topic) with
// the decoder's statement, and a broker that sends something before
// CONNACK, on library scenarios; the correct broker passes.
#include <boost/test/unit_test.hpp>

#include "broken_broker.hpp"

using namespace mqttsim;
using namespace mqttsim::testing;

namespace {

const std::string queued_v311 = "sessions/persistent-session-queues-qos1.yaml";
const std::string resumes_v5 = "sessions/persistent-session-resumes-5.0.yaml";

std::vector<codec::Packet> one(codec::Packet packet) { return {std::move(packet)}; }

// SUBACK return code 0x03 is reserved in 3.1.1 (the encoder writes it).
std::shared_ptr<runner::PacketInterceptor> reserved_suback_code() {
  return std::make_shared<OutboundBreak>([](net::ConnectionId, codec::Packet packet) {
    if (auto* ack = std::get_if<codec::Suback>(&packet)) ack->reason_codes.assign(1, 0x03);
    return one(std::move(packet));
  });
}

std::shared_ptr<runner::PacketInterceptor> wildcard_topic() {
  return std::make_shared<OutboundBreak>([](net::ConnectionId, codec::Packet packet) {
    if (auto* publish = std::get_if<codec::Publish>(&packet)) publish->topic += "/#";
    return one(std::move(packet));
  });
}

// A PINGRESP goes out ahead of every CONNACK.
std::shared_ptr<runner::PacketInterceptor> ping_before_connack() {
  return std::make_shared<OutboundBreak>([](net::ConnectionId, codec::Packet packet) {
    if (std::holds_alternative<codec::Connack>(packet)) {
      return std::vector<codec::Packet>{codec::Pingresp{}, std::move(packet)};
    }
    return one(std::move(packet));
  });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_wire)

BOOST_AUTO_TEST_CASE(the_reference_broker_is_not_reported) {
  for (const std::string& file :
       {queued_v311, resumes_v5, std::string{"will/will-qos-above-maximum-refused-5.0.yaml"},
        std::string{"sessions/takeover-session-taken-over-5.0.yaml"}}) {
    BOOST_TEST_CONTEXT(file) {
      BOOST_TEST(violations_of(play_library(file, nullptr), "wire").empty());
    }
  }
  const auto result = play_library(queued_v311, nullptr);
  BOOST_TEST(result.verdict.judged.count({ProtocolVersion::v3_1_1, "MQTT-3.9.3-2"}) == 1u);
  BOOST_TEST(result.verdict.judged.count({ProtocolVersion::v3_1_1, "MQTT-3.2.0-1"}) == 1u);
  BOOST_TEST(result.verdict.judged.count({ProtocolVersion::v3_1_1, "MQTT-3.3.2-2"}) == 1u);
  const auto refused = play_library("will/will-qos-above-maximum-refused-5.0.yaml", nullptr);
  BOOST_TEST(refused.verdict.judged.count({ProtocolVersion::v5_0, "MQTT-3.2.2-7"}) == 1u);
}

BOOST_AUTO_TEST_CASE(a_reserved_suback_code_is_caught) {
  const auto found = violations_of(play_library(queued_v311, reserved_suback_code()), "wire");
  BOOST_TEST_REQUIRE(!found.empty());
  BOOST_TEST(cites(found[0], {ProtocolVersion::v3_1_1, "MQTT-3.9.3-2"}));
  BOOST_TEST(found[0].message.find("SUBACK may not carry return code 3") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_publish_to_a_wildcard_topic_is_caught) {
  const auto found = violations_of(play_library(queued_v311, wildcard_topic()), "wire");
  BOOST_TEST_REQUIRE(!found.empty());
  BOOST_TEST(cites(found[0], {ProtocolVersion::v3_1_1, "MQTT-3.3.2-2"}));
  const auto v5 = violations_of(play_library(resumes_v5, wildcard_topic()), "wire");
  BOOST_TEST_REQUIRE(!v5.empty());
  BOOST_TEST(cites(v5[0], {ProtocolVersion::v5_0, "MQTT-3.3.2-2"}));
}

BOOST_AUTO_TEST_CASE(a_packet_before_connack_is_caught) {
  const auto found = violations_of(play_library(queued_v311, ping_before_connack()), "wire");
  BOOST_TEST_REQUIRE(!found.empty());
  BOOST_TEST(cites(found[0], {ProtocolVersion::v3_1_1, "MQTT-3.2.0-1"}));
  BOOST_TEST(found[0].message.find("was PINGRESP, not CONNACK") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
