// The forwarded-properties checker catches a broker that alters each
// property a message carries on the way to a subscriber (Payload Format
// Indicator, Response Topic, Correlation Data, Content Type, a User
// Property dropped or reordered), on a library scenario; the correct broker
// passes.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <functional>

#include "broken_broker.hpp"

using namespace mqttsim;
using namespace mqttsim::testing;

namespace {

const std::string forwarded = "properties/publish-properties-forwarded-unaltered-5.0.yaml";

std::shared_ptr<runner::PacketInterceptor> altering(std::function<void(codec::Properties&)> alter) {
  return std::make_shared<OutboundBreak>([alter](net::ConnectionId, codec::Packet packet) {
    if (auto* p = std::get_if<codec::Publish>(&packet)) alter(p->properties);
    return std::vector<codec::Packet>{std::move(packet)};
  });
}

// Every violation the alteration caused cites `rule`, and there is one.
void caught_as(const std::function<void(codec::Properties&)>& alter, const char* id) {
  const auto found =
      violations_of(play_library(forwarded, altering(alter)), "forwarded-properties");
  BOOST_TEST_REQUIRE(!found.empty(), id);
  for (const auto& v : found) BOOST_TEST(cites(v, {ProtocolVersion::v5_0, id}), v.message);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_forwarded_properties)

BOOST_AUTO_TEST_CASE(the_reference_broker_is_not_reported) {
  const auto result = play_library(forwarded, nullptr);
  BOOST_TEST(violations_of(result, "forwarded-properties").empty());
  for (const char* id : {"MQTT-3.3.2-4", "MQTT-3.3.2-15", "MQTT-3.3.2-16", "MQTT-3.3.2-17",
                         "MQTT-3.3.2-18", "MQTT-3.3.2-20"}) {
    BOOST_TEST(result.verdict.judged.count({ProtocolVersion::v5_0, id}) == 1u, id);
  }
}

BOOST_AUTO_TEST_CASE(each_altered_property_is_caught_with_its_statement) {
  caught_as([](codec::Properties& p) { p.payload_format_indicator.reset(); }, "MQTT-3.3.2-4");
  caught_as(
      [](codec::Properties& p) {
        if (p.response_topic) p.response_topic = "replies/other";
      },
      "MQTT-3.3.2-15");
  caught_as([](codec::Properties& p) { p.correlation_data.reset(); }, "MQTT-3.3.2-16");
  caught_as(
      [](codec::Properties& p) {
        if (p.content_type) p.content_type = "text/plain";
      },
      "MQTT-3.3.2-20");
  caught_as(
      [](codec::Properties& p) {
        if (!p.user_properties.empty()) p.user_properties.pop_back();
      },
      "MQTT-3.3.2-17");
  caught_as(
      [](codec::Properties& p) {
        std::reverse(p.user_properties.begin(), p.user_properties.end());
      },
      "MQTT-3.3.2-18");
}

BOOST_AUTO_TEST_CASE(an_added_user_property_is_only_remarked) {
  const auto result = play_library(forwarded, altering([](codec::Properties& p) {
                                     p.user_properties.push_back({"via", "broker"});
                                   }));
  BOOST_TEST(violations_of(result, "forwarded-properties").empty());
  bool remarked = false;
  for (const auto& r : result.verdict.remarks)
    remarked = remarked || r.check == "forwarded-properties";
  BOOST_TEST(remarked);
}

BOOST_AUTO_TEST_SUITE_END()
