#pragma once
// The world of `mqttsim check`: an external broker over TCP or TLS, in real
// time. Each scenario client is a TcpClient (the same ClientSession as in
// simulation) whose connection goes through a fault proxy that makes the
// scenario's network and faults real. The ScenarioPlayer plays it by the
// same rules as SimulatedWorld.
//
// Time: now() is the real time since the world was made, times
// --time-scale, so a scenario's `at`, `wait` and `within` shrink or stretch;
// link delays and fault times are scaled the same way. MQTT intervals on
// the wire (keep-alive, session and message expiry, will delay) are not,
// and the trace is stamped in real time (see TcpClient).
//
// What cannot be made real is refused up front (cannot_play), so the
// scenario is reported as skipped: `broker_restart` without a restart
// command. Link segmentation (segment_bytes) is not reproduced: writes go
// to the broker's socket whole, and the kernel segments them.

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "kernel/rng.hpp"
#include "runner/tcp_client.hpp"
#include "runner/time_scale.hpp"
#include "runner/world.hpp"
#include "transport/broker_stream.hpp"
#include "transport/event_loop.hpp"

namespace mqttsim::runner {

// How `mqttsim check` reaches and treats the broker under test.
struct TcpTarget {
  transport::StreamOptions stream;  // address, TLS, connect timeout
  TimeScale scale;
  Duration settle = Duration::from_ms(200);  // real time; see TcpClient
  // Run by `broker_restart` (through /bin/sh); with
  // MQTTSIM_RESTART_STORE=volatile|durable and MQTTSIM_DOWN_FOR_MS in its
  // environment. Empty: such scenarios are skipped.
  std::string restart_command;
  Duration restart_wait_max = Duration::from_s(30);  // for the broker to accept again
  std::uint64_t seed = 1;  // the proxy's jitter, loss and random fault draws
  // How long the scenario lasts in simulation (scenario time), if known. An
  // MQTT interval longer than twice this cannot run out during the run,
  // scaled or not, so it does not stop a scaled run (see cannot_play).
  std::optional<Duration> scenario_length;
};

// Why TcpWorld cannot play `step` against `target`, if it cannot
// (TcpWorld::cannot_play): a scenario with such a step is skipped.
std::optional<std::string> cannot_play_against(const scenario::StepAction& step,
                                               const TcpTarget& target);

class TcpWorld final : public World {
 public:
  TcpWorld(const scenario::Scenario& scenario, transport::EventLoop& loop, const TcpTarget& target);
  ~TcpWorld();
  TcpWorld(const TcpWorld&) = delete;
  TcpWorld& operator=(const TcpWorld&) = delete;

  TimePoint now() const override { return context_.scenario_now(); }
  std::uint64_t seed() const override { return target_.seed; }
  bool advance(std::optional<TimePoint> deadline) override;
  std::string stop_reason() const override;
  void schedule(TimePoint at, std::function<void()> action) override;
  void note(std::string detail) override;
  ClientPort& client(const std::string& name) override;
  std::optional<std::string> cannot_play(const scenario::StepAction& step) const override;
  Duration no_messages_margin() const override;

  void drop(ClientPort& client, Duration client_notice_delay,
            Duration broker_notice_delay) override;
  void half_open(ClientPort& client, scenario::LinkEnd noticed_by) override;
  void partition(const std::set<std::string>& clients) override;
  void heal(const std::set<std::string>& clients) override;
  std::optional<std::string> restart_broker(Duration down_for, bool lose_state) override;
  void start_faults(const scenario::FaultsStep& faults) override;

  trace::Trace take_trace() override { return std::move(trace_); }

 private:
  TimePoint real_time_of(TimePoint scenario_time) const {
    return context_.origin_real + target_.scale.to_real(scenario_time - TimePoint::origin());
  }
  TcpClient& tcp_client(ClientPort& client);
  void run_scheduled(std::pair<TimePoint, std::uint64_t> key);
  void run_due(TimePoint deadline);
  void record_fault(trace::FaultKind kind, std::string detail);
  void set_cut(const std::string& client, bool cut);
  // tcp_world_faults.cpp
  void schedule_random(trace::FaultKind kind, std::uint32_t per_hour,
                       const scenario::FaultsStep& faults);
  void fire_random(trace::FaultKind kind, const scenario::FaultsStep& faults);
  // tcp_world_restart.cpp
  std::optional<std::string> run_restart_command(Duration down_for, bool lose_state);
  std::optional<std::string> wait_for_broker();

  transport::EventLoop& loop_;
  TcpTarget target_;
  trace::Trace trace_;
  TcpClientContext context_;
  kernel::Rng rng_;
  kernel::Rng fault_rng_;
  trace::ConnectionId last_connection_ = 0;
  std::set<std::string> partitioned_;
  // Actions scheduled by schedule(), by (scenario time, order scheduled).
  // Each has a loop timer; advance() also runs every one due by the
  // deadline it reached, so what the scenario put before a deadline has
  // happened by then (real timers at the same instant may fire in any order).
  struct Scheduled {
    transport::EventLoop::TimerId timer = 0;
    std::function<void()> action;
  };
  std::map<std::pair<TimePoint, std::uint64_t>, Scheduled> scheduled_;
  std::uint64_t scheduled_count_ = 0;
  std::optional<transport::EventLoop::TimerId> wake_;  // at the deadline advance() waits for
  TimePoint wake_at_;
  std::map<std::string, std::unique_ptr<TcpClient>> clients_;  // by scenario name
};

}  // namespace mqttsim::runner
