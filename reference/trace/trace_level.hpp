#pragma once
// How much of a run a trace keeps (`mqttsim run --trace`). A long run need
// not keep what every client saw: the oracle judges the broker from its own
// socket (oracle/observation.hpp), so `judged` keeps only that, and `none`
// keeps nothing, for a run that wants the steps' verdicts and no more.

#include <cstdint>
#include <optional>
#include <string_view>

#include "trace/trace_event.hpp"

namespace mqttsim::trace {

enum class Level : std::uint8_t {
  full,    // every event of every party: what --trace-dir and readers want
  judged,  // what the oracle reads (judged_event): the same verdicts
  none,    // nothing: the oracle has nothing to judge
};

// The actor name of the broker's own events.
inline constexpr std::string_view broker_actor = "broker";

// Whether the oracle reads `event`: every event of the broker (its packets,
// the bytes it received, its closes and restart notes), a broker_up fault
// whoever records it, and the note that says the trace was observed from
// outside (Mark::observed_from_outside). Keep in step with oracle::observe();
// tests/oracle/st_trace_levels.cpp plays the whole library both ways.
bool judged_event(const TraceEvent& event);

std::string_view to_string(Level level);
// "full", "judged" or "none".
std::optional<Level> parse_level(std::string_view text);

}  // namespace mqttsim::trace
