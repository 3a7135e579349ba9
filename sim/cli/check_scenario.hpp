#pragma once
// One scenario of `mqttsim check`, in two halves. The parent plans it
// before any worker starts: it loads the file and plays it against the
// reference broker in simulation, which says whether the scenario can say
// anything about this broker at all, how long it lasts, and what to say
// about it if it fails. A worker (worker_pool.hpp) then plays it against the
// broker under test in real time and judges it, with its own event loop and
// its own client id prefix, and sends back the scenario's report.

#include <cstdint>
#include <optional>
#include <string>

#include "check_options.hpp"
#include "profile/profile.hpp"
#include "reports/run_report.hpp"
#include "runner/run_result.hpp"
#include "runner/tcp_world.hpp"
#include "scenario/scenario.hpp"
#include "transport/event_loop.hpp"

namespace mqttsim::cli {

struct PlannedScenario {
  std::string file;
  // The report, when nothing is left to play: the file did not load, or the
  // scenario rests on a choice the standard leaves open that this broker
  // makes otherwise (skipped).
  std::optional<reports::ScenarioReport> decided;
  scenario::Scenario loaded;
  std::uint64_t seed = 0;
  Duration length;  // in simulation, under the broker's profile (scenario time)
  // How the reference broker fares with it, for the report if it fails.
  std::string reference_replay;
};

PlannedScenario plan_scenario(const std::string& file, const CheckOptions& options,
                              const Profile& broker_profile);

// What went wrong first in a run: its first failed step, violation, abort
// or skip reason ("" when it passed).
std::string first_problem(const runner::RunResult& run);

// What a worker sends back for one scenario.
struct CheckedScenario {
  reports::ScenarioReport entry;
  bool trace_written = true;  // false: --trace-dir was given and the file could not be written
};

// As bytes for the worker pool, and back (throws std::runtime_error when
// the text is not one).
std::string encode_checked(const CheckedScenario& checked);
CheckedScenario decode_checked(const std::string& text);

// Plays planned scenarios against the broker under test, one at a time, on
// its own event loop: one per worker, made after the fork.
class ScenarioChecker {
 public:
  // `client_prefix` goes before every client id that is not empty.
  ScenarioChecker(const CheckOptions& options, const Profile& broker_profile,
                  runner::TcpTarget target, std::string client_prefix);

  CheckedScenario check(const PlannedScenario& planned);

 private:
  scenario::Scenario adapt(scenario::Scenario loaded) const;
  void clean_up(const scenario::Scenario& loaded, const char* when);

  const CheckOptions& options_;
  const Profile& broker_profile_;
  runner::TcpTarget target_;
  std::string client_prefix_;
  transport::EventLoop loop_;
};

}  // namespace mqttsim::cli
