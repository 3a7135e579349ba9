#pragma once
// Before and after each scenario `mqttsim check` leaves the broker as a
// fresh one would be for that scenario: every client id the scenario uses
// connects with a clean session (3.1.1 Clean Session 1; 5.0 Clean Start 1
// with Session Expiry 0) and disconnects, which ends any session the id
// had; and every topic the scenario may leave a retained message on (a
// retained publish, a retained will) gets an empty retained message, which
// clears it (3.1.1 MQTT-3.3.1-10, 5.0 MQTT-3.3.1-6).
//
// Each connection is bounded by `timeout`; what could not be cleaned is
// returned as readable problems (the scenario may then see stale state).

#include <string>
#include <vector>

#include "scenario/scenario.hpp"
#include "transport/broker_stream.hpp"
#include "transport/event_loop.hpp"

namespace mqttsim::runner {

std::vector<std::string> clean_up_broker(const scenario::Scenario& scenario,
                                         transport::EventLoop& loop,
                                         const transport::StreamOptions& stream, Duration timeout);

// The topics `scenario` may leave a retained message on, sorted.
std::vector<std::string> retained_topics(const scenario::Scenario& scenario);

}  // namespace mqttsim::runner
