#pragma once
// Everything the oracle concluded about one trace: the violations, the
// remarks, and which normative statements it judged (a checker counts a
// statement as judged only when the trace held something the statement
// constrains, so a violation of it would have been reported: that is what
// `mqttsim coverage` counts).

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "oracle/violation.hpp"

namespace mqttsim::oracle {

struct Verdict {
  std::vector<Violation> violations;
  std::vector<Remark> remarks;
  std::set<std::pair<ProtocolVersion, std::string>> judged;

  bool clean() const { return violations.empty(); }
  void judge(SpecRef spec) { judged.emplace(spec.version, std::string{spec.id}); }
  void judge(ProtocolVersion version, std::string_view id) {
    judged.emplace(version, std::string{id});
  }
};

}  // namespace mqttsim::oracle
