#pragma once
// Our own 64-bit hashes, so a value computed on one compiler or standard
// library is the value on every other (std::hash makes no such promise).
// FNV-1a names trace hashes and seeds derived from names; splitmix64's
// finaliser spreads the bits of a seed.

#include <cstdint>
#include <string_view>

namespace mqttsim {

// Incremental FNV-1a 64 (http://www.isthe.com/chongo/tech/comp/fnv/).
class Fnv1a64 {
 public:
  static constexpr std::uint64_t offset_basis = 0xcbf29ce484222325ULL;
  static constexpr std::uint64_t prime = 0x100000001b3ULL;

  constexpr void update(std::string_view text) {
    for (const char c : text) update_byte(static_cast<std::uint8_t>(c));
  }
  constexpr void update_byte(std::uint8_t byte) {
    state_ ^= byte;
    state_ *= prime;
  }
  constexpr std::uint64_t value() const { return state_; }

 private:
  std::uint64_t state_ = offset_basis;
};

constexpr std::uint64_t fnv1a64(std::string_view text) {
  Fnv1a64 hash;
  hash.update(text);
  return hash.value();
}

// The output function of splitmix64 (Steele, Lea, Flood 2014): a bijection on
// 64-bit values in which every input bit affects every output bit.
constexpr std::uint64_t splitmix64_mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace mqttsim
