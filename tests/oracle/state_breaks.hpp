#pragma once
// Broken brokers for the session and retained-message checkers, shared by
// the oracle's tests and by explore's planted-bug tests.

#include <map>
#include <memory>
#include <string>

#include "broken_broker.hpp"

namespace mqttsim::testing {

// Every accepting CONNACK says Session Present `present`.
inline std::shared_ptr<runner::PacketInterceptor> session_present_always(bool present) {
  return std::make_shared<OutboundBreak>([present](net::ConnectionId, codec::Packet packet) {
    if (auto* ack = std::get_if<codec::Connack>(&packet); ack && ack->code == 0) {
      ack->session_present = present;
    }
    return one(std::move(packet));
  });
}

// A retained copy carries the first retained payload the broker ever sent
// for its topic instead of the newest one.
inline std::shared_ptr<runner::PacketInterceptor> stale_retained() {
  auto first = std::make_shared<std::map<std::string, codec::Bytes>>();
  return std::make_shared<OutboundBreak>([first](net::ConnectionId, codec::Packet packet) {
    if (auto* publish = std::get_if<codec::Publish>(&packet); publish && publish->retain) {
      const auto [kept, added] = first->try_emplace(publish->topic, publish->payload);
      if (!added) publish->payload = kept->second;
    }
    return one(std::move(packet));
  });
}

}  // namespace mqttsim::testing
