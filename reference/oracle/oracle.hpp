#pragma once
// The oracle: the guarantees of MQTT persistent sessions as checkers that
// judge any trace, from the simulator or from a real broker, against the
// profile's choices. It never includes reference/broker, so it cannot share
// the reference broker's bugs; it reads only the trace and the profile.

#include "oracle/verdict.hpp"
#include "profile/profile.hpp"
#include "trace/trace.hpp"

namespace mqttsim::oracle {

// Runs every checker over `trace`.
Verdict judge(const trace::Trace& trace, const Profile& profile);

}  // namespace mqttsim::oracle
