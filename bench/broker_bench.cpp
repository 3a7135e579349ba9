// broker_bench: the reference broker's two costs that matter at scale.
//
// 1. Routing. One publisher, 1,000 subscribers whose filters overlap
//    ("plant/+/temp" and "plant/#" each, merged into one copy per the
//    profile), QoS 1, every delivery acknowledged. Reported as deliveries per
//    second, next to the baseline of the same number of PUBLISH packets
//    merely encoded (the unavoidable part of a delivery) in the same run.
// 2. Memory of an idle persistent session with 10 subscriptions and 100
//    queued 64-byte messages (each session its own messages), measured by
//    counting live heap bytes, next to the bytes of the raw content (topics,
//    filters, payloads) those sessions hold.
//
//   build/release/bin/broker_bench [MESSAGES]   (default 2000)

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "broker/broker.hpp"
#include "codec/codec.hpp"
#include "idle_sessions.hpp"

namespace {

using namespace mqttsim;
using namespace mqttsim::codec;
using Clock = std::chrono::steady_clock;

inline void escape(const void* pointer) { asm volatile("" : : "g"(pointer) : "memory"); }

struct Fixture {
  broker::VolatileStore store;
  broker::AllowEveryone everyone;
  broker::Broker broker{Profile{}, store, everyone, TimePoint::origin()};

  broker::ConnectionId open(const std::string& client_id, bool clean, ProtocolVersion version) {
    const auto id = broker.accept(client_id, TimePoint::origin());
    Connect connect{
        .version = version, .clean_start = clean, .keep_alive_s = 0, .client_id = client_id};
    if (version == ProtocolVersion::v5_0 && !clean)
      connect.properties.session_expiry_interval = 0xFFFFFFFF;
    broker.receive(id, encode(connect, version), TimePoint::origin());
    return id;
  }
};

// The packet id of a QoS 1 PUBLISH as the broker encoded it (3.1.1).
std::uint16_t packet_id_of(const Bytes& publish) {
  std::size_t at = 1;
  while (publish[at] & 0x80) ++at;  // remaining length
  ++at;
  const std::size_t topic_length = std::size_t{publish[at]} << 8 | publish[at + 1];
  at += 2 + topic_length;
  return static_cast<std::uint16_t>(publish[at] << 8 | publish[at + 1]);
}

void routing(long messages) {
  constexpr int subscribers = 1000;
  const auto v = ProtocolVersion::v3_1_1;
  Fixture f;
  std::vector<broker::ConnectionId> connections;
  for (int i = 0; i < subscribers; ++i) {
    const auto id = f.open("sub-" + std::to_string(i), true, v);
    Subscribe subscribe{
        .packet_id = 1,
        .properties = {},
        .subscriptions = {{.topic_filter = "plant/+/temp", .max_qos = QoS::at_least_once},
                          {.topic_filter = "plant/#", .max_qos = QoS::at_least_once}}};
    f.broker.receive(id, encode(subscribe, v), TimePoint::origin());
    connections.push_back(id);
  }
  const auto publisher = f.open("publisher", true, v);
  f.broker.take_outputs();

  Publish publish{.qos = QoS::at_least_once,
                  .topic = "plant/line-3/temp",
                  .packet_id = 1,
                  .payload = Bytes(64, 'x')};
  long deliveries = 0;
  const auto start = Clock::now();
  for (long m = 0; m < messages; ++m) {
    publish.packet_id = static_cast<std::uint16_t>(m % 65535 + 1);
    f.broker.receive(publisher, encode(publish, v), TimePoint::origin());
    for (broker::Output& output : f.broker.take_outputs()) {
      auto* send = std::get_if<broker::SendBytes>(&output);
      if (send == nullptr || send->type != PacketType::publish) continue;
      ++deliveries;
      const std::uint16_t id = packet_id_of(send->bytes);
      const std::uint8_t puback[] = {0x40, 0x02, static_cast<std::uint8_t>(id >> 8),
                                     static_cast<std::uint8_t>(id)};
      f.broker.receive(send->connection, puback, TimePoint::origin());
    }
    f.broker.take_outputs();
  }
  const double routed_s = std::chrono::duration<double>(Clock::now() - start).count();

  // Baseline: encode as many PUBLISH packets as were delivered.
  Bytes buffer;
  const auto base_start = Clock::now();
  for (long d = 0; d < deliveries; ++d) {
    buffer.clear();
    publish.packet_id = static_cast<std::uint16_t>(d % 65535 + 1);
    encode_to(publish, v, buffer);
    escape(buffer.data());
  }
  const double encode_s = std::chrono::duration<double>(Clock::now() - base_start).count();

  const double routed_rate = static_cast<double>(deliveries) / routed_s;
  const double encode_rate = static_cast<double>(deliveries) / encode_s;
  std::printf("routing: 1 publisher -> %d subscribers (2 overlapping filters each), QoS 1, acked\n",
              subscribers);
  std::printf("  %-34s %12.0f deliveries/s (%ld messages, %ld deliveries)\n",
              "broker (route+send+ack)", routed_rate, messages, deliveries);
  std::printf("  %-34s %12.0f packets/s\n", "baseline: encode PUBLISH only", encode_rate);
  std::printf("  %-34s %12.3f\n", "ratio broker / baseline", routed_rate / encode_rate);
  std::printf("  %-34s %12.0f messages/s\n", "published messages routed",
              static_cast<double>(messages) / routed_s);
}

void idle_session_memory() {
  const bench::IdleSessionShape shape{};
  const bench::IdleSessionCost cost = bench::measure_idle_sessions(shape);
  std::printf(
      "memory: %d idle persistent sessions, %d subscriptions and %d queued %zu-byte messages "
      "each\n",
      shape.sessions, shape.filters_per_session, shape.queued_per_session, shape.payload_bytes);
  std::printf("  %-34s %12.0f bytes\n", "heap per session", cost.heap_per_session);
  std::printf("  %-34s %12.0f bytes\n", "baseline: raw content per session", cost.raw_per_session);
  std::printf("  %-34s %12.3f\n", "ratio heap / raw content",
              cost.heap_per_session / cost.raw_per_session);
}

}  // namespace

int main(int argc, char** argv) {
  const long messages = argc > 1 ? std::atol(argv[1]) : 2000;
  routing(messages);
  idle_session_memory();
  return 0;
}
