#include "kernel/rng.hpp"

#include <cassert>
#include <stdexcept>

#include "base/hash64.hpp"

namespace mqttsim::kernel {
namespace {

constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

// One step of the splitmix64 generator: the seeding Vigna recommends, which
// cannot leave xoshiro in its all-zero state.
std::uint64_t splitmix64_next(std::uint64_t& x) {
  x += 0x9e3779b97f4a7c15ULL;
  return splitmix64_mix(x);
}

}  // namespace

Rng::Rng(std::uint64_t seed) : seed_{seed} {
  std::uint64_t x = seed;
  for (auto& word : state_) word = splitmix64_next(x);
}

Rng Rng::derive(std::string_view name) const {
  // Mixing the name's hash before combining keeps similar names ("client/1",
  // "client/2") far apart; mixing after keeps seeds s and s^h(name) apart.
  return Rng{splitmix64_mix(seed_ ^ splitmix64_mix(fnv1a64(name)))};
}

std::uint64_t Rng::next_u64() {
  const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
  const std::uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = rotl(state_[3], 45);
  return result;
}

std::uint64_t Rng::uniform(std::uint64_t lo, std::uint64_t hi) {
  if (lo > hi) throw std::invalid_argument("Rng::uniform: lo > hi");
  const std::uint64_t range = hi - lo + 1;
  if (range == 0) return next_u64();  // the whole 64-bit range
  // Lemire, "Fast Random Integer Generation in an Interval" (2019): the high
  // word of x * range is uniform once the low word's biased zone is rejected.
  unsigned __int128 product = static_cast<unsigned __int128>(next_u64()) * range;
  auto low = static_cast<std::uint64_t>(product);
  if (low < range) {
    const std::uint64_t threshold = (0 - range) % range;
    // Each retry succeeds with probability > 1/2; 128 failures in a row
    // (chance below 2^-128) would mean a broken generator.
    for (int retry = 0; low < threshold; ++retry) {
      assert(retry < 128);
      if (retry >= 128) throw std::logic_error("Rng::uniform: generator is stuck");
      product = static_cast<unsigned __int128>(next_u64()) * range;
      low = static_cast<std::uint64_t>(product);
    }
  }
  return lo + static_cast<std::uint64_t>(product >> 64);
}

bool Rng::chance(std::uint32_t ppm) {
  if (ppm > ppm_always) throw std::invalid_argument("Rng::chance: ppm above 1'000'000");
  return uniform(0, ppm_always - 1) < ppm;
}

}  // namespace mqttsim::kernel
