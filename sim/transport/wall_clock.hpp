#pragma once
// Real time as the sans-I/O core understands it: microseconds since the
// clock was made. Only the real-TCP drivers (sim/transport) read it.

#include <chrono>

#include "base/time.hpp"

namespace mqttsim::transport {

class WallClock {
 public:
  WallClock() : start_{std::chrono::steady_clock::now()} {}

  TimePoint now() const {
    const auto elapsed = std::chrono::steady_clock::now() - start_;
    return TimePoint::from_us(
        std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count());
  }

  std::chrono::steady_clock::time_point to_steady(TimePoint t) const {
    return start_ + std::chrono::microseconds{t.since_origin_us()};
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

}  // namespace mqttsim::transport
