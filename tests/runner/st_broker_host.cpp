// The reference broker on the simulated network: a scripted client talks to
// it over a lossy link; restarts reset connections and keep (durable) or lose
// (volatile) sessions; the trace explains what the broker did.

#include <boost/test/unit_test.hpp>

#include "codec/codec.hpp"
#include "codec/packet_reader.hpp"
#include "runner/broker_host.hpp"
#include "world_fixture.hpp"

using namespace mqttsim;
using namespace mqttsim::codec;
using mqttsim::testing::World;

namespace {

constexpr auto v311 = ProtocolVersion::v3_1_1;

// A client that sends `script` once the connection opens and collects what
// comes back.
struct ScriptedClient {
  ScriptedClient(World& world, std::string name, std::vector<Packet> script,
                 net::LinkParams link = {})
      : world_{world}, script_{std::move(script)} {
    net::EndpointCallbacks callbacks;
    callbacks.on_open = [this] {
      for (const Packet& packet : script_) {
        (void)world_.network.send(id, net::End::client, encode(packet, v311));
      }
    };
    callbacks.on_bytes = [this](net::ByteView bytes) {
      reader.feed(bytes);
      for (auto r = reader.next(); r.has_item(); r = reader.next())
        received.push_back(r.item().packet);
    };
    callbacks.on_closed = [this](net::CloseReason reason) { closed = reason; };
    id = *world_.network.connect(std::move(name), link, std::move(callbacks));
  }

  World& world_;
  std::vector<Packet> script_;
  net::ConnectionId id = 0;
  PacketReader reader = PacketReader::for_client(v311);
  std::vector<Packet> received;
  std::optional<net::CloseReason> closed;
};

Connect connect(std::string id, bool clean) {
  return Connect{
      .version = v311, .clean_start = clean, .keep_alive_s = 0, .client_id = std::move(id)};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_broker_host)

BOOST_AUTO_TEST_CASE(a_client_on_a_lossy_segmented_link_gets_its_connack_and_suback) {
  World world{runner::StoreKind::volatile_store};
  net::LinkParams lossy;
  lossy.loss_ppm = 100'000;
  lossy.segment_bytes_min = 1;
  lossy.segment_bytes_max = 3;
  ScriptedClient client{
      world,
      "c1",
      {connect("c1", true), Subscribe{.packet_id = 1, .subscriptions = {{.topic_filter = "t/#"}}}},
      lossy};
  world.run_for(Duration::from_s(30));
  BOOST_REQUIRE_EQUAL(client.received.size(), 2u);
  BOOST_TEST(std::holds_alternative<Connack>(client.received[0]));
  BOOST_TEST(std::get<Suback>(client.received[1]).packet_id == 1);
  BOOST_TEST(world.host.broker().sessions().contains("c1"));

  // The trace holds each packet once per direction, decoded, with its bytes.
  std::vector<std::string> packets;
  for (const auto& event : world.trace.events()) {
    if (event.kind != trace::EventKind::packet) continue;
    const std::string detail = trace::describe(event);
    packets.push_back(detail.substr(0, detail.find(' ')));
  }
  const std::vector<std::string> expected{"CONNECT", "CONNACK", "SUBSCRIBE", "SUBACK"};
  BOOST_TEST(packets == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(keep_alive_runs_on_virtual_time) {
  World world{runner::StoreKind::volatile_store};
  Connect c = connect("quiet", true);
  c.keep_alive_s = 10;
  ScriptedClient client{world, "quiet", {c}};
  world.run_for(Duration::from_s(14));
  BOOST_TEST(!client.closed.has_value());
  world.run_for(Duration::from_s(2));
  BOOST_REQUIRE(client.closed.has_value());
  BOOST_TEST((*client.closed == net::CloseReason::peer_closed));
  // The broker's keep-alive deadline fired as a timer in virtual time, and
  // the timeout note came at that same moment.
  std::optional<TimePoint> timer_at;
  std::optional<TimePoint> noted_at;
  for (const auto& event : world.trace.events()) {
    if (event.kind == trace::EventKind::timer && event.actor == "broker") timer_at = event.time;
    if (event.detail.find("keep_alive_timeout client=quiet") == 0) noted_at = event.time;
  }
  BOOST_REQUIRE(noted_at.has_value());
  BOOST_TEST((timer_at == noted_at));
  BOOST_TEST(noted_at->since_origin_us() >= 15'000'000);
}

BOOST_AUTO_TEST_CASE(restart_resets_connections_and_the_store_decides_what_survives) {
  for (const auto store : {runner::StoreKind::durable, runner::StoreKind::volatile_store}) {
    World world{store};
    ScriptedClient before{world, "dev", {connect("dev", false)}};
    world.run_for(Duration::from_s(1));
    BOOST_REQUIRE_EQUAL(before.received.size(), 1u);

    world.host.restart(Duration::from_s(5));
    world.run_for(Duration::from_s(1));
    BOOST_TEST((before.closed == net::CloseReason::reset));
    ScriptedClient while_down{world, "dev", {connect("dev", false)}};
    world.run_for(Duration::from_s(1));
    BOOST_TEST((while_down.closed == net::CloseReason::refused));

    world.run_for(Duration::from_s(5));
    ScriptedClient after{world, "dev", {connect("dev", false)}};
    world.run_for(Duration::from_s(1));
    BOOST_REQUIRE_EQUAL(after.received.size(), 1u);
    const bool durable = store == runner::StoreKind::durable;
    BOOST_TEST(std::get<Connack>(after.received[0]).session_present == durable);
  }
}

BOOST_AUTO_TEST_CASE(same_seed_same_trace) {
  const auto run = [](std::uint64_t seed) {
    World world{runner::StoreKind::volatile_store, seed};
    net::LinkParams link;
    link.loss_ppm = 200'000;
    link.jitter = Duration::from_ms(20);
    link.segment_bytes_min = 1;
    link.segment_bytes_max = 8;
    ScriptedClient a{
        world,
        "a",
        {connect("a", true), Subscribe{.packet_id = 1, .subscriptions = {{.topic_filter = "#"}}}},
        link};
    ScriptedClient b{
        world, "b", {connect("b", true), Publish{.topic = "x", .payload = {1, 2, 3}}}, link};
    world.run_for(Duration::from_s(60));
    return trace::hash(world.trace);
  };
  BOOST_TEST(run(7) == run(7));
  BOOST_TEST(run(7) != run(8));
}

BOOST_AUTO_TEST_SUITE_END()
