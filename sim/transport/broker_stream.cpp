#include "transport/broker_stream.hpp"

#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <deque>

#include "transport/event_loop_asio.hpp"
#include "transport/tls_context_impl.hpp"

namespace mqttsim::transport {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;

std::string to_string(const BrokerAddress& address) {
  if (address.host.find(':') != std::string::npos) {
    return "[" + address.host + "]:" + std::to_string(address.port);
  }
  return address.host + ":" + std::to_string(address.port);
}

std::string_view to_string(StreamEnd end) {
  switch (end) {
    case StreamEnd::peer_closed:
      return "closed by the broker";
    case StreamEnd::reset:
      return "reset by the broker";
    case StreamEnd::refused:
      return "connection refused";
    case StreamEnd::timeout:
      return "timed out";
    case StreamEnd::error:
      return "error";
  }
  return "?";
}

struct BrokerStream::Impl : std::enable_shared_from_this<Impl> {
  enum class State : std::uint8_t { opening, open, closing, closed };

  Impl(EventLoop& loop, StreamOptions options_, StreamCallbacks callbacks_)
      : options{std::move(options_)},
        callbacks{std::move(callbacks_)},
        resolver{asio_context(loop)},
        open_timer{asio_context(loop)} {
    if (options.tls) {
      tls.emplace(asio_context(loop), options.tls->impl().context);
    } else {
      plain.emplace(asio_context(loop));
    }
  }

  tcp::socket& socket() { return tls ? tls->next_layer() : *plain; }

  void start() {
    auto self = shared_from_this();
    open_timer.expires_after(std::chrono::microseconds{options.open_timeout.count_us()});
    open_timer.async_wait([self](boost::system::error_code error) {
      if (error || self->state != State::opening) return;
      self->finish(StreamEnd::timeout, "no connection to " + to_string(self->options.address) +
                                           " within " +
                                           mqttsim::to_string(self->options.open_timeout));
    });
    resolver.async_resolve(
        options.address.host, std::to_string(options.address.port),
        [self](boost::system::error_code error, const tcp::resolver::results_type& results) {
          if (self->state != State::opening) return;
          if (error) {
            self->finish(StreamEnd::error,
                         "cannot resolve " + self->options.address.host + ": " + error.message());
            return;
          }
          asio::async_connect(
              self->socket(), results,
              [self](boost::system::error_code e, const tcp::endpoint&) { self->connected(e); });
        });
  }

  void connected(boost::system::error_code error) {
    if (state != State::opening) return;
    if (error) {
      finish(classify(error),
             "cannot connect to " + to_string(options.address) + ": " + error.message());
      return;
    }
    boost::system::error_code ignored;
    socket().set_option(tcp::no_delay{true}, ignored);
    if (!tls) {
      opened();
      return;
    }
    // SNI for a host name (not for an address: RFC 6066 §3), and (unless
    // --insecure) the certificate must name the host or address.
    boost::system::error_code not_an_address;
    (void)asio::ip::make_address(options.address.host, not_an_address);
    if (not_an_address)
      SSL_set_tlsext_host_name(tls->native_handle(), options.address.host.c_str());
    if (!options.tls->impl().insecure) {
      tls->set_verify_callback(ssl::host_name_verification(options.address.host));
    }
    auto self = shared_from_this();
    tls->async_handshake(ssl::stream_base::client, [self](boost::system::error_code e) {
      if (self->state != State::opening) return;
      if (e) {
        self->finish(StreamEnd::error, "TLS handshake with " + to_string(self->options.address) +
                                           " failed: " + e.message());
        return;
      }
      self->opened();
    });
  }

  void opened() {
    state = State::open;
    if (plain) {
      // Reads happen in handlers (read_ready, take_unread) and must not block.
      boost::system::error_code ignored;
      plain->non_blocking(true, ignored);
    }
    open_timer.cancel();
    read_next();  // first, so a callback that closes the stream finds it reading
    if (auto on_open = callbacks.on_open) on_open();
  }

  void read_next() {
    auto self = shared_from_this();
    if (!tls) {
      // Plain TCP waits for readability and reads in the handler, so a byte
      // is either handed on at once or still in the kernel's queue, where
      // take_unread() finds it. (async_read_some may read speculatively when
      // it starts and hand the bytes over later: a reset in between would
      // drop bytes the broker had sent.)
      plain->async_wait(tcp::socket::wait_read, [self](boost::system::error_code error) {
        if (self->state == State::closed) return;
        if (error) {
          self->finish(classify(error), error.message());
          return;
        }
        self->read_ready();
      });
      return;
    }
    tls->async_read_some(asio::buffer(read_buffer),
                         [self](boost::system::error_code error, std::size_t received) {
                           if (self->state == State::closed) return;
                           if (error) {
                             self->finish(classify(error), error.message());
                             return;
                           }
                           self->hand_on(received);
                         });
  }

  // The socket is readable: one read without blocking.
  void read_ready() {
    boost::system::error_code error;
    const std::size_t received = plain->read_some(asio::buffer(read_buffer), error);
    if (error == asio::error::would_block || error == asio::error::try_again) {
      read_next();  // woken without data
      return;
    }
    if (error) {
      finish(classify(error), error.message());
      return;
    }
    hand_on(received);
  }

  void hand_on(std::size_t received) {
    // A copy: the callback may close the stream, which clears callbacks.
    if (auto on_bytes = callbacks.on_bytes) {
      on_bytes(std::span<const std::uint8_t>{read_buffer.data(), received});
    }
    if (state == State::open) read_next();
  }

  void write(std::vector<std::uint8_t> bytes) {
    if (state != State::open) return;
    if (queued_bytes + bytes.size() > options.write_queue_bytes_max) {
      finish(StreamEnd::error, "the broker does not read: more than " +
                                   std::to_string(options.write_queue_bytes_max) +
                                   " bytes wait to be written");
      return;
    }
    queued_bytes += bytes.size();
    write_queue.push_back(std::move(bytes));
    flush();
  }

  void flush() {
    if (writing || state == State::closed) return;
    if (write_queue.empty()) {
      if (state == State::closing) {
        boost::system::error_code ignored;
        socket().shutdown(tcp::socket::shutdown_send, ignored);
        finish_silently();
      }
      return;
    }
    writing = true;
    auto self = shared_from_this();
    auto handler = [self](boost::system::error_code error, std::size_t) {
      self->writing = false;
      if (self->state == State::closed) return;
      if (error) {
        self->finish(classify(error), error.message());
        return;
      }
      self->queued_bytes -= self->write_queue.front().size();
      self->write_queue.pop_front();
      self->flush();
    };
    if (tls) {
      asio::async_write(*tls, asio::buffer(write_queue.front()), std::move(handler));
    } else {
      asio::async_write(*plain, asio::buffer(write_queue.front()), std::move(handler));
    }
  }

  void close() {
    if (state == State::closed || state == State::closing) return;
    callbacks = {};
    if (state == State::opening) {
      finish_silently();
      return;
    }
    state = State::closing;
    flush();
  }

  std::vector<std::uint8_t> take_unread() {
    std::vector<std::uint8_t> unread;
    // Over TLS the bytes are records the pending async read may be in the
    // middle of; only plain TCP can be read beside it.
    if (tls || state != State::open) return unread;
    boost::system::error_code error;
    const std::size_t waiting = plain->available(error);
    if (error || waiting == 0) return unread;
    unread.resize(waiting);
    const std::size_t got = plain->read_some(asio::buffer(unread), error);
    unread.resize(error ? 0 : got);
    return unread;
  }

  void reset() {
    if (state == State::closed) return;
    callbacks = {};
    boost::system::error_code ignored;
    socket().set_option(asio::socket_base::linger{true, 0}, ignored);
    finish_silently();
  }

  void finish_silently() {
    callbacks = {};
    finish(StreamEnd::error, {});
  }

  void finish(StreamEnd end, std::string detail) {
    if (state == State::closed) return;
    const auto keep_alive = shared_from_this();  // the callback may drop the last owner
    state = State::closed;
    boost::system::error_code ignored;
    open_timer.cancel();
    resolver.cancel();
    socket().close(ignored);
    write_queue.clear();
    auto on_closed = std::move(callbacks.on_closed);
    callbacks = {};
    if (on_closed) on_closed(end, std::move(detail));
  }

  static StreamEnd classify(boost::system::error_code error) {
    if (error == asio::error::eof || error == ssl::error::stream_truncated) {
      return StreamEnd::peer_closed;
    }
    if (error == asio::error::connection_reset || error == asio::error::broken_pipe ||
        error == asio::error::connection_aborted) {
      return StreamEnd::reset;
    }
    if (error == asio::error::connection_refused) return StreamEnd::refused;
    if (error == asio::error::timed_out) return StreamEnd::timeout;
    return StreamEnd::error;
  }

  StreamOptions options;
  StreamCallbacks callbacks;
  tcp::resolver resolver;
  asio::steady_timer open_timer;
  std::optional<tcp::socket> plain;
  std::optional<ssl::stream<tcp::socket>> tls;
  State state = State::opening;
  std::array<std::uint8_t, 16 * 1024> read_buffer{};
  std::deque<std::vector<std::uint8_t>> write_queue;
  std::size_t queued_bytes = 0;
  bool writing = false;
};

BrokerStream::BrokerStream(std::shared_ptr<Impl> impl) : impl_{std::move(impl)} {}

BrokerStream::~BrokerStream() {
  // Abortive unless close() already began a graceful close (which finishes
  // on its own: the pending write handlers hold the Impl).
  if (impl_->state != Impl::State::closing) impl_->finish_silently();
  impl_->callbacks = {};
}

std::unique_ptr<BrokerStream> BrokerStream::open(EventLoop& loop, const StreamOptions& options,
                                                 StreamCallbacks callbacks) {
  auto impl = std::make_shared<Impl>(loop, options, std::move(callbacks));
  impl->start();
  return std::unique_ptr<BrokerStream>{new BrokerStream{std::move(impl)}};
}

void BrokerStream::write(std::vector<std::uint8_t> bytes) { impl_->write(std::move(bytes)); }
void BrokerStream::close() { impl_->close(); }
std::vector<std::uint8_t> BrokerStream::take_unread() { return impl_->take_unread(); }
bool BrokerStream::can_take_unread() const { return !impl_->tls; }
void BrokerStream::reset() { impl_->reset(); }
bool BrokerStream::is_open() const { return impl_->state == Impl::State::open; }

}  // namespace mqttsim::transport
