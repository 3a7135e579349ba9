#pragma once
// The options of `mqttsim check`, parsed and checked (check_options.cpp), and
// the command line that reproduces one scenario's run with them.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <boost/program_options/options_description.hpp>
#include <boost/program_options/variables_map.hpp>

#include "base/time.hpp"
#include "transport/broker_stream.hpp"

namespace mqttsim::cli {

struct CheckOptions {
  transport::BrokerAddress broker;
  bool tls = false;
  transport::TlsSettings tls_settings;
  std::optional<std::string> username;
  std::optional<std::string> password;
  std::optional<std::string> profile;  // as given; replaces each scenario's
  std::uint32_t time_scale_per_mille = 1'000;
  std::string time_scale_text = "1";  // as given, for the reproducer
  Duration settle = Duration::from_ms(200);
  std::string settle_text = "200ms";
  bool client_prefix = false;
  // Worker processes that play scenarios side by side (needs client_prefix
  // when above 1).
  std::size_t jobs = 1;
  std::string restart_command;
  std::optional<std::uint64_t> seed;  // default: the scenario's seed, else 1
  Duration connect_timeout = Duration::from_s(10);
  std::optional<std::string> json_path;
  std::optional<std::string> junit_path;
  std::optional<std::string> report_path;  // the Markdown conformance report
  std::optional<std::string> trace_dir;
  std::optional<std::string> known_deviations_path;
  std::vector<std::string> paths;
};

// nullopt: --help was printed. Throws UsageError.
std::optional<CheckOptions> parse_check_options(const std::vector<std::string>& args);

// The options of the broker under test that `check` and `explore --broker`
// share (the broker's address, TLS, credentials, time scale, settle,
// --client-prefix, --restart-cmd, --connect-timeout, --known-deviations,
// --trace-dir): added to a command's options, then read once parsed.
struct BrokerOptionTexts {
  std::string broker, connect_timeout, username, password, known_deviations, trace_dir;
};
void add_broker_options(boost::program_options::options_description& options,
                        CheckOptions& into, BrokerOptionTexts& texts);
// Throws UsageError. `--broker` must have been given.
void read_broker_options(const boost::program_options::variables_map& values,
                         const BrokerOptionTexts& texts, CheckOptions& into);

// --jobs J: a count of worker processes, 1 to pool_workers_max. Throws UsageError.
std::size_t parse_jobs(const std::string& text);

// "mqttsim check --broker H:P [the options that change the run] --seed N FILE".
std::string reproducer(const CheckOptions& options, std::uint64_t seed, const std::string& file);

// "10" -> 10000, "0.5" -> 500: a factor with at most three decimals, in
// thousandths, within runner::TimeScale's bounds. Throws UsageError.
std::uint32_t parse_time_scale(const std::string& text);

}  // namespace mqttsim::cli
