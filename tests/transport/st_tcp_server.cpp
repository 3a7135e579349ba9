// `mqttsim serve`'s server under hostile conditions: thousands of
// connections, a client that stops reading, garbage. The server runs on its
// own thread; the test's clients are sockets whose every read gives up after
// 10 s, so a broken server fails the test instead of hanging it.

// clang-format off
#include <utility>  // first: Boost 1.74's asio/awaitable.hpp uses std::exchange without it
// clang-format on

#include <sys/resource.h>

#include <boost/asio.hpp>
#include <boost/test/unit_test.hpp>
#include <thread>

#include "broker/session_store.hpp"
#include "codec/codec.hpp"
#include "transport/tcp_broker_server.hpp"

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace mqttsim;
using namespace mqttsim::codec;

namespace {

class ServerThread {
 public:
  explicit ServerThread(transport::ServerOptions options = {}) {
    options.port = 0;
    server_ =
        std::make_unique<transport::TcpBrokerServer>(io_, options, Profile{}, store_, everyone_);
    port_ = server_->port();
    thread_ = std::thread{[this] { io_.run(); }};
  }
  ~ServerThread() {
    asio::post(io_, [this] {
      server_->stop();
      io_.stop();
    });
    thread_.join();
  }
  std::uint16_t port() const { return port_; }

 private:
  asio::io_context io_;
  broker::VolatileStore store_;
  broker::AllowEveryone everyone_;
  std::unique_ptr<transport::TcpBrokerServer> server_;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

class Client {
 public:
  Client(asio::io_context& io, std::uint16_t port) : io_{io}, socket_{io} {
    socket_.connect(tcp::endpoint{asio::ip::address_v4::loopback(), port});
  }

  void send(const Packet& packet) {
    asio::write(socket_, asio::buffer(encode(packet, ProtocolVersion::v3_1_1)));
  }
  void send_raw(const Bytes& bytes) { asio::write(socket_, asio::buffer(bytes)); }

  // The next whole packet; nothing on EOF, reset or timeout.
  std::optional<Packet> receive() {
    while (true) {
      auto result = reader_.next();
      if (result.has_item()) return std::move(result.item().packet);
      if (result.has_error()) return std::nullopt;
      boost::system::error_code error;
      const std::size_t n = read_some(error);
      if (error) return std::nullopt;
      pending_.assign(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(n));
      reader_.feed(pending_);
    }
  }

  // Reads until the server closes; returns the bytes read on the way.
  std::optional<std::size_t> drain_until_closed() {
    std::size_t total = 0;
    while (true) {
      boost::system::error_code error;
      const std::size_t n = read_some(error);
      total += n;
      if (error == asio::error::eof || error == asio::error::connection_reset) return total;
      if (error) return std::nullopt;  // timeout: the server never closed it
    }
  }

  void connect_as(std::string client_id) {
    send(Connect{.version = ProtocolVersion::v3_1_1,
                 .clean_start = true,
                 .keep_alive_s = 0,
                 .client_id = std::move(client_id)});
  }

 private:
  // One read, given up after 10 s of silence (error: timed_out). Asio's
  // blocking reads ignore SO_RCVTIMEO, hence the asynchronous read bounded
  // by run_for.
  std::size_t read_some(boost::system::error_code& error) {
    std::size_t received = 0;
    bool done = false;
    socket_.async_read_some(asio::buffer(buffer_), [&](boost::system::error_code e, std::size_t n) {
      error = e;
      received = n;
      done = true;
    });
    io_.restart();
    io_.run_for(std::chrono::seconds{10});
    if (!done) {
      socket_.cancel();
      io_.restart();
      io_.run();  // lets the cancelled handler finish
      error = asio::error::timed_out;
    }
    return received;
  }

  asio::io_context& io_;
  tcp::socket socket_;
  std::array<std::uint8_t, 64 * 1024> buffer_{};
  Bytes pending_;
  PacketReader reader_ = PacketReader::for_client(ProtocolVersion::v3_1_1);
};

bool is_connack_accepted(const std::optional<Packet>& packet) {
  return packet && std::holds_alternative<Connack>(*packet) && std::get<Connack>(*packet).code == 0;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_tcp_server)

BOOST_AUTO_TEST_CASE(serves_thousands_of_connections) {
  // Each connection costs two descriptors here (client and server end).
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = std::min<rlim_t>(limit.rlim_max, 8192);
  ::setrlimit(RLIMIT_NOFILE, &limit);
  const std::size_t count = std::min<std::size_t>(2000, (limit.rlim_cur - 100) / 2);
  BOOST_TEST_MESSAGE("opening " << count << " connections");
  BOOST_REQUIRE(count >= 400);

  ServerThread server;
  asio::io_context io;
  std::vector<std::unique_ptr<Client>> clients;
  for (std::size_t i = 0; i < count; ++i) {
    clients.push_back(std::make_unique<Client>(io, server.port()));
    clients.back()->connect_as("c" + std::to_string(i));
  }
  std::size_t accepted = 0;
  for (auto& client : clients) accepted += is_connack_accepted(client->receive()) ? 1 : 0;
  BOOST_TEST(accepted == count);
}

BOOST_AUTO_TEST_CASE(a_client_that_stops_reading_is_dropped_and_others_go_on) {
  transport::ServerOptions options;
  options.max_pending_write_bytes = 256 * 1024;
  ServerThread server{options};
  asio::io_context io;

  Client slow{io, server.port()};
  slow.connect_as("slow");
  BOOST_REQUIRE(is_connack_accepted(slow.receive()));
  slow.send(Subscribe{.packet_id = 1,
                      .properties = {},
                      .subscriptions = {Subscription{.topic_filter = "flood/#"}}});
  BOOST_REQUIRE(slow.receive());  // SUBACK; from here on it reads nothing

  Client publisher{io, server.port()};
  publisher.connect_as("publisher");
  BOOST_REQUIRE(is_connack_accepted(publisher.receive()));
  const Bytes payload(64 * 1024, 'x');
  const std::size_t messages = 400;  // 25 MiB: more than loopback buffers hold
  for (std::size_t i = 0; i < messages; ++i) {
    publisher.send(Publish{.topic = "flood/a", .payload = payload});
  }
  publisher.send(Pingreq{});
  const auto pong = publisher.receive();
  BOOST_TEST((pong && std::holds_alternative<Pingresp>(*pong)));

  const auto read = slow.drain_until_closed();
  BOOST_REQUIRE_MESSAGE(read.has_value(), "the server never dropped the client that does not read");
  BOOST_TEST(*read < messages * payload.size());
}

BOOST_AUTO_TEST_CASE(garbage_closes_that_connection_only) {
  ServerThread server;
  asio::io_context io;
  Client garbage{io, server.port()};
  garbage.send_raw(Bytes{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 'n', 'o', 'p', 'e'});
  BOOST_TEST(garbage.drain_until_closed().has_value());

  Client honest{io, server.port()};
  honest.connect_as("honest");
  BOOST_TEST(is_connack_accepted(honest.receive()));
}

BOOST_AUTO_TEST_SUITE_END()
