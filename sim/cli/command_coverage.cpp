// mqttsim coverage [--list] [PATH...]
//
// Which normative statements of MQTT 3.1.1 and 5.0 the scenario library
// exercises. A statement whose actor is Server or Both counts as exercised
// when at least one scenario's run judged it: a checker of the oracle found
// something in the trace the statement constrains (so it would have reported
// a violation), or the scenario is tagged with it and has expectations that
// judge the run. Prints, per version, the count, the count per area, and the
// statements not exercised; --list also prints each exercised statement with
// the first scenario that exercised it. PATH defaults to scenarios/.

#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "command.hpp"
#include "runner/scenario_player.hpp"
#include "scenario/scenario_loader.hpp"
#include "scenario_paths.hpp"
#include "spec_catalogue.hpp"

namespace mqttsim::cli {

namespace {

namespace po = boost::program_options;

using StatementKey = std::pair<ProtocolVersion, std::string>;

bool counted(const Statement& statement) {
  return statement.actor == "Server" || statement.actor == "Both";
}

void print_version(ProtocolVersion version, const std::map<StatementKey, std::string>& exercised,
                   bool list) {
  std::map<std::string, std::pair<std::size_t, std::size_t>> per_area;  // exercised, total
  std::vector<const Statement*> missing;
  std::size_t total = 0;
  std::size_t hit = 0;
  for (const Statement& statement : statements(version)) {
    if (!counted(statement)) continue;
    ++total;
    auto& area = per_area[statement.area];
    ++area.second;
    if (exercised.count({version, statement.id})) {
      ++hit;
      ++area.first;
    } else {
      missing.push_back(&statement);
    }
  }
  std::printf("MQTT %s: %zu of %zu Server and Both statements exercised (%zu%%)\n",
              std::string{to_string(version)}.c_str(), hit, total, total ? hit * 100 / total : 0);
  for (const auto& [area, counts] : per_area) {
    std::printf("  %-16s %3zu / %3zu\n", area.c_str(), counts.first, counts.second);
  }
  if (list) {
    for (const Statement& statement : statements(version)) {
      const auto found = exercised.find({version, statement.id});
      if (counted(statement) && found != exercised.end()) {
        std::printf("  + %-14s %-14s by %s\n", statement.id.c_str(), statement.area.c_str(),
                    found->second.c_str());
      }
    }
  }
  for (const Statement* statement : missing) {
    std::printf("  - %-14s %-14s %s\n", statement->id.c_str(), statement->area.c_str(),
                statement->summary.c_str());
  }
}

}  // namespace

int run_coverage(const std::vector<std::string>& args) {
  bool list = false;
  std::vector<std::string> paths;
  po::options_description options{"mqttsim coverage [--list] [PATH...]"};
  options.add_options()("help,h", "this help")(
      "list", po::bool_switch(&list), "also list each exercised statement and its first scenario")(
      "path", po::value(&paths), "scenario files or folders (default: scenarios/)");
  po::positional_options_description positional;
  positional.add("path", -1);
  po::variables_map values;
  try {
    po::store(po::command_line_parser(args).options(options).positional(positional).run(), values);
    if (values.count("help")) {
      std::cout << options
                << "\nPlays each scenario against the reference broker (with its own seed) and "
                   "reports which Server and Both statements of each version were judged: by "
                   "a checker that found something the statement constrains, or by the "
                   "expectations of a scenario tagged with it.\n";
      return exit_pass;
    }
    po::notify(values);
  } catch (const po::error& error) {
    throw UsageError(std::string{error.what()} + " (see mqttsim coverage --help)");
  }
  if (paths.empty()) paths.push_back("scenarios");

  int status = exit_pass;
  std::map<StatementKey, std::string> exercised;  // -> the first scenario file
  std::set<StatementKey> known;
  for (const ProtocolVersion version : {ProtocolVersion::v3_1_1, ProtocolVersion::v5_0}) {
    for (const Statement& statement : statements(version)) known.insert({version, statement.id});
  }
  std::size_t runs = 0;
  for (const std::string& path : paths) {
    for (const auto& file : scenario_files(path)) {
      scenario::Scenario loaded;
      try {
        loaded = scenario::load_scenario_file(file.string());
      } catch (const scenario::LoadError& error) {
        std::cerr << error.what() << "\n";
        status = exit_bad_input;
        continue;
      }
      const runner::RunResult result =
          runner::run_scenario(loaded, {.seed = loaded.seed.value_or(1)});
      ++runs;
      if (!result.passed()) {
        std::cerr << "mqttsim coverage: " << loaded.file
                  << " does not pass (see mqttsim run); its statements still count where "
                     "judged\n";
      }
      for (const auto& [version, id] : result.verdict.judged) {
        exercised.try_emplace({version, id}, loaded.file);
      }
      if (scenario::has_expectations(loaded) && !result.aborted) {
        for (const scenario::SpecTag& tag : loaded.spec) {
          if (!known.count({tag.version, tag.id})) {
            std::cerr << loaded.file << ": spec tag " << tag.id << " (" << to_string(tag.version)
                      << ") is not in the catalogue\n";
            continue;
          }
          exercised.try_emplace({tag.version, tag.id}, loaded.file);
        }
      }
    }
  }
  std::printf("%zu scenarios played\n\n", runs);
  print_version(ProtocolVersion::v3_1_1, exercised, list);
  std::printf("\n");
  print_version(ProtocolVersion::v5_0, exercised, list);
  return status;
}

}  // namespace mqttsim::cli
