// The keep-alive checker catches a broker that times out a client that
// pinged (it never read the PINGREQs) and one that keeps a silent
// connection open, on library scenarios; the correct broker passes.
#include <boost/test/unit_test.hpp>

#include "broken_broker.hpp"

using namespace mqttsim;
using namespace mqttsim::testing;

namespace {

const std::string pinging = "keepalive/pingreq-keeps-idle-connection-alive.yaml";
const std::string silent_v311 = "keepalive/keepalive-timeout-publishes-will.yaml";
const std::string server_value = "keepalive/server-keep-alive-replaces-client-value-5.0.yaml";

std::vector<codec::Packet> one(codec::Packet packet) { return {std::move(packet)}; }

std::shared_ptr<runner::PacketInterceptor> deaf_to_pings() {
  return std::make_shared<InboundBreak>([](net::ConnectionId, codec::Packet packet) {
    if (std::holds_alternative<codec::Pingreq>(packet)) return std::vector<codec::Packet>{};
    return one(std::move(packet));
  });
}

// The broker reads Keep Alive 0 (off) in every CONNECT.
std::shared_ptr<runner::PacketInterceptor> no_keep_alive() {
  return std::make_shared<InboundBreak>([](net::ConnectionId, codec::Packet packet) {
    if (auto* connect = std::get_if<codec::Connect>(&packet)) connect->keep_alive_s = 0;
    return one(std::move(packet));
  });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_keep_alive)

BOOST_AUTO_TEST_CASE(the_reference_broker_is_not_reported) {
  for (const std::string& file :
       {pinging, silent_v311, server_value,
        std::string{"keepalive/keepalive-timeout-keeps-session-5.0.yaml"},
        std::string{"keepalive/keepalive-timeout-inflight-resent-dup-queued-not.yaml"}}) {
    BOOST_TEST_CONTEXT(file) {
      BOOST_TEST(violations_of(play_library(file, nullptr), "keep-alive").empty());
    }
  }
  const auto result = play_library(silent_v311, nullptr);
  BOOST_TEST(result.verdict.judged.count({ProtocolVersion::v3_1_1, "MQTT-3.1.2-24"}) == 1u);
  const auto pinged = play_library(pinging, nullptr);
  BOOST_TEST(pinged.verdict.judged.count({ProtocolVersion::v3_1_1, "MQTT-3.12.4-1"}) == 1u);
}

BOOST_AUTO_TEST_CASE(a_timeout_of_a_client_that_pinged_is_caught) {
  const auto found = violations_of(play_library(pinging, deaf_to_pings()), "keep-alive");
  BOOST_TEST(any_cites(found, {ProtocolVersion::v3_1_1, "MQTT-3.1.2-24"}));
  BOOST_TEST(any_cites(found, {ProtocolVersion::v3_1_1, "MQTT-3.12.4-1"}));
  bool early = false;
  for (const auto& v : found) {
    early = early || v.message.find("less than 1.5 x Keep Alive before") != std::string::npos;
  }
  BOOST_TEST(early);
}

BOOST_AUTO_TEST_CASE(a_silent_connection_kept_open_is_caught) {
  const auto found = violations_of(play_library(silent_v311, no_keep_alive()), "keep-alive");
  BOOST_TEST_REQUIRE(found.size() == 1u);
  BOOST_TEST(cites(found[0], {ProtocolVersion::v3_1_1, "MQTT-3.1.2-24"}));
  BOOST_TEST(found[0].message.find("kept the connection open") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
