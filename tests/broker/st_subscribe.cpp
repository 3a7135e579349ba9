// Subscriptions: overlapping filters under both profile choices, 5.0 No
// Local and Subscription Identifiers, shared subscriptions refused, SUBACK
// and UNSUBACK codes (3.1.1 §3.8-§3.11, 5.0 §3.8-§3.11, §4.8).

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "harness.hpp"

using namespace mqttsim::testing;
namespace data = boost::unit_test::data;

namespace {

Subscribe subscribe_packet(std::uint16_t packet_id, std::vector<Subscription> subscriptions) {
  return Subscribe{
      .packet_id = packet_id, .properties = {}, .subscriptions = std::move(subscriptions)};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_subscribe)

BOOST_DATA_TEST_CASE(overlapping_filters_get_one_copy_at_the_highest_qos, data::make(both_versions),
                     version) {
  BrokerHarness h;
  h.connect("sub", h.connect_packet(version, "sub", true));
  h.subscribe("sub", "t/+", QoS::at_most_once);
  h.subscribe("sub", "t/#", QoS::exactly_once);
  h.connect("pub", h.connect_packet(version, "pub", true));
  h.publish("pub", "t/a", "x", QoS::exactly_once);
  const auto received = h.receive_and_ack("sub");
  BOOST_REQUIRE_EQUAL(received.size(), 1u);
  BOOST_TEST(received[0].qos == QoS::exactly_once);  // 3.1.1 MQTT-3.3.5-1, 5.0 MQTT-3.3.4-2
}

BOOST_DATA_TEST_CASE(overlapping_filters_get_a_copy_each_when_the_profile_says_so,
                     data::make(both_versions), version) {
  mqttsim::Profile profile;
  profile.overlapping_subscriptions = mqttsim::OverlapDelivery::copy_per_subscription;
  BrokerHarness h{profile};
  h.connect("sub", h.connect_packet(version, "sub", true));
  h.subscribe("sub", "t/+", QoS::at_most_once);
  h.subscribe("sub", "t/#", QoS::at_least_once);
  h.connect("pub", h.connect_packet(version, "pub", true));
  h.publish("pub", "t/a", "x", QoS::exactly_once);
  const auto received = h.receive_and_ack("sub");
  BOOST_REQUIRE_EQUAL(received.size(), 2u);
  std::multiset<QoS> qos{received[0].qos, received[1].qos};
  BOOST_TEST(qos.count(QoS::at_most_once) == 1u);
  BOOST_TEST(qos.count(QoS::at_least_once) == 1u);
}

BOOST_AUTO_TEST_CASE(v5_no_local_skips_the_publishers_own_messages) {
  const auto v = ProtocolVersion::v5_0;
  BrokerHarness h;
  h.connect("both", h.connect_packet(v, "both", true));
  h.send("both", subscribe_packet(1, {Subscription{.topic_filter = "chat/#",
                                                   .max_qos = QoS::at_least_once,
                                                   .no_local = true}}));
  h.take("both");
  h.connect("other", h.connect_packet(v, "other", true));
  h.publish("both", "chat/a", "mine", QoS::at_least_once);
  h.publish("other", "chat/a", "theirs", QoS::at_least_once);
  const auto received = h.receive_and_ack("both");
  BOOST_REQUIRE_EQUAL(received.size(), 1u);
  BOOST_TEST(text_of(received[0].payload) == "theirs");
  BOOST_TEST(h.exercised("MQTT-3.8.3-3", v));
}

BOOST_AUTO_TEST_CASE(v5_subscription_identifiers_travel_with_each_delivery) {
  const auto v = ProtocolVersion::v5_0;
  BrokerHarness h;
  h.connect("sub", h.connect_packet(v, "sub", true));
  Subscribe first =
      subscribe_packet(1, {Subscription{.topic_filter = "t/+", .max_qos = QoS::at_least_once}});
  first.properties.subscription_identifiers = {7};
  Subscribe second =
      subscribe_packet(2, {Subscription{.topic_filter = "t/#", .max_qos = QoS::at_least_once}});
  second.properties.subscription_identifiers = {9};
  h.send("sub", first);
  h.send("sub", second);
  h.take("sub");
  h.connect("pub", h.connect_packet(v, "pub", true));
  h.publish("pub", "t/a", "x", QoS::at_least_once);
  const auto received = h.receive_and_ack("sub");
  BOOST_REQUIRE_EQUAL(received.size(), 1u);
  std::vector<std::uint32_t> ids = received[0].properties.subscription_identifiers;
  std::sort(ids.begin(), ids.end());
  const std::vector<std::uint32_t> expected{7, 9};
  BOOST_TEST(ids == expected, boost::test_tools::per_element());  // MQTT-3.3.4-4
}

BOOST_AUTO_TEST_CASE(v5_shared_subscriptions_are_refused_with_0x9e) {
  const auto v = ProtocolVersion::v5_0;
  BrokerHarness h;
  const auto connack = h.connect("sub", h.connect_packet(v, "sub", true));
  BOOST_TEST(connack->properties.shared_subscription_available.value_or(1) == 0);
  h.send("sub", subscribe_packet(
                    3, {Subscription{.topic_filter = "$share/g/t/#", .max_qos = QoS::at_least_once},
                        Subscription{.topic_filter = "t/#", .max_qos = QoS::at_least_once}}));
  const auto packets = h.take("sub");
  BOOST_REQUIRE_EQUAL(packets.size(), 1u);
  const Suback& suback = std::get<Suback>(packets[0]);
  BOOST_TEST(suback.packet_id == 3);
  const std::vector<std::uint8_t> expected{0x9E, 0x01};
  BOOST_TEST(suback.reason_codes == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(v311_share_prefix_is_an_ordinary_filter) {
  const auto v = ProtocolVersion::v3_1_1;
  BrokerHarness h;
  h.connect("sub", h.connect_packet(v, "sub", true));
  h.subscribe("sub", "$share/g/t", QoS::at_least_once);
  h.connect("pub", h.connect_packet(v, "pub", true));
  h.publish("pub", "$share/g/t", "x", QoS::at_least_once);
  BOOST_TEST(h.receive_and_ack("sub").size() == 1u);
}

BOOST_DATA_TEST_CASE(suback_grants_at_most_the_servers_maximum_qos, data::make(both_versions),
                     version) {
  mqttsim::Profile profile;
  profile.maximum_qos = 1;
  BrokerHarness h{profile};
  h.connect("sub", h.connect_packet(version, "sub", true));
  h.send("sub",
         subscribe_packet(4, {Subscription{.topic_filter = "a", .max_qos = QoS::exactly_once},
                              Subscription{.topic_filter = "b", .max_qos = QoS::at_most_once}}));
  const auto packets = h.take("sub");
  const std::vector<std::uint8_t> expected{0x01, 0x00};
  BOOST_TEST(std::get<Suback>(packets.at(0)).reason_codes == expected,
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(v5_unsuback_says_which_filters_existed) {
  const auto v = ProtocolVersion::v5_0;
  BrokerHarness h;
  h.connect("sub", h.connect_packet(v, "sub", true));
  h.subscribe("sub", "t/a", QoS::at_least_once);
  h.send("sub", Unsubscribe{.packet_id = 5, .properties = {}, .topic_filters = {"t/a", "t/+"}});
  const auto packets = h.take("sub");
  const Unsuback& unsuback = std::get<Unsuback>(packets.at(0));
  BOOST_TEST(unsuback.packet_id == 5);
  BOOST_REQUIRE_EQUAL(unsuback.reason_codes.size(), 2u);
  BOOST_TEST(static_cast<int>(unsuback.reason_codes[0]) == 0x00);
  BOOST_TEST(static_cast<int>(unsuback.reason_codes[1]) == 0x11);
}

BOOST_AUTO_TEST_SUITE_END()
