// Broker restarts: a durable store keeps every session and retained message
// the broker acknowledged, whenever the restart comes; a volatile store keeps
// nothing, and Session Present says so.

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "harness.hpp"

using namespace mqttsim::testing;
namespace data = boost::unit_test::data;

BOOST_AUTO_TEST_SUITE(st_restart)

BOOST_DATA_TEST_CASE(durable_store_keeps_sessions_queues_and_retained, data::make(both_versions),
                     version) {
  BrokerHarness h{{}, /*durable=*/true};
  h.connect("sub", h.connect_packet(version, "sub", false));
  h.subscribe("sub", "t/#", QoS::exactly_once);
  h.drop("sub");
  h.connect("pub", h.connect_packet(version, "pub", true));
  h.publish("pub", "t/a", "1", QoS::at_least_once);
  h.publish("pub", "t/a", "2", QoS::exactly_once);
  h.publish("pub", "t/r", "kept", QoS::at_least_once, true);

  h.restart();
  BOOST_TEST(h.connect("sub", h.connect_packet(version, "sub", false))->session_present);
  const auto received = h.receive_and_ack("sub");
  BOOST_REQUIRE_EQUAL(received.size(), 3u);
  BOOST_TEST(text_of(received[0].payload) == "1");
  BOOST_TEST(text_of(received[1].payload) == "2");
  BOOST_TEST(text_of(received[2].payload) == "kept");
  BOOST_TEST(h.broker().retained().size() == 1u);
}

BOOST_DATA_TEST_CASE(volatile_store_loses_everything, data::make(both_versions), version) {
  BrokerHarness h{{}, /*durable=*/false};
  h.connect("sub", h.connect_packet(version, "sub", false));
  h.subscribe("sub", "t/#", QoS::at_least_once);
  h.drop("sub");
  h.connect("pub", h.connect_packet(version, "pub", true));
  h.publish("pub", "t/a", "1", QoS::at_least_once, true);
  h.restart();
  BOOST_TEST(!h.connect("sub", h.connect_packet(version, "sub", false))->session_present);
  BOOST_TEST(h.take_publishes("sub").empty());
  BOOST_TEST(h.broker().retained().size() == 0u);
}

// The QoS 1 and QoS 2 flows, publisher to subscriber, cut by a restart after
// every step. Whatever the broker acknowledged must still arrive, exactly
// once for QoS 2.
BOOST_DATA_TEST_CASE(restart_between_any_two_steps_loses_nothing_acknowledged,
                     data::make(both_versions) * data::make({1, 2}) * data::xrange(0, 8), version,
                     qos_value, restart_after) {
  const QoS qos = static_cast<QoS>(qos_value);
  BrokerHarness h{{}, /*durable=*/true};
  h.connect("sub", h.connect_packet(version, "sub", false));
  h.subscribe("sub", "t/a", qos);
  h.connect("pub", h.connect_packet(version, "pub", false));

  // The steps, in order; a restart comes after step number `restart_after`.
  bool publisher_acknowledged = false;  // PUBACK or PUBREC reached the publisher
  bool delivered = false;               // the subscriber's application has the message
  std::uint16_t sub_id = 0;
  int step = 0;
  const auto maybe_restart = [&] {
    if (step++ != restart_after) return;
    h.restart();
    h.connect("sub", h.connect_packet(version, "sub", false));
    h.connect("pub", h.connect_packet(version, "pub", false));
  };

  const Publish publish{.dup = false,
                        .qos = qos,
                        .retain = false,
                        .topic = "t/a",
                        .packet_id = 5,
                        .properties = {},
                        .payload = bytes_of("m")};
  h.send("pub", publish);
  for (const Packet& p : h.take("pub")) {
    if (std::holds_alternative<Puback>(p) || std::holds_alternative<Pubrec>(p))
      publisher_acknowledged = true;
  }
  maybe_restart();  // 0
  if (!publisher_acknowledged) return;
  if (qos == QoS::exactly_once) {
    // The publisher still owes PUBREL; after a restart it resends it.
    h.send("pub", Pubrel{.packet_id = 5});
    h.take("pub");
  }
  maybe_restart();  // 1
  // The subscriber takes what arrives and acknowledges step by step.
  std::vector<Publish> seen;
  for (int round = 0; round < 6; ++round) {
    for (Packet& p : h.take("sub")) {
      if (auto* pub = std::get_if<Publish>(&p)) {
        // The client's QoS 2 receiver drops a DUP of an id it already has.
        if (!(qos == QoS::exactly_once && delivered && pub->packet_id == sub_id)) {
          seen.push_back(*pub);
          delivered = true;
        }
        sub_id = pub->packet_id;
        h.send("sub", qos == QoS::at_least_once ? Packet{Puback{.packet_id = sub_id}}
                                                : Packet{Pubrec{.packet_id = sub_id}});
      } else if (auto* rel = std::get_if<Pubrel>(&p)) {
        h.send("sub", Pubcomp{.packet_id = rel->packet_id});
      }
      maybe_restart();  // 2..
    }
  }
  BOOST_TEST(delivered);
  if (qos == QoS::exactly_once) BOOST_TEST(seen.size() == 1u);
  BOOST_TEST(h.broker().sessions().at("sub").inflight.empty());
}

BOOST_AUTO_TEST_SUITE_END()
