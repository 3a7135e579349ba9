#include "oracle/oracle.hpp"

#include "oracle/checkers.hpp"

namespace mqttsim::oracle {

std::vector<std::unique_ptr<Checker>> all_checkers() {
  std::vector<std::unique_ptr<Checker>> all;
  all.push_back(session_present_checker());
  return all;
}

Verdict judge(const trace::Trace& trace, const Profile& profile) {
  const Observation seen = observe(trace);
  const Sessions held = sessions(seen);
  const Messages handled = messages(seen, held);
  const Evidence evidence{seen, held, handled, profile};
  Verdict verdict;
  for (const auto& checker : all_checkers()) checker->judge(evidence, verdict);
  return verdict;
}

}  // namespace mqttsim::oracle
