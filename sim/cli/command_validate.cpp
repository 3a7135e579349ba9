// mqttsim validate PATH...
//
// Loads every scenario file without running it: each PATH is a file or a
// folder searched recursively for *.yaml, in sorted order so the output is
// the same on every machine. Prints "ok FILE (N steps)" or the located
// error per file; exits 0 when all load, 2 otherwise.

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "command.hpp"
#include "scenario/scenario_loader.hpp"
#include "scenario_paths.hpp"

namespace mqttsim::cli {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view help_text = R"help(usage: mqttsim validate PATH...

Checks scenario files without running them. PATH is a scenario file or a
folder, searched recursively for *.yaml (in sorted order). For each file it
prints "ok FILE (N steps)", or the error as FILE:LINE:COLUMN: MESSAGE.

Exit codes: 0 every file is a valid scenario; 2 a file is invalid, a PATH
does not exist, or no PATH was given.
)help";

}  // namespace

int run_validate(const std::vector<std::string>& args) {
  if (std::find(args.begin(), args.end(), "--help") != args.end()) {
    std::cout << help_text;
    return exit_pass;
  }
  if (args.empty()) throw UsageError{"give at least one scenario file or folder (see --help)"};
  for (const std::string& arg : args) {
    if (arg.size() > 1 && arg[0] == '-')
      throw UsageError{"unknown option " + arg + " (see --help)"};
  }
  int status = exit_pass;
  std::size_t files_seen = 0;
  for (const std::string& arg : args) {
    std::vector<fs::path> files;
    try {
      files = scenario_files(arg);
    } catch (const UsageError& error) {
      std::cerr << "mqttsim validate: " << error.what() << "\n";
      status = exit_bad_input;
      continue;
    }
    for (const fs::path& file : files) {
      ++files_seen;
      try {
        const scenario::Scenario loaded = scenario::load_scenario_file(file.string());
        std::cout << "ok " << file.string() << " (" << loaded.steps.size() << " steps)\n";
      } catch (const scenario::LoadError& error) {
        std::cerr << error.what() << "\n";
        status = exit_bad_input;
      }
    }
  }
  if (files_seen == 0 && status == exit_pass) {
    std::cerr << "mqttsim validate: no *.yaml files found\n";
    status = exit_bad_input;
  }
  return status;
}

}  // namespace mqttsim::cli
