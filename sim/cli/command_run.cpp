// mqttsim run [--seed N | --seeds A..B] [--check-determinism] [--json F]
//             [--junit F] [--trace-dir D] [--trace full|judged|none] PATH...
//
// Plays each scenario against the reference broker in simulated time and
// prints one line per run (scenario, verdict, seed, simulated time, trace
// hash); each failure follows with the step that failed, its location, its
// spec ids and a command that reproduces it. `--trace judged` keeps only
// what the oracle reads (the same verdicts, a smaller trace and another
// hash: the line says "judged trace"), the default for a scenario of more
// than judged_above_clients clients; `--trace none` keeps nothing, so the
// oracle gives no verdict and the output says so. Exit codes (DESIGN.md): 0 all
// passed, 1 a scenario failed, 2 bad usage or a scenario file that does not
// load (the others still run and are reported).

#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <limits>
#include <string>
#include <vector>

#include "command.hpp"
#include "output_files.hpp"
#include "reports/run_report.hpp"
#include "runner/scenario_player.hpp"
#include "scenario/scenario_loader.hpp"
#include "scenario_outcome.hpp"
#include "scenario_paths.hpp"
#include "seed_option.hpp"
#include "trace/trace.hpp"

namespace mqttsim::cli {

namespace {

namespace po = boost::program_options;
namespace fs = std::filesystem;

// A scenario without `seed:` and no --seed runs with this one.
constexpr std::uint64_t default_seed = 1;
// --seeds A..B runs at most this many seeds per scenario.
constexpr std::uint64_t seeds_range_max = 1'000'000;

struct SeedChoice {
  std::optional<std::uint64_t> first;  // nullopt: each scenario's own seed
  std::uint64_t count = 1;
};

SeedChoice parse_seeds(const std::optional<std::string>& seed,
                       const std::optional<std::string>& seeds) {
  if (seed && seeds) throw UsageError{"give --seed or --seeds, not both"};
  if (seed) return {parse_seed(*seed, "--seed"), 1};
  if (!seeds) return {};
  const SeedRange range = parse_seed_range(*seeds, "--seeds", seeds_range_max);
  return {range.first, range.count};
}

// A file name for a run's trace: the scenario's path with '/' as '_'.
std::string trace_file_name(const std::string& file, std::uint64_t seed) {
  return flat_file_stem(file) + ".seed-" + std::to_string(seed) + ".trace";
}

// Without --trace, a scenario with more clients than this (a population)
// keeps the judged trace: what every member saw would dwarf what the
// oracle reads.
constexpr std::size_t judged_above_clients = 1'000;

trace::Level default_level(const scenario::Scenario& scenario) {
  return scenario.clients.size() > judged_above_clients ? trace::Level::judged : trace::Level::full;
}

struct Options {
  SeedChoice seeds;
  bool check_determinism = false;
  std::optional<std::string> json_path;
  std::optional<std::string> junit_path;
  std::optional<std::string> trace_dir;
  std::optional<trace::Level> trace_level;  // none given: default_level()
  std::vector<std::string> paths;
};

// nullopt: --help was shown.
std::optional<Options> parse(const std::vector<std::string>& args) {
  Options parsed;
  std::string seed;
  std::string seeds;
  std::string json;
  std::string junit;
  std::string trace_dir;
  std::string trace_level;
  po::options_description options{
      "mqttsim run [--seed N | --seeds A..B] [--check-determinism] [--json F] [--junit F] "
      "[--trace-dir D] [--trace full|judged|none] PATH..."};
  options.add_options()("help,h", "this help")(
      "seed", po::value(&seed), "run every scenario with this seed (overrides the file's seed:)")(
      "seeds", po::value(&seeds), "run every scenario once per seed in A..B (inclusive)")(
      "check-determinism", po::bool_switch(&parsed.check_determinism),
      "run each scenario twice and fail if the traces differ (names the first difference)")(
      "json", po::value(&json), "write the JSON report to F")("junit", po::value(&junit),
                                                              "write a JUnit XML report to F")(
      "trace-dir", po::value(&trace_dir),
      "write each run's trace (as --trace keeps it) to a file in D")(
      "trace", po::value(&trace_level),
      "how much of each run to keep: full (the default up to 1000 clients), judged (only what "
      "the oracle reads: the same verdicts, less memory; the default above) or none (no oracle "
      "verdict)")("path", po::value(&parsed.paths), "scenario files or folders");
  po::positional_options_description positional;
  positional.add("path", -1);
  po::variables_map values;
  try {
    po::store(po::command_line_parser(args).options(options).positional(positional).run(), values);
    if (values.count("help")) {
      std::cout << options
                << "\nPATH is a scenario file or a folder searched for *.yaml. Exit codes: 0 "
                   "every scenario passed; 1 a scenario failed; 2 bad usage or a scenario file "
                   "that does not load.\n";
      return std::nullopt;
    }
    po::notify(values);
  } catch (const po::error& error) {
    throw UsageError(std::string{error.what()} + " (see mqttsim run --help)");
  }
  if (parsed.paths.empty())
    throw UsageError{"give at least one scenario file or folder (see --help)"};
  parsed.seeds = parse_seeds(values.count("seed") ? std::optional{seed} : std::nullopt,
                             values.count("seeds") ? std::optional{seeds} : std::nullopt);
  if (values.count("json")) parsed.json_path = json;
  if (values.count("junit")) parsed.junit_path = junit;
  if (values.count("trace-dir")) parsed.trace_dir = trace_dir;
  if (values.count("trace")) {
    parsed.trace_level = trace::parse_level(trace_level);
    if (!parsed.trace_level) {
      throw UsageError{"--trace takes full, judged or none, not '" + trace_level + "'"};
    }
  }
  if (parsed.trace_level == trace::Level::none && parsed.check_determinism) {
    throw UsageError{"--check-determinism compares traces: it needs --trace full or judged"};
  }
  if (parsed.trace_level == trace::Level::none && parsed.trace_dir) {
    throw UsageError{"--trace-dir writes traces: it needs --trace full or judged"};
  }
  return parsed;
}

class RunCommand {
 public:
  explicit RunCommand(Options options) : options_{std::move(options)} {
    report_.tool = "mqttsim run";
    if (options_.trace_level && options_.trace_level != trace::Level::full) {
      report_.trace_level = std::string{trace::to_string(*options_.trace_level)};
    }
  }

  int run() {
    const auto started = std::chrono::steady_clock::now();
    if (!visit_scenario_files(options_.paths, "run",
                              [this](const std::string& file) { run_file(file); })) {
      bad_input_ = true;
    }
    const double wall_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const reports::Summary summary = report_.summary();
    std::printf("\n%zu passed, %zu failed, %zu errors (%zu runs, %.2f s)\n", summary.passed,
                summary.failed, summary.errors, summary.total(), wall_s);
    if (options_.trace_level == trace::Level::none) {
      std::printf(
          "no oracle verdict: --trace none kept no trace, so only the steps' own expectations "
          "were judged\n");
    }
    std::fflush(stdout);
    write_reports();
    if (bad_input_ || summary.errors > 0) return exit_bad_input;
    return summary.failed > 0 ? exit_fail : exit_pass;
  }

 private:
  void run_file(const std::string& file) {
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
    const std::uint64_t first = options_.seeds.first.value_or(loaded.seed.value_or(default_seed));
    for (std::uint64_t i = 0; i < options_.seeds.count; ++i) run_once(loaded, first + i);
  }

  void run_once(const scenario::Scenario& loaded, std::uint64_t seed) {
    const auto started = std::chrono::steady_clock::now();
    const trace::Level level = options_.trace_level.value_or(default_level(loaded));
    const runner::RunOptions run_options{.seed = seed, .trace_level = level};
    runner::RunResult result = runner::run_scenario(loaded, run_options);
    const bool traced = level != trace::Level::none;
    reports::ScenarioReport entry{
        .file = loaded.file,
        .name = loaded.name,
        .status = reports::Status::passed,
        .seed = seed,
        .trace_hash = traced ? trace::hash_hex(trace::hash(result.trace)) : "",
        .simulated_time = result.end_time - TimePoint::origin()};
    add_findings(entry, loaded, result);
    if (result.aborted) {
      entry.findings.push_back({.check = "event-budget", .message = result.abort_reason});
    }
    if (options_.check_determinism) {
      const runner::RunResult again = runner::run_scenario(loaded, run_options);
      if (const auto difference = trace::first_difference(result.trace, again.trace)) {
        entry.findings.push_back(
            {.check = "determinism",
             .message = "a second run with the same seed differs at trace event " +
                        std::to_string(difference->index) + ": first run '" + difference->left +
                        "', second run '" + difference->right + "'"});
      }
    }
    add_judged(entry, loaded, result);
    if (!entry.findings.empty()) {
      entry.status = reports::Status::failed;
      entry.reproducer =
          "mqttsim run --seed " + std::to_string(seed) +
          (options_.check_determinism ? " --check-determinism" : "") +
          (level != default_level(loaded) ? " --trace " + std::string{trace::to_string(level)}
                                          : "") +
          " " + loaded.file;
    }
    entry.wall_time_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    print(entry, level);
    if (options_.trace_dir) write_trace(loaded.file, seed, result.trace);
    report_.scenarios.push_back(std::move(entry));
  }

  void print(const reports::ScenarioReport& entry, trace::Level level) {
    const bool passed = entry.status == reports::Status::passed;
    const std::string trace = level == trace::Level::none     ? "no trace"
                              : level == trace::Level::judged ? "judged trace " + entry.trace_hash
                                                              : "trace " + entry.trace_hash;
    std::printf("%s %s - %s [seed %llu, %s simulated, %s]\n", passed ? "PASS" : "FAIL",
                entry.file.c_str(), entry.name.c_str(), static_cast<unsigned long long>(entry.seed),
                seconds(entry.simulated_time).c_str(), trace.c_str());
    print_findings(entry);
  }

  void write_trace(const std::string& file, std::uint64_t seed, const trace::Trace& trace) {
    const fs::path target = fs::path{*options_.trace_dir} / trace_file_name(file, seed);
    if (!write_output_file("run", target, trace::serialise(trace))) bad_input_ = true;
  }

  void write_reports() {
    if (!write_run_reports("run", report_, options_.json_path, options_.junit_path))
      bad_input_ = true;
  }

  Options options_;
  reports::RunReport report_;
  bool bad_input_ = false;
};

}  // namespace

int run_run(const std::vector<std::string>& args) {
  std::optional<Options> options = parse(args);
  if (!options) return exit_pass;
  return RunCommand{std::move(*options)}.run();
}

}  // namespace mqttsim::cli
