#pragma once
// An append-only record of a run, its canonical text, its hash, and where two
// runs part ways (for --check-determinism).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "trace/trace_event.hpp"
#include "trace/trace_level.hpp"

namespace mqttsim::trace {

class Trace {
 public:
  // TigerBeetle style: a run that records more than this is a runaway.
  static constexpr std::size_t events_max = 50'000'000;

  Trace() = default;
  explicit Trace(Level level) : level_{level} {}

  // Keeps `event` if the level wants it (trace_level.hpp). Throws
  // std::length_error past events_max. Asserts that time never goes
  // backwards: events are recorded as they happen.
  void append(TraceEvent event);

  Level level() const { return level_; }
  // The time of the last event offered, kept or not: when the recorded run
  // ended, the same at every level.
  TimePoint end_time() const { return end_time_; }
  // Whether events of a client (not the broker) are kept: a recorder may
  // skip rendering them when not.
  bool keeps_client_events() const { return level_ == Level::full; }

  const std::vector<TraceEvent>& events() const { return events_; }
  std::size_t size() const { return events_.size(); }
  bool empty() const { return events_.empty(); }
  const TraceEvent& operator[](std::size_t index) const { return events_[index]; }

 private:
  Level level_ = Level::full;
  TimePoint end_time_;
  std::vector<TraceEvent> events_;
};

// One rendered event per line, each ending in '\n'.
std::string serialise(const Trace& trace);

// FNV-1a 64 over a canonical binary encoding of the events (every field in
// declaration order at a fixed width, little-endian, lengths before strings
// and bytes; a packet by its bytes, not its rendered description): the same
// value on every compiler, standard library and optimisation level, without
// rendering any text.
std::uint64_t hash(const Trace& trace);
// 16 lowercase hex digits.
std::string hash_hex(std::uint64_t hash);

struct TraceDifference {
  std::size_t index = 0;  // the first event that differs
  std::string left;       // its rendering in each trace, or "<end of trace>"
  std::string right;
};

// The first index at which the traces differ, or nullopt when they are equal.
// A trace that is a strict prefix of the other differs at its end.
std::optional<TraceDifference> first_difference(const Trace& left, const Trace& right);

}  // namespace mqttsim::trace
