#include "broker_under_test.hpp"

#include <cstdio>
#include <random>

#include "command.hpp"
#include "runner/broker_version.hpp"
#include "scenario/load_error.hpp"
#include "scenario/profile_loader.hpp"
#include "transport/broker_probe.hpp"
#include "transport/event_loop.hpp"

namespace mqttsim::cli {

namespace {

// A broker that announces no version costs the run this long, once.
constexpr Duration version_query_timeout = Duration::from_s(1);

// "ms3f9a2c-": a per-run client id prefix. The only entropy in mqttsim, and
// only here: runs against a shared broker must not meet each other's
// sessions; nothing judged depends on it.
std::string random_client_prefix() {
  std::random_device entropy;
  constexpr char hex[] = "0123456789abcdef";
  std::string prefix = "ms";
  for (int i = 0; i < 6; ++i) prefix += hex[entropy() % 16];
  return prefix + "-";
}

// The version the broker announces on $SYS, for the report (bounded wait).
std::optional<std::string> ask_broker_version(transport::EventLoop& loop,
                                              const BrokerUnderTest& broker,
                                              const CheckOptions& options) {
  protocol::ClientOptions asking;
  asking.client_id =
      (broker.client_prefix.empty() ? std::string{"mqttsim-"} : broker.client_prefix) + "version";
  asking.username = options.username;
  if (options.password) {
    asking.password = codec::Bytes(options.password->begin(), options.password->end());
  }
  return runner::announced_broker_version(loop, broker.target.stream, std::move(asking),
                                          version_query_timeout);
}

}  // namespace

BrokerUnderTest prepare_broker(const CheckOptions& options) {
  BrokerUnderTest broker;
  runner::TcpTarget& target = broker.target;
  target.stream.address = options.broker;
  target.stream.open_timeout = options.connect_timeout;
  if (options.tls) {
    std::string error;
    target.stream.tls = transport::TlsContext::load(options.tls_settings, error);
    if (!target.stream.tls) throw UsageError{error};
  }
  try {
    if (options.profile) broker.profile = scenario::load_profile(*options.profile);
    if (options.known_deviations_path) {
      broker.known_deviations = scenario::load_known_deviations(*options.known_deviations_path);
    }
  } catch (const scenario::LoadError& error) {
    throw UsageError(error.what());
  }
  target.scale = runner::TimeScale{options.time_scale_per_mille};
  target.settle = options.settle;
  target.restart_command = options.restart_command;
  if (options.client_prefix) broker.client_prefix = random_client_prefix();
  // Gone before any worker is forked: an event loop (and the resolver
  // thread Asio may have started) must not be shared across a fork.
  transport::EventLoop loop;
  if (const auto error = transport::probe_broker(loop, target.stream, options.connect_timeout)) {
    throw UsageError{"cannot reach the broker at " + to_string(options.broker) + ": " + *error +
                     " (is it running? is --tls needed?)"};
  }
  broker.version = ask_broker_version(loop, broker, options);
  return broker;
}

std::string describe(const BrokerUnderTest& broker, const CheckOptions& options) {
  return "broker " + to_string(options.broker) + (options.tls ? " (TLS)" : "") +
         (broker.version ? ", version \"" + *broker.version + "\"" : "") + ", time scale " +
         options.time_scale_text + ", settle " + options.settle_text +
         (broker.client_prefix.empty() ? "" : ", client id prefix " + broker.client_prefix);
}

reports::DeviationOutcome compare_with_known_deviations(reports::RunReport& report,
                                                        const scenario::KnownDeviations& known) {
  std::vector<reports::KnownDeviation> listed;
  for (const scenario::DeviationEntry& entry : known.deviations) {
    listed.push_back({.scenario = entry.scenario,
                      .check = entry.check,
                      .spec = entry.spec,
                      .evidence = entry.evidence,
                      .where = entry.where,
                      .intermittent_rate = entry.intermittent_rate});
  }
  const reports::DeviationOutcome outcome = reports::apply_known_deviations(report, listed);
  std::printf("known deviations of %s: %zu findings explained, %zu unexpected, %zu no longer seen\n",
              known.broker.c_str(), outcome.matched, outcome.unexpected.size(),
              outcome.vanished.size());
  for (const std::string& line : outcome.unexpected) std::printf("  unexpected: %s\n", line.c_str());
  for (const std::string& line : outcome.vanished) {
    std::printf("  no longer seen (update the file): %s\n", line.c_str());
  }
  for (const std::string& line : outcome.absent_intermittent) {
    std::printf("  intermittent, not seen this run: %s\n", line.c_str());
  }
  std::fflush(stdout);
  return outcome;
}

}  // namespace mqttsim::cli
