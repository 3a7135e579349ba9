// Clean Session / Clean Start, Session Present, client identifiers, and what
// a session keeps across connections (3.1.1 §3.1.2.4, §4.1; 5.0 §3.1.2.4, §4.1).

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "harness.hpp"

using namespace mqttsim::testing;
namespace data = boost::unit_test::data;

BOOST_AUTO_TEST_SUITE(st_session)

BOOST_DATA_TEST_CASE(clean_session_starts_fresh_and_forgets_subscriptions,
                     data::make(both_versions), version) {
  BrokerHarness h;
  BOOST_TEST(!h.connect("sub", h.connect_packet(version, "sub", true))->session_present);
  h.subscribe("sub", "t/a", QoS::at_least_once);
  h.drop("sub");
  BOOST_TEST(!h.broker().sessions().contains("sub"));

  const auto connack = h.connect("sub", h.connect_packet(version, "sub", false));
  BOOST_TEST(!connack->session_present);
  h.connect("pub", h.connect_packet(version, "pub", true));
  h.publish("pub", "t/a", "lost", QoS::at_least_once);
  BOOST_TEST(h.take_publishes("sub").empty());
  BOOST_TEST(
      (h.exercised("MQTT-3.2.2-1", ProtocolVersion::v3_1_1) || version == ProtocolVersion::v5_0));
}

BOOST_DATA_TEST_CASE(persistent_session_resumes_with_session_present, data::make(both_versions),
                     version) {
  BrokerHarness h;
  BOOST_TEST(!h.connect("sub", h.connect_packet(version, "sub", false))->session_present);
  h.subscribe("sub", "t/#", QoS::at_least_once);
  h.send("sub", Disconnect{});
  BOOST_TEST(!h.open("sub"));

  h.connect("pub", h.connect_packet(version, "pub", true));
  for (int i = 1; i <= 3; ++i) h.publish("pub", "t/a", "m" + std::to_string(i), QoS::at_least_once);

  const auto connack = h.connect("sub", h.connect_packet(version, "sub", false));
  BOOST_REQUIRE(connack);
  BOOST_TEST(connack->session_present);
  const auto received = h.receive_and_ack("sub");
  BOOST_REQUIRE_EQUAL(received.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    BOOST_TEST(text_of(received[static_cast<std::size_t>(i)].payload) ==
               "m" + std::to_string(i + 1));
    // Queued, never sent before: a first attempt has DUP=0.
    BOOST_TEST(!received[static_cast<std::size_t>(i)].dup);
  }
  // The subscription survived too: a new message arrives without SUBSCRIBE.
  h.publish("pub", "t/b", "live", QoS::at_least_once);
  const auto live = h.receive_and_ack("sub");
  BOOST_REQUIRE_EQUAL(live.size(), 1u);
  BOOST_TEST(text_of(live[0].payload) == "live");
}

BOOST_DATA_TEST_CASE(another_client_id_does_not_get_the_session, data::make(both_versions),
                     version) {
  BrokerHarness h;
  h.connect("sub", h.connect_packet(version, "sub", false));
  h.subscribe("sub", "t/a", QoS::at_least_once);
  h.drop("sub");
  h.connect("pub", h.connect_packet(version, "pub", true));
  h.publish("pub", "t/a", "for sub", QoS::at_least_once);

  const auto other = h.connect("other", h.connect_packet(version, "other", false));
  BOOST_TEST(!other->session_present);
  BOOST_TEST(h.take_publishes("other").empty());
  BOOST_TEST(h.broker().sessions().at("sub").queue.size() == 1u);
}

BOOST_DATA_TEST_CASE(clean_start_discards_a_stored_session, data::make(both_versions), version) {
  BrokerHarness h;
  h.connect("sub", h.connect_packet(version, "sub", false));
  h.subscribe("sub", "t/a", QoS::at_least_once);
  h.drop("sub");
  h.connect("pub", h.connect_packet(version, "pub", true));
  h.publish("pub", "t/a", "queued", QoS::at_least_once);

  // false -> true: the queued message and the subscription are gone.
  const auto clean = h.connect("sub", h.connect_packet(version, "sub", true));
  BOOST_TEST(!clean->session_present);
  BOOST_TEST(h.take_publishes("sub").empty());
  h.send("sub", Disconnect{});
  // true -> false: nothing was kept from the clean connection.
  const auto again = h.connect("sub", h.connect_packet(version, "sub", false));
  BOOST_TEST(!again->session_present);
  h.publish("pub", "t/a", "after", QoS::at_least_once);
  BOOST_TEST(h.take_publishes("sub").empty());
}

BOOST_AUTO_TEST_CASE(v311_zero_length_client_id) {
  BrokerHarness h;
  // Clean Session 0 with no id: identifier rejected (MQTT-3.1.3-8).
  const auto rejected = h.connect("a", h.connect_packet(ProtocolVersion::v3_1_1, "", false));
  BOOST_REQUIRE(rejected);
  BOOST_TEST(rejected->code == 0x02);
  BOOST_TEST(!rejected->session_present);
  BOOST_TEST(!h.open("a"));
  // Clean Session 1: accepted with an id the broker assigns (MQTT-3.1.3-6).
  const auto accepted = h.connect("b", h.connect_packet(ProtocolVersion::v3_1_1, "", true));
  BOOST_TEST(accepted->code == 0x00);
  BOOST_TEST(h.broker().sessions().size() == 1u);

  Profile strict;
  strict.accept_empty_client_id_v311 = false;
  BrokerHarness s{strict};
  BOOST_TEST(s.connect("c", s.connect_packet(ProtocolVersion::v3_1_1, "", true))->code == 0x02);
}

BOOST_AUTO_TEST_CASE(v5_zero_length_client_id_is_assigned) {
  BrokerHarness h;
  const auto first = h.connect("a", h.connect_packet(ProtocolVersion::v5_0, "", true));
  const auto second = h.connect("b", h.connect_packet(ProtocolVersion::v5_0, "", true));
  BOOST_REQUIRE(first->properties.assigned_client_identifier);
  BOOST_REQUIRE(second->properties.assigned_client_identifier);
  BOOST_TEST(*first->properties.assigned_client_identifier !=
             *second->properties.assigned_client_identifier);
  BOOST_TEST(h.exercised("MQTT-3.1.3-6", ProtocolVersion::v5_0));
}

BOOST_DATA_TEST_CASE(second_connect_closes_the_connection, data::make(both_versions), version) {
  BrokerHarness h;
  h.connect("c", h.connect_packet(version, "c", true));
  h.send("c", h.connect_packet(version, "c", true));
  BOOST_TEST(!h.open("c"));
  BOOST_TEST(h.exercised("MQTT-3.1.0-2", version));
}

BOOST_AUTO_TEST_CASE(unsupported_protocol_level_gets_connack_0x01) {
  BrokerHarness h;
  const ConnectionId id = h.broker().accept("old", h.now());
  // "MQTT" at protocol level 6, which does not exist (yet).
  const Bytes connect{0x10, 0x10, 0x00, 0x04, 'M',  'Q', 'T', 'T', 0x06,
                      0x02, 0x00, 0x3C, 0x00, 0x04, 'a', 'b', 'c', 'd'};
  h.broker().receive(id, connect, h.now());
  const mqttsim::broker::SendBytes* sent = nullptr;
  bool closed = false;
  const auto outputs = h.broker().take_outputs();
  for (const auto& output : outputs) {
    if (const auto* bytes = std::get_if<mqttsim::broker::SendBytes>(&output); bytes && !sent)
      sent = bytes;
    closed = closed || std::holds_alternative<mqttsim::broker::CloseConnection>(output);
  }
  BOOST_REQUIRE(sent);
  BOOST_TEST(closed);
  const Bytes expected{0x20, 0x02, 0x00, 0x01};
  BOOST_TEST(sent->bytes == expected, boost::test_tools::per_element());
}

BOOST_DATA_TEST_CASE(authentication_with_a_user_table, data::make(both_versions), version) {
  mqttsim::broker::UserTable users;
  users.add("alice", "secret");
  BrokerHarness h{{}, false, &users};
  Connect connect = h.connect_packet(version, "a", true);
  connect.username = "alice";
  connect.password = bytes_of("wrong");
  const std::uint8_t bad = version == ProtocolVersion::v5_0 ? 0x86 : 0x04;
  BOOST_TEST(h.connect("a", connect)->code == bad);
  BOOST_TEST(!h.open("a"));
  connect.password = bytes_of("secret");
  BOOST_TEST(h.connect("a", connect)->code == 0x00);
  const std::uint8_t unauthorized = version == ProtocolVersion::v5_0 ? 0x87 : 0x05;
  BOOST_TEST(h.connect("anon", h.connect_packet(version, "anon", true))->code == unauthorized);
}

BOOST_AUTO_TEST_SUITE_END()
