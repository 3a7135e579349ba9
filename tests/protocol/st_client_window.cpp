// Flow control and bounds on the sending side: the 5.0 send quota from the
// server's Receive Maximum (MQTT-4.9.0-1/-2/-3, MQTT-3.3.4-7/-8), the
// client's own max_inflight (both versions), the bounded publish queue, and
// the other limits a 5.0 CONNACK announces (Maximum QoS, Retain Available,
// Maximum Packet Size).

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "link.hpp"

using namespace mqttsim::testing;
namespace data = boost::unit_test::data;

namespace {

const auto v5 = mqttsim::ProtocolVersion::v5_0;

std::vector<std::string> publish_payloads(const std::vector<Packet>& packets) {
  std::vector<std::string> texts;
  for (const auto& p : packets_of<Publish>(packets)) texts.push_back(text_of(p.payload));
  return texts;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_client_window)

BOOST_AUTO_TEST_CASE(the_send_quota_follows_the_server_receive_maximum) {
  ScriptedServer server{persistent(v5, "c")};
  Properties limits;
  limits.receive_maximum = 2;
  server.connect(false, limits);
  server.take();
  ClientSession& session = server.session();
  for (const char* text : {"1", "2", "3", "4"}) {
    BOOST_REQUIRE(
        session.publish("t", bytes_of(text), QoS::at_least_once, false, {}, server.now()));
  }
  BOOST_REQUIRE(session.publish("t", bytes_of("q0"), QoS::at_most_once, false, {}, server.now()));
  const auto first = packets_of<Publish>(server.take_packets());
  BOOST_REQUIRE_EQUAL(first.size(), 2u);  // MQTT-4.9.0-2: the quota is 2
  BOOST_TEST(session.inflight_count() == 2u);
  BOOST_TEST(session.queued_count() == 3u);

  // A zero quota holds back only PUBLISH (MQTT-4.9.0-3, MQTT-3.3.4-8).
  BOOST_REQUIRE(session.subscribe({Subscription{.topic_filter = "s"}}, {}, server.now()));
  BOOST_TEST(!session.ping(server.now()));
  const auto others = server.take_packets();
  BOOST_TEST(packets_of<Subscribe>(others).size() == 1u);
  BOOST_TEST(packets_of<Pingreq>(others).size() == 1u);
  BOOST_TEST(packets_of<Publish>(others).empty());

  // Each acknowledgement returns one unit of quota.
  server.send(Puback{.packet_id = first[0].packet_id});
  BOOST_TEST(publish_payloads(server.take_packets()) == (std::vector<std::string>{"3"}));
  server.send(Puback{.packet_id = first[1].packet_id});
  // "4" uses the quota; the QoS 0 message behind it needs none.
  BOOST_TEST(publish_payloads(server.take_packets()) == (std::vector<std::string>{"4", "q0"}));
  BOOST_TEST(session.queued_count() == 0u);
}

BOOST_AUTO_TEST_CASE(an_error_pubrec_ends_the_exchange_and_returns_the_quota) {
  ScriptedServer server{persistent(v5, "c")};
  Properties limits;
  limits.receive_maximum = 1;
  server.connect(false, limits);
  server.take();
  const auto a =
      server.session().publish("t", bytes_of("a"), QoS::exactly_once, false, {}, server.now());
  BOOST_REQUIRE(
      server.session().publish("t", bytes_of("b"), QoS::exactly_once, false, {}, server.now()));
  const auto first = packets_of<Publish>(server.take_packets());
  BOOST_REQUIRE_EQUAL(first.size(), 1u);
  server.send(Pubrec{.packet_id = first[0].packet_id,
                     .reason_code = ReasonCode::quota_exceeded,
                     .properties = {}});
  const auto actions = server.take();
  const auto published = all_of<Published>(actions);
  BOOST_REQUIRE_EQUAL(published.size(), 1u);
  BOOST_TEST(published[0].message == *a);
  BOOST_TEST(published[0].outcome == PublishOutcome::rejected);
  BOOST_TEST(published[0].reason == ReasonCode::quota_exceeded);
  const auto sent = packets_sent(actions, v5);
  BOOST_TEST(packets_of<Pubrel>(sent).empty());  // no PUBREL after an error (MQTT-4.3.3-4)
  BOOST_TEST(publish_payloads(sent) == (std::vector<std::string>{"b"}));
}

BOOST_DATA_TEST_CASE(max_inflight_bounds_the_window_in_both_versions, data::make(both_versions),
                     version) {
  Link link;
  ClientOptions options = persistent(version, "pub");
  options.max_inflight = 1;
  link.add("pub", options);
  link.open("pub");
  link.take_sent("pub");
  link.cut_downlink("pub");  // acknowledgements never arrive
  for (const char* text : {"a", "b", "c"}) {
    BOOST_REQUIRE(
        link.session("pub").publish("t", bytes_of(text), QoS::exactly_once, false, {}, link.now()));
  }
  link.pump();
  BOOST_TEST(publish_payloads(link.take_sent("pub")) == (std::vector<std::string>{"a"}));
  BOOST_TEST(link.session("pub").queued_count() == 2u);
}

BOOST_DATA_TEST_CASE(the_publish_queue_is_bounded, data::make(both_versions), version) {
  ClientOptions options = persistent(version, "c");
  options.max_queued_publishes = 2;
  ClientSession session{options};
  const auto now = mqttsim::TimePoint::origin();
  BOOST_TEST(session.publish("t", bytes_of("1"), QoS::at_least_once, false, {}, now).has_value());
  BOOST_TEST(session.publish("t", bytes_of("2"), QoS::at_most_once, false, {}, now).has_value());
  const auto third = session.publish("t", bytes_of("3"), QoS::at_least_once, false, {}, now);
  BOOST_REQUIRE(!third);
  BOOST_TEST(third.error() == ClientError::queue_full);  // refused, not silently dropped
  BOOST_TEST(session.queued_count() == 2u);
  BOOST_TEST(session.take_actions().empty());  // nothing sent while offline
}

BOOST_AUTO_TEST_CASE(publishes_beyond_the_connack_limits_are_refused) {
  ScriptedServer server{persistent(v5, "c")};
  Properties limits;
  limits.maximum_qos = 1;
  limits.retain_available = 0;
  server.connect(false, limits);
  server.take();
  auto qos2 =
      server.session().publish("t", bytes_of("x"), QoS::exactly_once, false, {}, server.now());
  BOOST_REQUIRE(!qos2);
  BOOST_TEST(qos2.error() == ClientError::qos_not_supported);  // MQTT-3.2.2-11
  auto retained =
      server.session().publish("t", bytes_of("x"), QoS::at_most_once, true, {}, server.now());
  BOOST_REQUIRE(!retained);
  BOOST_TEST(retained.error() == ClientError::retain_not_supported);  // MQTT-3.2.2-14
  BOOST_TEST(server.session()
                 .publish("t", bytes_of("x"), QoS::at_least_once, false, {}, server.now())
                 .has_value());
  BOOST_TEST(packets_of<Publish>(server.take_packets()).size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_publish_over_the_server_maximum_packet_size_is_never_sent) {
  ScriptedServer server{persistent(v5, "c")};
  Properties limits;
  limits.maximum_packet_size = 64;
  server.connect(false, limits);
  server.take();
  const auto big =
      server.session().publish("t", Bytes(100, 'x'), QoS::at_least_once, false, {}, server.now());
  BOOST_REQUIRE(server.session().publish("t", bytes_of("small"), QoS::at_least_once, false, {},
                                         server.now()));
  const auto actions = server.take();
  const auto published = all_of<Published>(actions);
  BOOST_REQUIRE_EQUAL(published.size(), 1u);
  BOOST_TEST(published[0].message == *big);
  BOOST_TEST(published[0].outcome == PublishOutcome::too_large);  // MQTT-3.2.2-15
  BOOST_TEST(publish_payloads(packets_sent(actions, v5)) == (std::vector<std::string>{"small"}));
  BOOST_TEST(server.session().inflight_count() == 1u);
}

BOOST_AUTO_TEST_CASE(a_publish_queued_offline_is_checked_against_the_next_connack) {
  ScriptedServer server{persistent(v5, "c")};
  const auto qos2 =
      server.session().publish("t", bytes_of("2"), QoS::exactly_once, false, {}, server.now());
  const auto retained =
      server.session().publish("t", bytes_of("r"), QoS::at_most_once, true, {}, server.now());
  BOOST_REQUIRE(
      server.session().publish("t", bytes_of("ok"), QoS::at_least_once, false, {}, server.now()));
  BOOST_REQUIRE(qos2 && retained);
  Properties limits;
  limits.maximum_qos = 1;
  limits.retain_available = 0;
  server.connect(false, limits);
  const auto actions = server.take();
  const auto published = all_of<Published>(actions);
  BOOST_REQUIRE_EQUAL(published.size(), 2u);
  BOOST_TEST(published[0].message == *qos2);
  BOOST_TEST(published[0].outcome == PublishOutcome::not_allowed);
  BOOST_TEST(published[0].reason == ReasonCode::qos_not_supported);
  BOOST_TEST(published[1].message == *retained);
  BOOST_TEST(published[1].reason == ReasonCode::retain_not_supported);
  BOOST_TEST(publish_payloads(packets_sent(actions, v5)) == (std::vector<std::string>{"ok"}));
}

BOOST_AUTO_TEST_SUITE_END()
