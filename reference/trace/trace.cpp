#include "trace/trace.hpp"

#include <algorithm>
#include <cassert>
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

std::uint64_t hash(const Trace& trace) {
  Fnv1a64 hasher;
  std::string line;
  for (const TraceEvent& event : trace.events()) {
    line.clear();
    render_to(line, event);
    hasher.update(line);
    hasher.update_byte('\n');
  }
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
