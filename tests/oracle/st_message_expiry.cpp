// The message-expiry checker catches a broker that forwards the Message
// Expiry Interval without taking off the time the message waited, and one
// that ignores the interval (delivering an expired message, without the
// property); the correct broker passes.
#include <boost/test/unit_test.hpp>

#include <map>

#include "broken_broker.hpp"

using namespace mqttsim;
using namespace mqttsim::testing;

namespace {

const std::string reduced = "properties/message-expiry-reduced-by-waiting-time-5.0.yaml";
const std::string queued = "sessions/queued-message-expiry-5.0.yaml";
constexpr SpecRef expired_rule{ProtocolVersion::v5_0, "MQTT-3.3.2-5"};
constexpr SpecRef reduced_rule{ProtocolVersion::v5_0, "MQTT-3.3.2-6"};

// Remembers the interval each message arrived with and puts it back on
// every PUBLISH the broker sends.
class IntervalNotReduced final : public runner::PacketInterceptor {
 public:
  std::vector<codec::Packet> to_broker(net::ConnectionId, codec::Packet packet,
                                       ProtocolVersion) override {
    if (const auto* p = std::get_if<codec::Publish>(&packet);
        p && p->properties.message_expiry_interval) {
      received_[{p->topic, p->payload}] = *p->properties.message_expiry_interval;
    }
    return {std::move(packet)};
  }
  std::vector<codec::Packet> from_broker(net::ConnectionId, codec::Packet packet,
                                         ProtocolVersion) override {
    if (auto* p = std::get_if<codec::Publish>(&packet)) {
      const auto found = received_.find({p->topic, p->payload});
      if (found != received_.end()) p->properties.message_expiry_interval = found->second;
    }
    return {std::move(packet)};
  }

 private:
  std::map<std::pair<std::string, codec::Bytes>, std::uint32_t> received_;
};

// Reads every PUBLISH as if it had no Message Expiry Interval.
std::shared_ptr<runner::PacketInterceptor> expiry_ignored() {
  return std::make_shared<InboundBreak>([](net::ConnectionId, codec::Packet packet) {
    if (auto* p = std::get_if<codec::Publish>(&packet)) {
      p->properties.message_expiry_interval.reset();
    }
    return std::vector<codec::Packet>{std::move(packet)};
  });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_message_expiry)

BOOST_AUTO_TEST_CASE(the_reference_broker_is_not_reported) {
  for (const std::string& file : {reduced, queued}) {
    const auto result = play_library(file, nullptr);
    BOOST_TEST(violations_of(result, "message-expiry").empty(), file);
    BOOST_TEST(result.verdict.judged.count({ProtocolVersion::v5_0, "MQTT-3.3.2-5"}) == 1u);
    BOOST_TEST(result.verdict.judged.count({ProtocolVersion::v5_0, "MQTT-3.3.2-6"}) == 1u);
  }
}

BOOST_AUTO_TEST_CASE(an_interval_not_reduced_by_the_wait_is_caught) {
  const auto result = play_library(reduced, std::make_shared<IntervalNotReduced>());
  const auto found = violations_of(result, "message-expiry");
  BOOST_TEST_REQUIRE(!found.empty());
  for (const auto& v : found) BOOST_TEST(cites(v, reduced_rule));
  // The queued copies waited 20 s: 3600 s is not what is left.
  bool queued_copy = false;
  for (const auto& v : found) {
    queued_copy =
        queued_copy || (v.message.find("client \"late\"") != std::string::npos &&
                        v.message.find("Message Expiry Interval 3600s;") != std::string::npos);
  }
  BOOST_TEST(queued_copy);
}

BOOST_AUTO_TEST_CASE(an_expired_message_delivered_is_caught) {
  for (const std::string& file : {reduced, queued}) {
    const auto found = violations_of(play_library(file, expiry_ignored()), "message-expiry");
    BOOST_TEST(any_cites(found, expired_rule), file);
    BOOST_TEST(any_cites(found, reduced_rule), file);  // and forwarded without the property
  }
  const auto found = violations_of(play_library(queued, expiry_ignored()), "message-expiry");
  bool short_lived = false;
  for (const auto& v : found) {
    short_lived = short_lived || (cites(v, expired_rule) &&
                                  v.message.find("\"short-lived\"") != std::string::npos);
  }
  BOOST_TEST(short_lived);
}

BOOST_AUTO_TEST_SUITE_END()
