#include "transport/broker_probe.hpp"

namespace mqttsim::transport {

std::optional<std::string> probe_broker(EventLoop& loop, StreamOptions options, Duration timeout) {
  options.open_timeout = timeout;
  bool opened = false;
  std::optional<std::string> failure;
  StreamCallbacks callbacks;
  callbacks.on_open = [&] { opened = true; };
  callbacks.on_closed = [&](StreamEnd end, std::string detail) {
    failure = std::string{to_string(end)} + (detail.empty() ? "" : ": " + detail);
  };
  auto stream = BrokerStream::open(loop, options, std::move(callbacks));
  // The stream's own open timeout ends the wait; the extra second only
  // guards against a handler that never comes.
  loop.run_until([&] { return opened || failure.has_value(); },
                 loop.now() + timeout + Duration::from_s(1));
  stream->close();
  if (opened) return std::nullopt;
  return failure.value_or("no answer within " + to_string(timeout));
}

}  // namespace mqttsim::transport
