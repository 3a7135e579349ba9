#pragma once
// `mqttsim check --time-scale X`: scenario time runs X times as fast as real
// time (X > 1 compresses a scenario's waits, X < 1 stretches them). Kept in
// thousandths so the mapping is exact integer arithmetic. Rounding goes the
// safe way: a scenario moment maps to the first real microsecond at or
// after it, and a real moment to the last scenario microsecond at or before
// it, so waiting for the real image of a deadline always reaches the
// deadline.

#include <cstdint>
#include <stdexcept>

#include "base/time.hpp"

namespace mqttsim::runner {

class TimeScale {
 public:
  static constexpr std::uint32_t real_time = 1'000;          // X = 1
  static constexpr std::uint32_t per_mille_min = 1;          // X = 0.001
  static constexpr std::uint32_t per_mille_max = 1'000'000;  // X = 1000

  TimeScale() = default;  // real time
  explicit TimeScale(std::uint32_t per_mille) : per_mille_{per_mille} {
    if (per_mille < per_mille_min || per_mille > per_mille_max) {
      throw std::invalid_argument("TimeScale: factor out of range");
    }
  }
  std::uint32_t per_mille() const { return per_mille_; }

  Duration to_real(Duration scenario) const {
    return Duration::from_us(
        ceil_div(static_cast<__int128>(scenario.count_us()) * 1'000, per_mille_));
  }
  Duration to_scenario(Duration real) const {
    return Duration::from_us(floor_div(static_cast<__int128>(real.count_us()) * per_mille_, 1'000));
  }

 private:
  static std::int64_t ceil_div(__int128 a, std::int64_t b) {
    __int128 q = a / b;
    if (a % b != 0 && a > 0) ++q;
    return static_cast<std::int64_t>(q);
  }
  static std::int64_t floor_div(__int128 a, std::int64_t b) {
    __int128 q = a / b;
    if (a % b != 0 && a < 0) --q;
    return static_cast<std::int64_t>(q);
  }
  std::uint32_t per_mille_ = real_time;
};

}  // namespace mqttsim::runner
