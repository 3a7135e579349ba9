#include "scenario/units.hpp"

#include <array>

namespace mqttsim::scenario {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A decimal number as written: "12.345" is {"12", "345"}.
struct Decimal {
  std::string_view whole;
  std::string_view fraction;
};

// Splits "12.5rest" into digits and the unit after them; false when there
// are no leading digits or a '.' has no digits on one side.
bool split_number(std::string_view text, Decimal& number, std::string_view& unit) {
  std::size_t i = 0;
  while (i < text.size() && is_digit(text[i])) ++i;
  number.whole = text.substr(0, i);
  if (number.whole.empty()) return false;
  if (i < text.size() && text[i] == '.') {
    const std::size_t start = ++i;
    while (i < text.size() && is_digit(text[i])) ++i;
    number.fraction = text.substr(start, i - start);
    if (number.fraction.empty()) return false;
  }
  unit = text.substr(i);
  return true;
}

enum class Scaled { ok, too_fine, too_large };

// number * 10^exponent as an integer no larger than max.
Scaled scale(const Decimal& number, int exponent, std::uint64_t max, std::uint64_t& out) {
  std::uint64_t value = 0;
  const auto push = [&](char digit) {
    const auto d = static_cast<std::uint64_t>(digit - '0');
    if (value > (max - d) / 10) return false;
    value = value * 10 + d;
    return true;
  };
  for (const char c : number.whole) {
    if (!push(c)) return Scaled::too_large;
  }
  std::size_t used = 0;
  for (; exponent > 0; --exponent) {
    const char digit = used < number.fraction.size() ? number.fraction[used++] : '0';
    if (!push(digit)) return Scaled::too_large;
  }
  for (; used < number.fraction.size(); ++used) {
    if (number.fraction[used] != '0') return Scaled::too_fine;
  }
  out = value;
  return Scaled::ok;
}

struct Unit {
  std::string_view suffix;
  int exponent;  // microseconds per unit = 10^exponent * multiplier
  std::uint64_t multiplier;
};

constexpr std::array<Unit, 5> duration_units{{
    {"us", 0, 1},
    {"ms", 3, 1},
    {"s", 6, 1},
    {"m", 6, 60},
    {"h", 6, 3'600},
}};

}  // namespace

Expected<Duration, std::string> parse_duration(std::string_view text) {
  const std::string quoted = "'" + std::string{text} + "'";
  const std::string forms = "write a number and a unit: 250us, 500ms, 1.5s, 2m, 1h";
  Decimal number;
  std::string_view suffix;
  if (!split_number(text, number, suffix)) {
    return Unexpected{quoted + " is not a duration; " + forms};
  }
  if (suffix.empty()) {
    if (number.fraction.empty() && number.whole.find_first_not_of('0') == std::string_view::npos) {
      return Duration::zero();
    }
    return Unexpected{quoted + " has no unit; " + forms};
  }
  const auto limit_us = static_cast<std::uint64_t>(duration_limit.count_us());
  for (const Unit& unit : duration_units) {
    if (unit.suffix != suffix) continue;
    std::uint64_t scaled = 0;
    switch (scale(number, unit.exponent, limit_us, scaled)) {
      case Scaled::too_fine:
        return Unexpected{quoted + " is finer than a microsecond"};
      case Scaled::too_large:
        return Unexpected{quoted + " is longer than the limit of 4294967295s"};
      case Scaled::ok:
        break;
    }
    if (scaled > limit_us / unit.multiplier) {
      return Unexpected{quoted + " is longer than the limit of 4294967295s"};
    }
    return Duration::from_us(static_cast<std::int64_t>(scaled * unit.multiplier));
  }
  return Unexpected{quoted + " has an unknown unit '" + std::string{suffix} + "'; " + forms};
}

Expected<std::uint32_t, std::string> parse_loss_ppm(std::string_view text) {
  const std::string quoted = "'" + std::string{text} + "'";
  const std::string forms = "write a percentage or parts per million: 1%, 0.25%, 2500ppm";
  Decimal number;
  std::string_view suffix;
  if (!split_number(text, number, suffix)) {
    return Unexpected{quoted + " is not a loss rate; " + forms};
  }
  int exponent = 0;
  if (suffix == "%") {
    exponent = 4;  // 1% = 10,000 ppm
  } else if (suffix == "ppm") {
    exponent = 0;
  } else if (suffix.empty() && number.fraction.empty() &&
             number.whole.find_first_not_of('0') == std::string_view::npos) {
    return 0U;
  } else {
    return Unexpected{quoted + " is not a loss rate; " + forms};
  }
  std::uint64_t ppm = 0;
  switch (scale(number, exponent, 1'000'000, ppm)) {
    case Scaled::too_fine:
      return Unexpected{quoted + " is finer than one part per million"};
    case Scaled::too_large:
      return Unexpected{quoted + " is above 100%"};
    case Scaled::ok:
      break;
  }
  return static_cast<std::uint32_t>(ppm);
}

}  // namespace mqttsim::scenario
