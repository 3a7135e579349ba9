#pragma once
// Deliberately broken brokers: the reference broker with one guarantee
// broken by a PacketInterceptor, and a helper that plays a library scenario
// against one. The oracle's tests show that each checker catches its break
// (and names the right statement) on a scenario of the library.

#include <functional>
#include <string>

#include "oracle/checkers.hpp"
#include "runner/broker_host.hpp"
#include "runner/scenario_player.hpp"
#include "scenario/scenario_loader.hpp"

namespace mqttsim::testing {

// A broker that rewrites (or drops, or multiplies) the packets it sends.
class OutboundBreak final : public runner::PacketInterceptor {
 public:
  using Rewrite = std::function<std::vector<codec::Packet>(net::ConnectionId, codec::Packet)>;
  explicit OutboundBreak(Rewrite rewrite) : rewrite_{std::move(rewrite)} {}
  std::vector<codec::Packet> from_broker(net::ConnectionId connection, codec::Packet packet,
                                         ProtocolVersion) override {
    return rewrite_(connection, std::move(packet));
  }

 private:
  Rewrite rewrite_;
};

// A broker that misreads (or ignores) the packets it receives.
class InboundBreak final : public runner::PacketInterceptor {
 public:
  using Rewrite = std::function<std::vector<codec::Packet>(net::ConnectionId, codec::Packet)>;
  explicit InboundBreak(Rewrite rewrite) : rewrite_{std::move(rewrite)} {}
  std::vector<codec::Packet> to_broker(net::ConnectionId connection, codec::Packet packet,
                                       ProtocolVersion) override {
    return rewrite_(connection, std::move(packet));
  }

 private:
  Rewrite rewrite_;
};

inline std::string library_file(const std::string& relative) {
  return std::string{MQTTSIM_SCENARIOS_DIR} + "/" + relative;
}

// Plays a library scenario against the reference broker altered by
// `broken` (nullptr: the correct broker), every step whatever the scenario's
// own expectations say: what is caught must be caught by the oracle.
inline runner::RunResult play_library(const std::string& relative,
                                      std::shared_ptr<runner::PacketInterceptor> broken,
                                      std::uint64_t seed = 1) {
  const scenario::Scenario loaded = scenario::load_scenario_file(library_file(relative));
  return runner::run_scenario(
      loaded, {.seed = seed, .interceptor = std::move(broken), .stop_at_first_failure = false});
}

// Plays a scenario given as text (a case found outside the library, such
// as by mqttsim explore) against the reference broker altered by `broken`
// (nullptr: the correct broker), every step whatever it expects.
inline runner::RunResult play_text(const std::string& yaml,
                                   std::shared_ptr<runner::PacketInterceptor> broken = nullptr) {
  return runner::run_scenario(
      scenario::load_scenario_text(yaml, "inline.yaml"),
      {.seed = 1, .interceptor = std::move(broken), .stop_at_first_failure = false});
}

// The violations `check` reported.
inline std::vector<oracle::Violation> violations_of(const runner::RunResult& result,
                                                    std::string_view check) {
  std::vector<oracle::Violation> found;
  for (const auto& v : result.verdict.violations) {
    if (v.check == check) found.push_back(v);
  }
  return found;
}

// How many violations `check` reported in `verdict`.
inline std::size_t count_of(const oracle::Verdict& verdict, std::string_view check) {
  std::size_t n = 0;
  for (const auto& v : verdict.violations) n += v.check == check ? 1 : 0;
  return n;
}

inline bool cites(const oracle::Violation& violation, SpecRef spec) {
  for (const SpecRef& ref : violation.spec) {
    if (ref == spec) return true;
  }
  return false;
}

inline bool any_cites(const std::vector<oracle::Violation>& found, SpecRef spec) {
  for (const auto& v : found) {
    if (cites(v, spec)) return true;
  }
  return false;
}

// What an interceptor returns: the packets sent (or read) instead of one.
using Packets = std::vector<codec::Packet>;

inline Packets one(codec::Packet packet) {
  Packets out;
  out.push_back(std::move(packet));
  return out;
}

}  // namespace mqttsim::testing
