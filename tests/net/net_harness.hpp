#pragma once
// A Network with a recording broker and recording clients, for the net tests.

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kernel/rng.hpp"
#include "kernel/simulator.hpp"
#include "net/network.hpp"
#include "trace/trace.hpp"

namespace net_test {

using mqttsim::Duration;
using mqttsim::TimePoint;
using mqttsim::net::CloseReason;
using mqttsim::net::ConnectionId;
using mqttsim::net::End;

// What one end's application saw.
struct Recorder {
  bool opened = false;
  TimePoint opened_at;
  std::vector<std::uint8_t> received;
  std::vector<TimePoint> received_at;  // one per chunk
  std::optional<CloseReason> closed;
  TimePoint closed_at;
  int callbacks_after_close = 0;  // must stay 0
};

class Harness {
 public:
  explicit Harness(std::uint64_t seed)
      : network{sim, mqttsim::kernel::Rng{seed}.derive("network"), trace} {
    network.listen(
        [this](ConnectionId id, std::string_view) { return callbacks(broker_side[id]); });
  }

  mqttsim::net::EndpointCallbacks callbacks(Recorder& r) {
    mqttsim::net::EndpointCallbacks cb;
    cb.on_open = [this, &r] {
      if (r.closed) ++r.callbacks_after_close;
      r.opened = true;
      r.opened_at = sim.now();
    };
    cb.on_bytes = [this, &r](mqttsim::net::ByteView bytes) {
      if (r.closed) ++r.callbacks_after_close;
      r.received.insert(r.received.end(), bytes.begin(), bytes.end());
      r.received_at.push_back(sim.now());
    };
    cb.on_closed = [this, &r](CloseReason reason) {
      if (r.closed) ++r.callbacks_after_close;
      r.closed = reason;
      r.closed_at = sim.now();
    };
    return cb;
  }

  ConnectionId connect(const std::string& client, const mqttsim::net::LinkParams& params) {
    // The id is only known after connect returns: record into a fresh slot
    // and move it into place (no callback can run before connect returns).
    auto pending = std::make_unique<Recorder>();
    Recorder& r = *pending;
    auto id = network.connect(client, params, callbacks(r));
    BOOST_REQUIRE(id.has_value());
    pending_.push_back(std::move(pending));
    client_side_by_id[*id] = &r;
    return *id;
  }
  Recorder& client(ConnectionId id) { return *client_side_by_id.at(id); }
  Recorder& broker(ConnectionId id) { return broker_side[id]; }

  void send(ConnectionId id, End from, const std::vector<std::uint8_t>& bytes) {
    const auto sent = network.send(id, from, bytes);
    BOOST_REQUIRE(sent.has_value());
  }
  void run() {
    const auto result = sim.run(10'000'000);
    BOOST_REQUIRE(result.has_value());
  }

  mqttsim::kernel::Simulator sim;
  mqttsim::trace::Trace trace;
  mqttsim::net::Network network;
  std::map<ConnectionId, Recorder> broker_side;
  std::map<ConnectionId, Recorder*> client_side_by_id;

 private:
  std::vector<std::unique_ptr<Recorder>> pending_;
};

// Bytes whose value depends on their position, so a reorder, duplicate or
// gap changes the content.
inline std::vector<std::uint8_t> pattern(std::size_t offset, std::size_t length) {
  std::vector<std::uint8_t> bytes(length);
  for (std::size_t i = 0; i < length; ++i) {
    bytes[i] = static_cast<std::uint8_t>(((offset + i) * 131 + (offset + i) / 251) % 251);
  }
  return bytes;
}

inline bool is_prefix(const std::vector<std::uint8_t>& prefix,
                      const std::vector<std::uint8_t>& whole) {
  return prefix.size() <= whole.size() && std::equal(prefix.begin(), prefix.end(), whole.begin());
}

}  // namespace net_test
