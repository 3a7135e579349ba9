// mqttsim merge [--json F] [--junit F] REPORT.json...
//
// Combines the JSON reports of runs split into parts (`explore --shard
// i/n` on n machines, or any run split by its files) into one report, the
// JSON and JUnit an unsplit run would have written: the scenarios of every
// part, in the unsplit run's order, and the summary over all of them.
//
// Order: explore's parts hold interleaved seeds, so their scenarios are put
// back in seed order, and a seed two parts both ran is an error (parts
// that overlap are not parts of one run). Other reports are joined in the
// order given. Every report must come from the same tool ("mqttsim
// explore" with "mqttsim explore"), and one marked interrupted makes the
// merged one interrupted too. Exit codes: 0 every scenario passed (or was
// skipped); 1 one failed; 2 bad usage, a report that does not read, or a
// merged report that could not be written.

#include <algorithm>
#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "command.hpp"
#include "output_files.hpp"
#include "reports/json_reader.hpp"
#include "reports/run_report.hpp"
#include "scenario_outcome.hpp"

namespace mqttsim::cli {

namespace {

namespace po = boost::program_options;

struct Options {
  std::vector<std::string> reports;
  std::optional<std::string> json_path;
  std::optional<std::string> junit_path;
};

std::optional<Options> parse(const std::vector<std::string>& args) {
  Options parsed;
  std::string json, junit;
  po::options_description options{"mqttsim merge [--json F] [--junit F] REPORT.json..."};
  options.add_options()("help,h", "this help")("json", po::value(&json),
                                               "write the merged JSON report to F")(
      "junit", po::value(&junit), "write the merged JUnit XML report to F")(
      "report", po::value(&parsed.reports), "the JSON reports of the parts");
  po::positional_options_description positional;
  positional.add("report", -1);
  po::variables_map values;
  try {
    po::store(po::command_line_parser(args).options(options).positional(positional).run(), values);
    if (values.count("help")) {
      std::cout << options
                << "\nCombines the JSON reports of a run split into parts (such as explore "
                   "--shard i/n on n machines) into the report the unsplit run would have "
                   "written: explore's seeds back in seed order, other runs' scenarios in the "
                   "order given, one summary. Exit codes: 0 every scenario passed; 1 one "
                   "failed; 2 bad usage or a report that does not read.\n";
      return std::nullopt;
    }
    po::notify(values);
  } catch (const po::error& error) {
    throw UsageError(std::string{error.what()} + " (see mqttsim merge --help)");
  }
  if (parsed.reports.empty()) throw UsageError{"give the JSON reports to merge (see --help)"};
  if (values.count("json")) parsed.json_path = json;
  if (values.count("junit")) parsed.junit_path = junit;
  return parsed;
}

bool is_explore(const reports::RunReport& report) {
  return report.tool.starts_with("mqttsim explore");
}

// The parts as one report; an error message when they are not parts of
// one run.
Expected<reports::RunReport, std::string> combine(const std::vector<std::string>& paths,
                                                  std::vector<reports::RunReport> parts) {
  reports::RunReport merged{.tool = parts.front().tool,
                            .timestamp = parts.front().timestamp,
                            .hostname = parts.front().hostname,
                            .trace_level = parts.front().trace_level};
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].tool != merged.tool) {
      return Unexpected{paths[i] + " is a report of '" + parts[i].tool + "', but " + paths[0] +
                        " is one of '" + merged.tool + "': only parts of one run merge"};
    }
    if (parts[i].trace_level != merged.trace_level) {
      const auto level = [](const std::string& l) { return l.empty() ? std::string{"full"} : l; };
      return Unexpected{paths[i] + " kept the trace '" + level(parts[i].trace_level) + "', but " +
                        paths[0] + " kept it '" + level(merged.trace_level) +
                        "': only parts of one run merge"};
    }
    merged.interrupted = merged.interrupted || parts[i].interrupted;
    for (reports::ScenarioReport& scenario : parts[i].scenarios) {
      merged.scenarios.push_back(std::move(scenario));
    }
  }
  if (!is_explore(merged)) return merged;
  std::stable_sort(merged.scenarios.begin(), merged.scenarios.end(),
                   [](const auto& a, const auto& b) { return a.seed < b.seed; });
  const auto twice = std::adjacent_find(merged.scenarios.begin(), merged.scenarios.end(),
                                        [](const auto& a, const auto& b) { return a.seed == b.seed; });
  if (twice != merged.scenarios.end()) {
    return Unexpected{"seed " + std::to_string(twice->seed) +
                      " is in more than one report: parts of one explore run (--shard i/n) "
                      "hold different seeds"};
  }
  return merged;
}

void print_failures(const reports::RunReport& merged) {
  for (const reports::ScenarioReport& entry : merged.scenarios) {
    if (entry.status != reports::Status::failed && entry.status != reports::Status::error) {
      continue;
    }
    const std::string trace = entry.trace_hash.empty() ? "no trace" : "trace " + entry.trace_hash;
    std::printf("%s %s [seed %llu, %s]\n",
                entry.status == reports::Status::failed ? "FAIL" : "ERROR", entry.file.c_str(),
                static_cast<unsigned long long>(entry.seed), trace.c_str());
    if (entry.status == reports::Status::error) std::printf("  error: %s\n", entry.error.c_str());
    print_findings(entry);
  }
}

}  // namespace

int run_merge(const std::vector<std::string>& args) {
  const std::optional<Options> options = parse(args);
  if (!options) return exit_pass;
  std::vector<reports::RunReport> parts;
  for (const std::string& path : options->reports) {
    auto read = reports::read_json_report_file(path);
    if (!read) {
      std::cerr << "mqttsim merge: " << to_string(read.error()) << "\n";
      return exit_bad_input;
    }
    parts.push_back(std::move(*read));
  }
  auto merged = combine(options->reports, std::move(parts));
  if (!merged) {
    std::cerr << "mqttsim merge: " << merged.error() << "\n";
    return exit_bad_input;
  }
  print_failures(*merged);
  const reports::Summary summary = merged->summary();
  std::printf("merged %zu reports of %s: %zu passed, %zu failed, %zu errors, %zu skipped (%zu%s)\n",
              options->reports.size(), merged->tool.c_str(), summary.passed, summary.failed,
              summary.errors, summary.skipped, summary.total(),
              merged->interrupted ? ", interrupted before the end" : "");
  std::fflush(stdout);
  if (!write_run_reports("merge", *merged, options->json_path, options->junit_path)) {
    return exit_bad_input;
  }
  if (summary.errors > 0) return exit_bad_input;
  return summary.failed > 0 ? exit_fail : exit_pass;
}

}  // namespace mqttsim::cli
