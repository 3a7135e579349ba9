#pragma once
// The version a broker announces, if it announces one. MQTT has no standard
// way to say it; many brokers (Mosquitto, EMQX, VerneMQ with its plugin)
// publish it on the retained-like system topic $SYS/broker/version, which a
// subscriber receives at once. `mqttsim check` puts it in the conformance
// report.

#include <optional>
#include <string>

#include "protocol/client_options.hpp"
#include "transport/broker_stream.hpp"
#include "transport/event_loop.hpp"

namespace mqttsim::runner {

inline constexpr const char* broker_version_topic = "$SYS/broker/version";

// Connects with `options` (a clean session), subscribes to
// broker_version_topic at QoS 0 and waits at most `timeout` for a message on
// it. Its payload, as printable text, or nothing: no such message, a
// refused connection, a broker that does not answer.
std::optional<std::string> announced_broker_version(transport::EventLoop& loop,
                                                    const transport::StreamOptions& stream,
                                                    protocol::ClientOptions options,
                                                    Duration timeout);

}  // namespace mqttsim::runner
