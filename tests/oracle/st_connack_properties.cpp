// The connack-properties checker catches a broker that sends Response
// Information nobody asked for, a Reason String to a client that asked for
// none, no (or a taken) Assigned Client Identifier, no Maximum QoS while
// supporting QoS 1 only, and a refused QoS 2 subscription, on library
// scenarios; the correct broker passes.
#include <boost/test/unit_test.hpp>

#include "broken_broker.hpp"

using namespace mqttsim;
using namespace mqttsim::testing;

namespace {

const std::string assigned = "properties/assigned-client-identifier-5.0.yaml";
const std::string max_qos = "properties/maximum-qos-1-still-grants-subscriptions-5.0.yaml";
const std::string small = "properties/maximum-packet-size-drops-oversized-message-5.0.yaml";

std::shared_ptr<runner::PacketInterceptor> connack(std::function<void(codec::Connack&)> alter) {
  return std::make_shared<OutboundBreak>([alter](net::ConnectionId, codec::Packet packet) {
    if (auto* ack = std::get_if<codec::Connack>(&packet)) alter(*ack);
    return std::vector<codec::Packet>{std::move(packet)};
  });
}

void caught_as(const std::string& file, std::shared_ptr<runner::PacketInterceptor> broken,
               const char* id) {
  const auto found = violations_of(play_library(file, std::move(broken)), "connack-properties");
  BOOST_TEST_REQUIRE(!found.empty(), id);
  for (const auto& v : found) BOOST_TEST(cites(v, {ProtocolVersion::v5_0, id}), v.message);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_connack_properties)

BOOST_AUTO_TEST_CASE(the_reference_broker_is_not_reported) {
  const std::vector<std::pair<std::string, std::vector<const char*>>> judged{
      {assigned, {"MQTT-3.1.2-28", "MQTT-3.2.2-16"}},
      {max_qos, {"MQTT-3.2.2-9", "MQTT-3.2.2-10"}},
      {small, {"MQTT-3.1.2-29"}}};
  for (const auto& [file, ids] : judged) {
    const auto result = play_library(file, nullptr);
    BOOST_TEST(violations_of(result, "connack-properties").empty(), file);
    for (const char* id : ids) {
      BOOST_TEST(result.verdict.judged.count({ProtocolVersion::v5_0, id}) == 1u, id);
    }
  }
}

BOOST_AUTO_TEST_CASE(unrequested_response_information_is_caught) {
  caught_as(assigned,
            connack([](codec::Connack& ack) { ack.properties.response_information = "replies/"; }),
            "MQTT-3.1.2-28");
}

BOOST_AUTO_TEST_CASE(a_reason_string_without_request_problem_information_is_caught) {
  caught_as(small, std::make_shared<OutboundBreak>([](net::ConnectionId, codec::Packet packet) {
              if (auto* ack = std::get_if<codec::Puback>(&packet)) {
                ack->properties.reason_string = "ok";
              }
              return std::vector<codec::Packet>{std::move(packet)};
            }),
            "MQTT-3.1.2-29");
}

BOOST_AUTO_TEST_CASE(a_missing_or_taken_assigned_client_identifier_is_caught) {
  caught_as(assigned,
            connack([](codec::Connack& ack) { ack.properties.assigned_client_identifier.reset(); }),
            "MQTT-3.2.2-16");
  // Both clients get the same id: the second takes over the first's session.
  const auto found = violations_of(play_library(assigned, connack([](codec::Connack& ack) {
                                                  if (ack.properties.assigned_client_identifier)
                                                    ack.properties.assigned_client_identifier =
                                                        "anon";
                                                })),
                                   "connack-properties");
  BOOST_TEST_REQUIRE(found.size() == 1u);
  BOOST_TEST(found[0].message.find("assigned it \"anon\", the client id of a session") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(maximum_qos_not_announced_is_caught) {
  caught_as(max_qos, connack([](codec::Connack& ack) { ack.properties.maximum_qos.reset(); }),
            "MQTT-3.2.2-9");
}

BOOST_AUTO_TEST_CASE(a_refused_qos_2_subscription_is_caught) {
  caught_as(max_qos, std::make_shared<OutboundBreak>([](net::ConnectionId, codec::Packet packet) {
              if (auto* s = std::get_if<codec::Suback>(&packet)) {
                for (auto& code : s->reason_codes) {
                  if (code == 0x01) code = 0x80;
                }
              }
              return std::vector<codec::Packet>{std::move(packet)};
            }),
            "MQTT-3.2.2-10");
}

BOOST_AUTO_TEST_SUITE_END()
