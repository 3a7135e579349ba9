#include "command.hpp"

namespace mqttsim::cli {

int run_serve(const std::vector<std::string>& args);

const std::vector<Command>& commands() {
  static const std::vector<Command> all = {
      {"serve", "serve [--bind 127.0.0.1] --port N [--profile P]",
       "run the reference broker on TCP (MQTT 3.1.1 and 5.0)", run_serve},
  };
  return all;
}

}  // namespace mqttsim::cli
