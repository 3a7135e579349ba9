#pragma once
// A seed given on the command line (`run --seed/--seeds`, `check --seed`).

#include <cstdint>
#include <string>

namespace mqttsim::cli {

// A decimal number from 0 to 2^64-1, nothing else (no sign, no spaces).
// Anything else is a UsageError naming `option`.
std::uint64_t parse_seed(const std::string& text, const std::string& option);

// Seeds first, first + 1, ..., first + count - 1.
struct SeedRange {
  std::uint64_t first = 1;
  std::uint64_t count = 1;
};

// "A..B" (both included) as a SeedRange of at most `count_max` seeds; an
// empty or larger range is a UsageError naming `option`.
SeedRange parse_seed_range(const std::string& text, const std::string& option,
                           std::uint64_t count_max);

}  // namespace mqttsim::cli
