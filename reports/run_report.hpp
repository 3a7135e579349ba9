#pragma once
// The outcome of one `mqttsim run` or `mqttsim check`, as the renderers see
// it: one ScenarioReport per scenario played (per seed), in run order. The CLI
// fills it; json_writer.hpp and junit_writer.hpp turn it into the files CI
// reads (DESIGN.md, "CLI contract"). The model holds plain strings and numbers
// only, so the writers need nothing from the layers that produced them, and
// nothing here reads a clock: wall times and the timestamp are measured by the
// CLI and handed in.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.hpp"

namespace mqttsim::reports {

enum class Status : std::uint8_t {
  passed,   // every expectation held and no guarantee was violated
  failed,   // at least one Finding: the broker (or the scenario's claim) is wrong
  error,    // the scenario could not be judged: bad file, unreachable broker, ...
  skipped,  // not run, for the reason in skip_reason
};

std::string_view to_string(Status status);  // "passed", "failed", "error", "skipped"

// A failed expectation or a violated guarantee.
struct Finding {
  std::string check;              // the checker: "expect", "ordering", "no-loss", ...
  std::vector<std::string> spec;  // normative ids with version: "MQTT-3.1.2-4 (3.1.1)"
  std::string message;            // one plain sentence
  std::string location;           // "scenarios/x.yaml:31:5", or "" when none
  // Listed in the broker's known deviations (known_deviations.hpp); written
  // to the reports only when true.
  bool known_deviation = false;
  // A few lines of the trace that show it (oracle findings); for people:
  // the console and the conformance report show it, JSON and JUnit do not.
  std::string excerpt;

  bool operator==(const Finding&) const = default;
};

// What a checker left unjudged, or noted without failing the run (such as
// a first seen DUP=1 that may resend an attempt the harness could not see).
struct Remark {
  std::string check;
  std::string message;

  bool operator==(const Remark&) const = default;
};

struct ScenarioReport {
  std::string file;  // as given on the command line or found under a folder
  std::string name;  // the scenario's own name; "" when it has none
  Status status = Status::passed;
  std::uint64_t seed = 0;
  std::string trace_hash;  // 16 hex digits; "" when nothing ran
  Duration simulated_time;
  double wall_time_s = 0;         // measured by the CLI, informational
  std::vector<Finding> findings;  // why it failed (status failed)
  std::vector<Remark> remarks;    // the oracle's remarks, whatever the status
  std::string error;              // status error: what went wrong ("file:l:c: msg")
  std::string skip_reason;        // status skipped
  std::string reproducer;         // one shell command that reproduces a failure
  // The normative statements this run judged ("MQTT-3.2.2-2 (3.1.1)"): by a
  // checker, or by the expectations of a scenario tagged with them. For the
  // conformance report; JSON and JUnit do not carry it.
  std::vector<std::string> judged;
  // `mqttsim check`: how the same scenario, seed and profile fared against
  // the reference broker in simulation after it failed against the broker
  // under test (for the conformance report; "" when not replayed).
  std::string reference_replay;

  bool operator==(const ScenarioReport&) const = default;
};

struct Summary {
  std::size_t passed = 0, failed = 0, errors = 0, skipped = 0;
  std::size_t total() const { return passed + failed + errors + skipped; }

  bool operator==(const Summary&) const = default;
};

struct RunReport {
  std::string tool;  // "mqttsim run" or "mqttsim check --broker HOST:PORT"
  // Optional context for JUnit consumers, written only when not empty:
  // when the run started, "2026-11-26T06:00:00" (UTC, ISO 8601, no zone), and
  // the machine it ran on.
  std::string timestamp;
  std::string hostname;
  std::vector<ScenarioReport> scenarios;  // in run order
  // Stopped by SIGINT or SIGTERM before its end: `scenarios` are the ones
  // it finished. JSON says so ("interrupted": true, only then); JUnit has no
  // place for it, and lists what finished.
  bool interrupted = false;
  // How much of each run the trace kept (`mqttsim run --trace`): "" for
  // the whole trace, "judged" for what the oracle reads, "none" for
  // nothing, in which case the oracle gave no verdict and only the steps'
  // own expectations were judged. JSON says so ("trace", only when set).
  std::string trace_level;

  Summary summary() const;
};

}  // namespace mqttsim::reports
