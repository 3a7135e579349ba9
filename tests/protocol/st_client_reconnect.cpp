// What survives a dropped connection and what is resent on reconnect:
// unacknowledged PUBLISH with DUP=1 and the original ids in the original
// order, owed PUBRELs (MQTT-4.4.0-1, MQTT-4.6.0-1 in both versions); an
// inbound QoS 2 repeat is not delivered twice (3.1.1 MQTT-4.3.3-2, 5.0
// MQTT-4.3.3-10); clean start and Session Present 0 discard the session
// (5.0 MQTT-3.1.2-4, MQTT-3.2.2-5; 3.1.1 MQTT-3.1.2-6) but not the
// application's unsent publishes; a crash (a new ClientSession) loses all.

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "link.hpp"

using namespace mqttsim::testing;
namespace data = boost::unit_test::data;

namespace {

void subscribe(Link& link, const std::string& name, QoS qos) {
  BOOST_REQUIRE(
      link.session(name)
          .subscribe({Subscription{.topic_filter = "t/#", .max_qos = qos}}, {}, link.now())
          .has_value());
  link.pump();
  BOOST_REQUIRE_EQUAL(link.events_of<Subscribed>(name).size(), 1u);
}

std::vector<std::string> payloads(const std::vector<Delivered>& delivered) {
  std::vector<std::string> texts;
  for (const auto& d : delivered) texts.push_back(text_of(d.payload));
  return texts;
}

MessageId publish(ClientSession& session, std::string payload, QoS qos, mqttsim::TimePoint now) {
  auto id = session.publish("t/x", bytes_of(payload), qos, false, {}, now);
  BOOST_REQUIRE(id.has_value());
  return *id;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_client_reconnect)

BOOST_DATA_TEST_CASE(unacknowledged_publishes_are_resent_with_dup_and_original_ids_in_order,
                     data::make(both_versions), version) {
  Link link;
  link.add("sub", persistent(version, "sub"));
  link.add("pub", persistent(version, "pub"));
  link.open("sub");
  subscribe(link, "sub", QoS::exactly_once);
  link.open("pub");
  link.take_sent("pub");

  link.cut_uplink("pub");  // everything the publisher sends is lost
  publish(link.session("pub"), "a", QoS::at_least_once, link.now());
  publish(link.session("pub"), "b", QoS::exactly_once, link.now());
  publish(link.session("pub"), "c", QoS::at_least_once, link.now());
  link.pump();
  const auto first = packets_of<Publish>(link.take_sent("pub"));
  BOOST_REQUIRE_EQUAL(first.size(), 3u);
  BOOST_TEST(link.session("pub").inflight_count() == 3u);
  BOOST_TEST(link.events_of<Delivered>("sub").empty());

  link.drop("pub");
  BOOST_TEST(link.session("pub").inflight_count() == 3u);  // the session survives the drop
  link.take_events("pub");
  link.open("pub");
  const auto events = link.take_events("pub");
  const auto connected = all_of<Connected>(events);
  BOOST_REQUIRE_EQUAL(connected.size(), 1u);
  BOOST_TEST(connected[0].session_present);

  const auto resent = packets_of<Publish>(link.take_sent("pub"));
  BOOST_REQUIRE_EQUAL(resent.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    BOOST_TEST(resent[i].dup);                              // MQTT-3.3.1-1
    BOOST_TEST(resent[i].packet_id == first[i].packet_id);  // MQTT-4.4.0-1
    BOOST_TEST(resent[i].payload == first[i].payload);      // order: MQTT-4.6.0-1
    BOOST_TEST((resent[i].qos == first[i].qos));
  }
  BOOST_TEST(payloads(link.events_of<Delivered>("sub")) ==
             (std::vector<std::string>{"a", "b", "c"}));
  const auto published = all_of<Published>(events);
  BOOST_REQUIRE_EQUAL(published.size(), 3u);
  for (const auto& p : published) BOOST_TEST(p.outcome == PublishOutcome::acknowledged);
  BOOST_TEST(link.session("pub").inflight_count() == 0u);
}

BOOST_DATA_TEST_CASE(an_owed_pubrel_is_resent_before_unacknowledged_publishes,
                     data::make(both_versions), version) {
  Link link;
  link.add("sub", persistent(version, "sub"));
  link.add("pub", persistent(version, "pub"));
  link.open("sub");
  subscribe(link, "sub", QoS::exactly_once);
  link.open("pub");
  link.take_sent("pub");

  // The PUBLISH arrives and is answered with PUBREC; our PUBREL is lost.
  link.lose_next_uplink("pub", PacketType::pubrel);
  const MessageId released =
      publish(link.session("pub"), "released", QoS::exactly_once, link.now());
  link.pump();
  link.cut_uplink("pub");
  publish(link.session("pub"), "unacked", QoS::at_least_once, link.now());
  link.pump();
  const auto first = link.take_sent("pub");
  const auto first_publishes = packets_of<Publish>(first);
  BOOST_REQUIRE_EQUAL(first_publishes.size(), 2u);
  BOOST_REQUIRE_EQUAL(packets_of<Pubrel>(first).size(), 1u);
  BOOST_TEST(link.events_of<Published>("pub").empty());

  link.drop("pub");
  link.open("pub");
  const auto resent = link.take_sent("pub");
  BOOST_REQUIRE_EQUAL(resent.size(), 3u);  // CONNECT, PUBREL, PUBLISH
  BOOST_REQUIRE(std::holds_alternative<Pubrel>(resent[1]));
  BOOST_TEST(std::get<Pubrel>(resent[1]).packet_id == first_publishes[0].packet_id);
  BOOST_REQUIRE(std::holds_alternative<Publish>(resent[2]));
  BOOST_TEST(std::get<Publish>(resent[2]).packet_id == first_publishes[1].packet_id);
  BOOST_TEST(std::get<Publish>(resent[2]).dup);

  const auto published = link.events_of<Published>("pub");
  BOOST_REQUIRE_EQUAL(published.size(), 2u);
  BOOST_TEST(published[0].message == released);
  BOOST_TEST(published[0].outcome == PublishOutcome::acknowledged);
  // The QoS 2 message reached the subscriber once, before the drop.
  BOOST_TEST(payloads(link.events_of<Delivered>("sub")) ==
             (std::vector<std::string>{"released", "unacked"}));
}

BOOST_DATA_TEST_CASE(an_inbound_qos2_repeat_is_not_delivered_twice, data::make(both_versions),
                     version) {
  Link link;
  link.add("sub", persistent(version, "sub"));
  link.add("pub", persistent(version, "pub"));
  link.open("sub");
  subscribe(link, "sub", QoS::exactly_once);
  link.open("pub");

  link.lose_next_uplink("sub", PacketType::pubrec);  // the broker never sees our PUBREC
  publish(link.session("pub"), "once", QoS::exactly_once, link.now());
  link.pump();
  BOOST_REQUIRE_EQUAL(link.events_of<Delivered>("sub").size(), 1u);
  BOOST_TEST(link.session("sub").inbound_qos2_count() == 1u);
  link.take_sent("sub");

  link.drop("sub");
  BOOST_TEST(link.session("sub").inbound_qos2_count() == 1u);  // survives the drop
  link.open("sub");
  // The broker resent the PUBLISH with DUP=1; the client answered without
  // delivering it again, then completed the exchange.
  BOOST_TEST(link.events_of<Delivered>("sub").empty());
  const auto sent = link.take_sent("sub");
  BOOST_TEST(packets_of<Pubrec>(sent).size() == 1u);
  BOOST_TEST(packets_of<Pubcomp>(sent).size() == 1u);
  BOOST_TEST(link.session("sub").inbound_qos2_count() == 0u);
}

BOOST_DATA_TEST_CASE(after_pubcomp_the_same_id_is_a_new_message, data::make(both_versions),
                     version) {
  ScriptedServer server{persistent(version, "c")};
  server.connect();
  server.take();
  const Publish first{.dup = false,
                      .qos = QoS::exactly_once,
                      .retain = false,
                      .topic = "t",
                      .packet_id = 5,
                      .properties = {},
                      .payload = bytes_of("m")};
  Publish repeat = first;
  repeat.dup = true;
  server.send(first);
  server.send(repeat);
  auto actions = server.take();
  BOOST_TEST(all_of<Delivered>(actions).size() == 1u);
  BOOST_TEST(packets_of<Pubrec>(packets_sent(actions, server.version())).size() == 2u);

  server.send(Pubrel{.packet_id = 5});
  const auto pubcomps = packets_of<Pubcomp>(server.take_packets());
  BOOST_REQUIRE_EQUAL(pubcomps.size(), 1u);
  BOOST_TEST(pubcomps[0].reason_code == ReasonCode::success);

  // 5.0 MQTT-4.3.3-12 / 3.1.1 MQTT-4.3.3-2: after PUBCOMP the id is free.
  server.send(first);
  BOOST_TEST(all_of<Delivered>(server.take()).size() == 1u);
}

BOOST_DATA_TEST_CASE(publishes_made_offline_are_sent_in_order_once_connected,
                     data::make(both_versions), version) {
  Link link;
  link.add("sub", persistent(version, "sub"));
  link.add("pub", persistent(version, "pub"));
  link.open("sub");
  subscribe(link, "sub", QoS::exactly_once);

  publish(link.session("pub"), "1", QoS::at_least_once, link.now());
  publish(link.session("pub"), "2", QoS::at_most_once, link.now());
  publish(link.session("pub"), "3", QoS::exactly_once, link.now());
  BOOST_TEST(link.session("pub").queued_count() == 3u);
  BOOST_TEST(link.take_sent("pub").empty());

  link.open("pub");
  BOOST_TEST(link.session("pub").queued_count() == 0u);
  const auto sent = link.take_sent("pub");
  BOOST_REQUIRE(std::holds_alternative<Connect>(sent.front()));
  const auto publishes = packets_of<Publish>(sent);
  BOOST_REQUIRE_EQUAL(publishes.size(), 3u);
  for (const auto& p : publishes) BOOST_TEST(!p.dup);
  BOOST_TEST(payloads(link.events_of<Delivered>("sub")) ==
             (std::vector<std::string>{"1", "2", "3"}));
}

BOOST_DATA_TEST_CASE(clean_start_discards_inflight_but_sends_queued_publishes_as_new,
                     data::make(both_versions), version) {
  Link link;
  ClientOptions options = persistent(version, "pub");
  options.max_inflight = 1;
  link.add("sub", persistent(version, "sub"));
  link.add("pub", options);
  link.open("sub");
  subscribe(link, "sub", QoS::at_least_once);
  link.open("pub");
  link.take_sent("pub");

  link.cut_uplink("pub");
  const MessageId lost = publish(link.session("pub"), "lost", QoS::at_least_once, link.now());
  const MessageId waiting = publish(link.session("pub"), "waiting", QoS::at_least_once, link.now());
  link.pump();
  BOOST_TEST(link.session("pub").inflight_count() == 1u);
  BOOST_TEST(link.session("pub").queued_count() == 1u);
  link.drop("pub");
  link.take_sent("pub");
  link.take_events("pub");

  link.session("pub").set_clean_start(true);
  link.open("pub");
  const auto events = link.take_events("pub");
  const auto published = all_of<Published>(events);
  BOOST_REQUIRE_EQUAL(published.size(), 2u);
  BOOST_TEST(published[0].message == lost);
  BOOST_TEST(published[0].outcome == PublishOutcome::session_lost);
  BOOST_TEST(published[1].message == waiting);
  BOOST_TEST(published[1].outcome == PublishOutcome::acknowledged);
  BOOST_TEST(!all_of<Connected>(events).at(0).session_present);
  const auto publishes = packets_of<Publish>(link.take_sent("pub"));
  BOOST_REQUIRE_EQUAL(publishes.size(), 1u);
  BOOST_TEST(text_of(publishes[0].payload) == "waiting");
  BOOST_TEST(!publishes[0].dup);
  BOOST_TEST(payloads(link.events_of<Delivered>("sub")) == (std::vector<std::string>{"waiting"}));
  BOOST_TEST(link.session("pub").inflight_count() == 0u);
}

BOOST_DATA_TEST_CASE(session_present_0_discards_the_client_session, data::make(both_versions),
                     version) {
  ScriptedServer server{persistent(version, "c")};
  server.connect();
  const MessageId inflight = publish(server.session(), "a", QoS::exactly_once, server.now());
  server.take();
  server.send(Pubrec{.packet_id = 1});  // now a PUBREL is owed
  server.send(Publish{.dup = false,
                      .qos = QoS::exactly_once,
                      .retain = false,
                      .topic = "t",
                      .packet_id = 9,
                      .properties = {},
                      .payload = bytes_of("in")});
  const MessageId second = publish(server.session(), "b", QoS::at_least_once, server.now());
  server.take();
  BOOST_TEST(server.session().inflight_count() == 2u);
  BOOST_TEST(server.session().inbound_qos2_count() == 1u);
  server.close();

  server.open();
  server.send(Connack{.session_present = false, .code = 0, .properties = {}});
  const auto actions = server.take();
  const auto published = all_of<Published>(actions);
  BOOST_REQUIRE_EQUAL(published.size(), 2u);
  for (const auto& p : published) BOOST_TEST(p.outcome == PublishOutcome::session_lost);
  BOOST_TEST((published[0].message == second || published[1].message == second));
  BOOST_TEST((published[0].message == inflight || published[1].message == inflight));
  BOOST_TEST(packets_sent(actions, server.version()).empty());  // nothing resent
  BOOST_TEST(server.session().inflight_count() == 0u);
  BOOST_TEST(server.session().inbound_qos2_count() == 0u);
}

BOOST_DATA_TEST_CASE(a_crash_loses_the_client_session, data::make(both_versions), version) {
  Link link;
  link.add("sub", persistent(version, "sub"));
  link.add("pub", persistent(version, "pub"));
  link.open("sub");
  subscribe(link, "sub", QoS::at_least_once);
  link.open("pub");
  link.cut_uplink("pub");
  publish(link.session("pub"), "lost", QoS::at_least_once, link.now());
  link.pump();
  BOOST_TEST(link.session("pub").inflight_count() == 1u);

  link.crash("pub");
  BOOST_TEST(link.session("pub").inflight_count() == 0u);
  BOOST_TEST(!link.session("pub").has_session_state());
  link.take_sent("pub");
  link.take_events("pub");
  link.open("pub");
  const auto connected = link.events_of<Connected>("pub");
  BOOST_REQUIRE_EQUAL(connected.size(), 1u);
  BOOST_TEST(connected[0].session_present);  // the broker kept its half
  BOOST_TEST(packets_of<Publish>(link.take_sent("pub")).empty());
  BOOST_TEST(link.events_of<Delivered>("sub").empty());
}

BOOST_DATA_TEST_CASE(a_pubrel_for_an_unknown_id_is_still_completed, data::make(both_versions),
                     version) {
  // After a crash the server may release a message the client forgot.
  ScriptedServer server{persistent(version, "c")};
  server.connect(/*session_present=*/true);
  server.take();
  server.send(Pubrel{.packet_id = 42});
  const auto actions = server.take();
  BOOST_TEST(all_of<ProtocolViolation>(actions).empty());
  const auto pubcomps = packets_of<Pubcomp>(packets_sent(actions, server.version()));
  BOOST_REQUIRE_EQUAL(pubcomps.size(), 1u);
  BOOST_TEST(pubcomps[0].packet_id == 42);
  if (version == mqttsim::ProtocolVersion::v5_0) {
    BOOST_TEST(pubcomps[0].reason_code == ReasonCode::packet_identifier_not_found);
  }
}

BOOST_DATA_TEST_CASE(a_graceful_disconnect_keeps_the_session, data::make(both_versions), version) {
  Link link;
  link.add("sub", persistent(version, "sub"));
  link.add("pub", persistent(version, "pub"));
  link.open("sub");
  subscribe(link, "sub", QoS::at_least_once);
  link.open("pub");
  BOOST_TEST((link.session("pub").connection_opened(link.now()) == ClientError::already_connected));
  link.lose_next_uplink("pub", PacketType::publish);
  const MessageId message = publish(link.session("pub"), "later", QoS::at_least_once, link.now());
  link.pump();
  link.take_sent("pub");
  link.take_events("pub");

  link.session("pub").disconnect(ReasonCode::success, 600, link.now());
  link.pump();
  const auto sent = link.take_sent("pub");
  BOOST_REQUIRE_EQUAL(sent.size(), 1u);
  const auto& disconnect = std::get<Disconnect>(sent[0]);
  if (version == mqttsim::ProtocolVersion::v5_0) {
    BOOST_TEST((disconnect.properties.session_expiry_interval == std::uint32_t{600}));
  }
  const auto closes = link.events_of<Close>("pub");
  BOOST_REQUIRE_EQUAL(closes.size(), 1u);
  BOOST_TEST(closes[0].reason == CloseReason::client_disconnected);
  BOOST_TEST(!link.connected("pub"));
  BOOST_TEST(link.session("pub").inflight_count() == 1u);

  link.open("pub");
  const auto published = link.events_of<Published>("pub");
  BOOST_REQUIRE_EQUAL(published.size(), 1u);
  BOOST_TEST(published[0].message == message);
  BOOST_TEST(published[0].outcome == PublishOutcome::acknowledged);
  BOOST_TEST(payloads(link.events_of<Delivered>("sub")) == (std::vector<std::string>{"later"}));
}

// A scenario's connect step may change what the next CONNECT carries; the
// client id, the version and the session state stay.
BOOST_DATA_TEST_CASE(connect_options_change_between_connections_only, data::make(both_versions),
                     version) {
  Link link;
  link.add("dev", persistent(version, "dev"));
  link.open("dev");
  ClientOptions next = persistent(version, "someone-else");
  next.keep_alive_s = 5;
  next.will = Will{.topic = "status/dev", .payload = bytes_of("gone")};
  BOOST_TEST((link.session("dev").set_connect_options(next) == ClientError::already_connected));
  BOOST_TEST(link.session("dev").connect_packet().keep_alive_s == 0);  // as connected

  link.drop("dev");
  BOOST_TEST(!link.session("dev").set_connect_options(next).has_value());
  const Connect connect = link.session("dev").connect_packet();
  BOOST_TEST(connect.keep_alive_s == 5);
  BOOST_TEST_REQUIRE(connect.will.has_value());
  BOOST_TEST(connect.will->topic == "status/dev");
  BOOST_TEST(connect.client_id == "dev");
  BOOST_TEST((connect.version == version));
}

BOOST_AUTO_TEST_SUITE_END()
