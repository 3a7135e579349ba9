// mqttsim check --broker HOST:PORT [options] PATH...
//
// Plays each scenario against an external broker in real time (runner's
// TcpWorld, through the fault proxy) and judges it as `mqttsim run` does:
// the scenario's expectations and the oracle. Prints one line per scenario
// (PASS, FAIL, SKIP or ERROR, wall time, trace hash), each failure with
// its location, spec ids and a reproducer, then a summary. Options and exit
// codes: check_options.cpp.

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <random>

#include "check_options.hpp"
#include "command.hpp"
#include "oracle/oracle.hpp"
#include "output_files.hpp"
#include "reports/conformance_report.hpp"
#include "reports/known_deviations.hpp"
#include "reports/run_report.hpp"
#include "runner/broker_cleanup.hpp"
#include "runner/broker_version.hpp"
#include "runner/scenario_player.hpp"
#include "runner/tcp_world.hpp"
#include "scenario/deviations_loader.hpp"
#include "scenario/load_error.hpp"
#include "scenario/profile_loader.hpp"
#include "scenario/scenario_loader.hpp"
#include "scenario_outcome.hpp"
#include "scenario_paths.hpp"
#include "spec_catalogue.hpp"
#include "transport/broker_probe.hpp"

namespace mqttsim::cli {

namespace {

namespace fs = std::filesystem;

constexpr std::uint64_t default_seed = 1;
// Each clean-up connection (before and after a scenario) waits this long.
constexpr Duration cleanup_timeout = Duration::from_s(10);
// A broker that announces no version costs the run this long, once.
constexpr Duration version_query_timeout = Duration::from_s(1);

// "ms3f9a2c-": a per-run client id prefix. The only entropy in mqttsim, and
// only here: runs against a shared broker must not meet each other's
// sessions; nothing judged depends on it.
std::string random_client_prefix() {
  std::random_device entropy;
  constexpr char hex[] = "0123456789abcdef";
  std::string prefix = "ms";
  for (int i = 0; i < 6; ++i) prefix += hex[entropy() % 16];
  return prefix + "-";
}

// A file name for a scenario's trace: the path with '/' as '_'.
std::string trace_file_name(const std::string& file) {
  return flat_file_stem(file) + ".check.trace";
}

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

class CheckCommand {
 public:
  explicit CheckCommand(CheckOptions options) : options_{std::move(options)} {
    report_.tool = "mqttsim check --broker " + to_string(options_.broker);
  }

  int run() {
    prepare();
    const auto started = std::chrono::steady_clock::now();
    if (!visit_scenario_files(options_.paths, "check",
                              [this](const std::string& file) { check_file(file); })) {
      bad_input_ = true;
    }
    const double wall_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const reports::Summary summary = report_.summary();
    std::printf("\n%zu passed, %zu failed, %zu errors, %zu skipped (%zu scenarios, %.2f s)\n",
                summary.passed, summary.failed, summary.errors, summary.skipped, summary.total(),
                wall_s);
    std::fflush(stdout);
    std::optional<reports::DeviationOutcome> deviations;
    if (known_deviations_) deviations = compare_with_known_deviations();
    write_reports(wall_s);
    if (bad_input_ || summary.errors > 0) return exit_bad_input;
    if (deviations) return deviations->as_expected() ? exit_pass : exit_fail;
    return summary.failed > 0 ? exit_fail : exit_pass;
  }

  // The run's failures against the broker's known deviations: printed, and
  // marked in the reports.
  reports::DeviationOutcome compare_with_known_deviations() {
    std::vector<reports::KnownDeviation> listed;
    for (const scenario::DeviationEntry& entry : known_deviations_->deviations) {
      listed.push_back({.scenario = entry.scenario,
                        .check = entry.check,
                        .spec = entry.spec,
                        .evidence = entry.evidence,
                        .where = entry.where,
                        .intermittent_rate = entry.intermittent_rate});
    }
    const reports::DeviationOutcome outcome = reports::apply_known_deviations(report_, listed);
    std::printf(
        "known deviations of %s: %zu findings explained, %zu unexpected, %zu no longer seen\n",
        known_deviations_->broker.c_str(), outcome.matched, outcome.unexpected.size(),
        outcome.vanished.size());
    for (const std::string& line : outcome.unexpected)
      std::printf("  unexpected: %s\n", line.c_str());
    for (const std::string& line : outcome.vanished) {
      std::printf("  no longer seen (update the file): %s\n", line.c_str());
    }
    for (const std::string& line : outcome.absent_intermittent) {
      std::printf("  intermittent, not seen this run: %s\n", line.c_str());
    }
    std::fflush(stdout);
    return outcome;
  }

  // What the reference broker does with the scenario in simulation, with
  // the same seed: under the scenario's own profile, and under the broker
  // under test's.
  struct ReferenceRuns {
    runner::RunResult own;           // fails: the scenario itself is wrong
    runner::RunResult under_broker;  // fails (own passing): it rests on a MAY
  };                                 // choice this broker makes otherwise

  ReferenceRuns run_reference(const scenario::Scenario& loaded, std::uint64_t seed) const {
    ReferenceRuns runs;
    runs.own = runner::run_scenario(loaded, {.seed = seed});
    scenario::Scenario under_profile = loaded;
    under_profile.broker.profile = broker_profile_;
    runs.under_broker = under_profile.broker.profile == loaded.broker.profile
                            ? runs.own
                            : runner::run_scenario(under_profile, {.seed = seed});
    return runs;
  }

  static std::string first_problem(const runner::RunResult& run) {
    if (!run.failures.empty()) return run.failures.front().message;
    if (!run.verdict.violations.empty()) return run.verdict.violations.front().message;
    if (run.aborted) return run.abort_reason;
    return run.skip_reason;
  }

  std::string why_skipped(const runner::RunResult& under_broker) const {
    return "it passes against the reference broker under its own profile but fails under this "
           "broker's (" +
           options_.profile.value_or("spec") +
           "), so its expectations rest on a choice the standard leaves open that this broker "
           "makes otherwise: " +
           first_problem(under_broker);
  }

  std::string replay_verdict(const ReferenceRuns& reference, std::uint64_t seed,
                             const std::string& file) const {
    const std::string how = "(simulation, seed " + std::to_string(seed) + ")";
    if (reference.under_broker.passed()) {
      return "passes " + how + " under the same profile: a deviation of the broker under test";
    }
    return "fails too " + how + ": check the scenario (mqttsim run --seed " + std::to_string(seed) +
           " " + file + "): " + first_problem(reference.own);
  }

 private:
  // The version the broker announces on $SYS, for the report (bounded wait).
  std::optional<std::string> ask_broker_version() {
    protocol::ClientOptions asking;
    asking.client_id = (prefix_.empty() ? std::string{"mqttsim-"} : prefix_) + "version";
    asking.username = options_.username;
    if (options_.password)
      asking.password = codec::Bytes(options_.password->begin(), options_.password->end());
    return runner::announced_broker_version(loop_, target_.stream, std::move(asking),
                                            version_query_timeout);
  }

  // TLS, the profile, the broker's presence: anything wrong here is a
  // usage error (exit 2) before any scenario runs.
  void prepare() {
    target_.stream.address = options_.broker;
    target_.stream.open_timeout = options_.connect_timeout;
    if (options_.tls) {
      std::string error;
      target_.stream.tls = transport::TlsContext::load(options_.tls_settings, error);
      if (!target_.stream.tls) throw UsageError{error};
    }
    if (options_.profile) {
      try {
        broker_profile_ = scenario::load_profile(*options_.profile);
      } catch (const scenario::LoadError& error) {
        throw UsageError(error.what());
      }
    }
    if (options_.known_deviations_path) {
      try {
        known_deviations_ = scenario::load_known_deviations(*options_.known_deviations_path);
      } catch (const scenario::LoadError& error) {
        throw UsageError(error.what());
      }
    }
    target_.scale = runner::TimeScale{options_.time_scale_per_mille};
    target_.settle = options_.settle;
    target_.restart_command = options_.restart_command;
    if (options_.client_prefix) prefix_ = random_client_prefix();
    if (const auto error =
            transport::probe_broker(loop_, target_.stream, options_.connect_timeout)) {
      throw UsageError{"cannot reach the broker at " + to_string(options_.broker) + ": " + *error +
                       " (is it running? is --tls needed?)"};
    }
    broker_version_ = ask_broker_version();
    std::printf("mqttsim check: broker %s%s%s, time scale %s, settle %s%s\n",
                to_string(options_.broker).c_str(), options_.tls ? " (TLS)" : "",
                broker_version_ ? (", version \"" + *broker_version_ + "\"").c_str() : "",
                options_.time_scale_text.c_str(), options_.settle_text.c_str(),
                prefix_.empty() ? "" : (", client id prefix " + prefix_).c_str());
    std::fflush(stdout);
  }

  // The scenario as it is played against this broker: prefixed client ids,
  // and the run's credentials for clients without their own. (The oracle
  // judges with the broker's profile, --profile or the plain standard.)
  scenario::Scenario adapt(scenario::Scenario loaded) const {
    for (scenario::Client& client : loaded.clients) {
      // An empty id asks the broker to assign one (MQTT-3.1.3-6, 3.1.1) or to
      // refuse it (MQTT-3.1.3-8); a prefix would change what is tested.
      if (!client.client_id.empty()) client.client_id = prefix_ + client.client_id;
      if (!client.username && options_.username) {
        client.username = options_.username;
        client.password = options_.password;
      }
    }
    return loaded;
  }

  void check_file(const std::string& file) {
    scenario::Scenario loaded;
    try {
      loaded = scenario::load_scenario_file(file);
    } catch (const scenario::LoadError& error) {
      std::printf("ERROR %s\n", error.what());
      std::fflush(stdout);
      report_.scenarios.push_back(
          {.file = file, .status = reports::Status::error, .error = error.what()});
      return;
    }
    const std::uint64_t seed = options_.seed.value_or(loaded.seed.value_or(default_seed));
    target_.seed = seed;
    const auto started = std::chrono::steady_clock::now();
    // Simulation is cheap next to a real-time run: learn first whether the
    // scenario can say anything about this broker, and how long it lasts.
    const ReferenceRuns reference = run_reference(loaded, seed);
    if (reference.own.passed() && !reference.under_broker.passed()) {
      reports::ScenarioReport entry{.file = loaded.file,
                                    .name = loaded.name,
                                    .status = reports::Status::skipped,
                                    .seed = seed,
                                    .skip_reason = why_skipped(reference.under_broker)};
      print(entry);
      report_.scenarios.push_back(std::move(entry));
      return;
    }
    target_.scenario_length = reference.under_broker.end_time - TimePoint::origin();
    loaded = adapt(std::move(loaded));
    clean_up(loaded, "before");
    runner::RunResult result;
    {
      runner::TcpWorld world{loaded, loop_, target_};
      result = runner::ScenarioPlayer{loaded, world}.play();
    }
    clean_up(loaded, "after");
    result.seed = seed;
    reports::ScenarioReport entry{.file = loaded.file,
                                  .name = loaded.name,
                                  .status = reports::Status::passed,
                                  .seed = seed,
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
        entry.reproducer = reproducer(options_, seed, loaded.file);
        entry.reference_replay = replay_verdict(reference, seed, file);
      }
    }
    entry.wall_time_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    print(entry);
    if (options_.trace_dir) write_trace(loaded.file, result.trace);
    report_.scenarios.push_back(std::move(entry));
  }

  void clean_up(const scenario::Scenario& loaded, const char* when) {
    for (const std::string& problem :
         runner::clean_up_broker(loaded, loop_, target_.stream, cleanup_timeout)) {
      std::cerr << "mqttsim check: warning: clean-up " << when << " " << loaded.file << ": "
                << problem << "\n";
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

  void write_trace(const std::string& file, const trace::Trace& trace) {
    const fs::path path = fs::path{*options_.trace_dir} / trace_file_name(file);
    if (!write_output_file("check", path, trace::serialise(trace))) bad_input_ = true;
  }

  void write_reports(double wall_s) {
    if (!write_run_reports("check", report_, options_.json_path, options_.junit_path)) {
      bad_input_ = true;
    }
    if (options_.report_path) {
      const reports::ConformanceContext context{
          .broker = to_string(options_.broker),
          .broker_version = broker_version_.value_or(""),
          .transport = options_.tls ? "TLS" : "TCP",
          .profile = options_.profile.value_or(broker_profile_.name),
          .run_time_s = wall_s};
      if (!write_output_file(
              "check", *options_.report_path,
              reports::to_conformance_markdown(report_, context, server_statements()))) {
        bad_input_ = true;
      }
    }
  }

  CheckOptions options_;
  transport::EventLoop loop_;
  runner::TcpTarget target_;
  Profile broker_profile_;  // --profile, or the plain standard
  std::string prefix_;
  std::optional<std::string> broker_version_;  // as announced on $SYS, if it was
  reports::RunReport report_;
  std::optional<scenario::KnownDeviations> known_deviations_;
  bool bad_input_ = false;
};

}  // namespace

int run_check(const std::vector<std::string>& args) {
  std::optional<CheckOptions> options = parse_check_options(args);
  if (!options) return exit_pass;
  return CheckCommand{std::move(*options)}.run();
}

}  // namespace mqttsim::cli
