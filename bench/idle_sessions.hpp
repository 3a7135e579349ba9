#pragma once
// What an idle persistent session costs the reference broker, against the
// raw content it holds (client id, filters, queued topics and payloads):
// sessions are made through the broker's own packets, then their
// connections drop and messages queue for them, and the live heap bytes
// are counted before and after.
//
// Counting replaces the global operator new and delete, so this header is
// included by exactly one source file of a benchmark executable. The count
// runs only inside measure_idle_sessions(); elsewhere the replacement costs
// one test of a flag per allocation.

#include <malloc.h>

#include <cstdlib>
#include <new>
#include <string>

#include "broker/broker.hpp"
#include "codec/codec.hpp"

namespace mqttsim::bench {

inline bool counting_heap = false;
inline std::size_t live_heap_bytes = 0;

}  // namespace mqttsim::bench

// Live heap bytes by malloc_usable_size: what each allocation really costs,
// allocator rounding included.
void* operator new(std::size_t size) {
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) throw std::bad_alloc{};
  if (mqttsim::bench::counting_heap) mqttsim::bench::live_heap_bytes += malloc_usable_size(p);
  return p;
}
void operator delete(void* p) noexcept {
  if (p == nullptr) return;
  if (mqttsim::bench::counting_heap) mqttsim::bench::live_heap_bytes -= malloc_usable_size(p);
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept { operator delete(p); }

namespace mqttsim::bench {

struct IdleSessionShape {
  int sessions = 1000;
  int filters_per_session = 10;
  int queued_per_session = 100;
  std::size_t payload_bytes = 64;
};

struct IdleSessionCost {
  double heap_per_session = 0;  // bytes
  double raw_per_session = 0;   // bytes of client id, filters, topics and payloads
};

// 3.1.1 sessions (clean session 0) "device-N", each with its filters
// "site/device-N/fK" at QoS 1 and its queue of QoS 1 messages on its first
// filter's topic, published by one other client.
inline IdleSessionCost measure_idle_sessions(const IdleSessionShape& shape) {
  using namespace mqttsim::codec;
  const auto v = ProtocolVersion::v3_1_1;
  broker::VolatileStore store;
  broker::AllowEveryone everyone;
  broker::Broker broker{Profile{}, store, everyone, TimePoint::origin()};
  const auto open = [&](const std::string& client_id, bool clean) {
    const auto id = broker.accept(client_id, TimePoint::origin());
    const Connect connect{
        .version = v, .clean_start = clean, .keep_alive_s = 0, .client_id = client_id};
    broker.receive(id, encode(connect, v), TimePoint::origin());
    return id;
  };
  const auto publisher = open("publisher", true);
  broker.take_outputs();

  counting_heap = true;
  live_heap_bytes = 0;
  std::size_t raw_bytes = 0;
  for (int s = 0; s < shape.sessions; ++s) {
    const std::string client = "device-" + std::to_string(s);
    const auto id = open(client, false);
    Subscribe subscribe{.packet_id = 1};
    for (int k = 0; k < shape.filters_per_session; ++k) {
      subscribe.subscriptions.push_back(
          {.topic_filter = "site/" + client + "/f" + std::to_string(k),
           .max_qos = QoS::at_least_once});
      raw_bytes += subscribe.subscriptions.back().topic_filter.size();
    }
    broker.receive(id, encode(subscribe, v), TimePoint::origin());
    broker.connection_lost(id, TimePoint::origin());
    broker.take_outputs();
    raw_bytes += client.size();
  }
  std::uint16_t packet_id = 1;
  for (int s = 0; s < shape.sessions; ++s) {
    const std::string topic = "site/device-" + std::to_string(s) + "/f0";
    for (int q = 0; q < shape.queued_per_session; ++q) {
      const Publish publish{
          .qos = QoS::at_least_once,
          .topic = topic,
          .packet_id = packet_id,
          .payload = Bytes(shape.payload_bytes, static_cast<std::uint8_t>('a' + q % 26))};
      packet_id = static_cast<std::uint16_t>(packet_id % 65535 + 1);
      broker.receive(publisher, encode(publish, v), TimePoint::origin());
      broker.take_outputs();
      raw_bytes += topic.size() + shape.payload_bytes;
    }
  }
  const std::size_t held = live_heap_bytes;
  counting_heap = false;
  return {.heap_per_session = static_cast<double>(held) / shape.sessions,
          .raw_per_session = static_cast<double>(raw_bytes) / shape.sessions};
}

}  // namespace mqttsim::bench
