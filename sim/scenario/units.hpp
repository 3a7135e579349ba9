#pragma once
// Quantities written with units in scenario files, parsed exactly from
// their decimal digits (no floating point): "1.5s" is 1,500,000 us whatever
// the platform.

#include <cstdint>
#include <string>
#include <string_view>

#include "base/expected.hpp"
#include "base/time.hpp"

namespace mqttsim::scenario {

// The longest duration a scenario may write (about 136 years, the largest
// MQTT interval in seconds), so sums of a bounded number of them never overflow.
inline constexpr Duration duration_limit = Duration::from_s(0xFFFF'FFFF);

// "250us", "500ms", "3s", "1.5s", "2m", "1h", or "0". A fraction must come
// to whole microseconds ("0.5us" is an error). The error says what is wrong.
Expected<Duration, std::string> parse_duration(std::string_view text);

// A loss rate: "1%", "0.25%", "2500ppm" or "0"; at most 100% (1,000,000 ppm).
Expected<std::uint32_t, std::string> parse_loss_ppm(std::string_view text);

}  // namespace mqttsim::scenario
