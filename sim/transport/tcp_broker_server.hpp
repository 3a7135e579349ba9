#pragma once
// The reference broker over real TCP (`mqttsim serve`). One Boost.Asio event
// loop, one timer: the sans-I/O broker is driven with the wall clock, so the
// protocol logic is exactly the one the simulator runs.
//
// Defences against a hostile or broken peer: the broker closes on any
// malformed packet and on a missing CONNECT (profile connect_timeout_s);
// a client that does not read gets at most `max_pending_write_bytes` queued
// before its connection is dropped; accept errors (such as running out of
// file descriptors) pause accepting briefly instead of ending the server.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "broker/broker.hpp"
#include "transport/wall_clock.hpp"

namespace mqttsim::transport {

struct ServerOptions {
  std::string bind_address = "127.0.0.1";
  std::uint16_t port = 1883;  // 0: any free port (see TcpBrokerServer::port())
  std::size_t max_pending_write_bytes = 16 * 1024 * 1024;
};

class TcpBrokerServer {
 public:
  TcpBrokerServer(boost::asio::io_context& io, const ServerOptions& options, Profile profile,
                  broker::SessionStore& store, const broker::Authenticator& authenticator);
  ~TcpBrokerServer();

  std::uint16_t port() const;
  std::size_t connection_count() const { return connections_.size(); }
  // Stops accepting and closes every connection.
  void stop();

  // Called with each note the broker makes (for a log), if set.
  std::function<void(const broker::Note&)> on_note;

 private:
  struct Peer;

  void accept_next();
  void read_from(const std::shared_ptr<Peer>& peer);
  void write_to(const std::shared_ptr<Peer>& peer);
  void lost(const std::shared_ptr<Peer>& peer);
  void carry_out_outputs();
  void arm_timer();

  ServerOptions options_;
  WallClock clock_;
  broker::Broker broker_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer deadline_timer_;
  boost::asio::steady_timer accept_retry_timer_;
  std::map<broker::ConnectionId, std::shared_ptr<Peer>> connections_;
  bool stopped_ = false;
};

}  // namespace mqttsim::transport
