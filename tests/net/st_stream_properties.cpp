// Property tests over many seeds: random link parameters, random writes in
// both directions, and sometimes a reset or a half-open fault.
#include <boost/test/unit_test.hpp>

#include "net/net_harness.hpp"

using namespace net_test;
using mqttsim::kernel::Rng;
using mqttsim::net::EndState;
using mqttsim::net::LinkParams;

namespace {

Duration us(std::uint64_t value) { return Duration::from_us(static_cast<std::int64_t>(value)); }

LinkParams random_params(Rng& draw) {
  LinkParams p;
  p.latency = us(draw.uniform(0, 50'000));
  p.jitter = us(draw.uniform(0, 20'000));
  p.bandwidth_bytes_per_s = draw.chance(500'000) ? 0 : draw.uniform(10'000, 10'000'000);
  p.loss_ppm = static_cast<std::uint32_t>(draw.uniform(0, 50'000));
  p.segment_bytes_min = static_cast<std::uint32_t>(draw.uniform(1, 200));
  p.segment_bytes_max = static_cast<std::uint32_t>(draw.uniform(p.segment_bytes_min, 2'000));
  p.rto_initial = us(draw.uniform(10'000, 200'000));
  p.rto_max = Duration::from_s(10);
  p.max_retransmits = static_cast<std::uint32_t>(draw.uniform(4, 10));
  return p;
}

enum class FaultChoice { none, reset, half_open, graceful_close };

struct Outcome {
  FaultChoice fault = FaultChoice::none;
  bool fault_hit_open_connection = false;
  bool timed_out = false;
  bool peer_closed = false;  // the broker heard a graceful close
};

Outcome run_one_seed(std::uint64_t seed) {
  Harness h{seed};
  Rng draw = Rng{seed}.derive("test");
  const LinkParams params = random_params(draw);
  const ConnectionId id = h.connect("client-" + std::to_string(seed), params);

  // Step until the handshake is over (bounded: the SYN gives up after
  // max_retransmits).
  for (int i = 0; i < 1'000 && !h.client(id).opened && !h.client(id).closed; ++i) h.sim.step();
  BOOST_REQUIRE(h.client(id).opened);
  const TimePoint start = h.sim.now();

  // Writes at random times in both directions; only what was accepted counts.
  std::vector<std::uint8_t> sent[2];
  std::vector<TimePoint> write_times[2];
  for (const End from : {End::client, End::broker}) {
    const auto writes = draw.uniform(1, 30);
    for (std::uint64_t w = 0; w < writes; ++w) {
      const TimePoint at = start + us(draw.uniform(0, 2'000'000));
      const auto length = static_cast<std::size_t>(draw.uniform(1, 5'000));
      const auto slot = static_cast<std::size_t>(from);
      h.sim.schedule_at(at, [&h, &sent, &write_times, id, from, length, slot] {
        if (h.network.state(id, from) != EndState::open) return;
        const auto bytes = pattern(sent[slot].size(), length);
        h.send(id, from, bytes);
        sent[slot].insert(sent[slot].end(), bytes.begin(), bytes.end());
        write_times[slot].push_back(h.sim.now());
      });
    }
  }

  Outcome outcome;
  // Half the runs see no fault; the rest a reset, a half-open link or a
  // graceful close by the client.
  outcome.fault =
      draw.chance(500'000) ? FaultChoice::none : static_cast<FaultChoice>(draw.uniform(1, 3));
  const TimePoint fault_at = start + us(draw.uniform(0, 3'000'000));
  const Duration client_delay = us(draw.uniform(0, 50'000));
  const Duration broker_delay = us(draw.uniform(0, 50'000));
  const End learner = draw.chance(500'000) ? End::client : End::broker;
  if (outcome.fault != FaultChoice::none) {
    h.sim.schedule_at(fault_at, [&] {
      outcome.fault_hit_open_connection = h.network.state(id, End::client) == EndState::open &&
                                          h.network.state(id, End::broker) == EndState::open;
      if (outcome.fault == FaultChoice::reset) {
        h.network.reset(id, client_delay, broker_delay);
      } else if (outcome.fault == FaultChoice::half_open) {
        h.network.half_open(id, learner);
      } else {
        h.network.close(id, End::client);
      }
    });
  }
  h.run();

  Recorder& client = h.client(id);
  Recorder& broker = h.broker(id);
  BOOST_TEST_CONTEXT("seed " << seed << " params " << mqttsim::net::describe(params)) {
    BOOST_TEST(client.callbacks_after_close == 0);
    BOOST_TEST(broker.callbacks_after_close == 0);
    // Never reordered or duplicated: what arrived is a prefix of what was sent.
    BOOST_TEST(is_prefix(broker.received, sent[0]));
    BOOST_TEST(is_prefix(client.received, sent[1]));
    // Never lost while both ends stay open.
    if (!client.closed && !broker.closed) {
      BOOST_TEST(broker.received.size() == sent[0].size());
      BOOST_TEST(client.received.size() == sent[1].size());
    }
    outcome.timed_out =
        client.closed == CloseReason::timeout || broker.closed == CloseReason::timeout;
    if (outcome.fault_hit_open_connection && outcome.fault == FaultChoice::reset) {
      // Both ends learn, each after its own delay.
      BOOST_TEST((client.closed == CloseReason::reset));
      BOOST_TEST((broker.closed == CloseReason::reset));
      BOOST_TEST((client.closed_at == fault_at + client_delay));
      BOOST_TEST((broker.closed_at == fault_at + broker_delay));
    }
    if (outcome.fault_hit_open_connection && outcome.fault == FaultChoice::half_open) {
      Recorder& knows = learner == End::client ? client : broker;
      Recorder& unaware = learner == End::client ? broker : client;
      const auto& unaware_writes = write_times[learner == End::client ? 1 : 0];
      BOOST_TEST((knows.closed == CloseReason::reset));
      BOOST_TEST((knows.closed_at == fault_at));
      // The other end hears nothing; if it wrote after the fault, its writes
      // vanished and its retransmissions eventually ran out.
      const bool wrote_after = std::any_of(unaware_writes.begin(), unaware_writes.end(),
                                           [&](TimePoint t) { return t >= fault_at; });
      if (wrote_after) {
        BOOST_TEST((unaware.closed == CloseReason::timeout));
      } else {
        BOOST_TEST(!unaware.closed.has_value());
      }
    }
    if (outcome.fault_hit_open_connection && outcome.fault == FaultChoice::graceful_close) {
      BOOST_TEST(!client.closed.has_value());  // it closed itself
      // The broker hears of the close after every byte, unless it was
      // reset first (its own writes hit the closed client) or timed out.
      BOOST_TEST_REQUIRE(broker.closed.has_value());
      if (broker.closed == CloseReason::peer_closed) {
        outcome.peer_closed = true;
        BOOST_TEST(broker.received.size() == sent[0].size());
      } else {
        BOOST_TEST((broker.closed == CloseReason::reset || broker.closed == CloseReason::timeout));
      }
    }
    // The trace's clock never goes backwards.
    for (std::size_t i = 1; i < h.trace.size(); ++i) {
      BOOST_TEST_REQUIRE((h.trace[i - 1].time <= h.trace[i].time));
    }
  }
  return outcome;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_stream_properties)

BOOST_AUTO_TEST_CASE(streams_stay_ordered_complete_or_prefix_over_200_seeds) {
  int clean = 0, resets = 0, half_opens = 0, closes = 0, peer_closed = 0;
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    const Outcome outcome = run_one_seed(seed);
    if (!outcome.fault_hit_open_connection) ++clean;
    if (outcome.fault_hit_open_connection && outcome.fault == FaultChoice::reset) ++resets;
    if (outcome.fault_hit_open_connection && outcome.fault == FaultChoice::half_open) ++half_opens;
    if (outcome.fault_hit_open_connection && outcome.fault == FaultChoice::graceful_close) ++closes;
    if (outcome.peer_closed) ++peer_closed;
  }
  // Every kind of run was exercised (exact split depends on the fixed seeds).
  BOOST_TEST(clean > 20);
  BOOST_TEST(resets > 20);
  BOOST_TEST(half_opens > 20);
  BOOST_TEST(closes > 20);
  BOOST_TEST(peer_closed > 10);
  BOOST_TEST_MESSAGE("clean " << clean << ", resets " << resets << ", half-opens " << half_opens
                              << ", graceful closes " << closes << " (" << peer_closed
                              << " heard as peer_closed)");
}

BOOST_AUTO_TEST_SUITE_END()
