// The subscribe-acks checker catches brokers that answer SUBSCRIBE codes out
// of order, act only on the first filter of a SUBSCRIBE, answer a 5.0
// UNSUBSCRIBE's codes out of order, or abandon a QoS 2 delivery after an
// UNSUBSCRIBE, on library scenarios; the correct broker passes.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "broken_broker.hpp"

using namespace mqttsim;
using namespace mqttsim::testing;

namespace {

const std::string multi_filter = "sessions/multi-filter-subscribe-and-unsubscribe.yaml";
const std::string wildcards_off = "sessions/wildcard-subscriptions-refused-by-profile.yaml";
const std::string begun_qos2 = "qos/unsubscribe-completes-qos2-in-flight.yaml";

// A broker that reads only the first filter of a SUBSCRIBE but answers
// every filter as granted at the QoS asked for.
class FirstFilterOnly final : public runner::PacketInterceptor {
 public:
  Packets to_broker(net::ConnectionId connection, codec::Packet packet, ProtocolVersion) override {
    if (auto* s = std::get_if<codec::Subscribe>(&packet); s && s->subscriptions.size() > 1) {
      std::vector<std::uint8_t>& rest = dropped_[{connection, s->packet_id}];
      for (std::size_t i = 1; i < s->subscriptions.size(); ++i)
        rest.push_back(static_cast<std::uint8_t>(s->subscriptions[i].max_qos));
      s->subscriptions.resize(1);
    }
    return one(std::move(packet));
  }
  Packets from_broker(net::ConnectionId connection, codec::Packet packet,
                      ProtocolVersion) override {
    if (auto* ack = std::get_if<codec::Suback>(&packet)) {
      const auto found = dropped_.find({connection, ack->packet_id});
      if (found != dropped_.end()) {
        for (const std::uint8_t code : found->second) ack->reason_codes.push_back(code);
        dropped_.erase(found);
      }
    }
    return one(std::move(packet));
  }

 private:
  std::map<std::pair<net::ConnectionId, std::uint16_t>, std::vector<std::uint8_t>> dropped_;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(st_subscribe_acks)

BOOST_AUTO_TEST_CASE(the_reference_broker_is_not_reported) {
  for (const std::string& file : {multi_filter, wildcards_off, begun_qos2}) {
    const auto result = play_library(file, nullptr);
    BOOST_TEST(violations_of(result, "subscribe-acks").empty(), file);
  }
  const auto result = play_library(multi_filter, nullptr);
  for (const auto& [version, id] : std::vector<std::pair<ProtocolVersion, std::string>>{
           {ProtocolVersion::v3_1_1, "MQTT-3.8.4-4"},
           {ProtocolVersion::v3_1_1, "MQTT-3.9.3-1"},
           {ProtocolVersion::v3_1_1, "MQTT-3.10.4-6"},
           {ProtocolVersion::v5_0, "MQTT-3.8.4-5"},
           {ProtocolVersion::v5_0, "MQTT-3.11.3-1"},
           {ProtocolVersion::v5_0, "MQTT-3.11.3-2"}}) {
    BOOST_TEST(result.verdict.judged.count({version, id}) == 1u, id);
  }
  BOOST_TEST(play_library(begun_qos2, nullptr)
                 .verdict.judged.count({ProtocolVersion::v5_0, "MQTT-3.10.4-3"}) == 1u);
  BOOST_TEST(play_library(wildcards_off, nullptr)
                 .verdict.judged.count({ProtocolVersion::v3_1_1, "MQTT-3.8.3-2"}) == 1u);
}

BOOST_AUTO_TEST_CASE(suback_codes_in_reverse_order_are_caught) {
  const auto reversed =
      std::make_shared<OutboundBreak>([](net::ConnectionId, codec::Packet packet) {
        if (auto* ack = std::get_if<codec::Suback>(&packet))
          std::reverse(ack->reason_codes.begin(), ack->reason_codes.end());
        return one(std::move(packet));
      });
  const auto found = violations_of(play_library(multi_filter, reversed), "subscribe-acks");
  BOOST_TEST(any_cites(found, {ProtocolVersion::v3_1_1, "MQTT-3.9.3-1"}));
  BOOST_TEST(any_cites(found, {ProtocolVersion::v3_1_1, "MQTT-3.8.4-5"}));
  BOOST_TEST(any_cites(found, {ProtocolVersion::v5_0, "MQTT-3.9.3-1"}));
}

BOOST_AUTO_TEST_CASE(a_granted_wildcard_filter_is_caught_when_the_profile_has_none) {
  const auto granted = std::make_shared<OutboundBreak>([](net::ConnectionId, codec::Packet packet) {
    if (auto* ack = std::get_if<codec::Suback>(&packet)) {
      for (std::uint8_t& code : ack->reason_codes) {
        if (code == 0x80) code = 0x00;
      }
    }
    return one(std::move(packet));
  });
  const auto found = violations_of(play_library(wildcards_off, granted), "subscribe-acks");
  BOOST_TEST_REQUIRE(!found.empty());
  BOOST_TEST(cites(found[0], {ProtocolVersion::v3_1_1, "MQTT-3.8.3-2"}));
  BOOST_TEST(found[0].message.find("w/+ (position 1)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(acting_on_the_first_filter_only_is_caught) {
  const auto found = violations_of(play_library(multi_filter, std::make_shared<FirstFilterOnly>()),
                                   "subscribe-acks");
  BOOST_TEST(any_cites(found, {ProtocolVersion::v3_1_1, "MQTT-3.8.4-4"}));
  BOOST_TEST(any_cites(found, {ProtocolVersion::v5_0, "MQTT-3.8.4-5"}));
}

BOOST_AUTO_TEST_CASE(unsuback_codes_rotated_are_caught) {
  const auto rotated = std::make_shared<OutboundBreak>([](net::ConnectionId, codec::Packet packet) {
    if (auto* ack = std::get_if<codec::Unsuback>(&packet); ack && ack->reason_codes.size() > 1)
      std::rotate(ack->reason_codes.begin(), ack->reason_codes.begin() + 1,
                  ack->reason_codes.end());
    return one(std::move(packet));
  });
  const auto found = violations_of(play_library(multi_filter, rotated), "subscribe-acks");
  BOOST_TEST_REQUIRE(!found.empty());
  BOOST_TEST(cites(found[0], {ProtocolVersion::v5_0, "MQTT-3.11.3-1"}));
  BOOST_TEST(found[0].message.find("0x11 (no subscription existed)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_delivery_abandoned_after_unsubscribe_is_caught) {
  // No PUBREL after the connection's UNSUBACK.
  struct State {
    std::set<net::ConnectionId> unsubscribed;
  };
  auto state = std::make_shared<State>();
  const auto abandon =
      std::make_shared<OutboundBreak>([state](net::ConnectionId c, codec::Packet packet) {
        if (std::holds_alternative<codec::Unsuback>(packet)) state->unsubscribed.insert(c);
        if (std::holds_alternative<codec::Pubrel>(packet) && state->unsubscribed.contains(c))
          return Packets{};
        return one(std::move(packet));
      });
  const auto found = violations_of(play_library(begun_qos2, abandon), "subscribe-acks");
  BOOST_TEST(any_cites(found, {ProtocolVersion::v3_1_1, "MQTT-3.10.4-3"}));
  BOOST_TEST(any_cites(found, {ProtocolVersion::v5_0, "MQTT-3.10.4-3"}));
}

BOOST_AUTO_TEST_SUITE_END()
