// The topic-alias checker catches a broker that uses Topic Aliases toward a
// client that allowed none, one above the client's maximum, and one that
// refuses a client's valid alias, on library scenarios; the
// correct broker passes.
#include <boost/test/unit_test.hpp>

#include "broken_broker.hpp"

using namespace mqttsim;
using namespace mqttsim::testing;

namespace {

const std::string aliases = "properties/topic-alias-from-client-resolved-5.0.yaml";
const std::string no_aliases = "properties/publish-properties-forwarded-unaltered-5.0.yaml";

// Puts Topic Alias `alias` on every PUBLISH the broker sends (the topic stays).
std::shared_ptr<runner::PacketInterceptor> outbound_alias(std::uint16_t alias) {
  return std::make_shared<OutboundBreak>([alias](net::ConnectionId, codec::Packet packet) {
    if (auto* p = std::get_if<codec::Publish>(&packet)) p->properties.topic_alias = alias;
    return std::vector<codec::Packet>{std::move(packet)};
  });
}

// Reads every client alias as 11, above the broker's own maximum of 10: the
// broker then refuses the client's valid aliases.
std::shared_ptr<runner::PacketInterceptor> aliases_refused() {
  return std::make_shared<InboundBreak>([](net::ConnectionId, codec::Packet packet) {
    if (auto* p = std::get_if<codec::Publish>(&packet); p && p->properties.topic_alias) {
      p->properties.topic_alias = 11;
    }
    return std::vector<codec::Packet>{std::move(packet)};
  });
}

bool all_cite(const std::vector<oracle::Violation>& found, const char* id) {
  if (found.empty()) return false;
  for (const auto& v : found) {
    if (!cites(v, {ProtocolVersion::v5_0, id})) return false;
  }
  return true;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_topic_alias)

BOOST_AUTO_TEST_CASE(the_reference_broker_is_not_reported) {
  const auto result = play_library(aliases, nullptr);
  BOOST_TEST(violations_of(result, "topic-alias").empty());
  for (const char* id : {"MQTT-3.1.2-26", "MQTT-3.3.2-11", "MQTT-3.3.2-12"}) {
    BOOST_TEST(result.verdict.judged.count({ProtocolVersion::v5_0, id}) == 1u, id);
  }
  const auto plain = play_library(no_aliases, nullptr);
  BOOST_TEST(violations_of(plain, "topic-alias").empty());
  BOOST_TEST(plain.verdict.judged.count({ProtocolVersion::v5_0, "MQTT-3.1.2-27"}) == 1u);
}

BOOST_AUTO_TEST_CASE(an_alias_toward_a_client_that_allowed_none_is_caught) {
  BOOST_TEST(all_cite(violations_of(play_library(no_aliases, outbound_alias(1)), "topic-alias"),
                      "MQTT-3.1.2-27"));
}

BOOST_AUTO_TEST_CASE(an_alias_above_the_client_maximum_is_caught) {
  const auto found = violations_of(play_library(aliases, outbound_alias(6)), "topic-alias");
  BOOST_TEST(all_cite(found, "MQTT-3.1.2-26"));
  BOOST_TEST(all_cite(found, "MQTT-3.3.2-11"));
}

BOOST_AUTO_TEST_CASE(a_refused_client_alias_is_caught) {
  const auto found = violations_of(play_library(aliases, aliases_refused()), "topic-alias");
  BOOST_TEST_REQUIRE(!found.empty());
  BOOST_TEST(all_cite(found, "MQTT-3.3.2-12"));
  BOOST_TEST(found[0].message.find("answered DISCONNECT") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
