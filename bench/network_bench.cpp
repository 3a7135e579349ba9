// Simulated bytes delivered per second of wall time through a lossy,
// segmented link (1% loss, 64..1460-byte segments, jitter), against a
// baseline of the same bytes through a lossless link that sends each write
// as one segment. Both runs record the full trace, as a real run does.
//
//   build/release/bin/network_bench [mebibytes]

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "kernel/rng.hpp"
#include "kernel/simulator.hpp"
#include "net/network.hpp"
#include "trace/trace.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using mqttsim::Duration;
using mqttsim::TimePoint;
namespace net = mqttsim::net;

struct Result {
  double wall_s = 0;
  std::uint64_t delivered = 0;
  std::size_t chunks = 0;  // on_bytes calls
  TimePoint simulated_end;
};

Result run(const net::LinkParams& params, std::size_t total_bytes) {
  mqttsim::kernel::Simulator sim;
  mqttsim::trace::Trace trace;
  net::Network network{sim, mqttsim::kernel::Rng{1}.derive("network"), trace};
  Result result;
  network.listen([&](net::ConnectionId, std::string_view) {
    net::EndpointCallbacks broker;
    broker.on_bytes = [&](net::ByteView bytes) {
      result.delivered += bytes.size();
      ++result.chunks;
    };
    return broker;
  });
  constexpr std::size_t write_bytes = 16 * 1024;
  const std::vector<std::uint8_t> chunk(write_bytes, 0x5a);
  std::size_t written = 0;
  net::ConnectionId id = 0;
  // One 16 KiB write per simulated millisecond once the connection is open.
  std::function<void()> writer = [&] {
    if (written >= total_bytes) return;
    if (network.send(id, net::End::client, chunk).has_value()) written += write_bytes;
    sim.schedule_after(Duration::from_ms(1), writer);
  };
  net::EndpointCallbacks client;
  client.on_open = [&] { writer(); };
  id = *network.connect("bench", params, std::move(client));

  const auto start = Clock::now();
  const auto done = sim.run(100'000'000);
  result.wall_s = std::chrono::duration<double>(Clock::now() - start).count();
  result.simulated_end = sim.now();
  if (!done.has_value() || result.delivered != written) {
    std::fprintf(stderr, "run did not deliver everything: %llu of %zu bytes\n",
                 static_cast<unsigned long long>(result.delivered), written);
    std::exit(1);
  }
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t mebibytes = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 16;
  const std::size_t total = mebibytes << 20;

  net::LinkParams lossy;
  lossy.latency = Duration::from_ms(10);
  lossy.jitter = Duration::from_ms(2);
  lossy.loss_ppm = 10'000;  // 1%
  lossy.segment_bytes_min = 64;
  lossy.segment_bytes_max = 1'460;
  lossy.max_retransmits = 15;

  net::LinkParams lossless;
  lossless.latency = Duration::from_ms(10);
  lossless.segment_bytes_min = lossless.segment_bytes_max = 65'536;  // one segment per write

  // The same segmentation without loss or jitter: separates the cost of
  // cutting writes into segments from the cost of losing them.
  net::LinkParams segmented = lossless;
  segmented.segment_bytes_min = lossy.segment_bytes_min;
  segmented.segment_bytes_max = lossy.segment_bytes_max;

  Result best_lossy;
  Result best_segmented;
  Result best_lossless;
  for (int round = 0; round < 3; ++round) {
    const Result a = run(lossy, total);
    const Result b = run(lossless, total);
    const Result c = run(segmented, total);
    if (round == 0 || a.wall_s < best_lossy.wall_s) best_lossy = a;
    if (round == 0 || b.wall_s < best_lossless.wall_s) best_lossless = b;
    if (round == 0 || c.wall_s < best_segmented.wall_s) best_segmented = c;
  }
  const auto rate = [](const Result& r) { return static_cast<double>(r.delivered) / r.wall_s; };
  std::printf("%zu MiB client->broker in 16 KiB writes, best of 3\n", mebibytes);
  std::printf("%-34s %14s %10s %12s\n", "link", "MiB/s (wall)", "chunks", "sim time");
  std::printf("%-34s %14.1f %10zu %12s\n", "lossy: 1% loss, 64..1460 B, jitter",
              rate(best_lossy) / (1 << 20), best_lossy.chunks,
              mqttsim::to_string(best_lossy.simulated_end).c_str());
  std::printf("%-34s %14.1f %10zu %12s\n", "baseline: lossless, unsegmented",
              rate(best_lossless) / (1 << 20), best_lossless.chunks,
              mqttsim::to_string(best_lossless.simulated_end).c_str());
  std::printf("%-34s %14.1f %10zu %12s\n", "(lossless, 64..1460 B segments)",
              rate(best_segmented) / (1 << 20), best_segmented.chunks,
              mqttsim::to_string(best_segmented.simulated_end).c_str());
  std::printf("ratio lossy / baseline: %.3f (lossy / lossless segmented: %.3f)\n",
              rate(best_lossy) / rate(best_lossless), rate(best_lossy) / rate(best_segmented));
  return 0;
}
