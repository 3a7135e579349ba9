// mqttsim check --broker HOST:PORT [options] PATH...
//
// Plays each scenario against an external broker in real time (runner's
// TcpWorld, through the fault proxy) and judges it as `mqttsim run` does:
// the scenario's expectations and the oracle. Prints one line per scenario
// (PASS, FAIL, SKIP or ERROR, wall time, trace hash), each failure with
// its location, spec ids and a reproducer, then a summary. Options and exit
// codes: check_options.cpp.
//
// Each scenario is planned here first (check_scenario.hpp: loaded, played
// against the reference broker in simulation), then played by the worker
// pool: in this process with --jobs 1, or side by side in J worker
// processes (worker_pool.hpp), each with its own client id prefix. Output
// and reports come in file order whatever J is.

#include <chrono>
#include <cstdio>
#include <memory>

#include "broker_under_test.hpp"
#include "check_options.hpp"
#include "check_scenario.hpp"
#include "command.hpp"
#include "interrupt.hpp"
#include "output_files.hpp"
#include "reports/conformance_report.hpp"
#include "reports/run_report.hpp"
#include "runner/broker_footprint.hpp"
#include "runner/side_by_side.hpp"
#include "runner/tcp_world.hpp"
#include "scenario_outcome.hpp"
#include "scenario_paths.hpp"
#include "spec_catalogue.hpp"
#include "worker_pool.hpp"

namespace mqttsim::cli {

namespace {

// The statements a broker is judged on: those of the Server and of Both.
std::vector<reports::StatementInfo> server_statements() {
  std::vector<reports::StatementInfo> out;
  for (const ProtocolVersion version : {ProtocolVersion::v3_1_1, ProtocolVersion::v5_0}) {
    for (const Statement& statement : statements(version)) {
      if (statement.actor != "Server" && statement.actor != "Both") continue;
      out.push_back({.version = std::string{to_string(version)},
                     .id = statement.id,
                     .area = statement.area,
                     .summary = statement.summary});
    }
  }
  return out;
}

// The scenarios of one pool run: which planned scenarios, in how many
// workers, and whether each worker gets a client id prefix of its own.
struct Phase {
  std::vector<std::size_t> planned;  // indices into the plans, in file order
  std::size_t workers = 1;
  std::vector<std::size_t> worker_of;  // per entry of `planned`; empty: i mod workers
  bool prefix_per_worker = false;
};

class CheckCommand {
 public:
  explicit CheckCommand(CheckOptions options) : options_{std::move(options)} {
    report_.tool = "mqttsim check --broker " + to_string(options_.broker);
  }

  int run() {
    prepare();
    stop_on_interrupt();
    const auto started = std::chrono::steady_clock::now();
    if (!visit_scenario_files(options_.paths, "check", [this](const std::string& file) {
          plans_.push_back(plan_scenario(file, options_, broker_.profile));
        })) {
      bad_input_ = true;
    }
    entries_.resize(plans_.size());
    for (std::size_t i = 0; i < plans_.size(); ++i) {
      if (plans_[i].decided) settle(i, *plans_[i].decided);
    }
    for (const Phase& phase : phases()) play(phase);
    for (std::optional<reports::ScenarioReport>& entry : entries_) {
      report_.scenarios.push_back(std::move(*entry));
    }
    const double wall_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    report_.interrupted = interrupted();
    const reports::Summary summary = report_.summary();
    std::printf("\n%zu passed, %zu failed, %zu errors, %zu skipped (%zu scenarios, %.2f s)\n",
                summary.passed, summary.failed, summary.errors, summary.skipped, summary.total(),
                wall_s);
    if (not_run_ > 0) {
      std::printf("interrupted by %s: %zu scenarios not run\n",
                  std::string{interrupt_signal_name()}.c_str(), not_run_);
    }
    std::fflush(stdout);
    std::optional<reports::DeviationOutcome> deviations;
    if (broker_.known_deviations) {
      deviations = compare_with_known_deviations(report_, *broker_.known_deviations);
    }
    write_reports(wall_s);
    if (interrupted()) return exit_interrupted;
    if (bad_input_ || summary.errors > 0) return exit_bad_input;
    if (deviations) return deviations->as_expected() ? exit_pass : exit_fail;
    return summary.failed > 0 ? exit_fail : exit_pass;
  }

 private:
  // TLS, the profile, the broker's presence: anything wrong here is a
  // usage error (exit 2) before any scenario runs.
  void prepare() {
    broker_ = prepare_broker(options_);
    std::printf("mqttsim check: %s\n", describe(broker_, options_).c_str());
    std::fflush(stdout);
  }

  // With --jobs 1, every scenario in this process, in file order. With J
  // workers, the scenarios that cannot be kept apart from the others
  // (runner/broker_footprint.hpp: raw bytes, broker restarts, filters that
  // start with a wildcard) run alone first, in this process, so that the
  // console shows them as they finish (errors/ comes first in the library);
  // then the rest side by side, those that share a topic root in one worker.
  std::vector<Phase> phases() const {
    std::vector<std::size_t> playable;
    for (std::size_t i = 0; i < plans_.size(); ++i) {
      if (!plans_[i].decided) playable.push_back(i);
    }
    if (options_.jobs == 1) return {Phase{.planned = playable}};
    std::vector<runner::BrokerFootprint> footprints;
    std::vector<Duration> estimates;
    for (const std::size_t i : playable) {
      footprints.push_back(
          runner::broker_footprint(plans_[i].loaded, !options_.restart_command.empty()));
      runner::TcpTarget target = broker_.target;
      target.scenario_length = plans_[i].length;
      estimates.push_back(runner::estimated_real_time(plans_[i].loaded, target));
    }
    const runner::SideBySidePlan plan =
        runner::plan_side_by_side(footprints, estimates, options_.jobs);
    Phase alone;
    for (const std::size_t i : plan.alone) alone.planned.push_back(playable[i]);
    Phase together{
        .workers = options_.jobs, .worker_of = plan.worker_of, .prefix_per_worker = true};
    for (const std::size_t i : plan.together) together.planned.push_back(playable[i]);
    std::printf(
        "mqttsim check: %zu scenarios alone first (raw bytes, broker restarts, filters "
        "that start with a wildcard), then %zu side by side in %zu workers (client id "
        "prefixes %s to %s)\n",
        alone.planned.size(), together.planned.size(), options_.jobs,
        worker_prefix(together, 0).c_str(), worker_prefix(together, options_.jobs - 1).c_str());
    std::fflush(stdout);
    return {alone, together};
  }

  std::string worker_prefix(const Phase& phase, std::size_t worker) const {
    const std::string& run = broker_.client_prefix;
    return phase.prefix_per_worker ? run + "w" + std::to_string(worker + 1) + "-" : run;
  }

  void play(const Phase& phase) {
    if (phase.planned.empty()) return;
    const PoolPlan plan{
        .items = phase.planned.size(), .workers = phase.workers, .worker_of_item = phase.worker_of};
    // Runs in each worker, after its fork: its own event loop and prefix.
    const auto setup = [this, &phase](std::size_t worker) -> ItemWork {
      auto checker = std::make_shared<ScenarioChecker>(options_, broker_.profile, broker_.target,
                                                       worker_prefix(phase, worker));
      return [this, &phase, checker](std::size_t item) {
        return encode_checked(checker->check(plans_[phase.planned[item]]));
      };
    };
    run_worker_pool(plan, setup, [this, &phase](const ItemOutcome& outcome) {
      settle(phase.planned[outcome.item], entry_of(plans_[phase.planned[outcome.item]], outcome));
    });
  }

  // What the report says about a scenario the pool handed back.
  reports::ScenarioReport entry_of(const PlannedScenario& planned, const ItemOutcome& outcome) {
    reports::ScenarioReport entry{.file = planned.loaded.file,
                                  .name = planned.loaded.name,
                                  .status = reports::Status::error,
                                  .seed = planned.seed};
    switch (outcome.fate) {
      case ItemFate::done:
        try {
          CheckedScenario checked = decode_checked(outcome.result);
          if (!checked.trace_written) bad_input_ = true;
          return std::move(checked.entry);
        } catch (const std::exception& error) {
          entry.error = std::string{"internal error: "} + error.what();
        }
        break;
      case ItemFate::failed:
        entry.error = "internal error: " + outcome.why;
        break;
      case ItemFate::lost:
        entry.error = outcome.why;
        break;
      case ItemFate::not_run:
        ++not_run_;
        entry.status = reports::Status::skipped;
        entry.skip_reason = outcome.why;
        break;
    }
    return entry;
  }

  // Keeps the entry of planned scenario `index`, and prints every entry
  // that is now known together with all those before it.
  void settle(std::size_t index, reports::ScenarioReport entry) {
    entries_[index] = std::move(entry);
    for (; printed_ < entries_.size() && entries_[printed_]; ++printed_) {
      const reports::ScenarioReport& ready = *entries_[printed_];
      if (plans_[printed_].decided && ready.status == reports::Status::error) {
        std::printf("ERROR %s\n", ready.error.c_str());  // the file did not load
        std::fflush(stdout);
      } else {
        print(ready);
      }
    }
  }

  void print(const reports::ScenarioReport& entry) {
    const char* word = "PASS";
    if (entry.status == reports::Status::failed) word = "FAIL";
    if (entry.status == reports::Status::skipped) word = "SKIP";
    if (entry.status == reports::Status::error) word = "ERROR";
    std::printf("%s %s - %s [%.3fs wall, %s scenario time, trace %s]\n", word, entry.file.c_str(),
                entry.name.c_str(), entry.wall_time_s, seconds(entry.simulated_time).c_str(),
                entry.trace_hash.c_str());
    if (entry.status == reports::Status::skipped) {
      std::printf("  skipped: %s\n", entry.skip_reason.c_str());
    }
    if (entry.status == reports::Status::error) std::printf("  error: %s\n", entry.error.c_str());
    print_findings(entry);
    print_remarks(entry);
    if (!entry.reference_replay.empty()) {
      std::printf("  reference broker: %s\n", entry.reference_replay.c_str());
    }
  }

  void write_reports(double wall_s) {
    if (!write_run_reports("check", report_, options_.json_path, options_.junit_path)) {
      bad_input_ = true;
    }
    if (options_.report_path) {
      const reports::ConformanceContext context{
          .broker = to_string(options_.broker),
          .broker_version = broker_.version.value_or(""),
          .transport = options_.tls ? "TLS" : "TCP",
          .profile = options_.profile.value_or(broker_.profile.name),
          .run_time_s = wall_s};
      if (!write_output_file(
              "check", *options_.report_path,
              reports::to_conformance_markdown(report_, context, server_statements()))) {
        bad_input_ = true;
      }
    }
  }

  CheckOptions options_;
  // Its target is each worker's, but for the seed and length of a scenario;
  // its client prefix the run's, to which workers add their own.
  BrokerUnderTest broker_;
  std::vector<PlannedScenario> plans_;                           // in file order
  std::vector<std::optional<reports::ScenarioReport>> entries_;  // per plan, once known
  std::size_t printed_ = 0;                                      // entries printed, from the first
  std::size_t not_run_ = 0;                    // scenarios an interrupt kept from running
  reports::RunReport report_;
  bool bad_input_ = false;
};

}  // namespace

int run_check(const std::vector<std::string>& args) {
  std::optional<CheckOptions> options = parse_check_options(args);
  if (!options) return exit_pass;
  return CheckCommand{std::move(*options)}.run();
}

}  // namespace mqttsim::cli
