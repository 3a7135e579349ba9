#pragma once
// Plays one scenario with TcpWorld against the reference broker served over
// real TCP (transport::TcpBrokerServer, `mqttsim serve`'s server) on the
// same event loop, and judges its trace with the oracle.

#include <string>
#include <string_view>

#include "broker/session_store.hpp"
#include "oracle/oracle.hpp"
#include "runner/scenario_player.hpp"
#include "runner/tcp_world.hpp"
#include "scenario/scenario_loader.hpp"
#include "transport/event_loop_asio.hpp"
#include "transport/tcp_broker_server.hpp"

namespace mqttsim::testing {

struct ServedBroker {
  explicit ServedBroker(transport::EventLoop& loop)
      : server{transport::asio_context(loop), {.port = 0}, Profile{}, store, everyone} {}
  broker::VolatileStore store;
  broker::AllowEveryone everyone;
  transport::TcpBrokerServer server;
};

struct Played {
  runner::RunResult result;
  oracle::Verdict verdict;
  std::string failure() const {
    return result.failures.empty() ? std::string{} : result.failures.front().message;
  }
  std::size_t count(trace::EventKind kind, std::string_view actor,
                    std::string_view text = {}) const {
    std::size_t n = 0;
    for (const auto& event : result.trace.events()) {
      if (event.kind == kind && event.actor == actor &&
          trace::describe(event).find(text) != std::string::npos) {
        ++n;
      }
    }
    return n;
  }
  bool judged(ProtocolVersion version, std::string_view id) const {
    return verdict.judged.count({version, std::string{id}}) > 0;
  }
};

// `scale_per_mille`: --time-scale in thousandths (10'000: ten times faster
// than real time).
inline Played play_over_tcp(const std::string& yaml, std::uint32_t scale_per_mille = 10'000) {
  transport::EventLoop loop;
  ServedBroker broker{loop};
  const scenario::Scenario scenario = scenario::load_scenario_text(yaml, "tcp.yaml");
  runner::TcpTarget target;
  target.stream.address = {.host = "127.0.0.1", .port = broker.server.port()};
  target.scale = runner::TimeScale{scale_per_mille};
  target.settle = Duration::from_ms(20);
  Played played;
  {
    runner::TcpWorld world{scenario, loop, target};
    played.result = runner::ScenarioPlayer{scenario, world}.play();
  }
  played.verdict = oracle::judge(played.result.trace, scenario.broker.profile);
  broker.server.stop();
  return played;
}

}  // namespace mqttsim::testing
