#pragma once
// The Asio side of EventLoop, for sim/transport's own classes and for tests
// that put a (misbehaving) server on the same loop. sim/runner must not
// include this.

// clang-format off
#include <utility>  // first: Boost 1.74's asio/awaitable.hpp uses std::exchange without it
// clang-format on

#include <boost/asio/io_context.hpp>

#include "transport/event_loop.hpp"
#include "transport/wall_clock.hpp"

namespace mqttsim::transport {

struct EventLoop::Impl {
  boost::asio::io_context io;
  WallClock clock;
};

inline boost::asio::io_context& asio_context(EventLoop& loop) { return loop.impl().io; }

}  // namespace mqttsim::transport
