#include "trace/trace.hpp"

#include <algorithm>
#include <cassert>
#include <span>
#include <stdexcept>

#include "base/hash64.hpp"

namespace mqttsim::trace {

void Trace::append(TraceEvent event) {
  assert(end_time_ <= event.time);
  end_time_ = event.time;
  if (level_ == Level::none || (level_ == Level::judged && !judged_event(event))) return;
  if (events_.size() >= events_max) throw std::length_error("trace: more than 50M events");
  events_.push_back(std::move(event));
}

std::string serialise(const Trace& trace) {
  std::string out;
  for (const TraceEvent& event : trace.events()) {
    render_to(out, event);
    out += '\n';
  }
  return out;
}

namespace {

// Little-endian at a fixed width, whatever the platform.
void hash_integer(Fnv1a64& hasher, std::uint64_t value, int width) {
  for (int i = 0; i < width; ++i) {
    hasher.update_byte(static_cast<std::uint8_t>(value & 0xff));
    value >>= 8;
  }
}

void hash_sized(Fnv1a64& hasher, std::span<const std::uint8_t> bytes) {
  hash_integer(hasher, bytes.size(), 4);
  for (const std::uint8_t byte : bytes) hasher.update_byte(byte);
}

void hash_sized(Fnv1a64& hasher, std::string_view text) {
  hash_integer(hasher, text.size(), 4);
  hasher.update(text);
}

// The canonical binary encoding of one event: every field in declaration
// order, enums as one byte, lengths (4 bytes) before strings and bytes.
void hash_event(Fnv1a64& hasher, const TraceEvent& event) {
  hash_integer(hasher, static_cast<std::uint64_t>(event.time.since_origin_us()), 8);
  hasher.update_byte(static_cast<std::uint8_t>(event.kind));
  hash_integer(hasher, event.connection, 8);
  hash_sized(hasher, event.actor);
  hasher.update_byte(static_cast<std::uint8_t>(event.direction));
  hasher.update_byte(static_cast<std::uint8_t>(event.fault));
  hasher.update_byte(static_cast<std::uint8_t>(event.close_reason));
  // The protocol level byte (4 or 5), 0 for none.
  hasher.update_byte(event.protocol ? static_cast<std::uint8_t>(*event.protocol) : std::uint8_t{0});
  hash_sized(hasher, event.detail);
  hash_sized(hasher, event.bytes);
  hasher.update_byte(static_cast<std::uint8_t>(event.mark));
  hash_integer(hasher, static_cast<std::uint64_t>(event.down_for.count_us()), 8);
}

}  // namespace

std::uint64_t hash(const Trace& trace) {
  Fnv1a64 hasher;
  for (const TraceEvent& event : trace.events()) hash_event(hasher, event);
  return hasher.value();
}

std::string hash_hex(std::uint64_t value) {
  constexpr char digits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = digits[value & 0xf];
    value >>= 4;
  }
  return out;
}

std::optional<TraceDifference> first_difference(const Trace& left, const Trace& right) {
  const std::size_t common = std::min(left.size(), right.size());
  for (std::size_t i = 0; i < common; ++i) {
    if (!(left[i] == right[i])) return TraceDifference{i, render(left[i]), render(right[i])};
  }
  if (left.size() == right.size()) return std::nullopt;
  const auto side = [common](const Trace& trace) {
    return common < trace.size() ? render(trace[common]) : std::string("<end of trace>");
  };
  return TraceDifference{common, side(left), side(right)};
}

}  // namespace mqttsim::trace
