#pragma once
// Plays one Scenario against the reference broker in simulated time.
//
// A player owns a whole world: the simulator, the network (its generator
// derived from the run's seed), the broker process and one virtual client
// per scenario client, all writing into one trace. Steps run in order; the
// rules for when a step starts and when it is done are scenarios/README.md's
// ("Time", "Expectations"). After a step starts, the player runs the
// simulator one event at a time and asks after each whether the step is
// done; a step that waits has a deadline, at which it either ends (a
// `wait`, a `no_messages` window) or fails (an expectation not met). The
// run stops at the first failed step: what follows would judge a world the
// scenario did not intend.

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "broker/authenticator.hpp"
#include "kernel/rng.hpp"
#include "kernel/simulator.hpp"
#include "net/network.hpp"
#include "runner/broker_host.hpp"
#include "runner/inbox_matcher.hpp"
#include "runner/run_result.hpp"
#include "runner/virtual_client.hpp"
#include "scenario/scenario.hpp"
#include "trace/trace.hpp"

namespace mqttsim::runner {

// How long a connect, subscribe or unsubscribe waits for its answer before
// the step fails (virtual time; keep-alive usually ends a dead connection
// much sooner).
inline constexpr Duration reply_wait_max = Duration::from_s(300);

class ScenarioPlayer {
 public:
  ScenarioPlayer(const scenario::Scenario& scenario, RunOptions options);
  ScenarioPlayer(const ScenarioPlayer&) = delete;
  ScenarioPlayer& operator=(const ScenarioPlayer&) = delete;

  // Plays the scenario to its end or its first failure. Call once.
  RunResult play();

 private:
  struct ClientSlot {
    const scenario::Client* spec = nullptr;
    std::unique_ptr<VirtualClient> client;
    std::size_t inbox_consumed = 0;  // inbox messages earlier expectations consumed
    // connection_ends() sizes when the previous and the current step started
    // (`expect closed` looks back to the previous step's start).
    std::size_t ends_at_previous_step = 0;
    std::size_t ends_at_current_step = 0;
  };

  // The step being played.
  struct Current {
    std::size_t index = 0;
    TimePoint started;
    std::optional<TimePoint> deadline;
    bool done_at_deadline = false;  // reaching the deadline is success
    bool done = false;
    std::optional<std::string> failure;
    ClientSlot* slot = nullptr;                  // the step's client, if it has one
    std::size_t events_from = 0;                 // client events before the step
    std::size_t ends_from = 0;                   // client connection ends before the step
    std::optional<protocol::RequestId> request;  // subscribe / unsubscribe
    std::optional<InboxMatcher> matcher;         // expect messages
  };

  // scenario_player.cpp: the loop
  void begin(std::size_t index);
  void poll();
  void reach_deadline();
  bool run_one_event();  // false when the event budget is spent
  void note(std::string detail);
  ClientSlot& slot(const std::string& name);

  // player_steps.cpp: starting each kind of step
  void start(const scenario::ConnectStep& step);
  void start(const scenario::SubscribeStep& step);
  void start(const scenario::UnsubscribeStep& step);
  void start(const scenario::PublishStep& step);
  void start(const scenario::DisconnectStep& step);
  void start(const scenario::DropStep& step);
  void start(const scenario::HalfOpenStep& step);
  void start(const scenario::CrashStep& step);
  void start(const scenario::PartitionStep& step);
  void start(const scenario::HealStep& step);
  void start(const scenario::BrokerRestartStep& step);
  void start(const scenario::WaitStep& step);
  void start(const scenario::ExpectMessagesStep& step);
  void start(const scenario::ExpectNoMessagesStep& step);
  void start(const scenario::ExpectClosedStep& step);
  void start(const scenario::FaultsStep& step);
  void hand_over(const scenario::PublishStep& step, std::uint32_t number);
  void wait_until(TimePoint deadline);

  // player_progress.cpp: is the current step done?
  void check(const scenario::ConnectStep& step);
  void check(const scenario::SubscribeStep& step);
  void check(const scenario::UnsubscribeStep& step);
  void check(const scenario::ExpectMessagesStep& step);
  void check(const scenario::ExpectNoMessagesStep& step);
  void check(const scenario::ExpectClosedStep& step);
  template <class Step>
  void check(const Step&) {}  // the others are done at once or at their deadline
  // The client's connection ended during the step, before the answer came.
  bool lost_connection_while_waiting(std::string_view waiting_for);

  const scenario::Scenario& scenario_;
  RunOptions options_;
  // Declared first, destroyed last: queued events point at what follows.
  kernel::Simulator simulator_;
  trace::Trace trace_;
  net::Network network_;
  broker::AllowEveryone everyone_;
  BrokerHost broker_;
  std::map<std::string, ClientSlot> clients_;  // by scenario name
  Current current_;
  bool played_ = false;
};

// Plays `scenario` with `options` and returns the verdict and the trace.
RunResult run_scenario(const scenario::Scenario& scenario, RunOptions options);

}  // namespace mqttsim::runner
