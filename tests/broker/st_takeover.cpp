// Session takeover: a second connection with a connected client id (3.1.1
// MQTT-3.1.4-2; 5.0 MQTT-3.1.4-3 with DISCONNECT 0x8E).

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "harness.hpp"

using namespace mqttsim::testing;
namespace data = boost::unit_test::data;

BOOST_AUTO_TEST_SUITE(st_takeover)

BOOST_DATA_TEST_CASE(new_connection_closes_the_old_and_continues_the_session,
                     data::make(both_versions), version) {
  BrokerHarness h;
  h.connect("old", h.connect_packet(version, "dev", false));
  h.subscribe("old", "t/a", QoS::at_least_once);
  h.connect("pub", h.connect_packet(version, "pub", true));
  h.publish("pub", "t/a", "unacked", QoS::at_least_once);
  BOOST_TEST(h.take_publishes("old").size() == 1u);

  const auto connack = h.connect("new", h.connect_packet(version, "dev", false));
  BOOST_TEST(!h.open("old"));
  BOOST_TEST(h.open("new"));
  BOOST_TEST(connack->session_present);
  if (version == ProtocolVersion::v5_0) {
    const auto to_old = h.take("old");
    BOOST_REQUIRE_EQUAL(to_old.size(), 1u);
    BOOST_TEST(static_cast<int>(std::get<Disconnect>(to_old[0]).reason_code) == 0x8E);
  }
  const auto resent = h.receive_and_ack("new");
  BOOST_REQUIRE_EQUAL(resent.size(), 1u);
  BOOST_TEST(resent[0].dup);
  h.publish("pub", "t/a", "next", QoS::at_least_once);
  BOOST_TEST(h.receive_and_ack("new").size() == 1u);
}

BOOST_DATA_TEST_CASE(takeover_with_clean_start_discards_the_session, data::make(both_versions),
                     version) {
  BrokerHarness h;
  h.connect("old", h.connect_packet(version, "dev", false));
  h.subscribe("old", "t/a", QoS::at_least_once);
  const auto connack = h.connect("new", h.connect_packet(version, "dev", true));
  BOOST_TEST(!h.open("old"));
  BOOST_TEST(!connack->session_present);
  BOOST_TEST(h.broker().sessions().at("dev").subscriptions.empty());
}

BOOST_DATA_TEST_CASE(takeover_publishes_the_old_will, data::make(both_versions), version) {
  BrokerHarness h;
  h.connect("watch", h.connect_packet(version, "watch", true));
  h.subscribe("watch", "will/#", QoS::at_least_once);
  Connect first = h.connect_packet(version, "dev", false);
  first.will = Will{.topic = "will/dev",
                    .payload = bytes_of("x"),
                    .qos = QoS::at_least_once,
                    .retain = false,
                    .properties = {}};
  h.connect("old", first);
  h.connect("new", h.connect_packet(version, "dev", false));
  BOOST_TEST(h.receive_and_ack("watch").size() == 1u);
}

BOOST_AUTO_TEST_CASE(v311_profile_can_keep_the_will_on_takeover) {
  mqttsim::Profile profile;
  profile.will_on_takeover_v311 = false;
  BrokerHarness h{profile};
  const auto v = ProtocolVersion::v3_1_1;
  h.connect("watch", h.connect_packet(v, "watch", true));
  h.subscribe("watch", "will/#", QoS::at_least_once);
  Connect first = h.connect_packet(v, "dev", false);
  first.will = Will{.topic = "will/dev",
                    .payload = bytes_of("x"),
                    .qos = QoS::at_least_once,
                    .retain = false,
                    .properties = {}};
  h.connect("old", first);
  h.connect("new", h.connect_packet(v, "dev", false));
  BOOST_TEST(h.receive_and_ack("watch").empty());
}

BOOST_AUTO_TEST_SUITE_END()
