#pragma once
// One guarantee of the standards, judged over a whole trace. Each checker
// lives in its own file (ordering.cpp, no_loss.cpp, ...), reads only the
// observation (the broker's view of the trace, its sessions and messages)
// and the profile, and reports violations, remarks and the normative
// statements it judged into the verdict.

#include <string_view>

#include "oracle/messages.hpp"
#include "oracle/observation.hpp"
#include "oracle/sessions.hpp"
#include "oracle/verdict.hpp"
#include "profile/profile.hpp"

namespace mqttsim::oracle {

struct Flow;  // message_flow.hpp

// What every checker reads, derived once per trace.
struct Evidence {
  const Observation& seen;
  const Sessions& sessions;
  const Messages& messages;
  const Profile& profile;
  // The message flow (message_flow.hpp), derived from the four above once
  // for all the checkers that follow messages; judge() always sets it.
  const Flow* flow = nullptr;
};

class Checker {
 public:
  virtual ~Checker() = default;
  virtual std::string_view name() const = 0;
  virtual void judge(const Evidence& evidence, Verdict& verdict) const = 0;
};

// Up to `lines_max` rendered trace events from first to last (inclusive),
// eliding the middle of a long range, for a violation's excerpt. Only the
// broker's events are shown: they are the evidence.
std::string excerpt(const Observation& seen, TraceIndex first, TraceIndex last,
                    std::size_t lines_max = 8);

// A violation with its excerpt filled in. Violation holds the range as plain
// numbers: reports outside the oracle read it.
Violation violation(const Evidence& evidence, std::string check, std::vector<SpecRef> spec,
                    TraceIndex first, TraceIndex last, std::string message);

// "1.204s" for messages.
std::string at(TimePoint time);

// The statement of the connection's version: `v311_id` of 3.1.1 or `v5_id`
// of 5.0 (the two versions number many of the same rules differently).
SpecRef pick(bool v5, std::string_view v311_id, std::string_view v5_id);

}  // namespace mqttsim::oracle
