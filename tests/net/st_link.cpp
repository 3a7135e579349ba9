// Link behaviour on fixed seeds: handshake timing, latency, bandwidth,
// segmentation, loss and head-of-line blocking, graceful close and abort.
#include <boost/test/unit_test.hpp>

#include "net/net_harness.hpp"

using namespace net_test;
using mqttsim::net::EndState;
using mqttsim::net::LinkParams;
using mqttsim::net::SendError;
using mqttsim::trace::EventKind;

namespace {

LinkParams plain(std::int64_t latency_ms) {
  LinkParams p;
  p.latency = Duration::from_ms(latency_ms);
  return p;
}

std::size_t count(const mqttsim::trace::Trace& t, EventKind kind) {
  return static_cast<std::size_t>(std::count_if(t.events().begin(), t.events().end(),
                                                [kind](const auto& e) { return e.kind == kind; }));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_link)

BOOST_AUTO_TEST_CASE(handshake_takes_a_round_trip_and_is_traced) {
  Harness h{1};
  const ConnectionId id = h.connect("c", plain(10));
  BOOST_TEST((h.network.state(id, End::client) == EndState::connecting));
  BOOST_CHECK((h.network.send(id, End::client, pattern(0, 3)).error() == SendError::not_open));
  h.run();
  BOOST_TEST(h.broker(id).opened);
  BOOST_TEST((h.broker(id).opened_at == TimePoint::from_us(10'000)));
  BOOST_TEST(h.client(id).opened);
  BOOST_TEST((h.client(id).opened_at == TimePoint::from_us(20'000)));
  BOOST_TEST_REQUIRE(h.trace.size() == 3u);
  BOOST_TEST((h.trace[0].kind == EventKind::connect_attempt));
  BOOST_TEST((h.trace[1].kind == EventKind::accept));
  BOOST_TEST(h.trace[1].actor == "broker");
  BOOST_TEST((h.trace[2].kind == EventKind::accept));
  BOOST_TEST(h.trace[2].actor == "c");
}

BOOST_AUTO_TEST_CASE(bytes_take_latency_plus_serialisation) {
  Harness h{1};
  LinkParams p = plain(10);
  p.bandwidth_bytes_per_s = 1'000;
  p.segment_bytes_min = p.segment_bytes_max = 100;
  const ConnectionId id = h.connect("c", p);
  h.run();
  const TimePoint sent_at = h.sim.now();
  h.send(id, End::client, pattern(0, 300));
  h.run();
  BOOST_TEST(h.broker(id).received == pattern(0, 300), boost::test_tools::per_element());
  // Three 100-byte segments at 1000 B/s leave 100 ms apart, each arriving 10 ms later.
  BOOST_TEST_REQUIRE(h.broker(id).received_at.size() == 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    const auto expected = sent_at + Duration::from_ms(100 * static_cast<std::int64_t>(i + 1) + 10);
    BOOST_TEST((h.broker(id).received_at[i] == expected));
  }
}

BOOST_AUTO_TEST_CASE(segmentation_splits_writes_into_bounded_chunks) {
  Harness h{3};
  LinkParams p = plain(1);
  p.segment_bytes_min = 5;
  p.segment_bytes_max = 40;
  const ConnectionId id = h.connect("c", p);
  h.run();
  h.send(id, End::broker, pattern(0, 1'000));
  h.run();
  BOOST_TEST(h.client(id).received == pattern(0, 1'000), boost::test_tools::per_element());
  // Chunks between 5 and 40 bytes (the last may be shorter), of varying sizes.
  std::vector<std::size_t> sizes;
  for (const auto& e : h.trace.events()) {
    if (e.kind == EventKind::bytes) sizes.push_back(e.bytes.size());
  }
  BOOST_TEST(sizes.size() >= 25u);
  for (std::size_t i = 0; i + 1 < sizes.size(); ++i) {
    BOOST_TEST_REQUIRE((sizes[i] >= 5u && sizes[i] <= 40u));
  }
  BOOST_TEST(*std::min_element(sizes.begin(), sizes.end() - 1) <
             *std::max_element(sizes.begin(), sizes.end() - 1));
}

BOOST_AUTO_TEST_CASE(jitter_delays_but_never_reorders) {
  // Jitter 50x the latency: drawn independently, many segments would overtake
  // the ones before them; the stream must still arrive in order.
  Harness h{4};
  LinkParams p = plain(1);
  p.jitter = Duration::from_ms(50);
  p.segment_bytes_min = p.segment_bytes_max = 10;
  const ConnectionId id = h.connect("c", p);
  for (int i = 0; i < 100 && !h.client(id).opened; ++i) h.sim.step();
  const TimePoint sent_at = h.sim.now();
  h.send(id, End::client, pattern(0, 2'000));
  h.run();
  const Recorder& broker = h.broker(id);
  BOOST_TEST(broker.received == pattern(0, 2'000), boost::test_tools::per_element());
  BOOST_TEST_REQUIRE(broker.received_at.size() == 200u);
  BOOST_TEST(std::is_sorted(broker.received_at.begin(), broker.received_at.end()));
  // The jitter was real: deliveries spread beyond the bare latency.
  BOOST_TEST((broker.received_at.back() > sent_at + Duration::from_ms(30)));
}

BOOST_AUTO_TEST_CASE(loss_delays_bytes_and_blocks_the_segments_behind) {
  // 30% loss: some segments are retransmitted, so some chunks arrive long
  // after latency, and chunks arrive in bursts (held back, then released).
  Harness h{5};
  LinkParams p = plain(10);
  p.loss_ppm = 300'000;
  p.rto_initial = Duration::from_ms(200);
  p.max_retransmits = 20;
  p.segment_bytes_min = p.segment_bytes_max = 10;
  const ConnectionId id = h.connect("c", p);
  for (int i = 0; i < 100 && !h.client(id).opened; ++i) h.sim.step();
  BOOST_TEST_REQUIRE(h.client(id).opened);
  const TimePoint sent_at = h.sim.now();
  h.send(id, End::client, pattern(0, 500));
  h.run();
  const Recorder& broker = h.broker(id);
  BOOST_TEST(broker.received == pattern(0, 500), boost::test_tools::per_element());
  BOOST_TEST(!broker.closed.has_value());
  // Without loss everything would arrive at sent_at + 10 ms.
  BOOST_TEST((broker.received_at.back() >= sent_at + Duration::from_ms(210)));
  // Head-of-line blocking: some chunks were released together after a retransmission.
  std::size_t bursts = 0;
  for (std::size_t i = 1; i < broker.received_at.size(); ++i) {
    if (broker.received_at[i] == broker.received_at[i - 1] &&
        broker.received_at[i] > sent_at + Duration::from_ms(10)) {
      ++bursts;
    }
  }
  BOOST_TEST(bursts > 0u);
}

BOOST_AUTO_TEST_CASE(graceful_close_delivers_queued_bytes_first) {
  Harness h{7};
  LinkParams p = plain(5);
  p.loss_ppm = 100'000;
  p.max_retransmits = 20;
  p.segment_bytes_min = 1;
  p.segment_bytes_max = 50;
  const ConnectionId id = h.connect("c", p);
  for (int i = 0; i < 100 && !h.client(id).opened; ++i) h.sim.step();
  h.send(id, End::client, pattern(0, 2'000));
  h.network.close(id, End::client);
  BOOST_CHECK((h.network.send(id, End::client, pattern(0, 1)).error() == SendError::closed));
  h.run();
  BOOST_TEST(h.broker(id).received == pattern(0, 2'000), boost::test_tools::per_element());
  BOOST_TEST((h.broker(id).closed == CloseReason::peer_closed));
  BOOST_TEST(!h.client(id).closed.has_value());  // it closed itself: no callback
  BOOST_TEST(h.network.live_connections().empty());
}

BOOST_AUTO_TEST_CASE(abort_resets_the_peer_and_loses_bytes_in_flight) {
  Harness h{9};
  LinkParams p = plain(20);
  p.bandwidth_bytes_per_s = 10'000;
  const ConnectionId id = h.connect("c", p);
  h.run();
  h.send(id, End::broker, pattern(0, 5'000));  // 500 ms of serialisation
  h.sim.run_until(h.sim.now() + Duration::from_ms(200));
  h.network.abort(id, End::broker);
  h.run();
  BOOST_TEST((h.client(id).closed == CloseReason::reset));
  BOOST_TEST(!h.broker(id).closed.has_value());
  BOOST_TEST(h.client(id).received.size() < 5'000u);
  BOOST_TEST(is_prefix(h.client(id).received, pattern(0, 5'000)));
  BOOST_TEST(count(h.trace, EventKind::close) == 2u);
}

BOOST_AUTO_TEST_CASE(writing_to_an_aborted_peer_is_answered_with_a_reset) {
  // The RST of the abort is lost (partition); the client learns when it writes.
  Harness h{11};
  const ConnectionId id = h.connect("c", plain(5));
  h.run();
  h.network.partition({"c"});
  h.network.abort(id, End::broker);
  h.network.heal({"c"});
  h.run();
  BOOST_TEST(!h.client(id).closed.has_value());
  h.send(id, End::client, pattern(0, 10));
  h.run();
  BOOST_TEST((h.client(id).closed == CloseReason::reset));
  BOOST_TEST(h.broker(id).received.empty());
}

BOOST_AUTO_TEST_CASE(invalid_parameters_and_limits_are_typed_errors) {
  Harness h{1};
  LinkParams bad = plain(1);
  bad.segment_bytes_min = 0;
  BOOST_CHECK(
      (mqttsim::net::validate(bad) == mqttsim::net::LinkParamsError::segment_bounds_invalid));
  BOOST_CHECK(
      (h.network.connect("c", bad, {}).error() == mqttsim::net::ConnectError::invalid_link_params));
  bad = plain(1);
  bad.loss_ppm = 1'000'001;
  BOOST_CHECK(
      (mqttsim::net::validate(bad) == mqttsim::net::LinkParamsError::loss_above_one_million));
  bad = plain(-1);
  BOOST_CHECK((mqttsim::net::validate(bad) == mqttsim::net::LinkParamsError::latency_out_of_range));
  BOOST_CHECK(
      (h.network.send(999, End::client, pattern(0, 1)).error() == SendError::unknown_connection));

  mqttsim::kernel::Simulator sim;
  mqttsim::trace::Trace trace;
  mqttsim::net::Network small{sim, mqttsim::kernel::Rng{1}, trace, {1, 100}};
  small.listen([](ConnectionId, std::string_view) { return mqttsim::net::EndpointCallbacks{}; });
  const auto first = small.connect("a", plain(1), {});
  BOOST_TEST_REQUIRE(first.has_value());
  BOOST_CHECK((small.connect("b", plain(1), {}).error() ==
               mqttsim::net::ConnectError::too_many_connections));
  BOOST_TEST(sim.run(1'000).has_value());
  BOOST_TEST(small.send(*first, End::client, pattern(0, 100)).has_value());
  BOOST_CHECK((small.send(*first, End::client, pattern(0, 1)).error() == SendError::buffer_full));
}

BOOST_AUTO_TEST_SUITE_END()
