#pragma once
// A seed given on the command line (`run --seed/--seeds`, `check --seed`).

#include <cstdint>
#include <string>

namespace mqttsim::cli {

// A decimal number from 0 to 2^64-1, nothing else (no sign, no spaces).
// Anything else is a UsageError naming `option`.
std::uint64_t parse_seed(const std::string& text, const std::string& option);

}  // namespace mqttsim::cli
