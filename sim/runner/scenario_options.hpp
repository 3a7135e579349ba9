#pragma once
// From the scenario's plain values to what the simulator and the client
// session take: a client's link, and the options of its next CONNECT.

#include "net/link_params.hpp"
#include "protocol/client_options.hpp"
#include "scenario/scenario.hpp"

namespace mqttsim::runner {

net::LinkParams link_params(const scenario::Link& link);

// The options a client starts with (its identity and credentials; no
// connect step yet).
protocol::ClientOptions client_options(const scenario::Client& client);

// The options of `client`'s next CONNECT, as `step` asks.
protocol::ClientOptions client_options(const scenario::Client& client,
                                       const scenario::ConnectStep& step);

}  // namespace mqttsim::runner
