// Keep-alive (3.1.1 §3.1.2.10, MQTT-3.1.2-24; 5.0 §3.1.2.10, MQTT-3.1.2-22,
// Server Keep Alive §3.2.2.3.14).

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "harness.hpp"

using namespace mqttsim::testing;
using mqttsim::Duration;
namespace data = boost::unit_test::data;

BOOST_AUTO_TEST_SUITE(st_keepalive)

BOOST_DATA_TEST_CASE(silent_client_is_closed_after_one_and_a_half_keep_alives,
                     data::make(both_versions), version) {
  BrokerHarness h;
  h.connect("c", h.connect_packet(version, "c", true, /*keep_alive_s=*/20));
  BOOST_REQUIRE(h.broker().next_deadline());
  BOOST_TEST(h.broker().next_deadline()->since_origin_us() == 30'000'000);
  h.advance_to(mqttsim::TimePoint::from_us(29'999'999));
  BOOST_TEST(h.open("c"));
  h.advance(Duration::from_us(1));
  BOOST_TEST(!h.open("c"));
  if (version == ProtocolVersion::v5_0) {
    const auto packets = h.take("c");
    BOOST_REQUIRE_EQUAL(packets.size(), 1u);
    BOOST_TEST(static_cast<int>(std::get<Disconnect>(packets[0]).reason_code) == 0x8D);
  }
  BOOST_TEST(
      h.exercised(version == ProtocolVersion::v5_0 ? "MQTT-3.1.2-22" : "MQTT-3.1.2-24", version));
}

BOOST_DATA_TEST_CASE(pingreq_keeps_the_connection_and_gets_pingresp, data::make(both_versions),
                     version) {
  BrokerHarness h;
  h.connect("c", h.connect_packet(version, "c", true, 10));
  for (int i = 0; i < 5; ++i) {
    h.advance(Duration::from_s(14));
    h.send("c", Pingreq{});
    const auto packets = h.take("c");
    BOOST_REQUIRE_EQUAL(packets.size(), 1u);
    BOOST_TEST(std::holds_alternative<Pingresp>(packets[0]));
  }
  BOOST_TEST(h.open("c"));
}

BOOST_DATA_TEST_CASE(keep_alive_zero_never_times_out, data::make(both_versions), version) {
  BrokerHarness h;
  h.connect("c", h.connect_packet(version, "c", true, 0));
  h.advance(Duration::from_s(100'000));
  BOOST_TEST(h.open("c"));
}

BOOST_AUTO_TEST_CASE(v5_server_keep_alive_overrides_the_client) {
  mqttsim::Profile profile;
  profile.server_keep_alive_s = 4;
  BrokerHarness h{profile};
  const auto connack = h.connect("c", h.connect_packet(ProtocolVersion::v5_0, "c", true, 60));
  BOOST_REQUIRE(connack->properties.server_keep_alive);
  BOOST_TEST(*connack->properties.server_keep_alive == 4);
  h.advance(Duration::from_s(6));
  BOOST_TEST(!h.open("c"));
}

BOOST_AUTO_TEST_CASE(connection_without_connect_is_closed) {
  BrokerHarness h;
  h.broker().accept("idle", h.now());
  h.advance(Duration::from_s(29));
  BOOST_TEST(h.broker().connection_count() == 1u);
  h.advance(Duration::from_s(1));
  BOOST_TEST(h.broker().connection_count() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
