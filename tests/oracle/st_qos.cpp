// The qos checker catches a broker that upgrades and one that downgrades
// the delivered QoS, on a library scenario, and names the statement
// broken; the correct broker passes.
#include <boost/test/unit_test.hpp>

#include "flow_breaks.hpp"

using namespace mqttsim;
using namespace mqttsim::testing;

namespace {

const std::string queued_while_offline = "sessions/persistent-session-queues-qos1.yaml";
const SpecRef min_v311{ProtocolVersion::v3_1_1, "MQTT-3.8.4-6"};

}  // namespace

BOOST_AUTO_TEST_SUITE(st_qos)

BOOST_AUTO_TEST_CASE(the_reference_broker_is_not_reported) {
  const auto result = play_library(queued_while_offline, nullptr);
  BOOST_TEST(violations_of(result, "qos").empty());
  BOOST_TEST(result.verdict.judged.count({ProtocolVersion::v3_1_1, "MQTT-3.8.4-6"}) == 1u);
}

BOOST_AUTO_TEST_CASE(a_qos_upgrade_is_caught) {
  // Published and granted at QoS 1, delivered at QoS 2.
  const auto result = play_library(queued_while_offline, rewrite_publishes([](codec::Publish& p) {
                                     if (p.qos == codec::QoS::at_least_once) {
                                       p.qos = codec::QoS::exactly_once;
                                     }
                                   }));
  const auto found = violations_of(result, "qos");
  BOOST_TEST_REQUIRE(found.size() == 10u);
  BOOST_TEST(cites(found[0], min_v311));
  BOOST_TEST(
      found[0].message.find("at QoS 2, above the QoS it was published with") != std::string::npos,
      found[0].message);
}

BOOST_AUTO_TEST_CASE(qos_1_where_granted_0_is_caught) {
  // zero/x is published at QoS 2 to a subscription granted QoS 0.
  const auto result = play_library("qos/delivered-qos-is-min-of-published-and-granted.yaml",
                                   rewrite_publishes([](codec::Publish& p) {
                                     if (p.topic == "zero/x") {
                                       p.qos = codec::QoS::at_least_once;
                                       p.packet_id = 40000;
                                     }
                                   }));
  const auto found = violations_of(result, "qos");
  BOOST_TEST_REQUIRE(found.size() == 1u);
  BOOST_TEST(cites(found[0], min_v311));
  BOOST_TEST(found[0].message.find("at QoS 1, above the QoS 0 granted to its subscription "
                                   "\"zero/#\"") != std::string::npos,
             found[0].message);
  BOOST_TEST(
      violations_of(play_library("qos/delivered-qos-is-min-of-published-and-granted.yaml", nullptr),
                    "qos")
          .empty());
}

BOOST_AUTO_TEST_CASE(a_qos_downgrade_is_caught) {
  const auto result = play_library(queued_while_offline, rewrite_publishes([](codec::Publish& p) {
                                     p.qos = codec::QoS::at_most_once;
                                     p.packet_id = 0;
                                     p.dup = false;
                                   }));
  const auto found = violations_of(result, "qos");
  BOOST_TEST_REQUIRE(!found.empty());
  BOOST_TEST(cites(found[0], min_v311));
  BOOST_TEST(
      found[0].message.find("below the QoS 1 its subscriptions required") != std::string::npos,
      found[0].message);
}

BOOST_AUTO_TEST_CASE(a_retained_copy_may_come_on_a_no_local_subscription) {
  // Found by mqttsim explore: the client's own retained QoS 2 message comes
  // back, on subscribe, at QoS 2 through its No Local "#" (the reference
  // broker sends retained copies whatever No Local says); the QoS 1 of the
  // other matching filter is no bound on it.
  const auto result = play_text(R"(name: own retained message
protocol: 5.0
clients:
  app:
steps:
  - connect: app
  - publish: app
    topic: t/a/x
    qos: 2
    retain: true
    payload: mine
  - wait: 1s
  - subscribe: app
    filters:
      - {filter: "#", qos: 2, no_local: true}
      - {filter: t/+/x, qos: 1}
  - wait: 2s
)");
  BOOST_TEST(violations_of(result, "qos").empty());
  BOOST_TEST(result.passed());
}

BOOST_AUTO_TEST_SUITE_END()
