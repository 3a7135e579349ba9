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

}  // namespace mqttsim::cli
