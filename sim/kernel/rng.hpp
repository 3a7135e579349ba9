#pragma once
// The simulation's only source of randomness: xoshiro256** (Blackman and
// Vigna) seeded through splitmix64, with our own range reduction, coin flips
// and shuffle. <random>'s distributions differ between standard libraries;
// these do not, so a seed means the same run everywhere (see
// ../shared/DESIGN.md, "Determinism rules").

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>

namespace mqttsim::kernel {

class Rng {
 public:
  static constexpr std::uint32_t ppm_always = 1'000'000;

  explicit Rng(std::uint64_t seed);

  // The seed this generator started from; children derive from it.
  std::uint64_t seed() const { return seed_; }

  // A child generator whose seed depends only on this generator's seed and
  // `name`, never on how many values this one has produced, so subsystems
  // ("network", "client/sub-1") draw without shifting each other.
  Rng derive(std::string_view name) const;

  std::uint64_t next_u64();

  // Uniform on [lo, hi], both inclusive, without modulo bias (Lemire's
  // nearly divisionless method). Requires lo <= hi.
  std::uint64_t uniform(std::uint64_t lo, std::uint64_t hi);

  // True with probability ppm / 1'000'000: chance(0) is never true,
  // chance(1'000'000) always. Always consumes exactly one uniform draw, so a
  // changed probability does not shift the draws after it. ppm <= 1'000'000.
  bool chance(std::uint32_t ppm);

  // Fisher-Yates with `uniform`.
  template <class T>
  void shuffle(std::span<T> items) {
    for (std::size_t i = items.size(); i > 1; --i) {
      const auto j = static_cast<std::size_t>(uniform(0, i - 1));
      using std::swap;
      swap(items[i - 1], items[j]);
    }
  }

 private:
  std::uint64_t seed_;
  std::uint64_t state_[4];
};

}  // namespace mqttsim::kernel
