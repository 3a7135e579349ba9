// QoS 0, 1 and 2 between two ClientSessions through the reference broker:
// what each side sends, what the application hears, and that packet ids are
// unique while in use and free again afterwards.

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "link.hpp"

using namespace mqttsim::testing;
namespace data = boost::unit_test::data;

namespace {

// A subscriber "sub" on t/# at QoS 2 and a publisher "pub", both connected.
void connect_pair(Link& link, mqttsim::ProtocolVersion version) {
  link.add("sub", persistent(version, "sub"));
  link.add("pub", persistent(version, "pub"));
  link.open("sub");
  link.open("pub");
  BOOST_REQUIRE(link.session("sub").connected());
  BOOST_REQUIRE(link.session("pub").connected());
  BOOST_REQUIRE(link.session("sub")
                    .subscribe({Subscription{.topic_filter = "t/#", .max_qos = QoS::exactly_once}},
                               {}, link.now())
                    .has_value());
  link.pump();
  const auto subscribed = link.events_of<Subscribed>("sub");
  BOOST_REQUIRE_EQUAL(subscribed.size(), 1u);
  BOOST_TEST(subscribed[0].reason_codes == std::vector<std::uint8_t>{2});
  link.take_events("pub");
  link.take_sent("pub");
  link.take_sent("sub");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_client_qos)

BOOST_DATA_TEST_CASE(connect_sends_the_options_and_reports_the_connack, data::make(both_versions),
                     version) {
  Link link;
  ClientOptions options = persistent(version, "c", 30);
  options.receive_maximum = 5;
  link.add("c", options);
  link.open("c");
  const auto sent = link.take_sent("c");
  BOOST_REQUIRE(!sent.empty());
  const auto& connect = std::get<Connect>(sent.front());
  BOOST_TEST(connect.client_id == "c");
  BOOST_TEST(!connect.clean_start);
  BOOST_TEST(connect.keep_alive_s == 30);
  BOOST_TEST(connect.version == version);
  if (version == mqttsim::ProtocolVersion::v5_0) {
    BOOST_TEST((connect.properties.receive_maximum == std::uint16_t{5}));
    BOOST_TEST((connect.properties.session_expiry_interval == std::uint32_t{3'600}));
    BOOST_TEST(!connect.properties.topic_alias_maximum.has_value());
  }
  const auto connected = link.events_of<Connected>("c");
  BOOST_REQUIRE_EQUAL(connected.size(), 1u);
  BOOST_TEST(connected[0].accepted());
  BOOST_TEST(!connected[0].session_present);
  BOOST_TEST(link.session("c").connected());
}

BOOST_DATA_TEST_CASE(each_qos_arrives_once_and_completes, data::make(both_versions), version) {
  Link link;
  connect_pair(link, version);
  ClientSession& pub = link.session("pub");
  const auto m0 = pub.publish("t/0", bytes_of("zero"), QoS::at_most_once, false, {}, link.now());
  const auto m1 = pub.publish("t/1", bytes_of("one"), QoS::at_least_once, false, {}, link.now());
  const auto m2 = pub.publish("t/2", bytes_of("two"), QoS::exactly_once, false, {}, link.now());
  BOOST_REQUIRE(m0 && m1 && m2);
  BOOST_TEST(*m0 == 1u);
  BOOST_TEST(*m1 == 2u);
  BOOST_TEST(*m2 == 3u);
  link.pump();

  // The publisher: each message completed, QoS 1/2 with an acknowledgement.
  const auto published = link.events_of<Published>("pub");
  BOOST_REQUIRE_EQUAL(published.size(), 3u);
  BOOST_TEST(published[0].message == *m0);
  BOOST_TEST(published[0].outcome == PublishOutcome::sent);
  BOOST_TEST(published[1].message == *m1);
  BOOST_TEST(published[1].outcome == PublishOutcome::acknowledged);
  BOOST_TEST(published[2].message == *m2);
  BOOST_TEST(published[2].outcome == PublishOutcome::acknowledged);
  BOOST_TEST(published[1].packet_id != published[2].packet_id);  // MQTT-2.3.1-2
  const auto pub_sent = link.take_sent("pub");
  BOOST_TEST(packets_of<Pubrel>(pub_sent).size() == 1u);
  for (const Publish& publish : packets_of<Publish>(pub_sent)) BOOST_TEST(!publish.dup);
  BOOST_TEST(pub.inflight_count() == 0u);

  // The subscriber: three deliveries in order, each acknowledged as its QoS
  // requires (MQTT-3.3.4-1 in 5.0).
  const auto delivered = link.events_of<Delivered>("sub");
  BOOST_REQUIRE_EQUAL(delivered.size(), 3u);
  BOOST_TEST(text_of(delivered[0].payload) == "zero");
  BOOST_TEST(text_of(delivered[1].payload) == "one");
  BOOST_TEST(text_of(delivered[2].payload) == "two");
  BOOST_TEST(delivered[0].sequence == 1u);
  BOOST_TEST(delivered[2].sequence == 3u);
  BOOST_TEST((delivered[2].qos == QoS::exactly_once));
  const auto sub_sent = link.take_sent("sub");
  const auto pubacks = packets_of<Puback>(sub_sent);
  const auto pubrecs = packets_of<Pubrec>(sub_sent);
  const auto pubcomps = packets_of<Pubcomp>(sub_sent);
  BOOST_REQUIRE_EQUAL(pubacks.size(), 1u);
  BOOST_TEST(pubacks[0].packet_id == delivered[1].packet_id);
  BOOST_REQUIRE_EQUAL(pubrecs.size(), 1u);
  BOOST_TEST(pubrecs[0].packet_id == delivered[2].packet_id);
  BOOST_REQUIRE_EQUAL(pubcomps.size(), 1u);
  BOOST_TEST(link.session("sub").inbound_qos2_count() == 0u);
}

BOOST_DATA_TEST_CASE(acknowledgements_follow_arrival_order, data::make(both_versions), version) {
  Link link;
  connect_pair(link, version);
  for (int i = 0; i < 6; ++i) {
    const QoS qos = i % 2 == 0 ? QoS::at_least_once : QoS::exactly_once;
    BOOST_REQUIRE(link.session("pub").publish("t/x", bytes_of(std::to_string(i)), qos, false, {},
                                              link.now()));
  }
  link.pump();
  const auto delivered = link.events_of<Delivered>("sub");
  BOOST_REQUIRE_EQUAL(delivered.size(), 6u);
  std::vector<std::uint16_t> delivered_ids;
  for (const auto& d : delivered) delivered_ids.push_back(d.packet_id);
  // PUBACK / PUBREC in the order the PUBLISHes arrived (MQTT-4.6.0-2/-3).
  std::vector<std::uint16_t> ack_ids;
  for (const Packet& packet : link.take_sent("sub")) {
    if (const auto* puback = std::get_if<Puback>(&packet)) ack_ids.push_back(puback->packet_id);
    if (const auto* pubrec = std::get_if<Pubrec>(&packet)) ack_ids.push_back(pubrec->packet_id);
  }
  BOOST_TEST(ack_ids == delivered_ids);
}

BOOST_DATA_TEST_CASE(packet_ids_are_unique_while_in_use_and_reused_after, data::make(both_versions),
                     version) {
  // A scripted server that never acknowledges: every id stays in use.
  ClientOptions options = persistent(version, "c");
  options.max_inflight = 3;
  ScriptedServer server{options};
  server.connect();
  server.take();
  for (int i = 0; i < 3; ++i) {
    BOOST_REQUIRE(
        server.session().publish("t", bytes_of("m"), QoS::at_least_once, false, {}, server.now()));
  }
  auto publishes = packets_of<Publish>(server.take_packets());
  BOOST_REQUIRE_EQUAL(publishes.size(), 3u);
  BOOST_TEST(publishes[0].packet_id != publishes[1].packet_id);
  BOOST_TEST(publishes[1].packet_id != publishes[2].packet_id);
  BOOST_TEST(publishes[0].packet_id != publishes[2].packet_id);
  for (const auto& p : publishes) BOOST_TEST(p.packet_id != 0);

  // A SUBSCRIBE gets an id none of the publishes holds.
  BOOST_REQUIRE(server.session().subscribe({Subscription{.topic_filter = "a"}}, {}, server.now()));
  const auto subscribes = packets_of<Subscribe>(server.take_packets());
  BOOST_REQUIRE_EQUAL(subscribes.size(), 1u);
  for (const auto& p : publishes) BOOST_TEST(subscribes[0].packet_id != p.packet_id);

  // Acknowledging the first frees a slot; the next message is sent.
  BOOST_REQUIRE(
      server.session().publish("t", bytes_of("m4"), QoS::at_least_once, false, {}, server.now()));
  BOOST_TEST(packets_of<Publish>(server.take_packets()).empty());
  server.send(Puback{.packet_id = publishes[0].packet_id});
  const auto after = packets_of<Publish>(server.take_packets());
  BOOST_REQUIRE_EQUAL(after.size(), 1u);
  BOOST_TEST(text_of(after[0].payload) == "m4");
  BOOST_TEST(after[0].packet_id != publishes[1].packet_id);
  BOOST_TEST(after[0].packet_id != publishes[2].packet_id);
  BOOST_TEST(after[0].packet_id != subscribes[0].packet_id);
}

BOOST_DATA_TEST_CASE(an_invalid_publish_is_refused_not_queued, data::make(both_versions), version) {
  Link link;
  link.add("c", persistent(version, "c"));
  link.open("c");
  auto result =
      link.session("c").publish("a/+/b", bytes_of("x"), QoS::at_least_once, false, {}, link.now());
  BOOST_REQUIRE(!result);
  BOOST_TEST(result.error() == ClientError::invalid_packet);
  BOOST_TEST(link.session("c").queued_count() == 0u);
  auto subscribe = link.session("c").subscribe({}, {}, link.now());
  BOOST_REQUIRE(!subscribe);
  BOOST_TEST(subscribe.error() == ClientError::invalid_packet);
}

BOOST_DATA_TEST_CASE(unsubscribe_is_answered, data::make(both_versions), version) {
  Link link;
  connect_pair(link, version);
  auto request = link.session("sub").unsubscribe({"t/#"}, {}, link.now());
  BOOST_REQUIRE(request);
  link.pump();
  const auto unsubscribed = link.events_of<Unsubscribed>("sub");
  BOOST_REQUIRE_EQUAL(unsubscribed.size(), 1u);
  BOOST_TEST(unsubscribed[0].request == *request);
  if (version == mqttsim::ProtocolVersion::v5_0) {
    BOOST_TEST(unsubscribed[0].reason_codes == std::vector<ReasonCode>{ReasonCode::success});
  }
  // No longer subscribed: nothing arrives.
  BOOST_REQUIRE(
      link.session("pub").publish("t/a", bytes_of("x"), QoS::at_least_once, false, {}, link.now()));
  link.pump();
  BOOST_TEST(link.events_of<Delivered>("sub").empty());
}

BOOST_AUTO_TEST_SUITE_END()
