#include "trace/trace_level.hpp"

namespace mqttsim::trace {

bool judged_event(const TraceEvent& event) {
  if (event.actor == broker_actor) return true;
  if (event.kind == EventKind::fault) return event.fault == FaultKind::broker_up;
  return event.mark == Mark::observed_from_outside;
}

std::string_view to_string(Level level) {
  switch (level) {
    case Level::full:
      return "full";
    case Level::judged:
      return "judged";
    case Level::none:
      return "none";
  }
  return "full";
}

std::optional<Level> parse_level(std::string_view text) {
  for (const Level level : {Level::full, Level::judged, Level::none}) {
    if (text == to_string(level)) return level;
  }
  return std::nullopt;
}

}  // namespace mqttsim::trace
