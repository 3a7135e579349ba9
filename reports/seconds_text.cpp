#include "reports/seconds_text.hpp"

#include <cmath>

namespace mqttsim::reports {

std::string seconds_text(Duration duration) {
  const std::int64_t us = duration.count_us();
  // The magnitude in unsigned arithmetic, so INT64_MIN has one too.
  const std::uint64_t magnitude =
      us < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(us) : static_cast<std::uint64_t>(us);
  std::string fraction = std::to_string(magnitude % 1'000'000);
  fraction.insert(0, 6 - fraction.size(), '0');
  while (fraction.size() > 1 && fraction.back() == '0') fraction.pop_back();
  return (us < 0 ? "-" : "") + std::to_string(magnitude / 1'000'000) + "." + fraction;
}

std::optional<Duration> wall_time(double seconds) {
  const double us = std::round(seconds * 1e6);
  // 9.2e18 is just below INT64_MAX (9.22e18): the cast below is defined.
  if (!std::isfinite(us) || std::fabs(us) > 9.2e18) return std::nullopt;
  return Duration::from_us(static_cast<std::int64_t>(us));
}

}  // namespace mqttsim::reports
