#pragma once
// The world of `mqttsim run`: virtual time, the simulated network, the
// reference broker as a process on it (BrokerHost) and one VirtualClient
// per scenario client, all writing into one trace. Everything random draws
// from generators derived from the run's seed, so a seed fixes the trace.

#include <map>
#include <memory>

#include "broker/authenticator.hpp"
#include "kernel/simulator.hpp"
#include "net/network.hpp"
#include "runner/broker_host.hpp"
#include "runner/virtual_client.hpp"
#include "runner/world.hpp"

namespace mqttsim::runner {

class SimulatedWorld final : public World {
 public:
  // `max_events` bounds the simulator events of the whole run, so a world
  // that spins (a storm of retransmissions, say) stops instead of hanging.
  // `level`: how much of the run the trace keeps.
  SimulatedWorld(const scenario::Scenario& scenario, std::uint64_t seed, std::uint64_t max_events,
                 std::shared_ptr<PacketInterceptor> interceptor = nullptr,
                 trace::Level level = trace::Level::full);
  SimulatedWorld(const SimulatedWorld&) = delete;
  SimulatedWorld& operator=(const SimulatedWorld&) = delete;

  TimePoint now() const override { return simulator_.now(); }
  std::uint64_t seed() const override { return seed_; }
  // How many simulator events have run (for the benchmarks' events/s).
  std::uint64_t events_run() const { return simulator_.events_run(); }
  bool advance(std::optional<TimePoint> deadline) override;
  std::string stop_reason() const override;
  void schedule(TimePoint at, std::function<void()> action) override;
  void note(std::string detail) override;
  ClientPort& client(const std::string& name) override;
  std::optional<std::string> cannot_play(const scenario::StepAction&) const override {
    return std::nullopt;  // the simulation plays every step
  }

  void drop(ClientPort& client, Duration client_notice_delay,
            Duration broker_notice_delay) override;
  void half_open(ClientPort& client, scenario::LinkEnd noticed_by) override;
  void partition(const std::set<std::string>& clients) override;
  void heal(const std::set<std::string>& clients) override;
  std::optional<std::string> restart_broker(Duration down_for, bool lose_state) override;
  void start_faults(const scenario::FaultsStep& faults) override;

  trace::Trace take_trace() override { return std::move(trace_); }

 private:
  VirtualClient& virtual_client(ClientPort& client);

  std::uint64_t seed_;
  std::uint64_t max_events_;
  // Declared first, destroyed last: queued events point at what follows.
  kernel::Simulator simulator_;
  trace::Trace trace_;
  net::Network network_;
  broker::AllowEveryone everyone_;
  BrokerHost broker_;
  std::map<std::string, std::unique_ptr<VirtualClient>> clients_;  // by scenario name
  std::shared_ptr<PacketInterceptor> interceptor_;  // tests only; told of scripted faults
};

}  // namespace mqttsim::runner
