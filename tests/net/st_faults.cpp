// Faults on fixed seeds: refused connections, half-open links, partitions
// (short and long), scheduled and random faults.
#include <boost/test/unit_test.hpp>

#include "net/net_harness.hpp"

using namespace net_test;
using mqttsim::net::EndState;
using mqttsim::net::LinkParams;
using mqttsim::trace::EventKind;
using mqttsim::trace::FaultKind;

namespace {

LinkParams plain(std::int64_t latency_ms) {
  LinkParams p;
  p.latency = Duration::from_ms(latency_ms);
  return p;
}

std::size_t count_faults(const mqttsim::trace::Trace& t, FaultKind kind) {
  return static_cast<std::size_t>(std::count_if(
      t.events().begin(), t.events().end(),
      [kind](const auto& e) { return e.kind == EventKind::fault && e.fault == kind; }));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_faults)

BOOST_AUTO_TEST_CASE(refused_while_the_broker_is_down) {
  Harness h{1};
  h.network.set_broker_up(false);
  const ConnectionId refused = h.connect("c", plain(10));
  h.run();
  BOOST_TEST((h.client(refused).closed == CloseReason::refused));
  BOOST_TEST((h.client(refused).closed_at == TimePoint::from_us(20'000)));  // one round trip
  BOOST_TEST(!h.client(refused).opened);
  BOOST_TEST(h.broker_side.count(refused) == 0u);  // the broker never heard of it
  const auto refusals = std::count_if(h.trace.events().begin(), h.trace.events().end(),
                                      [](const auto& e) { return e.kind == EventKind::refused; });
  BOOST_TEST(refusals == 1);
  BOOST_TEST(count_faults(h.trace, FaultKind::broker_down) == 1u);

  h.network.set_broker_up(true);
  const ConnectionId accepted = h.connect("c", plain(10));
  h.run();
  BOOST_TEST(h.client(accepted).opened);
  BOOST_TEST(!h.client(accepted).closed.has_value());
}

BOOST_AUTO_TEST_CASE(half_open_only_one_end_learns) {
  Harness h{2};
  LinkParams p = plain(10);
  p.rto_initial = Duration::from_ms(100);
  p.max_retransmits = 5;
  const ConnectionId id = h.connect("c", p);
  h.run();
  const TimePoint fault_at = h.sim.now();
  h.network.half_open(id, End::broker);
  // An idle client never learns, however long we wait.
  h.sim.run_until(fault_at + Duration::from_s(3'600));
  BOOST_TEST((h.broker(id).closed == CloseReason::reset));
  BOOST_TEST((h.broker(id).closed_at == fault_at));
  BOOST_TEST(!h.client(id).closed.has_value());
  BOOST_TEST((h.network.state(id, End::client) == EndState::open));

  // Its writes vanish; its retransmissions run out after
  // 100 + 200 + 400 + 800 + 1600 + 3200 ms.
  const TimePoint write_at = h.sim.now();
  h.send(id, End::client, pattern(0, 100));
  h.run();
  BOOST_TEST(h.broker(id).received.empty());
  BOOST_TEST((h.client(id).closed == CloseReason::timeout));
  BOOST_TEST((h.client(id).closed_at == write_at + Duration::from_ms(6'300)));
}

BOOST_AUTO_TEST_CASE(half_open_application_can_abort_before_the_timeout) {
  Harness h{3};
  const ConnectionId id = h.connect("c", plain(10));
  h.run();
  h.network.half_open(id, End::client);
  h.send(id, End::broker, pattern(0, 10));  // vanishes
  h.sim.run_until(h.sim.now() + Duration::from_ms(500));
  h.network.abort(id, End::broker);  // e.g. its keep-alive expired
  h.run();
  BOOST_TEST((h.client(id).closed == CloseReason::reset));
  BOOST_TEST(!h.broker(id).closed.has_value());  // it aborted itself
  BOOST_TEST(h.client(id).received.empty());
  BOOST_TEST(h.network.live_connections().empty());
}

BOOST_AUTO_TEST_CASE(a_healed_partition_delivers_again) {
  Harness h{4};
  LinkParams p = plain(10);
  p.rto_initial = Duration::from_ms(100);
  p.max_retransmits = 10;
  const ConnectionId id = h.connect("c", p);
  const ConnectionId other = h.connect("d", p);
  h.run();
  const TimePoint cut_at = h.sim.now();
  h.network.partition({"c"});
  BOOST_TEST(h.network.partitioned("c"));
  h.send(id, End::client, pattern(0, 50));
  h.send(other, End::client, pattern(0, 50));  // not partitioned
  h.sim.run_until(cut_at + Duration::from_s(2));
  BOOST_TEST(h.broker(id).received.empty());
  BOOST_TEST(h.broker(other).received.size() == 50u);
  h.network.heal({"c"});
  h.run();
  // Retransmissions at +100, +300, +700, +1500, +3100 ms: the first after
  // the heal gets through.
  BOOST_TEST(h.broker(id).received == pattern(0, 50), boost::test_tools::per_element());
  BOOST_TEST((h.broker(id).received_at.front() == cut_at + Duration::from_ms(3'100 + 10)));
  BOOST_TEST(!h.client(id).closed.has_value());
  BOOST_TEST(count_faults(h.trace, FaultKind::partition) == 1u);
  BOOST_TEST(count_faults(h.trace, FaultKind::heal) == 1u);
}

BOOST_AUTO_TEST_CASE(a_long_partition_resets_the_connection) {
  Harness h{5};
  LinkParams p = plain(10);
  p.rto_initial = Duration::from_ms(100);
  p.max_retransmits = 4;
  const ConnectionId id = h.connect("c", p);
  h.run();
  h.network.partition({"c"});
  const TimePoint write_at = h.sim.now();
  h.send(id, End::broker, pattern(0, 20));
  h.run();
  // 100 + 200 + 400 + 800 + 1600 ms of backoff, then the broker gives up.
  BOOST_TEST((h.broker(id).closed == CloseReason::timeout));
  BOOST_TEST((h.broker(id).closed_at == write_at + Duration::from_ms(3'100)));
  BOOST_TEST(!h.client(id).closed.has_value());  // its RST was cut off too
  // After the heal, the client's next write meets the closed end and is reset.
  h.network.heal({});
  h.send(id, End::client, pattern(0, 1));
  h.run();
  BOOST_TEST((h.client(id).closed == CloseReason::reset));
}

BOOST_AUTO_TEST_CASE(a_partitioned_connect_times_out) {
  Harness h{6};
  LinkParams p = plain(10);
  p.rto_initial = Duration::from_ms(100);
  p.max_retransmits = 3;
  h.network.partition({"c"});
  const ConnectionId id = h.connect("c", p);
  h.run();
  BOOST_TEST((h.client(id).closed == CloseReason::timeout));
  BOOST_TEST(
      (h.client(id).closed_at == TimePoint::from_us(1'500'000)));  // 100 + 200 + 400 + 800 ms
  BOOST_TEST(h.broker_side.count(id) == 0u);
}

BOOST_AUTO_TEST_CASE(a_client_giving_up_mid_handshake_leaves_nothing_behind) {
  Harness h{9};
  h.network.partition({"c"});
  const ConnectionId id = h.connect("c", plain(10));
  h.sim.run_until(TimePoint::from_us(50'000));
  h.network.abort(id, End::client);  // e.g. its connect timeout
  h.network.heal({});
  h.run();
  BOOST_TEST(h.network.live_connections().empty());
  BOOST_TEST(h.broker_side.count(id) == 0u);
  BOOST_TEST(!h.client(id).closed.has_value());  // it aborted itself
}

BOOST_AUTO_TEST_CASE(a_reset_mid_handshake_ends_the_attempt) {
  Harness h{10};
  const ConnectionId id = h.connect("c", plain(10));
  h.network.schedule({TimePoint::from_us(5'000),
                      mqttsim::net::ResetFault{"c", Duration::from_ms(1), Duration::from_ms(1)}});
  h.run();
  BOOST_TEST((h.client(id).closed == CloseReason::reset));
  BOOST_TEST((h.client(id).closed_at == TimePoint::from_us(6'000)));
  BOOST_TEST(!h.client(id).opened);
  BOOST_TEST(h.broker_side.count(id) == 0u);
  BOOST_TEST(h.network.live_connections().empty());
}

BOOST_AUTO_TEST_CASE(scheduled_faults_name_clients) {
  Harness h{7};
  const ConnectionId a = h.connect("a", plain(5));
  const ConnectionId b = h.connect("b", plain(5));
  h.network.schedule({TimePoint::from_us(100'000),
                      mqttsim::net::ResetFault{"a", Duration::from_ms(1), Duration::from_ms(30)}});
  h.network.schedule({TimePoint::from_us(200'000), mqttsim::net::BrokerUpFault{false}});
  h.run();
  BOOST_TEST((h.client(a).closed == CloseReason::reset));
  BOOST_TEST((h.client(a).closed_at == TimePoint::from_us(101'000)));
  BOOST_TEST((h.broker(a).closed_at == TimePoint::from_us(130'000)));
  BOOST_TEST(!h.client(b).closed.has_value());
  BOOST_TEST(!h.network.broker_up());
}

BOOST_AUTO_TEST_CASE(random_faults_follow_their_rates) {
  Harness h{8};
  std::vector<ConnectionId> ids;
  for (int i = 0; i < 20; ++i) ids.push_back(h.connect("client-" + std::to_string(i), plain(5)));
  mqttsim::net::FaultRates rates;
  rates.resets_per_hour = 3'600;  // one a second on average
  rates.partitions_per_hour = 1'800;
  h.network.schedule_random_faults(rates, TimePoint::origin(), TimePoint::from_us(10'000'000));
  h.run();
  // About 10 resets and 5 partitions in 10 s; at most one fault per
  // connection is a reset (a reset connection is no longer a target).
  const auto resets = count_faults(h.trace, FaultKind::reset);
  const auto partitions = count_faults(h.trace, FaultKind::partition);
  BOOST_TEST(resets >= 3u);
  BOOST_TEST(resets <= 20u);
  BOOST_TEST(partitions >= 1u);
  BOOST_TEST(count_faults(h.trace, FaultKind::heal) == partitions);
  std::size_t reset_clients = 0;
  for (const ConnectionId id : ids) {
    if (h.client(id).closed == CloseReason::reset) ++reset_clients;
  }
  BOOST_TEST(reset_clients == resets);
  BOOST_CHECK_THROW(
      h.network.schedule_random_faults(rates, TimePoint::from_us(5), TimePoint::from_us(4)),
      std::invalid_argument);
  rates.resets_per_hour = 1'000'000'000;
  BOOST_CHECK_THROW(
      h.network.schedule_random_faults(rates, h.sim.now(), h.sim.now() + Duration::from_s(3'600)),
      std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(random_faults_hit_only_their_target_clients) {
  Harness h{9};
  const ConnectionId target = h.connect("target", plain(5));
  const ConnectionId bystander = h.connect("bystander", plain(5));
  mqttsim::net::FaultRates rates;
  rates.resets_per_hour = 36'000;  // ten a second: the target surely gets one
  rates.clients = {"target"};
  h.network.schedule_random_faults(rates, TimePoint::origin(), TimePoint::from_us(5'000'000));
  h.run();
  BOOST_TEST((h.client(target).closed == CloseReason::reset));
  BOOST_TEST(!h.client(bystander).closed.has_value());
  BOOST_TEST(count_faults(h.trace, FaultKind::reset) == 1u);
}

// A loss override replaces the rate of the named clients' links (live and
// new) until lifted; the other clients keep theirs.
BOOST_AUTO_TEST_CASE(a_loss_override_applies_until_lifted) {
  Harness h{10};
  LinkParams p = plain(5);
  p.rto_initial = Duration::from_ms(50);
  p.max_retransmits = 30;
  const ConnectionId lossy = h.connect("lossy", p);
  const ConnectionId clean = h.connect("clean", p);
  h.run();
  const auto id = h.network.override_loss({"lossy"}, 1'000'000);  // everything is lost
  h.send(lossy, End::client, pattern(0, 100));
  h.send(clean, End::client, pattern(0, 100));
  h.sim.run_until(h.sim.now() + Duration::from_ms(500));
  BOOST_TEST(h.broker(lossy).received.empty());
  BOOST_TEST(h.broker(clean).received.size() == 100u);
  h.network.lift_loss_override(id);
  h.run();
  BOOST_TEST(h.broker(lossy).received == pattern(0, 100));
  BOOST_TEST(!h.client(lossy).closed.has_value());
  BOOST_CHECK_THROW(h.network.override_loss({}, 1'000'001), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
