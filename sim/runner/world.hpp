#pragma once
// What the scenario player plays against: a clock that moves as things
// happen, the scenario's clients, the broker, and the network between them.
// SimulatedWorld (virtual time, the reference broker) implements it for
// `mqttsim run`; the TCP world of `mqttsim check` implements it in real time
// against an external broker. The player's rules (when a step starts, ends,
// passes or fails) live once, in ScenarioPlayer, for both.

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>

#include "base/time.hpp"
#include "runner/client_port.hpp"
#include "scenario/scenario.hpp"
#include "trace/trace.hpp"

namespace mqttsim::runner {

class World {
 public:
  virtual ~World() = default;

  virtual TimePoint now() const = 0;
  // The run's seed: what the world and the player draw from.
  virtual std::uint64_t seed() const = 0;
  // Lets the world run until something happens or the clock reaches
  // `deadline` (when given), whichever is first, so the player can look
  // again. False when the world can go no further: nothing is left to
  // happen and there is no deadline, or its budget of events is spent (see
  // stop_reason()).
  virtual bool advance(std::optional<TimePoint> deadline) = 0;
  virtual std::string stop_reason() const = 0;
  // Runs `action` at `at` (not before now()).
  virtual void schedule(TimePoint at, std::function<void()> action) = 0;
  // A line in the trace, from the scenario's point of view.
  virtual void note(std::string detail) = 0;

  virtual ClientPort& client(const std::string& name) = 0;

  // Why this world cannot play `step` faithfully, if it cannot; the player
  // then skips the whole scenario with this reason rather than pass it.
  virtual std::optional<std::string> cannot_play(const scenario::StepAction& step) const = 0;

  // How much longer than written an `expect ... no_messages` window lasts.
  // A real broker may still be delivering what was published just before
  // the window opened (--settle); the simulation needs no margin.
  virtual Duration no_messages_margin() const { return Duration::zero(); }

  // Network faults and the broker process; see scenarios/README.md.
  virtual void drop(ClientPort& client, Duration client_notice_delay,
                    Duration broker_notice_delay) = 0;
  virtual void half_open(ClientPort& client, scenario::LinkEnd noticed_by) = 0;
  virtual void partition(const std::set<std::string>& clients) = 0;
  virtual void heal(const std::set<std::string>& clients) = 0;  // empty: all
  // Why the broker could not be restarted, if it could not.
  virtual std::optional<std::string> restart_broker(Duration down_for, bool lose_state) = 0;
  virtual void start_faults(const scenario::FaultsStep& faults) = 0;

  virtual trace::Trace take_trace() = 0;
};

}  // namespace mqttsim::runner
