// codec_bench: how fast the codec turns a typical PUBLISH into bytes and
// back, measured against a plain memcpy of the same bytes in the same run.
//
// Workload: PUBLISH QoS 1 with a realistic topic and a 64-byte payload, in
// 3.1.1 and in 5.0 (one user property, as telemetry often carries). Each
// row runs `iterations` operations, repeated `repeats` times, and reports
// the fastest repeat: on a shared machine other processes only ever add
// time, so the minimum is the steadiest estimate of the work itself. The ratio column is time per
// packet divided by the memcpy time per packet: how many memcpys of the packet one operation costs.
//
//   build/release/bin/codec_bench [ITERATIONS]   (default 2000000)

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "codec/codec.hpp"
#include "codec/packet_reader.hpp"

namespace {

using namespace mqttsim::codec;
using mqttsim::ProtocolVersion;
using Clock = std::chrono::steady_clock;

constexpr int repeats = 5;

// Tells the compiler that `pointer`'s memory is read and written here, so
// work that produced it cannot be optimised away.
inline void escape(const void* pointer) { asm volatile("" : : "g"(pointer) : "memory"); }

// Fewest nanoseconds per operation over `repeats` runs of about
// `iterations` operations; `run(n)` returns how many it actually did.
double best_ns_per_op(long iterations, const std::function<long(long)>& run) {
  std::vector<double> samples;
  run(iterations / 10);  // warm caches and the allocator
  for (int r = 0; r < repeats; ++r) {
    const auto start = Clock::now();
    const long done = run(iterations);
    const auto elapsed = std::chrono::duration<double, std::nano>(Clock::now() - start).count();
    samples.push_back(elapsed / static_cast<double>(done));
  }
  return *std::min_element(samples.begin(), samples.end());
}

Publish make_publish(ProtocolVersion version) {
  Publish publish;
  publish.qos = QoS::at_least_once;
  publish.topic = "factory/line-3/station-12/temperature";
  publish.packet_id = 4711;
  publish.payload.resize(64);
  for (std::size_t i = 0; i < publish.payload.size(); ++i) {
    publish.payload[i] = static_cast<std::uint8_t>('a' + i % 26);
  }
  if (version == ProtocolVersion::v5_0) publish.properties.user_properties = {{"unit", "C"}};
  return publish;
}

struct Row {
  std::string name;
  std::size_t bytes;
  double ns;
};

void print_table(const std::vector<Row>& rows, double memcpy_ns) {
  std::printf("%-34s %8s %12s %14s %10s %10s\n", "operation", "bytes", "ns/packet", "packets/s",
              "MB/s", "x memcpy");
  for (const Row& row : rows) {
    const double per_second = 1e9 / row.ns;
    std::printf("%-34s %8zu %12.1f %14.0f %10.0f %10.1f\n", row.name.c_str(), row.bytes, row.ns,
                per_second, per_second * static_cast<double>(row.bytes) / 1e6, row.ns / memcpy_ns);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const long iterations = argc > 1 ? std::atol(argv[1]) : 2'000'000;
  if (iterations < 10) {
    std::fprintf(stderr, "usage: codec_bench [ITERATIONS >= 10]\n");
    return 2;
  }

  std::printf("codec_bench: PUBLISH QoS 1, topic \"%s\", 64-byte payload\n",
              make_publish(ProtocolVersion::v3_1_1).topic.c_str());
  std::printf("%ld iterations per run, fastest of %d runs\n\n", iterations, repeats);

  for (const ProtocolVersion version : {ProtocolVersion::v3_1_1, ProtocolVersion::v5_0}) {
    const Packet packet = make_publish(version);
    const Bytes wire = encode(packet, version);
    const std::string tag{mqttsim::to_string(version)};
    auto check = decode(wire, version);
    if (!check || !(*check == packet)) {
      std::fprintf(stderr, "codec_bench: the %s packet does not round-trip\n", tag.c_str());
      return 1;
    }

    // Baseline: copy the encoded bytes, as any transport at least does.
    Bytes target(wire.size());
    const double memcpy_ns = best_ns_per_op(iterations, [&](long n) {
      for (long i = 0; i < n; ++i) {
        escape(wire.data());
        std::memcpy(target.data(), wire.data(), wire.size());
        escape(target.data());
      }
      return n;
    });

    // Encode into a reused buffer, as a connection's send path would.
    Bytes out;
    out.reserve(wire.size());
    const double encode_ns = best_ns_per_op(iterations, [&](long n) {
      for (long i = 0; i < n; ++i) {
        out.clear();
        escape(&packet);
        encode_to(packet, version, out);
        escape(out.data());
      }
      return n;
    });

    const double decode_ns = best_ns_per_op(iterations, [&](long n) {
      for (long i = 0; i < n; ++i) {
        escape(wire.data());
        auto decoded = decode(wire, version);
        escape(&decoded);
      }
      return n;
    });

    // The receive path: a stream of back-to-back packets through the
    // framer and decoder, fed in 1460-byte segments (a TCP MSS).
    constexpr std::size_t packets_per_stream = 1000;
    Bytes stream;
    for (std::size_t i = 0; i < packets_per_stream; ++i) encode_to(packet, version, stream);
    const double read_ns = best_ns_per_op(iterations, [&](long n) {
      const long streams = std::max(1L, n / static_cast<long>(packets_per_stream));
      for (long s = 0; s < streams; ++s) {
        PacketReader reader{version};
        for (std::size_t pos = 0; pos < stream.size(); pos += 1460) {
          reader.feed(
              ByteView{stream}.subspan(pos, std::min<std::size_t>(1460, stream.size() - pos)));
          for (auto result = reader.next(); !result.need_more(); result = reader.next()) {
            if (result.has_error()) std::abort();
            escape(&result.item());
          }
        }
      }
      return streams * static_cast<long>(packets_per_stream);
    });

    std::printf("MQTT %s, %zu-byte packet\n", tag.c_str(), wire.size());
    print_table({{"memcpy (baseline)", wire.size(), memcpy_ns},
                 {"encode_to (reused buffer)", wire.size(), encode_ns},
                 {"decode", wire.size(), decode_ns},
                 {"PacketReader (frame + decode)", wire.size(), read_ns}},
                memcpy_ns);
    std::printf("\n");
  }
  return 0;
}
