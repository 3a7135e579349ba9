#pragma once
// What a scenario touches on a broker that another scenario could touch too,
// for `mqttsim check --jobs`, which plays scenarios side by side against one
// broker. Client ids are kept apart by a client id prefix per worker; what
// stays shared is the topic space (a message reaches every matching
// subscription, and a retained message every later subscriber) and the
// broker itself.
//
// Topics are compared by their first level only, on purpose: a broker under
// test may match topics wrongly (case, empty levels, wildcards, which is
// what the scenarios check), and a message that leaks into another
// scenario's subscription would be a false finding there. So two scenarios
// overlap when a topic or filter of one shares its first level with one of
// the other, compared without ASCII case and skipping empty levels
// ("/Home//lamp" and "home/#" overlap). A filter that starts with a
// wildcard overlaps everything.

#include <set>
#include <string>

#include "scenario/scenario.hpp"

namespace mqttsim::runner {

struct BrokerFootprint {
  // The first level of each topic it publishes to (wills included) and of
  // each filter it subscribes to ($share/GROUP/ stripped), lowercased.
  std::set<std::string> topic_roots;
  // Why it cannot share the broker with any other scenario; "" when it can:
  // raw bytes (client ids and topics the harness does not read), a broker
  // restart (with a restart command, it restarts everybody's broker), a
  // filter that starts with a wildcard.
  std::string runs_alone_because;

  bool runs_alone() const { return !runs_alone_because.empty(); }
};

// `restarts_broker`: whether a broker_restart step would really restart the
// broker (check has a --restart-cmd); without one such scenarios are skipped.
BrokerFootprint broker_footprint(const scenario::Scenario& scenario, bool restarts_broker);

// Whether two scenarios may see each other's messages.
bool footprints_overlap(const BrokerFootprint& a, const BrokerFootprint& b);

}  // namespace mqttsim::runner
