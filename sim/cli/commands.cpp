#include "command.hpp"

namespace mqttsim::cli {

// Each subcommand's entry point, defined in its command_NAME.cpp.
int run_run(const std::vector<std::string>& args);
int run_check(const std::vector<std::string>& args);
int run_explore(const std::vector<std::string>& args);
int run_merge(const std::vector<std::string>& args);
int run_coverage(const std::vector<std::string>& args);
int run_decode(const std::vector<std::string>& args);
int run_serve(const std::vector<std::string>& args);
int run_validate(const std::vector<std::string>& args);

const std::vector<Command>& commands() {
  static const std::vector<Command> all = {
      {"run",
       "run [--seed N | --seeds A..B] [--check-determinism] [--json F] [--junit F] "
       "[--trace-dir D] PATH...",
       "play scenarios against the reference broker in simulated time and judge them", run_run},
      {"check",
       "check --broker HOST:PORT [--profile P] [--json F] [--junit F] [--report F.md] "
       "[--time-scale X] "
       "[--settle D] [--client-prefix [--jobs J]] [--username U --password P] [--tls [--cafile F] "
       "[--cert F --key F] [--insecure]] [--restart-cmd CMD] [--seed N] PATH...",
       "play scenarios in real time against an external broker over TCP or TLS, through a "
       "fault proxy, and judge them",
       run_check},
      {"explore",
       "explore [--seeds N | A..B] [--clients A..B] [--protocol mixed|3.1.1|5.0] "
       "[--faults none|light|heavy] [--profile P] [--shard i/n] [--shrink] [--out DIR] "
       "[--json F] [--junit F]",
       "generate a scenario per seed with swarm faults, play it against the reference broker "
       "and save each failing seed as a scenario file",
       run_explore},
      {"merge", "merge [--json F] [--junit F] REPORT.json...",
       "combine the JSON reports of a run split into parts (explore --shard i/n) into the "
       "JSON and JUnit of the whole run",
       run_merge},
      {"serve", "serve [--bind 127.0.0.1] --port N [--profile P]",
       "run the reference broker on TCP (MQTT 3.1.1 and 5.0)", run_serve},
      {"validate", "validate PATH...",
       "check scenario files (a file, or a folder searched for *.yaml) without running them",
       run_validate},
      {"coverage", "coverage [--list] [PATH...]",
       "which normative statements of 3.1.1 and 5.0 the scenarios exercise, per area",
       run_coverage},
      {"decode", "decode [--protocol 3.1.1|5.0] HEX...",
       "bytes -> readable packets: one line per packet, or the error with its normative id",
       run_decode},
  };
  return all;
}

}  // namespace mqttsim::cli
