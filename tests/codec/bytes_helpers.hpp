#pragma once
// Test helpers: bytes written as hex, and streams cut into chunks.

#include <cstdint>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "codec/codec.hpp"

namespace mqttsim::codec::test {

// "30 0c 00 03" -> {0x30, 0x0c, 0x00, 0x03}; spaces are ignored.
inline Bytes hex(std::string_view text) {
  auto nibble = [](char c) -> std::uint8_t {
    if (c >= '0' && c <= '9') return static_cast<std::uint8_t>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<std::uint8_t>(c - 'a' + 10);
    if (c >= 'A' && c <= 'F') return static_cast<std::uint8_t>(c - 'A' + 10);
    throw std::invalid_argument{"bad hex digit in test data"};
  };
  Bytes out;
  int high = -1;
  for (const char c : text) {
    if (c == ' ') continue;
    const std::uint8_t value = nibble(c);
    if (high < 0) {
      high = value;
    } else {
      out.push_back(static_cast<std::uint8_t>((high << 4) | value));
      high = -1;
    }
  }
  if (high >= 0) throw std::invalid_argument{"odd number of hex digits in test data"};
  return out;
}

inline Bytes concat(const std::vector<Bytes>& parts) {
  Bytes out;
  for (const Bytes& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

// Chunk sizes from a fixed linear congruential sequence: varied, and the
// same on every run and every standard library.
inline std::vector<std::size_t> pseudo_random_chunk_sizes(std::size_t total, std::size_t max_chunk,
                                                          std::uint32_t seed) {
  std::vector<std::size_t> sizes;
  std::uint32_t state = seed;
  for (std::size_t covered = 0; covered < total;) {
    state = state * 1'664'525u + 1'013'904'223u;
    std::size_t size = 1 + (state >> 16) % max_chunk;
    if (size > total - covered) size = total - covered;
    sizes.push_back(size);
    covered += size;
  }
  return sizes;
}

}  // namespace mqttsim::codec::test
