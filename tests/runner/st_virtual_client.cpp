// Virtual clients (ClientSession on the simulated network) against the
// reference broker: persistent sessions across resets on a lossy link, a
// crash that loses the device's state, and the trace of both sides.

#include <boost/test/unit_test.hpp>

#include "runner/broker_host.hpp"
#include "runner/virtual_client.hpp"
#include "world_fixture.hpp"

using namespace mqttsim;
using namespace mqttsim::codec;
using mqttsim::testing::World;

namespace {

protocol::ClientOptions persistent(std::string id, ProtocolVersion version) {
  protocol::ClientOptions options;
  options.client_id = std::move(id);
  options.version = version;
  options.clean_start = false;
  options.keep_alive_s = 5;
  if (version == ProtocolVersion::v5_0) options.session_expiry_interval_s = 3600;
  return options;
}

net::LinkParams lossy_link() {
  net::LinkParams link;
  link.loss_ppm = 50'000;
  link.jitter = Duration::from_ms(10);
  link.segment_bytes_min = 1;
  link.segment_bytes_max = 16;
  return link;
}

std::vector<std::string> payloads(const std::vector<protocol::Delivered>& inbox) {
  std::vector<std::string> texts;
  for (const auto& d : inbox) texts.emplace_back(d.payload.begin(), d.payload.end());
  return texts;
}

// A persistent QoS 1 subscriber whose connection is reset twice while 20
// messages are published; returns the world's trace hash.
std::uint64_t resets_lose_nothing(std::uint64_t seed, ProtocolVersion version,
                                  std::vector<std::string>& received) {
  World world{runner::StoreKind::volatile_store, seed};
  runner::VirtualClient sub{
      world.simulator, world.network, world.trace, "sub", persistent("sub", version), lossy_link()};
  runner::VirtualClient pub{
      world.simulator, world.network, world.trace, "pub", persistent("pub", version), lossy_link()};
  BOOST_REQUIRE(sub.connect());
  BOOST_REQUIRE(pub.connect());
  world.run_for(Duration::from_s(2));
  BOOST_REQUIRE(sub.session().connected());
  BOOST_REQUIRE(
      sub.session().subscribe({Subscription{.topic_filter = "t/#", .max_qos = QoS::at_least_once}},
                              {}, world.simulator.now()));
  sub.pump();
  world.run_for(Duration::from_s(2));

  for (int i = 1; i <= 20; ++i) {
    const std::string text = "m" + std::to_string(i);
    BOOST_REQUIRE(pub.session().publish("t/a", Bytes(text.begin(), text.end()), QoS::at_least_once,
                                        false, {}, world.simulator.now()));
    pub.pump();
    world.run_for(Duration::from_ms(100));
    if (i == 7 || i == 14) {
      // Both ends learn of the reset after their own delay; the subscriber
      // reconnects a second later.
      if (const auto id = sub.connection()) {
        world.network.reset(*id, Duration::from_ms(30), Duration::from_ms(80));
      }
      world.run_for(Duration::from_s(1));
      BOOST_REQUIRE(sub.connect());
    }
  }
  world.run_for(Duration::from_s(30));
  received = payloads(sub.inbox());
  const auto resets =
      std::count_if(world.trace.events().begin(), world.trace.events().end(),
                    [](const trace::TraceEvent& e) { return e.fault == trace::FaultKind::reset; });
  BOOST_TEST(resets == 2);
  return trace::hash(world.trace);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_virtual_client)

BOOST_AUTO_TEST_CASE(resets_on_a_lossy_link_lose_no_qos1_message) {
  for (const auto version : {ProtocolVersion::v3_1_1, ProtocolVersion::v5_0}) {
    std::vector<std::string> received;
    resets_lose_nothing(42, version, received);
    // At least once, and each first copy in publish order (a resend may
    // repeat a message, never reorder first deliveries).
    std::vector<std::string> first_copies;
    for (const auto& text : received) {
      if (std::find(first_copies.begin(), first_copies.end(), text) == first_copies.end()) {
        first_copies.push_back(text);
      }
    }
    std::vector<std::string> expected;
    for (int i = 1; i <= 20; ++i) expected.push_back("m" + std::to_string(i));
    BOOST_TEST(first_copies == expected, boost::test_tools::per_element());
  }
}

BOOST_AUTO_TEST_CASE(same_seed_same_trace_other_seed_other_trace) {
  std::vector<std::string> ignored;
  const auto a = resets_lose_nothing(7, ProtocolVersion::v5_0, ignored);
  const auto b = resets_lose_nothing(7, ProtocolVersion::v5_0, ignored);
  const auto c = resets_lose_nothing(8, ProtocolVersion::v5_0, ignored);
  BOOST_TEST(a == b);
  BOOST_TEST(a != c);
}

BOOST_AUTO_TEST_CASE(the_trace_shows_both_clients_packets_decoded) {
  World world{runner::StoreKind::volatile_store, 1};
  runner::VirtualClient c{world.simulator,
                          world.network,
                          world.trace,
                          "dev",
                          persistent("dev", ProtocolVersion::v3_1_1),
                          net::LinkParams{}};
  BOOST_REQUIRE(c.connect());
  world.run_for(Duration::from_s(1));
  std::vector<std::string> seen;
  for (const auto& event : world.trace.events()) {
    if (event.kind != trace::EventKind::packet) continue;
    const std::string detail = trace::describe(event);
    seen.push_back(event.actor + " " + std::string{trace::to_string(event.direction)} + " " +
                   detail.substr(0, detail.find(' ')));
  }
  const std::vector<std::string> expected{"dev c2b CONNECT", "broker c2b CONNECT",
                                          "broker b2c CONNACK", "dev b2c CONNACK"};
  BOOST_TEST(seen == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_crash_loses_the_devices_state_but_not_the_brokers) {
  World world{runner::StoreKind::volatile_store, 3};
  runner::VirtualClient pub{world.simulator,
                            world.network,
                            world.trace,
                            "pub",
                            persistent("pub", ProtocolVersion::v3_1_1),
                            net::LinkParams{}};
  BOOST_REQUIRE(pub.connect());
  world.run_for(Duration::from_s(1));
  world.network.partition({"pub"});
  BOOST_REQUIRE(pub.session().publish("t/a", Bytes{'x'}, QoS::at_least_once, false, {},
                                      world.simulator.now()));
  pub.pump();
  BOOST_TEST(pub.session().inflight_count() == 1u);
  pub.crash(persistent("pub", ProtocolVersion::v3_1_1));
  world.network.heal({});
  BOOST_TEST(pub.session().inflight_count() == 0u);
  BOOST_TEST(!pub.connection().has_value());
  BOOST_REQUIRE(pub.connect());
  world.run_for(Duration::from_s(2));
  BOOST_TEST(pub.session().connected());
  // The broker kept the session: Session Present 1 on the new connection.
  bool present = false;
  for (const auto& event : pub.events()) {
    if (const auto* connected = std::get_if<protocol::Connected>(&event))
      present = connected->session_present;
  }
  BOOST_TEST(present);
}

BOOST_AUTO_TEST_SUITE_END()
