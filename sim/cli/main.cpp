// mqttsim: dispatches to a subcommand. Exit codes follow the CLI contract in
// ../shared/DESIGN.md: 0 pass, 1 fail, 2 bad usage or bad input.

#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "command.hpp"

namespace {

void print_help(std::ostream& out) {
  out << "mqttsim " MQTTSIM_VERSION
         ": a deterministic simulator and conformance harness for MQTT persistent sessions\n\n"
         "usage: mqttsim COMMAND [OPTIONS] [ARGS...]\n"
         "       mqttsim COMMAND --help\n\n"
         "commands:\n";
  for (const auto& command : mqttsim::cli::commands()) {
    out << "  " << command.synopsis << "\n      " << command.summary << "\n";
  }
  out << "\nexit codes: 0 pass, 1 a scenario or check failed, 2 bad usage or bad input\n";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace mqttsim::cli;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    print_help(std::cerr);
    return exit_bad_input;
  }
  const std::string& name = args.front();
  if (name == "--help" || name == "-h" || name == "help") {
    print_help(std::cout);
    return exit_pass;
  }
  if (name == "--version") {
    std::cout << "mqttsim " MQTTSIM_VERSION "\n";
    return exit_pass;
  }
  for (const auto& command : commands()) {
    if (command.name != name) continue;
    try {
      return command.run(std::vector<std::string>(args.begin() + 1, args.end()));
    } catch (const UsageError& error) {
      std::cerr << "mqttsim " << name << ": " << error.what() << "\n";
      return exit_bad_input;
    } catch (const std::exception& error) {
      std::cerr << "mqttsim " << name << ": internal error: " << error.what() << "\n";
      return exit_bad_input;
    }
  }
  std::cerr << "mqttsim: unknown command '" << name << "' (see mqttsim --help)\n";
  return exit_bad_input;
}
