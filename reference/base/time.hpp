#pragma once
// Virtual and real time share one representation: a signed count of
// microseconds. Strong types keep "a moment" and "a length of time" apart, so
// `deadline + deadline` does not compile and a bare integer never sneaks in.

#include <compare>
#include <cstdint>
#include <iosfwd>
#include <string>

namespace mqttsim {

class Duration {
 public:
  constexpr Duration() = default;
  static constexpr Duration from_us(std::int64_t us) { return Duration{us}; }
  static constexpr Duration from_ms(std::int64_t ms) { return Duration{ms * 1'000}; }
  static constexpr Duration from_s(std::int64_t s) { return Duration{s * 1'000'000}; }
  static constexpr Duration zero() { return Duration{0}; }

  constexpr std::int64_t count_us() const { return us_; }

  constexpr Duration operator+(Duration other) const { return Duration{us_ + other.us_}; }
  constexpr Duration operator-(Duration other) const { return Duration{us_ - other.us_}; }
  constexpr Duration operator*(std::int64_t factor) const { return Duration{us_ * factor}; }
  constexpr Duration operator/(std::int64_t divisor) const { return Duration{us_ / divisor}; }
  constexpr Duration& operator+=(Duration other) {
    us_ += other.us_;
    return *this;
  }
  constexpr Duration& operator-=(Duration other) {
    us_ -= other.us_;
    return *this;
  }
  constexpr auto operator<=>(const Duration&) const = default;

 private:
  constexpr explicit Duration(std::int64_t us) : us_{us} {}
  std::int64_t us_ = 0;
};

// A moment on a timeline that starts at 0 (the start of a simulation, or the
// start of a real-time run).
class TimePoint {
 public:
  constexpr TimePoint() = default;
  static constexpr TimePoint from_us(std::int64_t us) { return TimePoint{us}; }
  static constexpr TimePoint origin() { return TimePoint{0}; }

  constexpr std::int64_t since_origin_us() const { return us_; }

  constexpr TimePoint operator+(Duration d) const { return TimePoint{us_ + d.count_us()}; }
  constexpr TimePoint operator-(Duration d) const { return TimePoint{us_ - d.count_us()}; }
  constexpr Duration operator-(TimePoint other) const { return Duration::from_us(us_ - other.us_); }
  constexpr TimePoint& operator+=(Duration d) {
    us_ += d.count_us();
    return *this;
  }
  constexpr auto operator<=>(const TimePoint&) const = default;

 private:
  constexpr explicit TimePoint(std::int64_t us) : us_{us} {}
  std::int64_t us_ = 0;
};

// "1.204500s": seconds with microsecond precision, for traces and messages.
std::string to_string(Duration d);
std::string to_string(TimePoint t);
std::ostream& operator<<(std::ostream& out, Duration d);
std::ostream& operator<<(std::ostream& out, TimePoint t);

}  // namespace mqttsim
