// The qos-receiver checker catches a broker that takes a packet id reused
// after PUBACK or PUBCOMP for a resend of the old message, and one that
// does not complete a QoS 2 exchange whose message expired, on a library
// scenario; the correct broker passes.
#include <boost/test/unit_test.hpp>

#include <map>
#include <set>

#include "broken_broker.hpp"

using namespace mqttsim;
using namespace mqttsim::testing;

namespace {

const std::string reused = "qos/reused-packet-id-after-ack-is-a-new-message.yaml";

}  // namespace

BOOST_AUTO_TEST_SUITE(st_qos_receiver)

BOOST_AUTO_TEST_CASE(the_reference_broker_is_not_reported) {
  const auto result = play_library(reused, nullptr);
  BOOST_TEST(violations_of(result, "qos-receiver").empty());
  for (const auto& [version, id] : std::vector<std::pair<ProtocolVersion, std::string>>{
           {ProtocolVersion::v3_1_1, "MQTT-4.3.2-2"},
           {ProtocolVersion::v3_1_1, "MQTT-4.3.3-2"},
           {ProtocolVersion::v5_0, "MQTT-4.3.2-5"},
           {ProtocolVersion::v5_0, "MQTT-4.3.3-12"},
           {ProtocolVersion::v5_0, "MQTT-4.3.3-13"}}) {
    BOOST_TEST(result.verdict.judged.count({version, id}) == 1u, id);
  }
}

BOOST_AUTO_TEST_CASE(a_reused_id_taken_for_a_resend_is_caught) {
  // The broker remembers every id a connection used and treats a DUP=1
  // PUBLISH under one of them as a resend: acknowledged, never forwarded
  // (it reads the topic as one nobody subscribes to).
  struct State {
    std::set<std::pair<net::ConnectionId, std::uint16_t>> seen;
  };
  auto state = std::make_shared<State>();
  const auto resend = std::make_shared<InboundBreak>([state](net::ConnectionId c,
                                                             codec::Packet packet) {
    if (auto* p = std::get_if<codec::Publish>(&packet); p && p->qos != codec::QoS::at_most_once) {
      if (!state->seen.insert({c, p->packet_id}).second && p->dup) p->topic = "broken/nowhere";
    }
    return one(std::move(packet));
  });
  const auto found = violations_of(play_library(reused, resend), "qos-receiver");
  BOOST_TEST(any_cites(found, {ProtocolVersion::v3_1_1, "MQTT-4.3.2-2"}));
  BOOST_TEST(any_cites(found, {ProtocolVersion::v3_1_1, "MQTT-4.3.3-2"}));
  BOOST_TEST(any_cites(found, {ProtocolVersion::v5_0, "MQTT-4.3.2-5"}));
  BOOST_TEST(any_cites(found, {ProtocolVersion::v5_0, "MQTT-4.3.3-12"}));
}

BOOST_AUTO_TEST_CASE(an_expired_exchange_left_incomplete_is_caught) {
  const auto no_pubcomp =
      std::make_shared<OutboundBreak>([](net::ConnectionId, codec::Packet packet) {
        if (const auto* comp = std::get_if<codec::Pubcomp>(&packet); comp && comp->packet_id == 3)
          return Packets{};
        return one(std::move(packet));
      });
  const auto found = violations_of(play_library(reused, no_pubcomp), "qos-receiver");
  BOOST_TEST_REQUIRE(found.size() == 1u);
  BOOST_TEST(cites(found[0], {ProtocolVersion::v5_0, "MQTT-4.3.3-13"}));
}

BOOST_AUTO_TEST_SUITE_END()
