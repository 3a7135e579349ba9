// Will messages (3.1.1 §3.1.2.5; 5.0 §3.1.2.5, §3.1.3.2 Will Delay Interval,
// DISCONNECT 0x04).

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "harness.hpp"

using namespace mqttsim::testing;
namespace data = boost::unit_test::data;

namespace {

Connect with_will(ProtocolVersion version, std::string client_id, bool retain = false,
                  QoS qos = QoS::at_least_once, std::uint32_t delay_s = 0) {
  Connect connect = BrokerHarness::connect_packet(version, std::move(client_id), true, 10);
  connect.will = Will{.topic = "will/" + connect.client_id,
                      .payload = bytes_of("gone"),
                      .qos = qos,
                      .retain = retain,
                      .properties = {}};
  if (delay_s != 0) {
    connect.will->properties.will_delay_interval = delay_s;
    connect.properties.session_expiry_interval = 3600;
  }
  return connect;
}

void watcher(BrokerHarness& h, ProtocolVersion version) {
  h.connect("watch", h.connect_packet(version, "watch", true));
  h.subscribe("watch", "will/#", QoS::exactly_once);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_will)

BOOST_DATA_TEST_CASE(dropped_connection_publishes_the_will, data::make(both_versions), version) {
  BrokerHarness h;
  watcher(h, version);
  h.connect("dev", with_will(version, "dev"));
  h.drop("dev");
  const auto received = h.receive_and_ack("watch");
  BOOST_REQUIRE_EQUAL(received.size(), 1u);
  BOOST_TEST(received[0].topic == "will/dev");
  BOOST_TEST(text_of(received[0].payload) == "gone");
  BOOST_TEST(received[0].qos == QoS::at_least_once);
}

BOOST_DATA_TEST_CASE(disconnect_deletes_the_will, data::make(both_versions), version) {
  BrokerHarness h;
  watcher(h, version);
  h.connect("dev", with_will(version, "dev"));
  h.send("dev", Disconnect{});
  BOOST_TEST(h.receive_and_ack("watch").empty());
  BOOST_TEST(h.exercised("MQTT-3.14.4-3", version));
}

BOOST_AUTO_TEST_CASE(v5_disconnect_with_will_message_publishes_it) {
  const auto v = ProtocolVersion::v5_0;
  BrokerHarness h;
  watcher(h, v);
  h.connect("dev", with_will(v, "dev"));
  h.send("dev",
         Disconnect{.reason_code = ReasonCode::disconnect_with_will_message, .properties = {}});
  BOOST_TEST(h.receive_and_ack("watch").size() == 1u);
}

BOOST_DATA_TEST_CASE(will_retain_is_honoured, data::make(both_versions), version) {
  BrokerHarness h;
  h.connect("dev", with_will(version, "dev", /*retain=*/true));
  h.drop("dev");
  BOOST_TEST(h.broker().retained().size() == 1u);
  watcher(h, version);
  const auto received = h.receive_and_ack("watch");
  BOOST_REQUIRE_EQUAL(received.size(), 1u);
  BOOST_TEST(received[0].retain);
}

BOOST_DATA_TEST_CASE(protocol_error_publishes_the_will, data::make(both_versions), version) {
  BrokerHarness h;
  watcher(h, version);
  h.connect("dev", with_will(version, "dev"));
  h.send_bytes("dev", Bytes{0x00, 0x00});  // packet type 0 is forbidden
  BOOST_TEST(!h.open("dev"));
  BOOST_TEST(h.receive_and_ack("watch").size() == 1u);
}

BOOST_DATA_TEST_CASE(keep_alive_timeout_publishes_the_will, data::make(both_versions), version) {
  BrokerHarness h;
  watcher(h, version);
  h.connect("dev", with_will(version, "dev"));  // keep-alive 10 s; the watcher has none
  h.advance(mqttsim::Duration::from_s(14));
  BOOST_TEST(h.open("dev"));
  h.advance(mqttsim::Duration::from_s(1));
  BOOST_TEST(!h.open("dev"));
  BOOST_TEST(h.receive_and_ack("watch").size() == 1u);
}

BOOST_AUTO_TEST_CASE(v5_will_delay_waits_and_a_reconnect_cancels_it) {
  const auto v = ProtocolVersion::v5_0;
  BrokerHarness h;
  watcher(h, v);
  Connect dev = with_will(v, "dev", false, QoS::at_least_once, /*delay_s=*/5);
  dev.clean_start = false;
  h.connect("dev", dev);
  h.drop("dev");
  h.advance(mqttsim::Duration::from_s(4));
  BOOST_TEST(h.receive_and_ack("watch").empty());
  h.advance(mqttsim::Duration::from_s(1));
  BOOST_TEST(h.receive_and_ack("watch").size() == 1u);

  // Again, but the device comes back within the delay (MQTT-3.1.3-9).
  h.connect("dev", dev);
  h.drop("dev");
  h.advance(mqttsim::Duration::from_s(2));
  h.connect("dev", dev);
  h.advance(mqttsim::Duration::from_s(10));
  BOOST_TEST(h.receive_and_ack("watch").empty());
  BOOST_TEST(h.exercised("MQTT-3.1.3-9", v));
}

BOOST_AUTO_TEST_CASE(v5_delayed_will_goes_out_when_the_session_ends_first) {
  const auto v = ProtocolVersion::v5_0;
  BrokerHarness h;
  watcher(h, v);
  Connect dev = with_will(v, "dev", false, QoS::at_least_once, /*delay_s=*/60);
  dev.clean_start = false;
  dev.properties.session_expiry_interval = 5;
  h.connect("dev", dev);
  h.drop("dev");
  h.advance(mqttsim::Duration::from_s(5));
  BOOST_TEST(!h.broker().sessions().contains("dev"));
  BOOST_TEST(h.receive_and_ack("watch").size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
