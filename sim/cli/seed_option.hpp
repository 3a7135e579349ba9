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

// `--shard i/n`: the i-th of n parts of a run's seeds, for n machines
// (such as a CI matrix) that each take one and `mqttsim merge` the
// results. The seed at position p of the range (0-based) falls in part
// p mod n + 1: every part gets a like share of any stretch of seeds.
struct Shard {
  std::uint64_t index = 1;  // 1..count
  std::uint64_t count = 1;
  bool holds(std::uint64_t position) const { return position % count == index - 1; }
  // How many of `seeds` positions (0 .. seeds-1) this part holds.
  std::uint64_t share_of(std::uint64_t seeds) const {
    return seeds / count + (seeds % count >= index ? 1 : 0);
  }
};

// "i/n" with 1 <= i <= n <= 1000; anything else is a UsageError naming `option`.
Shard parse_shard(const std::string& text, const std::string& option);

}  // namespace mqttsim::cli
