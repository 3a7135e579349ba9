#pragma once
// One client connection to an external broker over TCP, or TLS over TCP
// (OpenSSL through Boost.Asio), on an EventLoop. Asynchronous: open()
// returns at once and the callbacks say what happened. Every stage is
// bounded: name resolution, the TCP connect and the TLS handshake together
// must finish within `open_timeout`, so a broker that never answers (or a
// black-holed address) ends in on_closed(timeout) instead of a hang.
//
// The write queue is bounded too: a broker that stops reading cannot make
// the harness buffer without limit (the stream ends with `error`).

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/time.hpp"
#include "transport/event_loop.hpp"

namespace mqttsim::transport {

struct BrokerAddress {
  std::string host;
  std::uint16_t port = 1883;
};
// "HOST:PORT" ("[::1]:1883" for IPv6).
std::string to_string(const BrokerAddress& address);

// The client side of TLS: whom to trust and who we are.
struct TlsSettings {
  std::string cafile;    // PEM; empty: the system's default trust store
  std::string certfile;  // PEM client certificate, with keyfile
  std::string keyfile;
  bool insecure = false;  // accept any server certificate (self-signed test brokers)
};

// A loaded TLS configuration, shared by every connection of a run. Loading
// fails with a message naming the file that could not be used.
class TlsContext {
 public:
  static std::shared_ptr<TlsContext> load(const TlsSettings& settings, std::string& error);
  ~TlsContext();
  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  explicit TlsContext(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

struct StreamOptions {
  BrokerAddress address;
  std::shared_ptr<TlsContext> tls;  // null: plain TCP
  Duration open_timeout = Duration::from_s(10);
  std::size_t write_queue_bytes_max = 16 * 1024 * 1024;
};

enum class StreamEnd : std::uint8_t {
  peer_closed,  // the broker closed (EOF, or TLS close_notify)
  reset,        // the broker reset the connection
  refused,      // nobody listens at the address
  timeout,      // open_timeout passed before the stream was up
  error,        // anything else (resolution, TLS, write queue full); see the text
};
std::string_view to_string(StreamEnd end);

struct StreamCallbacks {
  std::function<void()> on_open;
  std::function<void(std::span<const std::uint8_t>)> on_bytes;
  // Once, after which no callback is called again. `detail` is readable.
  std::function<void(StreamEnd, std::string detail)> on_closed;
};

class BrokerStream {
 public:
  // Starts connecting.
  static std::unique_ptr<BrokerStream> open(EventLoop& loop, const StreamOptions& options,
                                            StreamCallbacks callbacks);
  // Closes the socket at once, without calling back.
  ~BrokerStream();
  BrokerStream(const BrokerStream&) = delete;
  BrokerStream& operator=(const BrokerStream&) = delete;

  // Queued behind earlier writes; ignored once the stream is closing.
  void write(std::vector<std::uint8_t> bytes);
  // Graceful: queued bytes go first, then the write side shuts down (TLS:
  // close_notify is skipped, the TCP FIN is what brokers act on) and the
  // socket closes. No callback follows.
  void close();
  // Abortive: SO_LINGER 0 and close, so the broker gets an RST; queued bytes
  // are lost. No callback follows.
  void reset();
  // What the broker sent that has arrived but not been read yet (plain TCP;
  // empty over TLS), taken at once without waiting. Before a reset, so that
  // a PUBLISH the broker wrote just before it still counts as sent.
  std::vector<std::uint8_t> take_unread();
  bool can_take_unread() const;  // false over TLS
  bool is_open() const;

  struct Impl;

 private:
  explicit BrokerStream(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace mqttsim::transport
