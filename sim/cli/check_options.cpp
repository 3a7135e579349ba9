#include "check_options.hpp"

#include <boost/program_options.hpp>
#include <iostream>

#include "command.hpp"
#include "runner/time_scale.hpp"
#include "scenario/units.hpp"
#include "seed_option.hpp"
#include "worker_pool.hpp"

namespace mqttsim::cli {

namespace {

namespace po = boost::program_options;

constexpr std::string_view help_tail = R"help(
Plays each scenario in real time against the broker at HOST:PORT: every
scenario client is a TCP (or TLS) connection driven by the same client
session as in simulation, through a fault proxy that makes the scenario's
network real (latency, jitter, loss as retransmission delay, partitions,
resets, half-open links). The same expectations and the same oracle judge
the result. Before and after each scenario, every client id it uses
connects with a clean session and leaves, and every topic it may leave a
retained message on is cleared.

--time-scale X runs scenario time X times as fast as real time (10: a 10s
wait takes 1s). MQTT intervals on the wire (keep-alive, session expiry,
message expiry, will delay) are NOT scaled: a scenario that waits for a
broker's keep-alive or expiry needs X = 1.

Scenarios with steps that cannot be made real are reported as SKIP with the
reason (broker_restart without --restart-cmd), and so are scenarios about a
choice the standard leaves to the broker (their own profile:) when the
broker under test, as --profile describes it, chose otherwise. Every other
scenario is judged with --profile (default: the plain standard). --restart-cmd runs through
/bin/sh with MQTTSIM_RESTART_STORE=volatile|durable and MQTTSIM_DOWN_FOR_MS
set; the run waits until the broker accepts connections again.

--jobs J plays scenarios side by side in J worker processes against the
one broker; output and reports are in file order, as with one. Each worker
prefixes client ids with its own prefix (ms3f9a2c-w2-, so --client-prefix is
required). Scenarios that share a topic root (the first level of a topic or
filter, whatever its case) stay in one worker, one after another: their
messages would reach each other. Those that cannot be kept apart run alone
first: raw bytes (send_raw, whose client ids and topics are not read),
broker restarts with --restart-cmd, and filters that start with a wildcard.

SIGINT or SIGTERM stops the run once the scenarios under way are done (asking
again a second later stops it at once): the rest are reported as skipped, and
the exit code is 130.

Exit codes: 0 every scenario passed (or was skipped); 1 a scenario failed;
2 bad usage, a scenario file that does not load, a scenario that could not
be played to its end, or a broker that cannot be reached at the start;
130 interrupted.
)help";

// "host:port", "[v6]:port".
transport::BrokerAddress parse_broker(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    throw UsageError{"--broker takes HOST:PORT (such as 127.0.0.1:1883), not '" + text + "'"};
  }
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::string port_text = text.substr(colon + 1);
  unsigned long port = 0;
  std::size_t used = 0;
  try {
    port = std::stoul(port_text, &used, 10);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != port_text.size() || port == 0 || port > 65535 || port_text[0] == '+') {
    throw UsageError{"--broker " + text + ": the port must be 1..65535"};
  }
  return {.host = host, .port = static_cast<std::uint16_t>(port)};
}

Duration parse_duration_option(const std::string& text, const std::string& option) {
  const auto parsed = scenario::parse_duration(text);
  if (!parsed) throw UsageError{option + " " + text + ": " + parsed.error()};
  return *parsed;
}

}  // namespace

std::size_t parse_jobs(const std::string& text) {
  const bool digits = !text.empty() && text.size() <= 2 &&
                      text.find_first_not_of("0123456789") == std::string::npos;
  const std::size_t jobs = digits ? std::stoul(text) : 0;
  if (jobs < 1 || jobs > pool_workers_max) {
    throw UsageError{"--jobs takes a number of worker processes from 1 to " +
                     std::to_string(pool_workers_max) + ", not '" + text + "'"};
  }
  return jobs;
}

namespace {

// A word safe to paste into a shell command line as it is, or quoted.
std::string shell_word(const std::string& word) {
  const bool plain = !word.empty() && word.find_first_not_of(
                                          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                          "0123456789_-./:=@+,%[]") == std::string::npos;
  if (plain) return word;
  std::string quoted = "'";
  for (const char c : word) quoted += c == '\'' ? std::string{"'\\''"} : std::string(1, c);
  return quoted + "'";
}

}  // namespace

std::uint32_t parse_time_scale(const std::string& text) {
  std::uint64_t whole = 0;
  std::uint64_t thousandths = 0;
  std::size_t i = 0;
  std::size_t digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9' && whole < 10'000'000; ++i, ++digits) {
    whole = whole * 10 + static_cast<std::uint64_t>(text[i] - '0');
  }
  std::size_t fraction_digits = 0;
  if (i < text.size() && text[i] == '.') {
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9' && fraction_digits < 3;
         ++i, ++fraction_digits) {
      thousandths = thousandths * 10 + static_cast<std::uint64_t>(text[i] - '0');
    }
    for (std::size_t pad = fraction_digits; pad < 3; ++pad) thousandths *= 10;
  }
  const std::uint64_t per_mille = whole * 1'000 + thousandths;
  if (i != text.size() || digits + fraction_digits == 0 ||
      per_mille < runner::TimeScale::per_mille_min ||
      per_mille > runner::TimeScale::per_mille_max) {
    throw UsageError{
        "--time-scale takes a factor from 0.001 to 1000 with at most three "
        "decimals (10 runs a 10s wait in 1s), not '" +
        text + "'"};
  }
  return static_cast<std::uint32_t>(per_mille);
}

void add_broker_options(po::options_description& options, CheckOptions& into,
                        BrokerOptionTexts& texts) {
  options.add_options()("broker", po::value(&texts.broker), "the broker under test, HOST:PORT")(
      "known-deviations", po::value(&texts.known_deviations),
      "the broker's known deviations (reports/known-deviations/*.yaml): the run passes when its "
      "failures are exactly those, and fails on a new one or on one that no longer shows")(
      "trace-dir", po::value(&texts.trace_dir), "write each scenario's full trace to a file in D")(
      "time-scale", po::value(&into.time_scale_text)->default_value("1"),
      "run scenario time X times as fast as real time (MQTT intervals on the wire are not "
      "scaled)")("settle", po::value(&into.settle_text)->default_value("200ms"),
                 "real time allowed after SUBACK/UNSUBACK for the broker to apply it, and added "
                 "to every no_messages window")(
      "client-prefix", po::bool_switch(&into.client_prefix),
      "prefix every client id with a random per-run prefix, so runs never meet stale sessions")(
      "username", po::value(&texts.username), "user name for clients that set none of their own")(
      "password", po::value(&texts.password), "password for clients that set none of their own")(
      "tls", po::bool_switch(&into.tls), "connect over TLS")(
      "cafile", po::value(&into.tls_settings.cafile),
      "PEM file of the CAs to trust (default: the system's)")(
      "cert", po::value(&into.tls_settings.certfile), "PEM client certificate (with --key)")(
      "key", po::value(&into.tls_settings.keyfile), "PEM private key of --cert")(
      "insecure", po::bool_switch(&into.tls_settings.insecure),
      "accept any server certificate (self-signed test brokers)")(
      "restart-cmd", po::value(&into.restart_command),
      "shell command that restarts the broker, for broker_restart steps")(
      "connect-timeout", po::value(&texts.connect_timeout)->default_value("10s"),
      "bound on name resolution, TCP connect and TLS handshake of each connection");
}

void read_broker_options(const po::variables_map& values, const BrokerOptionTexts& texts,
                         CheckOptions& into) {
  into.broker = parse_broker(texts.broker);
  into.time_scale_per_mille = parse_time_scale(into.time_scale_text);
  into.settle = parse_duration_option(into.settle_text, "--settle");
  into.connect_timeout = parse_duration_option(texts.connect_timeout, "--connect-timeout");
  if (into.connect_timeout <= Duration::zero()) {
    throw UsageError{"--connect-timeout must be more than 0"};
  }
  const bool tls_files = values.count("cafile") || values.count("cert") || values.count("key") ||
                         into.tls_settings.insecure;
  if (tls_files && !into.tls) {
    throw UsageError{"--cafile, --cert, --key and --insecure need --tls"};
  }
  if (values.count("username")) into.username = texts.username;
  if (values.count("password")) into.password = texts.password;
  if (into.password && !into.username) {
    throw UsageError{"--password needs --username (MQTT sends no password without a user name)"};
  }
  if (values.count("known-deviations")) into.known_deviations_path = texts.known_deviations;
  if (values.count("trace-dir")) into.trace_dir = texts.trace_dir;
}

std::optional<CheckOptions> parse_check_options(const std::vector<std::string>& args) {
  CheckOptions parsed;
  BrokerOptionTexts broker;
  std::string seed, jobs, profile, json, junit, report;
  po::options_description options{
      "mqttsim check --broker HOST:PORT [--profile P] [--json F] [--junit F] [--report F.md] "
      "[options] PATH..."};
  options.add_options()("help,h", "this help")(
      "profile", po::value(&profile),
      "'spec' or a profile YAML file: the broker's choices where MQTT says MAY; replaces each "
      "scenario's own broker profile")("json", po::value(&json), "write the JSON report to F")(
      "junit", po::value(&junit), "write a JUnit XML report to F")(
      "report", po::value(&report),
      "write the broker's conformance report (Markdown) to F: each normative statement "
      "exercised, passed or failed with evidence and reproducer, or not exercised")(
      "jobs", po::value(&jobs)->default_value("1"),
      "play scenarios side by side in J worker processes (needs --client-prefix; see below)")(
      "seed", po::value(&seed),
      "seed of the fault proxy's jitter, loss and random faults "
      "(default: the scenario's seed, else 1)")(
      "path", po::value(&parsed.paths), "scenario files or folders");
  add_broker_options(options, parsed, broker);
  po::positional_options_description positional;
  positional.add("path", -1);
  po::variables_map values;
  try {
    po::store(po::command_line_parser(args).options(options).positional(positional).run(), values);
    if (values.count("help")) {
      std::cout << options << help_tail;
      return std::nullopt;
    }
    po::notify(values);
  } catch (const po::error& error) {
    throw UsageError(std::string{error.what()} + " (see mqttsim check --help)");
  }
  if (!values.count("broker")) {
    throw UsageError{"the option '--broker' is required but missing (see mqttsim check --help)"};
  }
  if (parsed.paths.empty()) {
    throw UsageError{"give at least one scenario file or folder (see --help)"};
  }
  read_broker_options(values, broker, parsed);
  if (values.count("seed")) parsed.seed = parse_seed(seed, "--seed");
  parsed.jobs = parse_jobs(jobs);
  if (parsed.jobs > 1 && !parsed.client_prefix) {
    throw UsageError{"--jobs " + jobs +
                     " needs --client-prefix: each worker puts its own prefix before the client "
                     "ids, so that scenarios played side by side never share a session"};
  }
  if (values.count("profile")) parsed.profile = profile;
  if (values.count("json")) parsed.json_path = json;
  if (values.count("junit")) parsed.junit_path = junit;
  if (values.count("report")) parsed.report_path = report;
  return parsed;
}

std::string reproducer(const CheckOptions& options, std::uint64_t seed, const std::string& file) {
  std::string line = "mqttsim check --broker " + shell_word(to_string(options.broker));
  const auto add = [&line](const std::string& option, const std::string& value) {
    line += " " + option + " " + shell_word(value);
  };
  if (options.tls) line += " --tls";
  if (!options.tls_settings.cafile.empty()) add("--cafile", options.tls_settings.cafile);
  if (!options.tls_settings.certfile.empty()) add("--cert", options.tls_settings.certfile);
  if (!options.tls_settings.keyfile.empty()) add("--key", options.tls_settings.keyfile);
  if (options.tls_settings.insecure) line += " --insecure";
  if (options.username) add("--username", *options.username);
  if (options.password) add("--password", *options.password);
  if (options.profile) add("--profile", *options.profile);
  if (options.time_scale_per_mille != 1'000) add("--time-scale", options.time_scale_text);
  if (options.settle_text != "200ms") add("--settle", options.settle_text);
  if (options.client_prefix) line += " --client-prefix";
  if (!options.restart_command.empty()) add("--restart-cmd", options.restart_command);
  add("--seed", std::to_string(seed));
  return line + " " + shell_word(file);
}

}  // namespace mqttsim::cli
