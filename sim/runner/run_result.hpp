#pragma once
// What playing one scenario produced: the verdict of each expectation that
// failed (a run stops at the first), the trace, and where the clock ended.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/time.hpp"
#include "oracle/verdict.hpp"
#include "scenario/scenario.hpp"
#include "trace/trace.hpp"

namespace mqttsim::runner {

class PacketInterceptor;  // broker_host.hpp

struct RunOptions {
  std::uint64_t seed = 0;
  // A bound on simulator events for the whole run, so a scenario that
  // makes the world spin (a storm of retransmissions, say) ends with an
  // error instead of hanging.
  std::uint64_t max_events = 200'000'000;
  // Tests only: alters the reference broker into a deliberately broken one.
  std::shared_ptr<PacketInterceptor> interceptor;
  // Judge the trace with the oracle after the steps (the default).
  bool judge = true;
  // Stop at the first failed step (the default), or note it and play on:
  // the oracle's tests play whole scenarios against broken brokers to see
  // what the oracle alone finds.
  bool stop_at_first_failure = true;
  // How much of the run the trace keeps. Under `none` the oracle is not run
  // (there is nothing to judge) and RunResult::judged is false.
  trace::Level trace_level = trace::Level::full;
};

// A step that did not do what the scenario said, or (step_kind "client")
// a rule of the protocol a client saw the broker break.
struct StepFailure {
  std::size_t step_index = 0;  // 0-based, in the file's order; steps.size() for "client"
  std::string step_kind;       // "expect", "connect", ..., "client"
  scenario::SourceLocation where;
  std::string message;                  // one plain sentence
  std::vector<scenario::SpecTag> spec;  // the scenario's tags (an expect judges what they claim)
};

struct RunResult {
  std::uint64_t seed = 0;
  // The oracle judged the trace: false under `--trace none` or judge=false.
  bool judged = false;
  bool passed() const {
    return failures.empty() && verdict.violations.empty() && !aborted && !skipped;
  }
  std::vector<StepFailure> failures;
  // The run could not go on (the event budget ran out, or the world
  // stopped): `abort_reason` says why.
  bool aborted = false;
  std::string abort_reason;
  // The world cannot play some step faithfully, so nothing was played.
  bool skipped = false;
  std::string skip_reason;
  std::size_t steps_done = 0;
  // Simulator events run (a simulated world only; 0 against a real broker).
  std::uint64_t events_run = 0;
  TimePoint end_time;
  trace::Trace trace;
  // The oracle's verdict on the trace (every guarantee, not only the
  // scenario's expectations).
  oracle::Verdict verdict;
};

}  // namespace mqttsim::runner
