#include "transport/tcp_broker_server.hpp"

#include <boost/asio/write.hpp>
#include <deque>
#include <span>

namespace mqttsim::transport {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct TcpBrokerServer::Peer {
  explicit Peer(tcp::socket s) : socket{std::move(s)} {}
  tcp::socket socket;
  broker::ConnectionId id = 0;
  std::array<std::uint8_t, 16 * 1024> read_buffer{};
  std::deque<codec::Bytes> write_queue;
  std::size_t pending_write_bytes = 0;
  bool writing = false;
  bool close_after_write = false;  // the broker closed it: flush, then close
  bool closed = false;
};

TcpBrokerServer::TcpBrokerServer(asio::io_context& io, const ServerOptions& options,
                                 Profile profile, broker::SessionStore& store,
                                 const broker::Authenticator& authenticator)
    : options_{options},
      broker_{std::move(profile), store, authenticator, clock_.now()},
      acceptor_{io, tcp::endpoint{asio::ip::make_address(options.bind_address), options.port}},
      deadline_timer_{io},
      accept_retry_timer_{io} {
  accept_next();
  carry_out_outputs();
}

TcpBrokerServer::~TcpBrokerServer() { stop(); }

std::uint16_t TcpBrokerServer::port() const { return acceptor_.local_endpoint().port(); }

void TcpBrokerServer::stop() {
  if (stopped_) return;
  stopped_ = true;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  deadline_timer_.cancel();
  accept_retry_timer_.cancel();
  for (auto& [id, peer] : connections_) {
    peer->closed = true;
    peer->socket.close(ignored);
  }
  connections_.clear();
}

void TcpBrokerServer::accept_next() {
  acceptor_.async_accept([this](boost::system::error_code error, tcp::socket socket) {
    if (stopped_ || error == asio::error::operation_aborted) return;
    if (error) {
      // Typically EMFILE: out of descriptors. Existing clients keep working;
      // accepting resumes shortly instead of spinning or giving up.
      accept_retry_timer_.expires_after(std::chrono::milliseconds{100});
      accept_retry_timer_.async_wait([this](boost::system::error_code e) {
        if (!e && !stopped_) accept_next();
      });
      return;
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay{true}, ignored);
    const auto remote = socket.remote_endpoint(ignored);
    auto peer = std::make_shared<Peer>(std::move(socket));
    peer->id = broker_.accept(remote.address().to_string() + ":" + std::to_string(remote.port()),
                              clock_.now());
    connections_.emplace(peer->id, peer);
    read_from(peer);
    carry_out_outputs();
    accept_next();
  });
}

void TcpBrokerServer::read_from(const std::shared_ptr<Peer>& peer) {
  peer->socket.async_read_some(
      asio::buffer(peer->read_buffer),
      [this, peer](boost::system::error_code error, std::size_t received) {
        if (peer->closed || stopped_) return;
        if (error) {
          lost(peer);
          carry_out_outputs();
          return;
        }
        broker_.receive(peer->id, std::span{peer->read_buffer.data(), received}, clock_.now());
        carry_out_outputs();
        if (!peer->closed && !peer->close_after_write) read_from(peer);
      });
}

void TcpBrokerServer::write_to(const std::shared_ptr<Peer>& peer) {
  if (peer->writing || peer->closed) return;
  if (peer->write_queue.empty()) {
    if (peer->close_after_write) {
      boost::system::error_code ignored;
      peer->socket.shutdown(tcp::socket::shutdown_both, ignored);
      peer->socket.close(ignored);
      peer->closed = true;
      connections_.erase(peer->id);
    }
    return;
  }
  peer->writing = true;
  asio::async_write(peer->socket, asio::buffer(peer->write_queue.front()),
                    [this, peer](boost::system::error_code error, std::size_t) {
                      peer->writing = false;
                      if (peer->closed || stopped_) return;
                      if (error) {
                        lost(peer);
                        carry_out_outputs();
                        return;
                      }
                      peer->pending_write_bytes -= peer->write_queue.front().size();
                      peer->write_queue.pop_front();
                      write_to(peer);
                    });
}

// The network connection failed under the broker (reset, EOF, write error).
// The caller carries out the outputs this causes, so they stay in order.
void TcpBrokerServer::lost(const std::shared_ptr<Peer>& peer) {
  if (peer->closed) return;
  peer->closed = true;
  boost::system::error_code ignored;
  peer->socket.close(ignored);
  connections_.erase(peer->id);
  broker_.connection_lost(peer->id, clock_.now());
}

void TcpBrokerServer::carry_out_outputs() {
  // Dropping a slow client makes the broker produce more outputs (its will,
  // say), so loop until none are left; each round either empties the list
  // or removes a connection, so this ends.
  for (std::vector<broker::Output> outputs = broker_.take_outputs(); !outputs.empty();
       outputs = broker_.take_outputs()) {
    for (broker::Output& output : outputs) {
      if (auto* send = std::get_if<broker::SendBytes>(&output)) {
        const auto found = connections_.find(send->connection);
        if (found == connections_.end()) continue;
        const std::shared_ptr<Peer> peer = found->second;
        if (peer->closed) continue;
        if (peer->pending_write_bytes + send->bytes.size() > options_.max_pending_write_bytes) {
          lost(peer);  // it does not read: a bounded queue, not unbounded memory
          continue;
        }
        peer->pending_write_bytes += send->bytes.size();
        peer->write_queue.push_back(std::move(send->bytes));
        write_to(peer);
      } else if (auto* close = std::get_if<broker::CloseConnection>(&output)) {
        const auto found = connections_.find(close->connection);
        if (found == connections_.end()) continue;
        const std::shared_ptr<Peer> peer = found->second;
        peer->close_after_write = true;
        write_to(peer);
      } else if (on_note) {
        on_note(std::get<broker::Note>(output));
      }
    }
  }
  arm_timer();
}

void TcpBrokerServer::arm_timer() {
  if (stopped_) return;
  const auto deadline = broker_.next_deadline();
  if (!deadline) {
    deadline_timer_.cancel();
    return;
  }
  deadline_timer_.expires_at(clock_.to_steady(*deadline));
  deadline_timer_.async_wait([this](boost::system::error_code error) {
    if (error || stopped_) return;
    broker_.advance(clock_.now());
    carry_out_outputs();
  });
}

}  // namespace mqttsim::transport
