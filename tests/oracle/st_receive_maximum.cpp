// The receive-maximum checker catches a broker that ignores the client's
// Receive Maximum (more new QoS 1/2 PUBLISHes in flight than it allows) and
// one that holds back the PUBREL it owes while its send quota is zero, on
// library scenarios; the correct broker passes.
#include <boost/test/unit_test.hpp>

#include "broken_broker.hpp"

using namespace mqttsim;
using namespace mqttsim::testing;

namespace {

const std::string paced = "qos/receive-maximum-paces-queued-delivery-5.0.yaml";
const std::string faults = "faults/mixed-faults-persistent-session-qos1-5.0.yaml";
constexpr SpecRef limit{ProtocolVersion::v5_0, "MQTT-3.3.4-9"};
constexpr SpecRef zero_quota{ProtocolVersion::v5_0, "MQTT-4.9.0-2"};
constexpr SpecRef initial_quota{ProtocolVersion::v5_0, "MQTT-4.9.0-1"};
constexpr SpecRef not_held{ProtocolVersion::v5_0, "MQTT-3.3.4-10"};
constexpr SpecRef answered{ProtocolVersion::v5_0, "MQTT-4.9.0-3"};

// Reads every CONNECT as if it set no Receive Maximum (65,535).
std::shared_ptr<runner::PacketInterceptor> receive_maximum_ignored() {
  return std::make_shared<InboundBreak>([](net::ConnectionId, codec::Packet packet) {
    if (auto* c = std::get_if<codec::Connect>(&packet)) c->properties.receive_maximum.reset();
    return std::vector<codec::Packet>{std::move(packet)};
  });
}

// Never sends PUBREL.
std::shared_ptr<runner::PacketInterceptor> pubrel_withheld() {
  return std::make_shared<OutboundBreak>([](net::ConnectionId, codec::Packet packet) {
    if (std::holds_alternative<codec::Pubrel>(packet)) return std::vector<codec::Packet>{};
    return std::vector<codec::Packet>{std::move(packet)};
  });
}

bool judged(const runner::RunResult& result, SpecRef rule) {
  return result.verdict.judged.count({rule.version, std::string{rule.id}}) == 1u;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_receive_maximum)

BOOST_AUTO_TEST_CASE(the_reference_broker_is_not_reported) {
  for (const std::string& file : {paced, faults}) {
    const auto result = play_library(file, nullptr);
    BOOST_TEST(violations_of(result, "receive-maximum").empty(), file);
    BOOST_TEST(judged(result, limit));
    BOOST_TEST(judged(result, zero_quota));
  }
  // QoS 2 at a window of 2: PUBREC arrives while both slots are taken.
  const auto result = play_library(paced, nullptr);
  BOOST_TEST(judged(result, not_held));
  BOOST_TEST(judged(result, answered));
}

BOOST_AUTO_TEST_CASE(receive_maximum_ignored_is_caught) {
  const auto found =
      violations_of(play_library(paced, receive_maximum_ignored()), "receive-maximum");
  // 20 queued messages sent at once to a window of 2: 18 too many.
  BOOST_TEST(found.size() == 18u);
  for (const auto& v : found) {
    BOOST_TEST(cites(v, limit));
    BOOST_TEST(cites(v, zero_quota));
  }
  BOOST_TEST(cites(found.front(), initial_quota));  // before any acknowledgement
  BOOST_TEST(found.front().message.find("Receive Maximum is 2") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(pubrel_held_back_at_zero_quota_is_caught) {
  const auto found = violations_of(play_library(paced, pubrel_withheld()), "receive-maximum");
  BOOST_TEST_REQUIRE(!found.empty());
  for (const auto& v : found) {
    BOOST_TEST(cites(v, not_held));
    BOOST_TEST(cites(v, answered));
    BOOST_TEST(v.message.find("the PUBREL it was owed never came") != std::string::npos);
  }
}

BOOST_AUTO_TEST_SUITE_END()
