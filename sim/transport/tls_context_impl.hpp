#pragma once
// The OpenSSL side of TlsContext (sim/transport only).

// clang-format off
#include <utility>  // first: Boost 1.74's asio/awaitable.hpp uses std::exchange without it
// clang-format on

#include <boost/asio/ssl/context.hpp>

#include "transport/broker_stream.hpp"

namespace mqttsim::transport {

struct TlsContext::Impl {
  boost::asio::ssl::context context{boost::asio::ssl::context::tls_client};
  bool insecure = false;
};

}  // namespace mqttsim::transport
