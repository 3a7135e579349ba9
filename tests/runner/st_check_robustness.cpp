// `mqttsim check` against brokers that misbehave: garbage, a malformed
// packet, a close at any moment, silence, a packet over the size bound, a
// refused connection, a TLS handshake that never comes. Each must end the
// scenario with a clear failure of the step that was waiting, not a hang or
// a crash. The broken broker runs on the same event loop as the TcpWorld
// (one thread, no sleeps); every wait is bounded by the scenario's own
// deadlines or keep-alive.

#include <boost/test/unit_test.hpp>

#include "runner/scenario_player.hpp"
#include "runner/tcp_world.hpp"
#include "scenario/scenario_loader.hpp"
#include "transport/misbehaving_broker.hpp"

using namespace mqttsim;
using mqttsim::testing::MisbehavingBroker;
using mqttsim::testing::RawBytes;
using mqttsim::testing::Socket;

namespace {

// Connects with a 1 s keep-alive (so a silent broker is found out in about
// a second), then subscribes.
const std::string connect_then_subscribe = R"(
name: connect then subscribe
protocol: 3.1.1
clients:
  c:
steps:
  - connect: c
    keep_alive: 1s
  - subscribe: c
    filter: a/#
    qos: 1
)";

const RawBytes connack_accepted{0x20, 0x02, 0x00, 0x00};

struct Played {
  runner::RunResult result;
  std::string message() const {
    return result.failures.empty() ? std::string{} : result.failures.front().message;
  }
  std::size_t failed_step() const { return result.failures.front().step_index; }
  // A broker that breaks a rule the client sees is also reported as such.
  bool client_saw(std::string_view text) const {
    for (const auto& failure : result.failures) {
      if (failure.step_kind == "client" && failure.message.find(text) != std::string::npos) {
        return true;
      }
    }
    return false;
  }
};

Played play(transport::EventLoop& loop, std::uint16_t port,
            const std::string& yaml = connect_then_subscribe,
            runner::TcpTarget target = runner::TcpTarget{}) {
  const scenario::Scenario scenario = scenario::load_scenario_text(yaml, "robustness.yaml");
  target.stream.address = {.host = "127.0.0.1", .port = port};
  target.settle = Duration::zero();
  runner::TcpWorld world{scenario, loop, target};
  return {runner::ScenarioPlayer{scenario, world}.play()};
}

// After the CONNECT, answers with `reply`.
MisbehavingBroker::Behaviour reply_to_connect(RawBytes reply) {
  return [reply](const Socket& socket) {
    testing::read_chunk(socket, [socket, reply](RawBytes) {
      testing::write_bytes(socket, reply);
      testing::drain(socket);
    });
  };
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_check_robustness)

BOOST_AUTO_TEST_CASE(garbage_instead_of_connack_fails_the_connect) {
  transport::EventLoop loop;
  MisbehavingBroker broker{loop, reply_to_connect({0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 'g', 'a'})};
  const Played played = play(loop, broker.port());
  BOOST_TEST(!played.result.passed());
  BOOST_TEST(!played.result.aborted);
  BOOST_REQUIRE_GE(played.result.failures.size(), 1u);
  BOOST_TEST(played.failed_step() == 0u);
  BOOST_TEST(played.message().find("malformed_packet") != std::string::npos, played.message());
  BOOST_TEST(played.message().find("before CONNACK") != std::string::npos, played.message());
}

BOOST_AUTO_TEST_CASE(remaining_length_of_five_bytes_is_malformed) {
  transport::EventLoop loop;
  MisbehavingBroker broker{loop, reply_to_connect({0x20, 0xff, 0xff, 0xff, 0xff, 0x01})};
  const Played played = play(loop, broker.port());
  BOOST_REQUIRE_GE(played.result.failures.size(), 1u);
  BOOST_TEST(played.message().find("malformed_packet") != std::string::npos, played.message());
  BOOST_TEST(played.client_saw("remaining length"));
}

BOOST_AUTO_TEST_CASE(packet_over_the_size_bound_is_refused_before_it_is_buffered) {
  // A PUBLISH announcing 268,435,455 bytes (the protocol's largest): the
  // harness gives the connection up at the header instead of buffering.
  transport::EventLoop loop;
  MisbehavingBroker broker{loop, reply_to_connect({0x30, 0xff, 0xff, 0xff, 0x7f, 0x00})};
  const Played played = play(loop, broker.port());
  BOOST_REQUIRE_GE(played.result.failures.size(), 1u);
  BOOST_TEST(played.message().find("cannot be read") != std::string::npos, played.message());
  BOOST_TEST(played.message().find("MQTT-4.8.0-2") != std::string::npos, played.message());
  BOOST_TEST(played.message().find("before CONNACK") != std::string::npos, played.message());
}

BOOST_AUTO_TEST_CASE(close_right_after_accept_fails_the_connect) {
  transport::EventLoop loop;
  MisbehavingBroker broker{loop, [](const Socket& socket) { socket->close(); }};
  const Played played = play(loop, broker.port());
  BOOST_REQUIRE_GE(played.result.failures.size(), 1u);
  BOOST_TEST(played.failed_step() == 0u);
  BOOST_TEST(played.message().find("ended (network:") != std::string::npos, played.message());
}

BOOST_AUTO_TEST_CASE(close_instead_of_suback_fails_the_subscribe) {
  transport::EventLoop loop;
  MisbehavingBroker broker{loop, [](const Socket& socket) {
                             testing::read_chunk(socket, [socket](RawBytes) {
                               testing::write_bytes(socket, connack_accepted);
                               testing::read_chunk(socket, [socket](RawBytes) { socket->close(); });
                             });
                           }};
  const Played played = play(loop, broker.port());
  BOOST_REQUIRE_GE(played.result.failures.size(), 1u);
  BOOST_TEST(played.failed_step() == 1u);
  BOOST_TEST(played.message().find("before SUBACK") != std::string::npos, played.message());
}

BOOST_AUTO_TEST_CASE(malformed_packet_instead_of_suback_fails_the_subscribe) {
  transport::EventLoop loop;
  MisbehavingBroker broker{loop, [](const Socket& socket) {
                             testing::read_chunk(socket, [socket](RawBytes) {
                               testing::write_bytes(socket, connack_accepted);
                               testing::read_chunk(socket, [socket](RawBytes) {
                                 // SUBACK with a granted QoS of 3: not a valid code.
                                 testing::write_bytes(socket, {0x90, 0x03, 0x00, 0x01, 0x03});
                                 testing::drain(socket);
                               });
                             });
                           }};
  const Played played = play(loop, broker.port());
  BOOST_REQUIRE_GE(played.result.failures.size(), 1u);
  BOOST_TEST(played.failed_step() == 1u);
  BOOST_TEST(played.message().find("before SUBACK") != std::string::npos, played.message());
  BOOST_TEST(played.client_saw("MQTT-3.9.3-2"));
}

BOOST_AUTO_TEST_CASE(silent_broker_is_found_out_by_the_connack_wait) {
  transport::EventLoop loop;
  MisbehavingBroker broker{loop, [](const Socket& socket) { testing::drain(socket); }};
  const Played played = play(loop, broker.port());
  BOOST_REQUIRE_GE(played.result.failures.size(), 1u);
  BOOST_TEST(played.message().find("connack_timeout") != std::string::npos, played.message());
}

BOOST_AUTO_TEST_CASE(silent_broker_without_keep_alive_meets_the_step_deadline) {
  // No keep-alive, so only the player's reply deadline (300 s of scenario
  // time; 0.3 s of real time at scale 1000) bounds the wait.
  transport::EventLoop loop;
  MisbehavingBroker broker{loop, [](const Socket& socket) { testing::drain(socket); }};
  runner::TcpTarget target;
  target.scale = runner::TimeScale{1'000'000};
  const Played played = play(loop, broker.port(), R"(
name: silent
protocol: 3.1.1
clients:
  c:
steps:
  - connect: c
    keep_alive: 0s
)",
                             target);
  BOOST_REQUIRE_GE(played.result.failures.size(), 1u);
  BOOST_TEST(played.message().find("no answer within 300") != std::string::npos, played.message());
}

BOOST_AUTO_TEST_CASE(refused_connection_fails_the_connect) {
  transport::EventLoop loop;
  std::uint16_t port = 0;
  {
    MisbehavingBroker closed{loop, [](const Socket&) {}};
    port = closed.port();
    closed.stop();
  }
  const Played played = play(loop, port);
  BOOST_REQUIRE_GE(played.result.failures.size(), 1u);
  BOOST_TEST(played.message().find("refused") != std::string::npos, played.message());
}

BOOST_AUTO_TEST_CASE(tls_handshake_that_never_comes_times_out) {
  transport::EventLoop loop;
  MisbehavingBroker broker{loop, [](const Socket& socket) { testing::drain(socket); }};
  runner::TcpTarget target;
  std::string error;
  target.stream.tls = transport::TlsContext::load({.insecure = true}, error);
  BOOST_REQUIRE_MESSAGE(target.stream.tls, error);
  target.stream.open_timeout = Duration::from_ms(200);
  const Played played = play(loop, broker.port(), connect_then_subscribe, target);
  BOOST_REQUIRE_GE(played.result.failures.size(), 1u);
  BOOST_TEST(played.message().find("timeout") != std::string::npos, played.message());
}

BOOST_AUTO_TEST_SUITE_END()
