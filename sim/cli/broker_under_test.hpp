#pragma once
// The external broker as `check` and `explore --broker` reach it: the
// address, TLS and time scale of its connections, the profile it is judged
// under, its known deviations, the run's client id prefix, and the version
// it announces. Prepared once, before any worker is forked.

#include <optional>
#include <string>

#include "check_options.hpp"
#include "profile/profile.hpp"
#include "reports/known_deviations.hpp"
#include "reports/run_report.hpp"
#include "runner/tcp_world.hpp"
#include "scenario/deviations_loader.hpp"

namespace mqttsim::cli {

struct BrokerUnderTest {
  runner::TcpTarget target;  // for every scenario, but for its seed and length
  Profile profile;           // --profile, or the plain standard
  std::optional<scenario::KnownDeviations> known_deviations;
  std::string client_prefix;           // --client-prefix: a random one per run; else ""
  std::optional<std::string> version;  // as announced on $SYS, if it was
};

// Loads the TLS files, the profile and the known deviations, and makes
// sure the broker answers (a bounded probe, then a bounded version query).
// Anything wrong is a UsageError (exit 2) before any scenario runs.
BrokerUnderTest prepare_broker(const CheckOptions& options);

// "mqttsim check: broker 127.0.0.1:1883 (TLS), version "...", time scale
// 20, settle 200ms, client id prefix ms3f9a2c-": the headline of a run.
std::string describe(const BrokerUnderTest& broker, const CheckOptions& options);

// The run's failures against the broker's known deviations: marked in the
// report (reports/known_deviations.hpp) and printed, one line each.
reports::DeviationOutcome compare_with_known_deviations(reports::RunReport& report,
                                                        const scenario::KnownDeviations& known);

}  // namespace mqttsim::cli
