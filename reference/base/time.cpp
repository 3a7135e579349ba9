#include "base/time.hpp"

#include <cstdio>
#include <ostream>

namespace mqttsim {

std::string to_string(Duration d) {
  std::int64_t us = d.count_us();
  const char* sign = "";
  if (us < 0) {
    sign = "-";
    us = -us;
  }
  char text[48];
  std::snprintf(text, sizeof text, "%s%lld.%06llds", sign, static_cast<long long>(us / 1'000'000),
                static_cast<long long>(us % 1'000'000));
  return text;
}

std::string to_string(TimePoint t) { return to_string(t - TimePoint::origin()); }

std::ostream& operator<<(std::ostream& out, Duration d) { return out << to_string(d); }
std::ostream& operator<<(std::ostream& out, TimePoint t) { return out << to_string(t); }

}  // namespace mqttsim
