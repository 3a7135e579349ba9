// mqttsim explore [--seeds N | A..B] [--clients A..B] [--protocol mixed|3.1.1|5.0]
//                 [--faults none|light|heavy] [--profile P] [--out DIR] [--json F] [--junit F]
//
// Generates one scenario per seed (sim/explore/generator.hpp), plays it
// against the reference broker in simulated time, and judges it with the
// oracle alone. A failing seed is saved as a scenario file in the landed
// language (DIR/explore-seed-N.yaml, `workload: true`), which `mqttsim run`
// replays to the same trace hash and `mqttsim check` plays against a real
// broker, beside DIR/explore-seed-N.txt: the findings (check, spec ids,
// trace range) and the command that reproduces them.
//
// Every seed is played from the text it would be saved as, so that what is
// reported is exactly what the saved file replays. Exit codes (DESIGN.md):
// 0 no seed failed, 1 a seed failed, 2 bad usage or a file not written.

#include <unistd.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "command.hpp"
#include "explore/explore_seed.hpp"
#include "output_files.hpp"
#include "reports/run_report.hpp"
#include "runner/scenario_player.hpp"
#include "scenario/profile_loader.hpp"
#include "scenario_outcome.hpp"
#include "seed_option.hpp"
#include "trace/trace.hpp"

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

struct Options {
  SeedRange seeds{.first = 1, .count = default_seed_count};
  Shard shard;
  explore::GeneratorOptions generator;
  std::string profile_name = "spec";
  fs::path out = "explore-failures";
  bool shrink = false;
  std::uint64_t shrink_budget = default_shrink_budget;
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
  std::string seeds, clients, protocol, faults, out, json, junit, shrink_budget, shard;
  po::options_description options{
      "mqttsim explore [--seeds N | A..B] [--clients A..B] [--protocol mixed|3.1.1|5.0] "
      "[--faults none|light|heavy] [--profile P] [--shard i/n] [--shrink [--shrink-budget N]] "
      "[--out DIR] "
      "[--json F] [--junit F]"};
  options.add_options()("help,h", "this help")("seeds", po::value(&seeds),
                                               "seeds 1..N, or the range A..B (default: 1..100)")(
      "clients", po::value(&clients), "clients per scenario, A..B within 2..50 (default 2..20)")(
      "protocol", po::value(&protocol), "mixed (default), 3.1.1 or 5.0")(
      "faults", po::value(&faults),
      "none, light (default) or heavy: the ranges each fault kind's rate is drawn from")(
      "profile", po::value(&parsed.profile_name),
      "'spec' (default) or a profile YAML file: the broker's choices where MQTT says MAY")(
      "shard", po::value(&shard),
      "run only the i-th of n parts of the seeds (seed positions p with p mod n = i-1), "
      "for n machines whose JSON reports `mqttsim merge` combines")(
      "shrink", "shrink each failing seed to a smaller scenario that fails the same check "
                "citing the same statement, saved as DIR/explore-seed-N.shrunk.yaml")(
      "shrink-budget", po::value(&shrink_budget),
      "the most candidates --shrink plays per failing seed (default 3000)")(
      "out", po::value(&out),
      "where failing seeds are saved as scenario files (default: explore-failures)")(
      "json", po::value(&json), "write the JSON report to F")("junit", po::value(&junit),
                                                              "write a JUnit XML report to F");
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
             "failing seed is saved as DIR/explore-seed-N.yaml (replay it with mqttsim run) "
             "and DIR/explore-seed-N.txt (its findings). Exit codes: 0 no seed failed; 1 a "
             "seed failed; 2 bad usage or a file that could not be written.\n";
      return std::nullopt;
    }
    po::notify(values);
  } catch (const po::error& error) {
    throw UsageError(std::string{error.what()} + " (see mqttsim explore --help)");
  }
  if (values.count("seeds")) parsed.seeds = parse_seeds(seeds);
  if (values.count("shard")) parsed.shard = parse_shard(shard, "--shard");
  if (values.count("clients")) parse_clients(clients, parsed.generator);
  if (values.count("protocol")) parsed.generator.protocol = parse_protocol(protocol);
  if (values.count("faults")) parsed.generator.faults = parse_faults(faults);
  if (values.count("out")) parsed.out = out;
  parsed.shrink = values.count("shrink") > 0;
  if (values.count("shrink-budget")) {
    parsed.shrink_budget = parse_seed(shrink_budget, "--shrink-budget");
    if (parsed.shrink_budget == 0) throw UsageError{"--shrink-budget takes a count of at least 1"};
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
      : options_{std::move(options)},
        to_explore_{options_.shard.share_of(options_.seeds.count)},
        on_terminal_{isatty(fileno(stdout)) == 1} {
    report_.tool = "mqttsim explore";
  }

  int run() {
    started_ = std::chrono::steady_clock::now();
    const std::string shard =
        options_.shard.count == 1
            ? std::string{}
            : " (shard " + std::to_string(options_.shard.index) + "/" +
                  std::to_string(options_.shard.count) + ": " + std::to_string(to_explore_) +
                  " of them)";
    std::printf(
        "mqttsim explore: seeds %llu..%llu%s, clients %u..%u, protocol %s, faults %s, "
        "profile %s, failures to %s\n",
        static_cast<unsigned long long>(options_.seeds.first),
        static_cast<unsigned long long>(options_.seeds.first + options_.seeds.count - 1),
        shard.c_str(),
        options_.generator.clients_min, options_.generator.clients_max,
        std::string{explore::to_string(options_.generator.protocol)}.c_str(),
        std::string{explore::to_string(options_.generator.faults)}.c_str(),
        options_.profile_name.c_str(), options_.out.string().c_str());
    std::fflush(stdout);
    std::uint64_t done = 0;
    for (std::uint64_t position = 0; position < options_.seeds.count; ++position) {
      if (!options_.shard.holds(position)) continue;
      explore_seed(options_.seeds.first + position);
      progress(++done);
    }
    const reports::Summary summary = report_.summary();
    if (on_terminal_) std::printf("\r\033[K");
    std::printf("\n%zu passed, %zu failed, %zu errors (%zu seeds, %.2f s)\n", summary.passed,
                summary.failed, summary.errors, summary.total(), elapsed_s());
    std::fflush(stdout);
    write_reports();
    if (bad_output_ || summary.errors > 0) return exit_bad_input;
    return summary.failed > 0 ? exit_fail : exit_pass;
  }

 private:
  double elapsed_s() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  }

  fs::path saved_path(std::uint64_t seed, const char* extension) const {
    return options_.out / ("explore-seed-" + std::to_string(seed) + extension);
  }

  void explore_seed(std::uint64_t seed) {
    const auto started = std::chrono::steady_clock::now();
    const fs::path file = saved_path(seed, ".yaml");
    reports::ScenarioReport entry{.file = file.string(),
                                  .name = "explore seed " + std::to_string(seed),
                                  .status = reports::Status::passed,
                                  .seed = seed};
    explore::ExploredSeed explored;
    try {
      explored = explore::explore_seed(seed, options_.generator, file.string());
    } catch (const std::exception& error) {
      // A generator that writes what the language cannot say is our bug.
      entry.status = reports::Status::error;
      entry.error = std::string{"the generated scenario cannot be saved: "} + error.what();
      std::printf("ERROR seed %llu: %s\n", static_cast<unsigned long long>(seed),
                  entry.error.c_str());
      report_.scenarios.push_back(std::move(entry));
      return;
    }
    const runner::RunResult& result = explored.result;
    entry.trace_hash = trace::hash_hex(trace::hash(result.trace));
    entry.simulated_time = result.end_time - TimePoint::origin();
    add_findings(entry, explored.scenario, result);
    if (result.aborted) {
      entry.findings.push_back({.check = "event-budget", .message = result.abort_reason});
    }
    add_judged(entry, explored.scenario, result);
    entry.wall_time_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (!entry.findings.empty()) {
      entry.status = reports::Status::failed;
      entry.reproducer = "mqttsim run " + file.string();
      save(seed, explored, entry);
    }
    report_.scenarios.push_back(std::move(entry));
  }

  void save(std::uint64_t seed, const explore::ExploredSeed& explored,
            const reports::ScenarioReport& entry) {
    if (on_terminal_) std::printf("\r\033[K");
    std::printf("FAIL %s [seed %llu, %s simulated, trace %s]\n", entry.file.c_str(),
                static_cast<unsigned long long>(seed), seconds(entry.simulated_time).c_str(),
                entry.trace_hash.c_str());
    print_findings(entry);
    std::error_code ignored;
    fs::create_directories(options_.out, ignored);
    if (!write_output_file("explore", saved_path(seed, ".yaml"), explored.yaml) ||
        !write_output_file("explore", saved_path(seed, ".txt"),
                           explore::findings_text(explored, seed))) {
      bad_output_ = true;
    }
    if (options_.shrink) save_shrunk(seed, explored);
  }

  void save_shrunk(std::uint64_t seed, const explore::ExploredSeed& explored) {
    const auto started = std::chrono::steady_clock::now();
    const fs::path file = saved_path(seed, ".shrunk.yaml");
    const explore::ShrunkSeed shrunk =
        explore::shrink_seed(explored, seed, file.string(), options_.shrink_budget);
    const double took =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::printf("  shrunk in %.2f s (%zu candidates%s), keeping %s:\n    from %s\n    to   %s\n"
                "  replay: mqttsim run %s\n",
                took, shrunk.tried, shrunk.budget_ran_out ? ", budget spent" : "",
                explore::to_string(shrunk.kept).c_str(), explore::to_string(shrunk.before).c_str(),
                explore::to_string(shrunk.after).c_str(), file.string().c_str());
    std::fflush(stdout);
    if (!write_output_file("explore", file, shrunk.shrunk.yaml) ||
        !write_output_file("explore", saved_path(seed, ".shrunk.txt"),
                           explore::findings_text(shrunk, seed))) {
      bad_output_ = true;
    }
  }

  void progress(std::uint64_t done) {
    const bool last = done == to_explore_;
    if (!on_terminal_ && done % progress_every != 0 && !last) return;
    const double rate = static_cast<double>(done) / std::max(elapsed_s(), 1e-6);
    const double eta_s = static_cast<double>(to_explore_ - done) / rate;
    const reports::Summary summary = report_.summary();
    std::printf("%sexplored %llu/%llu seeds, %.1f seeds/s, %zu failing, ETA %.0f s%s",
                on_terminal_ ? "\r\033[K" : "", static_cast<unsigned long long>(done),
                static_cast<unsigned long long>(to_explore_), rate, summary.failed, eta_s,
                on_terminal_ ? "" : "\n");
    std::fflush(stdout);
  }

  void write_reports() {
    if (!write_run_reports("explore", report_, options_.json_path, options_.junit_path))
      bad_output_ = true;
  }

  Options options_;
  std::uint64_t to_explore_;  // the seeds of this shard
  bool on_terminal_ = false;
  std::chrono::steady_clock::time_point started_;
  reports::RunReport report_;
  bool bad_output_ = false;
};

}  // namespace

int run_explore(const std::vector<std::string>& args) {
  std::optional<Options> options = parse(args);
  if (!options) return exit_pass;
  return ExploreCommand{std::move(*options)}.run();
}

}  // namespace mqttsim::cli
