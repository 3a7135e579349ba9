// 5.0 Topic Aliases on the client: it uses an alias it was asked to (the
// first PUBLISH on a connection sets it, later ones send an empty topic),
// only within the server's Topic Alias Maximum, sets it again on a new
// connection, accepts the server's aliases up to its own maximum and
// resolves them, and refuses one above it.

#include <boost/test/unit_test.hpp>

#include "link.hpp"

using namespace mqttsim::testing;

namespace {

const auto v5 = mqttsim::ProtocolVersion::v5_0;

ClientOptions with_aliases(std::uint16_t maximum) {
  ClientOptions options = persistent(v5, "c");
  options.topic_alias_maximum = maximum;
  return options;
}

Properties alias(std::uint16_t value) {
  Properties properties;
  properties.topic_alias = value;
  return properties;
}

Properties server_allows(std::uint16_t maximum) {
  Properties properties;
  properties.topic_alias_maximum = maximum;
  return properties;
}

// Publishes `payload` on `topic` with Topic Alias 1 at QoS 0 and returns
// the PUBLISH the client sent.
Publish publish_with_alias(ScriptedServer& server, const std::string& topic,
                           const std::string& payload) {
  BOOST_REQUIRE(
      server.session()
          .publish(topic, bytes_of(payload), QoS::at_most_once, false, alias(1), server.now())
          .has_value());
  const auto sent = packets_of<Publish>(server.take_packets());
  BOOST_REQUIRE_EQUAL(sent.size(), 1u);
  return sent[0];
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_client_topic_alias)

BOOST_AUTO_TEST_CASE(connect_offers_the_maximum_only_when_set) {
  ScriptedServer none{persistent(v5, "c")};
  BOOST_TEST(!none.open().properties.topic_alias_maximum.has_value());
  ScriptedServer some{with_aliases(4)};
  BOOST_TEST(some.open().properties.topic_alias_maximum.value() == 4u);
}

BOOST_AUTO_TEST_CASE(an_alias_is_set_then_used_and_set_again_on_a_new_connection) {
  ScriptedServer server{with_aliases(0)};
  server.connect(false, server_allows(5));
  server.take();
  const Publish first = publish_with_alias(server, "a/b", "1");
  BOOST_TEST(first.topic == "a/b");
  BOOST_TEST(first.properties.topic_alias.value() == 1u);
  const Publish second = publish_with_alias(server, "a/b", "2");
  BOOST_TEST(second.topic.empty());
  BOOST_TEST(second.properties.topic_alias.value() == 1u);
  const Publish moved = publish_with_alias(server, "a/c", "3");
  BOOST_TEST(moved.topic == "a/c");  // the alias now stands for a/c
  server.close();
  server.connect(true, server_allows(5));
  server.take();
  const Publish after = publish_with_alias(server, "a/c", "4");
  BOOST_TEST(after.topic == "a/c");  // mappings last one connection (MQTT-3.3.2-7)
}

BOOST_AUTO_TEST_CASE(no_alias_beyond_the_server_maximum) {
  ScriptedServer server{with_aliases(0)};
  server.connect();  // no Topic Alias Maximum: none allowed (MQTT-3.2.2-18)
  server.take();
  for (const char* payload : {"1", "2"}) {
    const Publish sent = publish_with_alias(server, "a/b", payload);
    BOOST_TEST(sent.topic == "a/b");
    BOOST_TEST(!sent.properties.topic_alias.has_value());
  }
}

BOOST_AUTO_TEST_CASE(server_aliases_up_to_the_maximum_are_resolved) {
  ScriptedServer server{with_aliases(2)};
  server.connect();
  server.take();
  server.send(Publish{.topic = "x/y", .properties = alias(2), .payload = bytes_of("1")});
  server.send(Publish{.topic = "", .properties = alias(2), .payload = bytes_of("2")});
  const auto delivered = all_of<Delivered>(server.take());
  BOOST_REQUIRE_EQUAL(delivered.size(), 2u);
  BOOST_TEST(delivered[0].topic == "x/y");
  BOOST_TEST(delivered[1].topic == "x/y");
  BOOST_TEST(!delivered[1].properties.topic_alias.has_value());
}

BOOST_AUTO_TEST_CASE(a_server_alias_above_the_maximum_is_refused) {
  ScriptedServer server{with_aliases(2)};
  server.connect();
  server.take();
  server.send(Publish{.topic = "x/y", .properties = alias(3), .payload = bytes_of("1")});
  const auto actions = server.take();
  BOOST_TEST(all_of<Delivered>(actions).empty());
  const auto violations = all_of<ProtocolViolation>(actions);
  BOOST_REQUIRE_EQUAL(violations.size(), 1u);
  BOOST_TEST(to_string(violations[0].spec) == "MQTT-3.3.2-11 (5.0)");
  BOOST_TEST(!server.session().connected());
}

BOOST_AUTO_TEST_SUITE_END()
