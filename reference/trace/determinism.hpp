#pragma once
// Runs a closure that produces a Trace twice and compares the runs: the
// library form of `mqttsim run --check-determinism`.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "trace/trace.hpp"

namespace mqttsim::trace {

struct DeterminismReport {
  std::uint64_t first_hash = 0;
  std::uint64_t second_hash = 0;
  std::size_t first_size = 0;
  std::size_t second_size = 0;
  std::optional<TraceDifference> difference;  // nullopt: the runs agree

  bool deterministic() const { return !difference.has_value(); }
  // "deterministic (N events, hash H)" or the first differing event of each run.
  std::string describe() const;
};

DeterminismReport check_determinism(const std::function<Trace()>& run);

}  // namespace mqttsim::trace
