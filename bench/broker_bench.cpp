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

#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "broker/broker.hpp"
#include "codec/codec.hpp"

namespace {
std::size_t live_heap_bytes = 0;
}  // namespace

// Counts live heap bytes for the memory figure (malloc_usable_size: what
// each allocation really costs, allocator rounding included).
void* operator new(std::size_t size) {
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) throw std::bad_alloc{};
  live_heap_bytes += malloc_usable_size(p);
  return p;
}
void operator delete(void* p) noexcept {
  if (p == nullptr) return;
  live_heap_bytes -= malloc_usable_size(p);
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept { operator delete(p); }

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
  constexpr int sessions = 1000;
  constexpr int filters_per_session = 10;
  constexpr int queued_per_session = 100;
  const auto v = ProtocolVersion::v3_1_1;
  Fixture f;
  const auto publisher = f.open("publisher", true, v);
  f.broker.take_outputs();

  const std::size_t before = live_heap_bytes;
  std::size_t raw_bytes = 0;
  for (int s = 0; s < sessions; ++s) {
    const std::string client = "device-" + std::to_string(s);
    const auto id = f.open(client, false, v);
    Subscribe subscribe{.packet_id = 1};
    for (int k = 0; k < filters_per_session; ++k) {
      subscribe.subscriptions.push_back(
          {.topic_filter = "site/" + client + "/f" + std::to_string(k),
           .max_qos = QoS::at_least_once});
      raw_bytes += subscribe.subscriptions.back().topic_filter.size();
    }
    f.broker.receive(id, encode(subscribe, v), TimePoint::origin());
    f.broker.connection_lost(id, TimePoint::origin());
    raw_bytes += client.size();
  }
  std::uint16_t packet_id = 1;
  for (int s = 0; s < sessions; ++s) {
    const std::string topic = "site/device-" + std::to_string(s) + "/f0";
    for (int q = 0; q < queued_per_session; ++q) {
      Publish publish{.qos = QoS::at_least_once,
                      .topic = topic,
                      .packet_id = packet_id,
                      .payload = Bytes(64, static_cast<std::uint8_t>('a' + q % 26))};
      packet_id = static_cast<std::uint16_t>(packet_id % 65535 + 1);
      f.broker.receive(publisher, encode(publish, v), TimePoint::origin());
      f.broker.take_outputs();
      raw_bytes += topic.size() + 64;
    }
  }
  const std::size_t after = live_heap_bytes;
  const double per_session = static_cast<double>(after - before) / sessions;
  const double raw_per_session = static_cast<double>(raw_bytes) / sessions;
  std::printf(
      "memory: %d idle persistent sessions, %d subscriptions and %d queued 64-byte messages each\n",
      sessions, filters_per_session, queued_per_session);
  std::printf("  %-34s %12.0f bytes\n", "heap per session", per_session);
  std::printf("  %-34s %12.0f bytes\n", "baseline: raw content per session", raw_per_session);
  std::printf("  %-34s %12.3f\n", "ratio heap / raw content", per_session / raw_per_session);
}

}  // namespace

int main(int argc, char** argv) {
  const long messages = argc > 1 ? std::atol(argv[1]) : 2000;
  routing(messages);
  idle_session_memory();
  return 0;
}
