#pragma once
// Durations in the player's messages as a person writes them ("5s",
// "1.25s", "0.0005s"), not the trace's fixed six decimals.

#include <string>

#include "base/time.hpp"

namespace mqttsim::runner {

inline std::string short_text(Duration d) {
  std::string text = to_string(d);  // "-1.250000s"
  text.pop_back();                  // the unit
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text + "s";
}

inline std::string short_text(TimePoint t) { return short_text(t - TimePoint::origin()); }

}  // namespace mqttsim::runner
