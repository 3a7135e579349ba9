#pragma once
// A TCP server on a test's EventLoop (the same io_context as the code under
// test, so everything runs on one thread and nothing sleeps) that does with
// each connection whatever the test says: answer with garbage, close, go
// silent, refuse. It stands in for a broken broker.

// clang-format off
#include <utility>  // first: Boost 1.74's asio/awaitable.hpp uses std::exchange without it
// clang-format on

#include <boost/asio.hpp>
#include <functional>
#include <memory>
#include <vector>

#include "transport/event_loop_asio.hpp"

namespace mqttsim::testing {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Socket = std::shared_ptr<tcp::socket>;
using RawBytes = std::vector<std::uint8_t>;

class MisbehavingBroker {
 public:
  using Behaviour = std::function<void(const Socket&)>;

  MisbehavingBroker(transport::EventLoop& loop, Behaviour on_accept)
      : acceptor_{transport::asio_context(loop),
                  tcp::endpoint{asio::ip::address_v4::loopback(), 0}},
        on_accept_{std::move(on_accept)} {
    accept_next();
  }

  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::size_t accepted() const { return sockets_.size(); }
  // Every socket it accepted, still open unless a behaviour closed it.
  const std::vector<Socket>& sockets() const { return sockets_; }
  void stop() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
  }

 private:
  void accept_next() {
    acceptor_.async_accept([this](boost::system::error_code error, tcp::socket socket) {
      if (error) return;
      auto shared = std::make_shared<tcp::socket>(std::move(socket));
      sockets_.push_back(shared);
      on_accept_(shared);
      accept_next();
    });
  }

  tcp::acceptor acceptor_;
  Behaviour on_accept_;
  std::vector<Socket> sockets_;
};

// Reads one chunk, then calls `then` with it (nothing on EOF or error).
inline void read_chunk(const Socket& socket, std::function<void(RawBytes)> then) {
  auto buffer = std::make_shared<std::array<std::uint8_t, 4096>>();
  socket->async_read_some(
      asio::buffer(*buffer),
      [socket, buffer, then = std::move(then)](boost::system::error_code error, std::size_t n) {
        if (error) return;
        then(RawBytes(buffer->begin(), buffer->begin() + static_cast<std::ptrdiff_t>(n)));
      });
}

// Reads and throws away everything until the peer goes; then calls
// `on_end` with the error that ended it.
inline void drain(const Socket& socket,
                  std::function<void(boost::system::error_code)> on_end = nullptr) {
  auto buffer = std::make_shared<std::array<std::uint8_t, 4096>>();
  socket->async_read_some(asio::buffer(*buffer),
                          [socket, buffer, on_end](boost::system::error_code error, std::size_t) {
                            if (error) {
                              if (on_end) on_end(error);
                              return;
                            }
                            drain(socket, on_end);
                          });
}

inline void write_bytes(const Socket& socket, RawBytes bytes) {
  auto shared = std::make_shared<RawBytes>(std::move(bytes));
  asio::async_write(*socket, asio::buffer(*shared),
                    [socket, shared](boost::system::error_code, std::size_t) {});
}

}  // namespace mqttsim::testing
