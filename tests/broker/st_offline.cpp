// Offline queues of persistent sessions: what is queued, in what order, at
// which QoS, the queue limit and its drop policy, and what comes first on
// reconnect (3.1.1 MQTT-3.1.2-5, §4.6; 5.0 §4.5, §4.6).

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "harness.hpp"

using namespace mqttsim::testing;
namespace data = boost::unit_test::data;

namespace {

// "sub" holds a persistent session subscribed to t/# at `granted`, and is
// offline; "pub" is connected.
void offline_subscriber(BrokerHarness& h, ProtocolVersion version,
                        QoS granted = QoS::exactly_once) {
  h.connect("sub", h.connect_packet(version, "sub", false));
  h.subscribe("sub", "t/#", granted);
  h.drop("sub");
  h.connect("pub", h.connect_packet(version, "pub", true));
}

std::vector<std::string> payloads(const std::vector<Publish>& publishes) {
  std::vector<std::string> texts;
  for (const Publish& publish : publishes) texts.push_back(text_of(publish.payload));
  return texts;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_offline)

BOOST_DATA_TEST_CASE(qos1_and_qos2_are_queued_in_order_qos0_is_not, data::make(both_versions),
                     version) {
  BrokerHarness h;
  offline_subscriber(h, version);
  h.publish("pub", "t/a", "1", QoS::at_least_once);
  h.publish("pub", "t/a", "zero", QoS::at_most_once);
  h.publish("pub", "t/a", "2", QoS::exactly_once);
  h.publish("pub", "t/b", "3", QoS::at_least_once);

  BOOST_TEST(h.connect("sub", h.connect_packet(version, "sub", false))->session_present);
  const auto received = h.receive_and_ack("sub");
  const std::vector<std::string> expected{"1", "2", "3"};
  BOOST_TEST(payloads(received) == expected, boost::test_tools::per_element());
  BOOST_TEST(
      (h.exercised("MQTT-3.1.2-5", ProtocolVersion::v3_1_1) || version == ProtocolVersion::v5_0));
}

BOOST_DATA_TEST_CASE(qos0_is_queued_when_the_profile_says_so, data::make(both_versions), version) {
  Profile profile;
  profile.queue_qos0_offline = true;
  BrokerHarness h{profile};
  offline_subscriber(h, version);
  h.publish("pub", "t/a", "zero", QoS::at_most_once);
  h.publish("pub", "t/a", "one", QoS::at_least_once);
  h.connect("sub", h.connect_packet(version, "sub", false));
  const auto received = h.receive_and_ack("sub");
  const std::vector<std::string> expected{"zero", "one"};
  BOOST_TEST(payloads(received) == expected, boost::test_tools::per_element());
  BOOST_TEST(received[0].qos == QoS::at_most_once);
}

BOOST_DATA_TEST_CASE(delivered_qos_is_the_lower_of_published_and_granted, data::make(both_versions),
                     version) {
  BrokerHarness h;
  offline_subscriber(h, version, QoS::at_least_once);
  h.publish("pub", "t/a", "two", QoS::exactly_once);
  h.connect("sub", h.connect_packet(version, "sub", false));
  const auto received = h.receive_and_ack("sub");
  BOOST_REQUIRE_EQUAL(received.size(), 1u);
  BOOST_TEST(received[0].qos == QoS::at_least_once);
}

BOOST_DATA_TEST_CASE(in_flight_messages_are_resent_with_dup_before_the_queue,
                     data::make(both_versions), version) {
  BrokerHarness h;
  h.connect("sub", h.connect_packet(version, "sub", false));
  h.subscribe("sub", "t/#", QoS::at_least_once);
  h.connect("pub", h.connect_packet(version, "pub", true));
  h.publish("pub", "t/a", "in-flight", QoS::at_least_once);
  const auto first = h.take_publishes("sub");  // received, never acknowledged
  BOOST_REQUIRE_EQUAL(first.size(), 1u);
  BOOST_TEST(!first[0].dup);
  h.drop("sub");
  h.publish("pub", "t/a", "queued", QoS::at_least_once);

  h.connect("sub", h.connect_packet(version, "sub", false));
  const auto again = h.receive_and_ack("sub");
  BOOST_REQUIRE_EQUAL(again.size(), 2u);
  BOOST_TEST(text_of(again[0].payload) == "in-flight");
  BOOST_TEST(again[0].dup);  // a resend (MQTT-4.4.0-1)
  BOOST_TEST(again[0].packet_id == first[0].packet_id);
  BOOST_TEST(text_of(again[1].payload) == "queued");
  BOOST_TEST(!again[1].dup);
}

BOOST_DATA_TEST_CASE(queue_limit_drops_the_newest_and_says_so, data::make(both_versions), version) {
  Profile profile;
  profile.max_queued_messages = 2;
  profile.queue_drop_policy = mqttsim::QueueDropPolicy::drop_newest;
  BrokerHarness h{profile};
  offline_subscriber(h, version);
  for (int i = 1; i <= 4; ++i) h.publish("pub", "t/a", std::to_string(i), QoS::at_least_once);
  BOOST_TEST(h.count_notes(mqttsim::broker::NoteKind::queue_limit_drop) == 2u);
  h.connect("sub", h.connect_packet(version, "sub", false));
  const std::vector<std::string> expected{"1", "2"};
  BOOST_TEST(payloads(h.receive_and_ack("sub")) == expected, boost::test_tools::per_element());
}

BOOST_DATA_TEST_CASE(queue_limit_drops_the_oldest_when_configured, data::make(both_versions),
                     version) {
  Profile profile;
  profile.max_queued_messages = 2;
  profile.queue_drop_policy = mqttsim::QueueDropPolicy::drop_oldest;
  BrokerHarness h{profile};
  offline_subscriber(h, version);
  for (int i = 1; i <= 4; ++i) h.publish("pub", "t/a", std::to_string(i), QoS::at_least_once);
  BOOST_TEST(h.count_notes(mqttsim::broker::NoteKind::queue_limit_drop) == 2u);
  h.connect("sub", h.connect_packet(version, "sub", false));
  const std::vector<std::string> expected{"3", "4"};
  BOOST_TEST(payloads(h.receive_and_ack("sub")) == expected, boost::test_tools::per_element());
}

BOOST_DATA_TEST_CASE(unsubscribe_stops_queueing_but_finishes_what_started,
                     data::make(both_versions), version) {
  BrokerHarness h;
  h.connect("sub", h.connect_packet(version, "sub", false));
  h.subscribe("sub", "t/a", QoS::at_least_once);
  h.connect("pub", h.connect_packet(version, "pub", true));
  h.publish("pub", "t/a", "started", QoS::at_least_once);
  const auto started = h.take_publishes("sub");
  BOOST_REQUIRE_EQUAL(started.size(), 1u);
  h.send("sub", Unsubscribe{.packet_id = 77, .properties = {}, .topic_filters = {"t/a"}});
  const auto unsuback = h.take("sub");
  BOOST_REQUIRE_EQUAL(unsuback.size(), 1u);
  BOOST_TEST(std::get<Unsuback>(unsuback[0]).packet_id == 77);
  h.publish("pub", "t/a", "after", QoS::at_least_once);
  BOOST_TEST(h.take_publishes("sub").empty());
  // The delivery that had begun is still owed (MQTT-3.10.4-3): after a
  // reconnect it is resent.
  h.drop("sub");
  h.connect("sub", h.connect_packet(version, "sub", false));
  const auto resent = h.receive_and_ack("sub");
  BOOST_REQUIRE_EQUAL(resent.size(), 1u);
  BOOST_TEST(text_of(resent[0].payload) == "started");
}

BOOST_AUTO_TEST_SUITE_END()
