#pragma once
// Plays one Scenario in a World: the reference broker in simulated time
// (SimulatedWorld, `mqttsim run`) or a real broker over TCP (`mqttsim
// check`). The rules are the same for both. Steps run in order; the rules
// for when a step starts and when it is done are scenarios/README.md's
// ("Time", "Expectations"). After a step starts, the player lets the world
// advance one event at a time and asks after each whether the step is done;
// a step that waits has a deadline, at which it either ends (a `wait`, a
// `no_messages` window) or fails (an expectation not met). The run stops at
// the first failed step: what follows would judge a world the scenario did
// not intend.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runner/inbox_matcher.hpp"
#include "runner/run_result.hpp"
#include "runner/world.hpp"
#include "scenario/scenario.hpp"

namespace mqttsim::runner {

// How long a connect, subscribe or unsubscribe waits for its answer before
// the step fails (keep-alive usually ends a dead connection much sooner).
inline constexpr Duration reply_wait_max = Duration::from_s(300);

class ScenarioPlayer {
 public:
  ScenarioPlayer(const scenario::Scenario& scenario, World& world,
                 bool stop_at_first_failure = true);
  ScenarioPlayer(const ScenarioPlayer&) = delete;
  ScenarioPlayer& operator=(const ScenarioPlayer&) = delete;

  // Plays the scenario to its end or its first failure and takes the
  // world's trace. Call once.
  RunResult play();

 private:
  struct ClientSlot {
    const scenario::Client* spec = nullptr;
    ClientPort* client = nullptr;
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
  void start_in_background(std::size_t index);
  void poll();
  void reach_deadline();
  ClientSlot& slot(const std::string& name);
  void report_client_violations(RunResult& result);

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
  void start(const scenario::SendRawStep& step);
  void hand_over(const scenario::PublishStep& step, std::uint32_t number);
  void schedule_burst(const scenario::PublishStep& step, TimePoint started, std::uint32_t index);
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
  World& world_;
  bool stop_at_first_failure_;
  std::map<std::string, ClientSlot> clients_;  // by scenario name
  // The slots an `expect closed` step reads, the only ones whose
  // connection_ends() sizes each step must note: noting every client's
  // would cost a population's size per step.
  std::vector<ClientSlot*> watched_for_closes_;
  // What went wrong with spread steps, which run in the background: the
  // step and the reason, reported as failures of those steps at the end.
  std::vector<std::pair<std::size_t, std::string>> background_failures_;
  Current current_;
  bool played_ = false;
};

// Plays `scenario` against the reference broker in simulated time (a
// SimulatedWorld seeded with options.seed) and returns the verdict and the
// trace.
RunResult run_scenario(const scenario::Scenario& scenario, RunOptions options);

}  // namespace mqttsim::runner
