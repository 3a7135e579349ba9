// The topic-matching checker catches a broker that folds the case of
// filters and one whose '+' matches a '$' level, on a library scenario;
// the correct broker passes.
#include <boost/test/unit_test.hpp>

#include "broken_broker.hpp"

using namespace mqttsim;
using namespace mqttsim::testing;

namespace {

const std::string literal = "sessions/topic-matching-literal-and-dollar.yaml";

// The broker reads every SUBSCRIBE's filters through `rewrite`.
std::shared_ptr<runner::PacketInterceptor> misread_filters(
    std::function<void(std::string&)> rewrite) {
  return std::make_shared<InboundBreak>([rewrite](net::ConnectionId, codec::Packet packet) {
    if (auto* s = std::get_if<codec::Subscribe>(&packet)) {
      for (codec::Subscription& sub : s->subscriptions) rewrite(sub.topic_filter);
    }
    return one(std::move(packet));
  });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_topic_matching)

BOOST_AUTO_TEST_CASE(the_reference_broker_is_not_reported) {
  const auto result = play_library(literal, nullptr);
  BOOST_TEST(violations_of(result, "topic-matching").empty());
  for (const auto& [version, id] : std::vector<std::pair<ProtocolVersion, std::string>>{
           {ProtocolVersion::v3_1_1, "MQTT-4.7.2-1"},
           {ProtocolVersion::v3_1_1, "MQTT-4.7.3-4"},
           {ProtocolVersion::v5_0, "MQTT-4.7.2-1"},
           {ProtocolVersion::v5_0, "MQTT-4.7.3-4"}}) {
    BOOST_TEST(result.verdict.judged.count({version, id}) == 1u, id);
  }
}

BOOST_AUTO_TEST_CASE(case_folded_filters_are_caught) {
  const auto folded = misread_filters([](std::string& filter) {
    for (char& ch : filter) {
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    }
  });
  const auto found = violations_of(play_library(literal, folded), "topic-matching");
  BOOST_TEST(any_cites(found, {ProtocolVersion::v3_1_1, "MQTT-4.7.3-4"}));
  BOOST_TEST(any_cites(found, {ProtocolVersion::v5_0, "MQTT-4.7.3-4"}));
}

BOOST_AUTO_TEST_CASE(a_plus_matching_a_dollar_level_is_caught) {
  const auto dollar = misread_filters([](std::string& filter) {
    if (filter == "+/info") filter = "$app/info";
  });
  const auto found = violations_of(play_library(literal, dollar), "topic-matching");
  BOOST_TEST(any_cites(found, {ProtocolVersion::v3_1_1, "MQTT-4.7.2-1"}));
  BOOST_TEST(any_cites(found, {ProtocolVersion::v5_0, "MQTT-4.7.2-1"}));
}

BOOST_AUTO_TEST_SUITE_END()
