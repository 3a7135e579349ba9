#pragma once
// Helpers for the stream tests: joining packets into one stream and cutting
// a stream into chunks of varied but fixed sizes.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "codec/codec.hpp"
#include "codec_test_support.hpp"

namespace mqttsim::codec::test {

inline Bytes concat(const std::vector<Bytes>& parts) {
  Bytes out;
  for (const Bytes& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

// Chunk sizes (1..max_chunk) covering `total` bytes, from a fixed linear
// congruential sequence: varied, and the same on every run and platform.
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
