#include "command.hpp"

namespace mqttsim::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> all = {};
  return all;
}

}  // namespace mqttsim::cli
