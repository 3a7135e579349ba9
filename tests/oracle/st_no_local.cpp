// The no-local checker catches a broker that ignores No Local, on library
// scenarios (a lone No Local subscription, and one overlapped by a
// subscription without it); the correct broker passes.
#include <boost/test/unit_test.hpp>

#include "broken_broker.hpp"

using namespace mqttsim;
using namespace mqttsim::testing;

namespace {

const std::string overlapped = "properties/no-local-own-messages-not-returned-5.0.yaml";
const std::string restored = "sessions/subscription-options-restored-5.0.yaml";
constexpr SpecRef no_local{ProtocolVersion::v5_0, "MQTT-3.8.3-3"};

// Reads every SUBSCRIBE as if No Local were 0.
std::shared_ptr<runner::PacketInterceptor> no_local_ignored() {
  return std::make_shared<InboundBreak>([](net::ConnectionId, codec::Packet packet) {
    if (auto* s = std::get_if<codec::Subscribe>(&packet)) {
      for (auto& wanted : s->subscriptions) wanted.no_local = false;
    }
    return std::vector<codec::Packet>{std::move(packet)};
  });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_no_local)

BOOST_AUTO_TEST_CASE(the_reference_broker_is_not_reported) {
  for (const std::string& file : {overlapped, restored}) {
    const auto result = play_library(file, nullptr);
    BOOST_TEST(violations_of(result, "no-local").empty(), file);
    BOOST_TEST(result.verdict.judged.count({no_local.version, std::string{no_local.id}}) == 1u);
  }
}

BOOST_AUTO_TEST_CASE(no_local_ignored_is_caught) {
  // Only the message no other subscription carries: the own message on
  // chat/alerts comes back rightly through chat/alerts (once; a second copy
  // is the duplicates checker's business).
  const auto found = violations_of(play_library(overlapped, no_local_ignored()), "no-local");
  BOOST_TEST_REQUIRE(found.size() == 1u);
  BOOST_TEST(cites(found[0], no_local));
  BOOST_TEST(found[0].message.find("\"hello-from-alice\"") != std::string::npos);

  const auto resumed = violations_of(play_library(restored, no_local_ignored()), "no-local");
  BOOST_TEST_REQUIRE(resumed.size() == 1u);
  BOOST_TEST(resumed[0].message.find("\"from-alice\"") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
