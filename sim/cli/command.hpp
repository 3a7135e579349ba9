#pragma once
// One subcommand of the mqttsim binary. Each lives in its own file
// (command_decode.cpp, ...) and parses its own options.

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mqttsim::cli {

// Exit codes of the CLI contract (../shared/DESIGN.md).
inline constexpr int exit_pass = 0;
inline constexpr int exit_fail = 1;
inline constexpr int exit_bad_input = 2;
inline constexpr int exit_interrupted = 130;  // SIGINT or SIGTERM (interrupt.hpp)

// Thrown for bad usage or bad input; main prints it and exits with 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Command {
  std::string_view name;
  std::string_view synopsis;  // "decode [--protocol 3.1.1|5.0] HEX..."
  std::string_view summary;   // one line for `mqttsim --help`
  int (*run)(const std::vector<std::string>& args);
};

// Every subcommand, in the order `--help` lists them.
const std::vector<Command>& commands();

}  // namespace mqttsim::cli
