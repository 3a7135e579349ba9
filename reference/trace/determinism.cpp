#include "trace/determinism.hpp"

namespace mqttsim::trace {

std::string DeterminismReport::describe() const {
  if (!difference) {
    return "deterministic (" + std::to_string(first_size) + " events, hash " +
           hash_hex(first_hash) + ")";
  }
  return "NOT deterministic: the runs differ at event " + std::to_string(difference->index) +
         "\n  first run:  " + difference->left + "\n  second run: " + difference->right +
         "\n  (hashes " + hash_hex(first_hash) + " and " + hash_hex(second_hash) + ", " +
         std::to_string(first_size) + " and " + std::to_string(second_size) + " events)";
}

DeterminismReport check_determinism(const std::function<Trace()>& run) {
  const Trace first = run();
  const Trace second = run();
  DeterminismReport report;
  report.first_hash = hash(first);
  report.second_hash = hash(second);
  report.first_size = first.size();
  report.second_size = second.size();
  report.difference = first_difference(first, second);
  return report;
}

}  // namespace mqttsim::trace
