// mqttsim explore [--seeds N | A..B] [--clients A..B] [--protocol mixed|3.1.1|5.0]
//                 [--faults none|light|heavy] [--profile P] [--jobs J] [--shard i/n]
//                 [--shrink [--shrink-budget N]] [--out DIR] [--json F] [--junit F]
//                 [--broker HOST:PORT ...check's broker options...]
//
// Generates one scenario per seed (sim/explore/generator.hpp) and plays it,
// against the reference broker in simulated time or, with --broker,
// against the broker under test in real time (seed_explorer.hpp), and
// judges it with the oracle alone. A failing seed is saved as a scenario
// file in the landed language (DIR/explore-seed-N.yaml, `workload: true`),
// which `mqttsim run` replays to the same trace hash and `mqttsim check`
// plays against a real broker, beside DIR/explore-seed-N.txt: the findings
// (check, spec ids, trace range) and the command that reproduces them.
//
// --jobs J plays the seeds in J worker processes (worker_pool.hpp); the
// output, the reports and the saved files are the same whatever J is.
// SIGINT and SIGTERM stop the run between seeds: what was explored is
// printed and reported (marked interrupted), and the exit code is 130.
// Exit codes (DESIGN.md): 0 no seed failed (with --known-deviations: the
// findings were exactly the known ones), 1 a seed failed, 2 bad usage or a
// file not written, 130 interrupted.

#include <unistd.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "broker_under_test.hpp"
#include "check_options.hpp"
#include "command.hpp"
#include "explore/generator.hpp"
#include "interrupt.hpp"
#include "output_files.hpp"
#include "reports/run_report.hpp"
#include "scenario/load_error.hpp"
#include "scenario/profile_loader.hpp"
#include "scenario_outcome.hpp"
#include "seed_option.hpp"
#include "seed_explorer.hpp"
#include "worker_pool.hpp"

namespace mqttsim::cli {

namespace {

namespace po = boost::program_options;
namespace fs = std::filesystem;

constexpr std::uint64_t seeds_count_max = 1'000'000;
// Without --seeds.
constexpr std::uint64_t default_seed_count = 100;
// Candidates --shrink plays per failing seed, without --shrink-budget: in
// simulation each takes milliseconds.
constexpr std::uint64_t default_shrink_budget = 3'000;
// Plain progress lines (not on a terminal): one per this many seeds.
constexpr std::uint64_t progress_every = 100;

// Candidates --shrink plays per failing seed against a real broker: each
// is a real-time run of seconds.
constexpr std::uint64_t default_broker_shrink_budget = 30;

struct Options {
  SeedRange seeds{.first = 1, .count = default_seed_count};
  std::size_t jobs = 1;
  Shard shard;
  explore::GeneratorOptions generator;
  std::string profile_name = "spec";
  fs::path out = "explore-failures";
  bool shrink = false;
  std::optional<std::uint64_t> shrink_budget;
  std::optional<CheckOptions> broker;  // --broker and the options that go with it
  std::optional<std::string> json_path;
  std::optional<std::string> junit_path;
};

SeedRange parse_seeds(const std::string& text) {
  if (text.find("..") != std::string::npos) {
    return parse_seed_range(text, "--seeds", seeds_count_max);
  }
  const std::uint64_t count = parse_seed(text, "--seeds");
  if (count == 0 || count > seeds_count_max) {
    throw UsageError{"--seeds N takes a count from 1 to " + std::to_string(seeds_count_max) +
                     " (seeds 1..N), or a range A..B"};
  }
  return {.first = 1, .count = count};
}

void parse_clients(const std::string& text, explore::GeneratorOptions& generator) {
  const std::string why = "--clients takes a range A..B of client counts from 2 to " +
                          std::to_string(explore::generated_clients_limit) +
                          ", such as 2..20, not '" + text + "'";
  const std::size_t dots = text.find("..");
  std::uint64_t low = 0;
  std::uint64_t high = 0;
  try {
    low = dots == std::string::npos ? parse_seed(text, "--clients")
                                    : parse_seed(text.substr(0, dots), "--clients");
    high = dots == std::string::npos ? low : parse_seed(text.substr(dots + 2), "--clients");
  } catch (const UsageError&) {
    throw UsageError{why};
  }
  if (low < 2 || high < low || high > explore::generated_clients_limit) throw UsageError{why};
  generator.clients_min = static_cast<std::uint32_t>(low);
  generator.clients_max = static_cast<std::uint32_t>(high);
}

explore::ProtocolMix parse_protocol(const std::string& text) {
  if (text == "mixed") return explore::ProtocolMix::mixed;
  if (text == "3.1.1") return explore::ProtocolMix::v3_1_1;
  if (text == "5.0") return explore::ProtocolMix::v5_0;
  throw UsageError{"--protocol takes mixed, 3.1.1 or 5.0, not '" + text + "'"};
}

explore::FaultLevel parse_faults(const std::string& text) {
  if (text == "none") return explore::FaultLevel::none;
  if (text == "light") return explore::FaultLevel::light;
  if (text == "heavy") return explore::FaultLevel::heavy;
  throw UsageError{"--faults takes none, light or heavy, not '" + text + "'"};
}

// nullopt: --help was shown.
std::optional<Options> parse(const std::vector<std::string>& args) {
  Options parsed;
  std::string seeds, clients, protocol, faults, out, json, junit, shrink_budget, shard, jobs;
  CheckOptions broker;
  BrokerOptionTexts broker_texts;
  po::options_description options{
      "mqttsim explore [--seeds N | A..B] [--clients A..B] [--protocol mixed|3.1.1|5.0] "
      "[--faults none|light|heavy] [--profile P] [--jobs J] [--shard i/n] "
      "[--shrink [--shrink-budget N]] [--out DIR] [--json F] [--junit F] "
      "[--broker HOST:PORT [broker options]]"};
  options.add_options()("help,h", "this help")("seeds", po::value(&seeds),
                                               "seeds 1..N, or the range A..B (default: 1..100)")(
      "clients", po::value(&clients), "clients per scenario, A..B within 2..50 (default 2..20)")(
      "protocol", po::value(&protocol), "mixed (default), 3.1.1 or 5.0")(
      "faults", po::value(&faults),
      "none, light (default) or heavy: the ranges each fault kind's rate is drawn from")(
      "profile", po::value(&parsed.profile_name),
      "'spec' (default) or a profile YAML file: the broker's choices where MQTT says MAY")(
      "jobs", po::value(&jobs),
      "play the seeds in J worker processes (default 1); the result does not depend on J")(
      "shard", po::value(&shard),
      "run only the i-th of n parts of the seeds (seed positions p with p mod n = i-1), "
      "for n machines whose JSON reports `mqttsim merge` combines")(
      "shrink", "shrink each failing seed to a smaller scenario that fails the same check "
                "citing the same statement, saved as DIR/explore-seed-N.shrunk.yaml")(
      "shrink-budget", po::value(&shrink_budget),
      "the most candidates --shrink plays per failing seed (default 3000 in simulation, 30 "
      "against a --broker)")(
      "out", po::value(&out),
      "where failing seeds are saved as scenario files (default: explore-failures)")(
      "json", po::value(&json), "write the JSON report to F")("junit", po::value(&junit),
                                                              "write a JUnit XML report to F");
  po::options_description broker_options{
      "Against a real broker (as mqttsim check: each seed is first played on the reference "
      "broker under --profile, and skipped when it fails there; every client id gets a random "
      "per-run prefix, every topic the seed's own root)"};
  add_broker_options(broker_options, broker, broker_texts);
  options.add(broker_options);
  po::variables_map values;
  try {
    po::store(po::command_line_parser(args).options(options).run(), values);
    if (values.count("help")) {
      std::cout
          << options
          << "\nEach seed makes one scenario: clients of both versions, persistent and clean, "
             "overlapping subscriptions, publish bursts, disconnects, crashes, takeovers and "
             "broker restarts, under a random subset of fault kinds (swarm faults), then a "
             "quiet phase in which every client reconnects. The oracle alone judges it. A "
             "failing seed is saved as DIR/explore-seed-N.yaml (replay it with mqttsim run, or "
             "mqttsim check against a broker) and DIR/explore-seed-N.txt (its findings). "
             "With --broker at a --time-scale other than 1, the generator leaves out brief "
             "MQTT intervals and half-open links (the scale does not stretch them), and "
             "broker restarts unless --restart-cmd is given. Ctrl-C stops between seeds and "
             "reports what was explored. Exit codes: 0 no seed failed (with "
             "--known-deviations: exactly the known findings); 1 a seed failed; 2 bad usage "
             "or a file that could not be written; 130 interrupted.\n";
      return std::nullopt;
    }
    po::notify(values);
  } catch (const po::error& error) {
    throw UsageError(std::string{error.what()} + " (see mqttsim explore --help)");
  }
  if (values.count("seeds")) parsed.seeds = parse_seeds(seeds);
  if (values.count("jobs")) parsed.jobs = parse_jobs(jobs);
  if (values.count("shard")) parsed.shard = parse_shard(shard, "--shard");
  if (values.count("clients")) parse_clients(clients, parsed.generator);
  if (values.count("protocol")) parsed.generator.protocol = parse_protocol(protocol);
  if (values.count("faults")) parsed.generator.faults = parse_faults(faults);
  if (values.count("out")) parsed.out = out;
  parsed.shrink = values.count("shrink") > 0;
  if (values.count("shrink-budget")) {
    parsed.shrink_budget = parse_seed(shrink_budget, "--shrink-budget");
    if (*parsed.shrink_budget == 0) throw UsageError{"--shrink-budget takes a count of at least 1"};
  }
  if (values.count("broker")) {
    read_broker_options(values, broker_texts, broker);
    // Every seed uses the same client names: runs, and workers, must not
    // meet each other's sessions on the broker.
    broker.client_prefix = true;
    if (values.count("profile")) broker.profile = parsed.profile_name;
    parsed.broker = std::move(broker);
  } else {
    for (const char* only_with_broker :
         {"known-deviations", "trace-dir", "client-prefix", "username", "password", "tls",
          "cafile", "cert", "key", "insecure", "restart-cmd", "time-scale", "settle",
          "connect-timeout"}) {
      const bool given = values.count(only_with_broker) && !values[only_with_broker].defaulted();
      const bool switched_on = given && (values[only_with_broker].value().type() != typeid(bool) ||
                                         values[only_with_broker].as<bool>());
      if (switched_on) {
        throw UsageError{std::string{"--"} + only_with_broker + " needs --broker"};
      }
    }
  }
  if (values.count("json")) parsed.json_path = json;
  if (values.count("junit")) parsed.junit_path = junit;
  try {
    parsed.generator.profile = scenario::load_profile(parsed.profile_name);
  } catch (const scenario::LoadError& error) {
    throw UsageError{std::string{"--profile: "} + error.what()};
  }
  return parsed;
}

class ExploreCommand {
 public:
  explicit ExploreCommand(Options options)
      : options_{std::move(options)}, on_terminal_{isatty(fileno(stdout)) == 1} {
    report_.tool = "mqttsim explore";
    for (std::uint64_t position = 0; position < options_.seeds.count; ++position) {
      if (options_.shard.holds(position)) seeds_.push_back(options_.seeds.first + position);
    }
    settings_.generator = options_.generator;
    settings_.out = options_.out;
    settings_.shrink = options_.shrink;
    settings_.shrink_budget = options_.shrink_budget.value_or(
        options_.broker ? default_broker_shrink_budget : default_shrink_budget);
    settings_.check = options_.broker;
  }

  int run() {
    if (options_.broker) {
      settings_.broker = prepare_broker(*options_.broker);
      report_.tool += " --broker " + to_string(options_.broker->broker);
    }
    stop_on_interrupt();
    started_ = std::chrono::steady_clock::now();
    print_headline();
    // Runs in each worker, after its fork: its own explorer (and with
    // --broker its own event loop and client id prefix).
    const auto setup = [this](std::size_t worker) -> ItemWork {
      const std::string prefix = settings_.broker ? settings_.broker->client_prefix + "w" +
                                                        std::to_string(worker + 1) + "-"
                                                  : std::string{};
      auto explorer = std::make_shared<SeedExplorer>(settings_, prefix);
      return [this, explorer](std::size_t item) {
        return encode_seed_report(explorer->explore(seeds_[item]));
      };
    };
    run_worker_pool({.items = seeds_.size(), .workers = options_.jobs}, setup,
                    [this](const ItemOutcome& outcome) { take(outcome); });
    report_.interrupted = interrupted();
    const reports::Summary summary = report_.summary();
    if (on_terminal_) std::printf("\r\033[K");
    std::printf("\n%zu passed, %zu failed, %zu errors, %zu skipped (%zu seeds, %.2f s)\n",
                summary.passed, summary.failed, summary.errors, summary.skipped, summary.total(),
                elapsed_s());
    if (not_run_ > 0) {
      std::printf("interrupted by %s: %zu seeds not run\n",
                  std::string{interrupt_signal_name()}.c_str(), not_run_);
    }
    std::fflush(stdout);
    std::optional<reports::DeviationOutcome> deviations;
    if (settings_.broker && settings_.broker->known_deviations) {
      deviations = compare_with_known_deviations(report_, *settings_.broker->known_deviations);
    }
    if (!write_run_reports("explore", report_, options_.json_path, options_.junit_path)) {
      bad_output_ = true;
    }
    if (report_.interrupted) return exit_interrupted;
    if (bad_output_ || summary.errors > 0) return exit_bad_input;
    if (deviations) return deviations->as_expected() ? exit_pass : exit_fail;
    return summary.failed > 0 ? exit_fail : exit_pass;
  }

 private:
  double elapsed_s() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  }

  void print_headline() {
    const std::string shard =
        options_.shard.count == 1
            ? std::string{}
            : " (shard " + std::to_string(options_.shard.index) + "/" +
                  std::to_string(options_.shard.count) + ": " + std::to_string(seeds_.size()) +
                  " of them)";
    std::printf(
        "mqttsim explore: seeds %llu..%llu%s, clients %u..%u, protocol %s, faults %s, "
        "profile %s, %zu worker%s, failures to %s\n",
        static_cast<unsigned long long>(options_.seeds.first),
        static_cast<unsigned long long>(options_.seeds.first + options_.seeds.count - 1),
        shard.c_str(), options_.generator.clients_min, options_.generator.clients_max,
        std::string{explore::to_string(options_.generator.protocol)}.c_str(),
        std::string{explore::to_string(options_.generator.faults)}.c_str(),
        options_.profile_name.c_str(), options_.jobs, options_.jobs == 1 ? "" : "s",
        options_.out.string().c_str());
    if (settings_.broker) {
      std::printf("mqttsim explore: %s\n", describe(*settings_.broker, *options_.broker).c_str());
    }
    std::fflush(stdout);
  }

  // A seed's outcome, in seed order: printed when it did not pass, kept
  // for the reports, counted in the progress line.
  void take(const ItemOutcome& outcome) {
    const std::uint64_t seed = seeds_[outcome.item];
    SeedReport seed_report;
    seed_report.entry = {.file = (options_.out / ("explore-seed-" + std::to_string(seed) + ".yaml"))
                                     .string(),
                         .name = "explore seed " + std::to_string(seed),
                         .status = reports::Status::error,
                         .seed = seed};
    switch (outcome.fate) {
      case ItemFate::done:
        try {
          seed_report = decode_seed_report(outcome.result);
        } catch (const std::exception& error) {
          seed_report.entry.error = std::string{"internal error: "} + error.what();
        }
        break;
      case ItemFate::failed:
        seed_report.entry.error = "internal error: " + outcome.why;
        break;
      case ItemFate::lost:
        seed_report.entry.error = outcome.why;
        break;
      case ItemFate::not_run:
        ++not_run_;
        return;  // an interrupted run reports the seeds it explored
    }
    if (!seed_report.files_written) bad_output_ = true;
    print(seed_report);
    report_.scenarios.push_back(std::move(seed_report.entry));
    progress(report_.scenarios.size());
  }

  void print(const SeedReport& seed_report) {
    const reports::ScenarioReport& entry = seed_report.entry;
    if (entry.status == reports::Status::passed) return;
    if (on_terminal_) std::printf("\r\033[K");
    const auto seed = static_cast<unsigned long long>(entry.seed);
    switch (entry.status) {
      case reports::Status::failed:
        std::printf("FAIL %s [seed %llu, %s scenario time, trace %s]\n", entry.file.c_str(), seed,
                    seconds(entry.simulated_time).c_str(), entry.trace_hash.c_str());
        print_findings(entry);
        if (!entry.reference_replay.empty()) {
          std::printf("  reference broker: %s\n", entry.reference_replay.c_str());
        }
        std::printf("%s", seed_report.shrink_summary.c_str());
        break;
      case reports::Status::skipped:
        std::printf("SKIP seed %llu: %s\n", seed, entry.skip_reason.c_str());
        break;
      default:
        std::printf("ERROR seed %llu: %s\n", seed, entry.error.c_str());
        break;
    }
    std::fflush(stdout);
  }

  void progress(std::size_t done) {
    const bool last = done == seeds_.size();
    if (!on_terminal_ && done % progress_every != 0 && !last) return;
    const double rate = static_cast<double>(done) / std::max(elapsed_s(), 1e-6);
    const double eta_s = static_cast<double>(seeds_.size() - done) / rate;
    const reports::Summary summary = report_.summary();
    std::printf("%sexplored %zu/%zu seeds, %.1f seeds/s, %zu failing, ETA %.0f s%s",
                on_terminal_ ? "\r\033[K" : "", done, seeds_.size(), rate, summary.failed, eta_s,
                on_terminal_ ? "" : "\n");
    std::fflush(stdout);
  }

  Options options_;
  std::vector<std::uint64_t> seeds_;  // this shard's, in order
  ExploreSettings settings_;
  bool on_terminal_ = false;
  std::chrono::steady_clock::time_point started_;
  reports::RunReport report_;
  std::size_t not_run_ = 0;  // seeds an interrupt kept from running
  bool bad_output_ = false;
};

}  // namespace

int run_explore(const std::vector<std::string>& args) {
  std::optional<Options> options = parse(args);
  if (!options) return exit_pass;
  return ExploreCommand{std::move(*options)}.run();
}

}  // namespace mqttsim::cli
