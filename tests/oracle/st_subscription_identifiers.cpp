// The subscription-identifiers checker catches a broker that leaves the
// identifiers out, keeps only one of two on a single copy, adds one, or
// swaps them between the copies of a copy-per-subscription broker, on library
// scenarios; the correct broker passes.
#include <boost/test/unit_test.hpp>

#include "broken_broker.hpp"

using namespace mqttsim;
using namespace mqttsim::testing;

namespace {

const std::string single_copy = "properties/subscription-identifiers-on-deliveries-5.0.yaml";
const std::string copy_each = "properties/subscription-identifiers-copy-per-subscription-5.0.yaml";
constexpr SpecRef carried{ProtocolVersion::v5_0, "MQTT-3.3.4-3"};
constexpr SpecRef all_on_one{ProtocolVersion::v5_0, "MQTT-3.3.4-4"};
constexpr SpecRef own_each{ProtocolVersion::v5_0, "MQTT-3.3.4-5"};

std::shared_ptr<runner::PacketInterceptor> identifiers(
    std::function<void(std::vector<std::uint32_t>&)> alter) {
  return std::make_shared<OutboundBreak>([alter](net::ConnectionId, codec::Packet packet) {
    if (auto* p = std::get_if<codec::Publish>(&packet))
      alter(p->properties.subscription_identifiers);
    return std::vector<codec::Packet>{std::move(packet)};
  });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_subscription_identifiers)

BOOST_AUTO_TEST_CASE(the_reference_broker_is_not_reported) {
  const auto single = play_library(single_copy, nullptr);
  BOOST_TEST(violations_of(single, "subscription-identifiers").empty());
  BOOST_TEST(single.verdict.judged.count({carried.version, std::string{carried.id}}) == 1u);
  BOOST_TEST(single.verdict.judged.count({all_on_one.version, std::string{all_on_one.id}}) == 1u);
  const auto each = play_library(copy_each, nullptr);
  BOOST_TEST(violations_of(each, "subscription-identifiers").empty());
  BOOST_TEST(each.verdict.judged.count({own_each.version, std::string{own_each.id}}) == 1u);
}

BOOST_AUTO_TEST_CASE(identifiers_left_out_are_caught) {
  const auto found =
      violations_of(play_library(single_copy, identifiers([](auto& ids) { ids.clear(); })),
                    "subscription-identifiers");
  // Three deliveries to "app" had identifiers; "plain" had none to lose.
  BOOST_TEST(found.size() == 3u);
  for (const auto& v : found) BOOST_TEST(cites(v, carried));
  bool overlapping = false;
  for (const auto& v : found) overlapping = overlapping || cites(v, all_on_one);
  BOOST_TEST(overlapping);
}

BOOST_AUTO_TEST_CASE(one_identifier_of_two_on_a_single_copy_is_caught) {
  const auto found = violations_of(play_library(single_copy, identifiers([](auto& ids) {
                                                  if (ids.size() > 1) ids.resize(1);
                                                })),
                                   "subscription-identifiers");
  BOOST_TEST_REQUIRE(found.size() == 1u);
  BOOST_TEST(cites(found[0], all_on_one));
  BOOST_TEST(found[0].message.find("\"home/kitchen/temp\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_identifier_on_a_delivery_without_one_is_caught) {
  const auto found = violations_of(play_library(single_copy, identifiers([](auto& ids) {
                                                  if (ids.empty()) ids.push_back(9);
                                                })),
                                   "subscription-identifiers");
  BOOST_TEST(!found.empty());  // every delivery to "plain"
  for (const auto& v : found) BOOST_TEST(v.message.find("client \"plain\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(identifiers_swapped_between_copies_are_caught) {
  // A copy-per-subscription broker that labels each copy with the other
  // subscription's identifier: the QoS 1 copy (identifier 5) gets 6.
  const auto found =
      violations_of(play_library(copy_each, identifiers([](auto& ids) {
                                   if (ids.size() == 1 && (ids[0] == 5 || ids[0] == 6))
                                     ids[0] = 11 - ids[0];
                                 })),
                    "subscription-identifiers");
  // Both copies of "p7", and the copy of "f3" for identifier 5 (the other
  // copy of "f3", for the subscription without one, stays right).
  BOOST_TEST_REQUIRE(found.size() == 3u);
  std::size_t p7 = 0;
  for (const auto& v : found) {
    BOOST_TEST(cites(v, own_each));
    if (v.message.find("\"p7\"") != std::string::npos) ++p7;
  }
  BOOST_TEST(p7 == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
