// The connect-accept checker catches brokers that refuse a plain client id
// or put authentication properties in the CONNACK of a client that asked
// for none, on a library scenario; the correct broker passes.
#include <boost/test/unit_test.hpp>

#include "broken_broker.hpp"

using namespace mqttsim;
using namespace mqttsim::testing;

namespace {

const std::string plain_ids = "sessions/plain-client-ids-accepted.yaml";

// Answers the first accepted CONNECT of each version with "identifier
// rejected" instead (and, being broken, keeps the connection open).
class RejectFirstId final : public runner::PacketInterceptor {
 public:
  Packets from_broker(net::ConnectionId, codec::Packet packet, ProtocolVersion version) override {
    if (auto* ack = std::get_if<codec::Connack>(&packet); ack && ack->code == 0) {
      bool& done = version == ProtocolVersion::v5_0 ? done_v5_ : done_v311_;
      if (!done) {
        done = true;
        ack->code = version == ProtocolVersion::v5_0 ? 0x85 : 0x02;
        ack->session_present = false;
        ack->properties = {};
      }
    }
    return one(std::move(packet));
  }

 private:
  bool done_v311_ = false;
  bool done_v5_ = false;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(st_connect_accept)

BOOST_AUTO_TEST_CASE(the_reference_broker_is_not_reported) {
  const auto result = play_library(plain_ids, nullptr);
  BOOST_TEST(violations_of(result, "connect-accept").empty());
  for (const auto& [version, id] : std::vector<std::pair<ProtocolVersion, std::string>>{
           {ProtocolVersion::v3_1_1, "MQTT-3.1.4-4"},
           {ProtocolVersion::v3_1_1, "MQTT-3.1.3-5"},
           {ProtocolVersion::v5_0, "MQTT-3.1.4-5"},
           {ProtocolVersion::v5_0, "MQTT-3.1.3-5"},
           {ProtocolVersion::v5_0, "MQTT-4.12.0-6"}}) {
    BOOST_TEST(result.verdict.judged.count({version, id}) == 1u, id);
  }
  const auto refused = play_library("errors/connect-unsupported-auth-method.yaml", nullptr);
  BOOST_TEST(violations_of(refused, "connect-accept").empty());
  BOOST_TEST(refused.verdict.judged.count({ProtocolVersion::v5_0, "MQTT-4.12.0-4"}) == 1u);
  BOOST_TEST(refused.verdict.judged.count({ProtocolVersion::v5_0, "MQTT-4.12.0-1"}) == 1u);
}

BOOST_AUTO_TEST_CASE(a_plain_client_id_rejected_is_caught) {
  const auto found =
      violations_of(play_library(plain_ids, std::make_shared<RejectFirstId>()), "connect-accept");
  BOOST_TEST(any_cites(found, {ProtocolVersion::v3_1_1, "MQTT-3.1.3-5"}));
  BOOST_TEST(any_cites(found, {ProtocolVersion::v3_1_1, "MQTT-3.1.4-4"}));
  BOOST_TEST(any_cites(found, {ProtocolVersion::v5_0, "MQTT-3.1.3-5"}));
}

BOOST_AUTO_TEST_CASE(an_authentication_method_nobody_asked_for_is_caught) {
  const auto method = std::make_shared<OutboundBreak>([](net::ConnectionId, codec::Packet packet) {
    if (auto* ack = std::get_if<codec::Connack>(&packet); ack && ack->code == 0)
      ack->properties.authentication_method = "SCRAM-SHA-1";
    return one(std::move(packet));
  });
  const auto found = violations_of(play_library(plain_ids, method), "connect-accept");
  BOOST_TEST(any_cites(found, {ProtocolVersion::v5_0, "MQTT-4.12.0-6"}));
}

BOOST_AUTO_TEST_SUITE_END()
