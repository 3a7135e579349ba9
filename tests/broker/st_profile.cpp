// Profile options not covered by the behaviour suites: the 3.1.1 in-session
// retry, the 5.0 session expiry cap, and 5.0 CONNECT refusals that follow
// from what the profile announces.

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "harness.hpp"

using namespace mqttsim::testing;
using mqttsim::Duration;

BOOST_AUTO_TEST_SUITE(st_profile)

BOOST_AUTO_TEST_CASE(v311_in_session_retry_resends_with_dup_on_the_same_connection) {
  Profile profile;
  profile.in_session_retry_s = 10;
  BrokerHarness h{profile};
  const auto v = ProtocolVersion::v3_1_1;
  h.connect("sub", h.connect_packet(v, "sub", true));
  h.subscribe("sub", "t/a", QoS::at_least_once);
  h.connect("pub", h.connect_packet(v, "pub", true));
  h.publish("pub", "t/a", "x", QoS::at_least_once);
  const auto first = h.take_publishes("sub");
  BOOST_REQUIRE_EQUAL(first.size(), 1u);
  h.advance(Duration::from_s(9));
  BOOST_TEST(h.take_publishes("sub").empty());
  h.advance(Duration::from_s(1));
  const auto retry = h.take_publishes("sub");
  BOOST_REQUIRE_EQUAL(retry.size(), 1u);
  BOOST_TEST(retry[0].dup);
  BOOST_TEST(retry[0].packet_id == first[0].packet_id);
  h.send("sub", Puback{.packet_id = first[0].packet_id});
  h.advance(Duration::from_s(30));
  BOOST_TEST(h.take_publishes("sub").empty());
}

BOOST_AUTO_TEST_CASE(v5_never_retries_in_session_whatever_the_profile) {
  Profile profile;
  profile.in_session_retry_s = 10;
  BrokerHarness h{profile};
  const auto v = ProtocolVersion::v5_0;
  h.connect("sub", h.connect_packet(v, "sub", true));
  h.subscribe("sub", "t/a", QoS::at_least_once);
  h.connect("pub", h.connect_packet(v, "pub", true));
  h.publish("pub", "t/a", "x", QoS::at_least_once);
  BOOST_REQUIRE_EQUAL(h.take_publishes("sub").size(), 1u);
  h.advance(Duration::from_s(60));
  BOOST_TEST(h.take_publishes("sub").empty());  // MQTT-4.4.0-1
}

BOOST_AUTO_TEST_CASE(v5_session_expiry_is_capped_and_announced) {
  Profile profile;
  profile.max_session_expiry_s = 60;
  BrokerHarness h{profile};
  Connect connect = h.connect_packet(ProtocolVersion::v5_0, "c", false);
  connect.properties.session_expiry_interval = 3600;
  const auto connack = h.connect("c", connect);
  BOOST_TEST(connack->properties.session_expiry_interval.value_or(0) == 60u);
  h.drop("c");
  h.advance(Duration::from_s(60));
  BOOST_TEST(!h.broker().sessions().contains("c"));
}

BOOST_AUTO_TEST_CASE(v5_refuses_a_will_it_cannot_honour) {
  Profile profile;
  profile.maximum_qos = 1;
  profile.retain_available = false;
  BrokerHarness h{profile};
  Connect qos2_will = h.connect_packet(ProtocolVersion::v5_0, "a", true);
  qos2_will.will = Will{.topic = "w", .payload = bytes_of("x"), .qos = QoS::exactly_once};
  BOOST_TEST(h.connect("a", qos2_will)->code == 0x9B);  // MQTT-3.2.2-12
  BOOST_TEST(!h.open("a"));
  Connect retained_will = h.connect_packet(ProtocolVersion::v5_0, "b", true);
  retained_will.will = Will{.topic = "w", .payload = bytes_of("x"), .retain = true};
  BOOST_TEST(h.connect("b", retained_will)->code == 0x9A);  // MQTT-3.2.2-13
}

BOOST_AUTO_TEST_CASE(v5_refuses_an_authentication_method_it_does_not_offer) {
  BrokerHarness h;
  Connect connect = h.connect_packet(ProtocolVersion::v5_0, "a", true);
  connect.properties.authentication_method = "SCRAM-SHA-1";
  BOOST_TEST(h.connect("a", connect)->code == 0x8C);
  BOOST_TEST(!h.open("a"));
}

BOOST_AUTO_TEST_SUITE_END()
