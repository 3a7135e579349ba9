// What the fault proxy records of the broker's bytes when it ends the
// broker's connection: every byte that reached our socket before the reset
// is recorded as sent by the broker, and the close says that more may have
// been written and never arrived (trace::Mark::output_may_be_unseen), since
// bytes in the broker's own send queue die with the RST.
#include <boost/test/unit_test.hpp>

#include "misbehaving_broker.hpp"
#include "transport/fault_proxy.hpp"

using namespace mqttsim;
using namespace mqttsim::testing;

namespace {

struct Recorded {
  RawBytes from_broker;  // bytes the proxy recorded as crossing the broker's socket
  std::optional<trace::CloseReason> broker_closed;
  std::string broker_close_detail;
  bool output_may_be_unseen = false;
  bool client_open = false;
};

transport::ProxyCallbacks recording(Recorded& r,
                                    std::function<void(std::span<const std::uint8_t>)> then) {
  transport::ProxyCallbacks callbacks;
  callbacks.on_open = [&r] { r.client_open = true; };
  callbacks.on_broker_bytes = [&r, then = std::move(then)](trace::Direction direction,
                                                           std::span<const std::uint8_t> bytes) {
    if (direction != trace::Direction::broker_to_client) return;
    r.from_broker.insert(r.from_broker.end(), bytes.begin(), bytes.end());
    if (then) then(bytes);
  };
  callbacks.on_broker_closed = [&r](trace::CloseReason reason, std::string detail,
                                    bool output_may_be_unseen) {
    r.broker_closed = reason;
    r.broker_close_detail = std::move(detail);
    r.output_may_be_unseen = output_may_be_unseen;
  };
  return callbacks;
}

transport::StreamOptions to(const MisbehavingBroker& broker) {
  return {.address = {.host = "127.0.0.1", .port = broker.port()}};
}

RawBytes chunk(std::uint8_t fill, std::size_t size) { return RawBytes(size, fill); }

// A proxy to a broker that does nothing by itself, opened: the test writes
// the broker's bytes with `broker_writes`.
struct OpenProxy {
  transport::EventLoop loop;
  MisbehavingBroker broker{loop, [](const Socket&) {}};
  Recorded r;
  std::unique_ptr<transport::FaultProxy> proxy;

  explicit OpenProxy(std::function<void(std::span<const std::uint8_t>)> then = nullptr) {
    proxy = std::make_unique<transport::FaultProxy>(loop, to(broker), transport::LinkShape{},
                                                    kernel::Rng{1}, false,
                                                    recording(r, std::move(then)));
    BOOST_TEST_REQUIRE(loop.run_until([&] { return r.client_open && broker.accepted() == 1; },
                                      loop.now() + Duration::from_s(5)));
  }
  void broker_writes(const RawBytes& bytes) {
    asio::write(*broker.sockets()[0], asio::buffer(bytes));
  }
  bool run_until_broker_closed() {
    return loop.run_until([&] { return r.broker_closed.has_value(); },
                          loop.now() + Duration::from_s(5));
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(st_fault_proxy_reset)

BOOST_AUTO_TEST_CASE(bytes_waiting_in_our_socket_at_the_reset_are_recorded) {
  OpenProxy o;
  // The broker writes, and the link breaks before the proxy's read handler
  // could run: the bytes are in our socket's queue, not yet read.
  o.broker_writes(chunk(0x30, 300));
  o.proxy->half_open(transport::LinkSide::broker);  // resets the broker's socket at once
  BOOST_TEST(o.r.from_broker == chunk(0x30, 300));
  BOOST_TEST_REQUIRE(o.r.broker_closed.has_value());
  BOOST_TEST(static_cast<int>(*o.r.broker_closed) == static_cast<int>(trace::CloseReason::reset));
  BOOST_TEST(o.r.output_may_be_unseen, o.r.broker_close_detail);
}

BOOST_AUTO_TEST_CASE(bytes_arriving_while_the_last_ones_are_handed_on_are_not_lost) {
  // The broker's second write lands while the proxy is handing on its first
  // one, and the reset comes next. A read started speculatively at that
  // moment would take the second write out of the socket and hand it over
  // only after the reset, which would drop it.
  OpenProxy* open = nullptr;
  bool second_written = false;
  OpenProxy o{[&](std::span<const std::uint8_t>) {
    if (second_written) return;
    second_written = true;
    open->broker_writes(chunk(0x32, 200));
    asio::post(transport::asio_context(open->loop),
               [&] { open->proxy->half_open(transport::LinkSide::broker); });
  }};
  open = &o;
  o.broker_writes(chunk(0x31, 100));
  BOOST_TEST_REQUIRE(o.run_until_broker_closed());
  RawBytes expected = chunk(0x31, 100);
  const RawBytes second = chunk(0x32, 200);
  expected.insert(expected.end(), second.begin(), second.end());
  BOOST_TEST(o.r.from_broker == expected);
  BOOST_TEST(o.r.output_may_be_unseen, o.r.broker_close_detail);
}

BOOST_AUTO_TEST_CASE(the_clients_close_records_what_arrived_and_says_more_may_follow) {
  // After our FIN the broker may still write until it reads it; the harness
  // no longer reads, so the close says what came after may be unseen.
  OpenProxy o;
  o.broker_writes(chunk(0x33, 50));
  o.proxy->close();
  BOOST_TEST_REQUIRE(o.run_until_broker_closed());
  BOOST_TEST(o.r.from_broker == chunk(0x33, 50));
  BOOST_TEST(static_cast<int>(*o.r.broker_closed) ==
             static_cast<int>(trace::CloseReason::peer_closed));
  BOOST_TEST(o.r.output_may_be_unseen, o.r.broker_close_detail);
}

BOOST_AUTO_TEST_SUITE_END()
