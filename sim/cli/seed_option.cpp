#include "seed_option.hpp"

#include <stdexcept>

#include "command.hpp"

namespace mqttsim::cli {

std::uint64_t parse_seed(const std::string& text, const std::string& option) {
  std::size_t used = 0;
  unsigned long long value = 0;
  try {
    if (text.empty() || text[0] == '-' || text[0] == '+') throw std::invalid_argument{text};
    value = std::stoull(text, &used, 10);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size()) {
    throw UsageError{option + " takes a number from 0 to 18446744073709551615, not '" + text + "'"};
  }
  return value;
}

SeedRange parse_seed_range(const std::string& text, const std::string& option,
                           std::uint64_t count_max) {
  const std::size_t dots = text.find("..");
  if (dots == std::string::npos) throw UsageError{option + " takes a range A..B, such as 1..20"};
  const std::uint64_t first = parse_seed(text.substr(0, dots), option);
  const std::uint64_t last = parse_seed(text.substr(dots + 2), option);
  if (last < first) throw UsageError{option + " " + text + ": the range is empty (B < A)"};
  if (last - first >= count_max) {
    throw UsageError{option + " " + text + ": at most " + std::to_string(count_max) +
                     " seeds per run"};
  }
  return {first, last - first + 1};
}

Shard parse_shard(const std::string& text, const std::string& option) {
  constexpr std::uint64_t shards_max = 1'000;
  const std::string why = option + " takes i/n, the i-th of n parts (1 <= i <= n <= " +
                          std::to_string(shards_max) + "), such as 2/4, not '" + text + "'";
  const std::size_t slash = text.find('/');
  if (slash == std::string::npos) throw UsageError{why};
  Shard shard;
  try {
    shard.index = parse_seed(text.substr(0, slash), option);
    shard.count = parse_seed(text.substr(slash + 1), option);
  } catch (const UsageError&) {
    throw UsageError{why};
  }
  if (shard.index < 1 || shard.count > shards_max || shard.index > shard.count) {
    throw UsageError{why};
  }
  return shard;
}

}  // namespace mqttsim::cli
