#pragma once
// Is the broker there? Opens a connection (TCP, and TLS when configured),
// waits at most `timeout` for it to be up, and closes it again. For the
// start of `mqttsim check` (an unreachable broker is a usage error, exit 2)
// and for waiting until a restarted broker accepts connections.

#include <optional>
#include <string>

#include "transport/broker_stream.hpp"

namespace mqttsim::transport {

// nullopt when a connection came up; otherwise why not.
std::optional<std::string> probe_broker(EventLoop& loop, StreamOptions options, Duration timeout);

}  // namespace mqttsim::transport
