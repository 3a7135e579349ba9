// Keep-alive from the client's side: PINGREQ after a keep-alive period
// without sending (3.1.1 MQTT-3.1.2-23, 5.0 MQTT-3.1.2-20), the 5.0 Server
// Keep Alive replacing ours (MQTT-3.2.2-21), and giving up on a server that
// stays silent for a further keep-alive period (a half-open link).

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "link.hpp"

using namespace mqttsim::testing;
using mqttsim::Duration;
namespace data = boost::unit_test::data;

BOOST_AUTO_TEST_SUITE(st_client_keepalive)

BOOST_DATA_TEST_CASE(an_idle_client_pings_and_stays_connected, data::make(both_versions), version) {
  Link link;
  link.add("c", persistent(version, "c", /*keep_alive_s=*/10));
  link.open("c");
  link.take_sent("c");
  BOOST_TEST(*link.session("c").next_deadline() == link.now() + Duration::from_s(10));

  link.run_for(Duration::from_s(95));
  const auto pings = packets_of<Pingreq>(link.take_sent("c"));
  BOOST_TEST(pings.size() == 9u);  // at 10 s, 20 s, ... 90 s
  BOOST_TEST(link.events_of<PingAnswered>("c").size() == 9u);
  BOOST_TEST(link.connected("c"));  // the broker never timed us out
  BOOST_TEST(link.session("c").connected());
}

BOOST_DATA_TEST_CASE(sending_anything_postpones_the_ping, data::make(both_versions), version) {
  Link link;
  link.add("c", persistent(version, "c", 10));
  link.open("c");
  link.run_for(Duration::from_s(8));
  BOOST_REQUIRE(
      link.session("c").publish("t", bytes_of("x"), QoS::at_most_once, false, {}, link.now()));
  link.pump();
  link.take_sent("c");
  BOOST_TEST(*link.session("c").next_deadline() == link.now() + Duration::from_s(10));
  link.run_for(Duration::from_s(9));
  BOOST_TEST(packets_of<Pingreq>(link.take_sent("c")).empty());
  link.run_for(Duration::from_s(1));
  BOOST_TEST(packets_of<Pingreq>(link.take_sent("c")).size() == 1u);
}

BOOST_DATA_TEST_CASE(a_silent_server_is_given_up_after_one_more_keep_alive,
                     data::make(both_versions), version) {
  Link link;
  link.add("c", persistent(version, "c", 10));
  link.open("c");
  const auto connected_at = link.now();
  link.take_events("c");
  link.blackhole("c");  // half-open: neither side hears the other

  link.run_for(Duration::from_s(19));
  BOOST_TEST(packets_of<Pingreq>(link.take_sent("c")).size() == 1u);
  BOOST_TEST(link.session("c").connected());
  link.run_for(Duration::from_s(1));
  const auto closes = link.events_of<Close>("c");
  BOOST_REQUIRE_EQUAL(closes.size(), 1u);
  BOOST_TEST(closes[0].reason == CloseReason::keep_alive_timeout);
  BOOST_TEST(!link.session("c").connected());
  BOOST_TEST(link.now() == connected_at + Duration::from_s(20));
  BOOST_TEST(!link.session("c").next_deadline().has_value());
}

BOOST_DATA_TEST_CASE(no_connack_within_keep_alive_closes, data::make(both_versions), version) {
  ScriptedServer server{persistent(version, "c", 5)};
  server.open();
  server.advance(Duration::from_s(4));
  BOOST_TEST(server.take().empty());
  server.advance(Duration::from_s(1));
  const auto closes = all_of<Close>(server.take());
  BOOST_REQUIRE_EQUAL(closes.size(), 1u);
  BOOST_TEST(closes[0].reason == CloseReason::connack_timeout);
}

BOOST_AUTO_TEST_CASE(the_server_keep_alive_replaces_ours) {
  mqttsim::Profile profile;
  profile.server_keep_alive_s = 4;
  Link link{profile};
  link.add("c", persistent(mqttsim::ProtocolVersion::v5_0, "c", 60));
  link.open("c");
  BOOST_TEST(link.session("c").keep_alive_s() == 4);  // MQTT-3.2.2-21
  link.take_sent("c");
  link.run_for(Duration::from_s(13));
  BOOST_TEST(packets_of<Pingreq>(link.take_sent("c")).size() == 3u);  // 4 s, 8 s, 12 s
  BOOST_TEST(link.connected("c"));
}

BOOST_DATA_TEST_CASE(keep_alive_zero_never_pings, data::make(both_versions), version) {
  Link link;
  link.add("c", persistent(version, "c", 0));
  link.open("c");
  BOOST_TEST(!link.session("c").next_deadline().has_value());
  link.take_sent("c");
  link.run_for(Duration::from_s(3'600));
  BOOST_TEST(link.take_sent("c").empty());
  BOOST_TEST(link.connected("c"));
}

BOOST_AUTO_TEST_SUITE_END()
