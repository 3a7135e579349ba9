#pragma once
// What a checker reports. A violation is a broken guarantee: it names the
// check, the normative statements, the stretch of the trace that shows it,
// and says in a plain sentence what happened. A remark is something a
// reader should know that breaks nothing (a message still pending when the
// run ended, messages a queue limit of the profile dropped).

#include <cstddef>
#include <string>
#include <vector>

#include "base/spec_ref.hpp"

namespace mqttsim::oracle {

struct Violation {
  std::string check;            // "ordering", "no-loss", ...
  std::vector<SpecRef> spec;    // the statements broken, with their version
  std::size_t first_event = 0;  // trace index range of the evidence, inclusive
  std::size_t last_event = 0;
  std::string message;  // "message t/a "m7" (QoS 1, acked to pub at 1.204s) was never ..."
  std::string excerpt;  // a few rendered trace lines around the evidence
};

struct Remark {
  std::string check;
  std::string message;
};

}  // namespace mqttsim::oracle
