// The packet-size checker catches a broker that ignores the client's
// Maximum Packet Size (sending the oversized message), one whose SUBACK
// grows past it with a Reason String, and one that keeps the oversized
// message and sends it when the session resumes, on a library scenario; the
// correct broker passes.
#include <boost/test/unit_test.hpp>

#include <map>

#include "broken_broker.hpp"

using namespace mqttsim;
using namespace mqttsim::testing;

namespace {

const std::string small = "properties/maximum-packet-size-drops-oversized-message-5.0.yaml";
constexpr SpecRef too_large{ProtocolVersion::v5_0, "MQTT-3.1.2-24"};
constexpr SpecRef as_delivered{ProtocolVersion::v5_0, "MQTT-3.1.2-25"};

// Reads every CONNECT as if it set no Maximum Packet Size.
std::shared_ptr<runner::PacketInterceptor> maximum_ignored() {
  return std::make_shared<InboundBreak>([](net::ConnectionId, codec::Packet packet) {
    if (auto* c = std::get_if<codec::Connect>(&packet)) c->properties.maximum_packet_size.reset();
    return std::vector<codec::Packet>{std::move(packet)};
  });
}

std::shared_ptr<runner::PacketInterceptor> suback_reason_string() {
  return std::make_shared<OutboundBreak>([](net::ConnectionId, codec::Packet packet) {
    if (auto* s = std::get_if<codec::Suback>(&packet)) {
      s->properties.reason_string = "granted as asked, with a long story about why that is fine";
    }
    return std::vector<codec::Packet>{std::move(packet)};
  });
}

// Keeps every message above 64 bytes that it receives and sends it (QoS 0)
// right after each CONNACK that resumes a session.
class OversizedKept final : public runner::PacketInterceptor {
 public:
  std::vector<codec::Packet> to_broker(net::ConnectionId, codec::Packet packet,
                                       ProtocolVersion version) override {
    if (const auto* p = std::get_if<codec::Publish>(&packet);
        p && codec::encode(packet, version).size() > 64) {
      kept_.push_back(*p);
    }
    return {std::move(packet)};
  }
  std::vector<codec::Packet> from_broker(net::ConnectionId, codec::Packet packet,
                                         ProtocolVersion) override {
    std::vector<codec::Packet> out{packet};
    if (const auto* ack = std::get_if<codec::Connack>(&packet); ack && ack->session_present) {
      for (codec::Publish p : kept_) {
        p.qos = codec::QoS::at_most_once;
        p.packet_id = 0;
        out.emplace_back(std::move(p));
      }
    }
    return out;
  }

 private:
  std::vector<codec::Publish> kept_;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(st_packet_size)

BOOST_AUTO_TEST_CASE(the_reference_broker_is_not_reported) {
  const auto result = play_library(small, nullptr);
  BOOST_TEST(violations_of(result, "packet-size").empty());
  for (const char* id :
       {"MQTT-3.1.2-24", "MQTT-3.1.2-25", "MQTT-3.2.2-19", "MQTT-3.2.2-20", "MQTT-3.4.2-2",
        "MQTT-3.4.2-3", "MQTT-3.5.2-2", "MQTT-3.5.2-3", "MQTT-3.6.2-2", "MQTT-3.6.2-3",
        "MQTT-3.7.2-2", "MQTT-3.7.2-3", "MQTT-3.9.2-1", "MQTT-3.9.2-2", "MQTT-3.11.2-1",
        "MQTT-3.11.2-2", "MQTT-3.14.2-3", "MQTT-3.14.2-4"}) {
    BOOST_TEST(result.verdict.judged.count({ProtocolVersion::v5_0, id}) == 1u, id);
  }
}

BOOST_AUTO_TEST_CASE(an_oversized_publish_is_caught) {
  // Sent at once, and resent (still too large) when "small" comes back with
  // the same maximum; the client cannot read it, so never acknowledges it.
  const auto found = violations_of(play_library(small, maximum_ignored()), "packet-size");
  BOOST_TEST_REQUIRE(found.size() == 2u);
  for (const auto& v : found) {
    BOOST_TEST(cites(v, too_large));
    BOOST_TEST(v.message.find("a PUBLISH of 94 bytes") != std::string::npos);
    BOOST_TEST(v.message.find("at most 64 bytes") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(a_reason_string_past_the_maximum_is_caught) {
  const auto found = violations_of(play_library(small, suback_reason_string()), "packet-size");
  BOOST_TEST_REQUIRE(found.size() == 1u);  // the one SUBACK to "small"
  BOOST_TEST(cites(found[0], too_large));
  BOOST_TEST(cites(found[0], {ProtocolVersion::v5_0, "MQTT-3.9.2-1"}));
}

BOOST_AUTO_TEST_CASE(an_oversized_message_sent_later_is_caught) {
  const auto found =
      violations_of(play_library(small, std::make_shared<OversizedKept>()), "packet-size");
  bool later = false;
  for (const auto& v : found) {
    later = later || (cites(v, as_delivered) &&
                      v.message.find("it was sent to that session") != std::string::npos);
  }
  BOOST_TEST(later);
}

BOOST_AUTO_TEST_SUITE_END()
