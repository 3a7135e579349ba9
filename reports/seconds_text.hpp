#pragma once
// Seconds as exact decimal text, the one number format both writers use for
// times: "12.5", "3.0", "0.000001", "-0.25". Built from integer microseconds
// with integer arithmetic, so it is exact, locale-independent and identical
// on every platform, and it is a valid JSON number and xs:decimal.

#include <cstdint>
#include <optional>
#include <string>

#include "base/time.hpp"

namespace mqttsim::reports {

// Whole seconds, a point and the fraction with trailing zeros trimmed (at
// least one digit after the point).
std::string seconds_text(Duration duration);

// A measured wall time rounded to whole microseconds; nothing when it is not
// a finite number or does not fit (|seconds| above about 292,000 years).
std::optional<Duration> wall_time(double seconds);

}  // namespace mqttsim::reports
