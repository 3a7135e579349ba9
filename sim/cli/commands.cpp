#include "command.hpp"

namespace mqttsim::cli {

// Each subcommand's entry point, defined in its command_NAME.cpp.
int run_decode(const std::vector<std::string>& args);

const std::vector<Command>& commands() {
  static const std::vector<Command> all = {
      {"decode", "decode [--protocol 3.1.1|5.0] HEX...",
       "bytes -> readable packets: one line per packet, or the error with its normative id",
       run_decode},
  };
  return all;
}

}  // namespace mqttsim::cli
