// The takeover checker catches a broker that leaves the old connection of
// a client id open when a new one connects (here: it misreads the second
// device's client id, so it sees no takeover at all), on library
// scenarios. A broker that ignores Clean Session is the session-present
// checker's catch; the correct broker passes.
#include <boost/test/unit_test.hpp>

#include <map>

#include "broken_broker.hpp"

using namespace mqttsim;
using namespace mqttsim::testing;

namespace {

const std::string takeover_v311 = "sessions/takeover-by-second-device.yaml";
const std::string takeover_v5 = "sessions/takeover-session-taken-over-5.0.yaml";
const std::string clean_discards = "sessions/clean-session-discards-subscription-and-queue.yaml";

std::vector<codec::Packet> one(codec::Packet packet) { return {std::move(packet)}; }

// Every CONNECT after the first of a client id gets a client id of its own.
std::shared_ptr<runner::PacketInterceptor> no_takeover() {
  auto seen = std::make_shared<std::map<std::string, int>>();
  return std::make_shared<InboundBreak>([seen](net::ConnectionId, codec::Packet packet) {
    if (auto* connect = std::get_if<codec::Connect>(&packet)) {
      const int count = ++(*seen)[connect->client_id];
      if (count > 1) connect->client_id += "-" + std::to_string(count);
    }
    return one(std::move(packet));
  });
}

// The broker reads Clean Session 0 in every CONNECT.
std::shared_ptr<runner::PacketInterceptor> never_clean() {
  return std::make_shared<InboundBreak>([](net::ConnectionId, codec::Packet packet) {
    if (auto* connect = std::get_if<codec::Connect>(&packet)) connect->clean_start = false;
    return one(std::move(packet));
  });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_takeover)

BOOST_AUTO_TEST_CASE(the_reference_broker_is_not_reported) {
  for (const std::string& file : {takeover_v311, takeover_v5, clean_discards}) {
    BOOST_TEST_CONTEXT(file) {
      const auto result = play_library(file, nullptr);
      BOOST_TEST(violations_of(result, "takeover").empty());
    }
  }
  BOOST_TEST(play_library(takeover_v311, nullptr)
                 .verdict.judged.count({ProtocolVersion::v3_1_1, "MQTT-3.1.4-2"}) == 1u);
  BOOST_TEST(play_library(takeover_v5, nullptr)
                 .verdict.judged.count({ProtocolVersion::v5_0, "MQTT-3.1.4-3"}) == 1u);
}

BOOST_AUTO_TEST_CASE(an_old_connection_left_open_is_caught) {
  const auto v311 = violations_of(play_library(takeover_v311, no_takeover()), "takeover");
  BOOST_TEST_REQUIRE(v311.size() == 1u);
  BOOST_TEST(cites(v311[0], {ProtocolVersion::v3_1_1, "MQTT-3.1.4-2"}));
  BOOST_TEST(v311[0].message.find("never closed the old one") != std::string::npos);
  const auto v5 = violations_of(play_library(takeover_v5, no_takeover()), "takeover");
  BOOST_TEST_REQUIRE(v5.size() == 1u);
  BOOST_TEST(cites(v5[0], {ProtocolVersion::v5_0, "MQTT-3.1.4-3"}));
}

// Clean Session ignored: the broker resumes a session the client asked to
// discard and says so with Session Present 1 (3.1.1 MQTT-3.2.2-1).
BOOST_AUTO_TEST_CASE(clean_session_ignored_is_caught_by_session_present) {
  const auto result = play_library(clean_discards, never_clean());
  const auto found = violations_of(result, "session-present");
  BOOST_TEST_REQUIRE(!found.empty());
  BOOST_TEST(cites(found[0], {ProtocolVersion::v3_1_1, "MQTT-3.2.2-1"}));
  BOOST_TEST(violations_of(result, "takeover").empty());
}

BOOST_AUTO_TEST_SUITE_END()
