#include "check_scenario.hpp"

#include <chrono>
#include <filesystem>
#include <iostream>
#include <stdexcept>

#include "oracle/oracle.hpp"
#include "output_files.hpp"
#include "reports/json_reader.hpp"
#include "reports/json_writer.hpp"
#include "runner/broker_cleanup.hpp"
#include "runner/scenario_player.hpp"
#include "scenario/load_error.hpp"
#include "scenario/scenario_loader.hpp"
#include "scenario_outcome.hpp"

namespace mqttsim::cli {

namespace {

namespace fs = std::filesystem;

constexpr std::uint64_t default_seed = 1;
// Each clean-up connection (before and after a scenario) waits this long.
constexpr Duration cleanup_timeout = Duration::from_s(10);

// What the reference broker does with the scenario in simulation, with the
// same seed: under the scenario's own profile, and under the broker under
// test's.
struct ReferenceRuns {
  runner::RunResult own;           // fails: the scenario itself is wrong
  runner::RunResult under_broker;  // fails (own passing): it rests on a MAY
};                                 // choice this broker makes otherwise

ReferenceRuns run_reference(const scenario::Scenario& loaded, const Profile& broker_profile,
                            std::uint64_t seed) {
  ReferenceRuns runs;
  runs.own = runner::run_scenario(loaded, {.seed = seed});
  scenario::Scenario under_profile = loaded;
  under_profile.broker.profile = broker_profile;
  runs.under_broker = under_profile.broker.profile == loaded.broker.profile
                          ? runs.own
                          : runner::run_scenario(under_profile, {.seed = seed});
  return runs;
}

std::string why_skipped(const CheckOptions& options, const runner::RunResult& under_broker) {
  return "it passes against the reference broker under its own profile but fails under this "
         "broker's (" +
         options.profile.value_or("spec") +
         "), so its expectations rest on a choice the standard leaves open that this broker "
         "makes otherwise: " +
         first_problem(under_broker);
}

std::string replay_verdict(const ReferenceRuns& reference, std::uint64_t seed,
                           const std::string& file) {
  const std::string how = "(simulation, seed " + std::to_string(seed) + ")";
  if (reference.under_broker.passed()) {
    return "passes " + how + " under the same profile: a deviation of the broker under test";
  }
  return "fails too " + how + ": check the scenario (mqttsim run --seed " + std::to_string(seed) +
         " " + file + "): " + first_problem(reference.own);
}

// A file name for a scenario's trace: the path with '/' as '_'.
std::string trace_file_name(const std::string& file) {
  return flat_file_stem(file) + ".check.trace";
}

// The first line of an encoded CheckedScenario; the full JSON report of
// the one scenario follows.
constexpr std::string_view trace_written_line = "trace written\n";
constexpr std::string_view trace_not_written_line = "trace not written\n";

}  // namespace

std::string first_problem(const runner::RunResult& run) {
  if (!run.failures.empty()) return run.failures.front().message;
  if (!run.verdict.violations.empty()) return run.verdict.violations.front().message;
  if (run.aborted) return run.abort_reason;
  return run.skip_reason;
}

PlannedScenario plan_scenario(const std::string& file, const CheckOptions& options,
                              const Profile& broker_profile) {
  PlannedScenario planned{.file = file};
  try {
    planned.loaded = scenario::load_scenario_file(file);
  } catch (const scenario::LoadError& error) {
    planned.decided = {.file = file, .status = reports::Status::error, .error = error.what()};
    return planned;
  }
  const scenario::Scenario& loaded = planned.loaded;
  planned.seed = options.seed.value_or(loaded.seed.value_or(default_seed));
  // Simulation is cheap next to a real-time run: learn first whether the
  // scenario can say anything about this broker, and how long it lasts.
  const ReferenceRuns reference = run_reference(loaded, broker_profile, planned.seed);
  if (reference.own.passed() && !reference.under_broker.passed()) {
    planned.decided = {.file = loaded.file,
                       .name = loaded.name,
                       .status = reports::Status::skipped,
                       .seed = planned.seed,
                       .skip_reason = why_skipped(options, reference.under_broker)};
    return planned;
  }
  planned.length = reference.under_broker.end_time - TimePoint::origin();
  planned.reference_replay = replay_verdict(reference, planned.seed, file);
  return planned;
}

std::string encode_checked(const CheckedScenario& checked) {
  reports::RunReport one;
  one.scenarios.push_back(checked.entry);
  return std::string{checked.trace_written ? trace_written_line : trace_not_written_line} +
         reports::to_json(one, reports::JsonDetail::full);
}

CheckedScenario decode_checked(const std::string& text) {
  CheckedScenario checked;
  std::string_view json = text;
  if (json.starts_with(trace_written_line)) {
    json.remove_prefix(trace_written_line.size());
  } else if (json.starts_with(trace_not_written_line)) {
    json.remove_prefix(trace_not_written_line.size());
    checked.trace_written = false;
  } else {
    throw std::runtime_error{"a worker's result does not start with its trace line"};
  }
  auto report = reports::read_json_report(json, "a worker's result");
  if (!report) throw std::runtime_error{to_string(report.error())};
  if (report->scenarios.size() != 1) {
    throw std::runtime_error{"a worker's result holds " + std::to_string(report->scenarios.size()) +
                             " scenarios, not 1"};
  }
  checked.entry = std::move(report->scenarios.front());
  return checked;
}

ScenarioChecker::ScenarioChecker(const CheckOptions& options, const Profile& broker_profile,
                                 runner::TcpTarget target, std::string client_prefix)
    : options_{options},
      broker_profile_{broker_profile},
      target_{std::move(target)},
      client_prefix_{std::move(client_prefix)} {}

// The scenario as it is played against this broker: prefixed client ids,
// and the run's credentials for clients without their own. (The oracle
// judges with the broker's profile, --profile or the plain standard.)
scenario::Scenario ScenarioChecker::adapt(scenario::Scenario loaded) const {
  for (scenario::Client& client : loaded.clients) {
    // An empty id asks the broker to assign one (MQTT-3.1.3-6, 3.1.1) or to
    // refuse it (MQTT-3.1.3-8); a prefix would change what is tested.
    if (!client.client_id.empty()) client.client_id = client_prefix_ + client.client_id;
    if (!client.username && options_.username) {
      client.username = options_.username;
      client.password = options_.password;
    }
  }
  return loaded;
}

void ScenarioChecker::clean_up(const scenario::Scenario& loaded, const char* when) {
  for (const std::string& problem :
       runner::clean_up_broker(loaded, loop_, target_.stream, cleanup_timeout)) {
    std::cerr << "mqttsim check: warning: clean-up " << when << " " << loaded.file << ": "
              << problem << "\n";
  }
}

CheckedScenario ScenarioChecker::check(const PlannedScenario& planned) {
  const auto started = std::chrono::steady_clock::now();
  const scenario::Scenario loaded = adapt(planned.loaded);
  runner::TcpTarget target = target_;
  target.seed = planned.seed;
  target.scenario_length = planned.length;
  clean_up(loaded, "before");
  runner::RunResult result;
  {
    runner::TcpWorld world{loaded, loop_, target};
    result = runner::ScenarioPlayer{loaded, world}.play();
  }
  clean_up(loaded, "after");
  result.seed = planned.seed;
  CheckedScenario checked;
  reports::ScenarioReport& entry = checked.entry;
  entry = {.file = loaded.file,
           .name = loaded.name,
           .status = reports::Status::passed,
           .seed = planned.seed,
           .trace_hash = trace::hash_hex(trace::hash(result.trace)),
           .simulated_time = result.end_time - TimePoint::origin()};
  if (result.skipped) {
    entry.status = reports::Status::skipped;
    entry.skip_reason = result.skip_reason;
  } else if (result.aborted) {
    entry.status = reports::Status::error;
    entry.error = result.abort_reason;
  } else {
    result.verdict = oracle::judge(result.trace, broker_profile_);
    add_findings(entry, loaded, result);
    add_judged(entry, loaded, result);
    if (!entry.findings.empty()) {
      entry.status = reports::Status::failed;
      entry.reproducer = reproducer(options_, planned.seed, loaded.file);
      entry.reference_replay = planned.reference_replay;
    }
  }
  entry.wall_time_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (options_.trace_dir) {
    const fs::path path = fs::path{*options_.trace_dir} / trace_file_name(loaded.file);
    checked.trace_written = write_output_file("check", path, trace::serialise(result.trace));
  }
  return checked;
}

}  // namespace mqttsim::cli
