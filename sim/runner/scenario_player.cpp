#include "runner/scenario_player.hpp"

#include <set>
#include <stdexcept>

#include "kernel/rng.hpp"
#include "oracle/oracle.hpp"
#include "runner/duration_text.hpp"
#include "runner/simulated_world.hpp"

namespace mqttsim::runner {

namespace {

std::string where(const scenario::Scenario& scenario, scenario::SourceLocation location) {
  return scenario.file + ":" + std::to_string(location.line) + ":" +
         std::to_string(location.column);
}

}  // namespace

ScenarioPlayer::ScenarioPlayer(const scenario::Scenario& scenario, World& world,
                               bool stop_at_first_failure)
    : scenario_{scenario}, world_{world}, stop_at_first_failure_{stop_at_first_failure} {
  for (const scenario::Client& client : scenario.clients) {
    ClientSlot& slot = clients_[client.name];
    slot.spec = &client;
    slot.client = &world.client(client.name);
  }
  std::set<std::string> watched;
  for (const scenario::Step& step : scenario.steps) {
    if (const auto* closed = std::get_if<scenario::ExpectClosedStep>(&step.action)) {
      watched.insert(closed->client);
    }
  }
  for (const std::string& name : watched) watched_for_closes_.push_back(&slot(name));
}

RunResult ScenarioPlayer::play() {
  if (played_) throw std::logic_error("ScenarioPlayer::play called twice");
  played_ = true;
  RunResult result;
  for (const scenario::Step& step : scenario_.steps) {
    if (auto reason = world_.cannot_play(step.action)) {
      result.skipped = true;
      result.skip_reason = "step at " + where(scenario_, step.where) + " (" +
                           std::string{scenario::step_kind(step.action)} + "): " + *reason;
      world_.note("skipped: " + result.skip_reason);
      result.trace = world_.take_trace();
      return result;
    }
  }
  for (std::size_t index = 0; index < scenario_.steps.size(); ++index) {
    const scenario::Step& step = scenario_.steps[index];
    current_ = Current{.index = index};
    while (step.at && world_.now() < *step.at) {
      if (!world_.advance(*step.at)) {
        result.aborted = true;
        break;
      }
    }
    if (result.aborted) break;
    begin(index);
    while (true) {
      poll();
      if (current_.done || current_.failure) break;
      if (current_.deadline && world_.now() >= *current_.deadline) {
        reach_deadline();
        break;
      }
      if (!world_.advance(current_.deadline)) {
        result.aborted = true;
        break;
      }
    }
    if (result.aborted) break;
    if (current_.failure && scenario_.workload) {
      world_.note("step " + std::to_string(index + 1) +
                  " not done (workload): " + *current_.failure);
      continue;
    }
    if (current_.failure) {
      world_.note("step " + std::to_string(index + 1) + " failed: " + *current_.failure);
      result.failures.push_back({.step_index = index,
                                 .step_kind = std::string{scenario::step_kind(step.action)},
                                 .where = step.where,
                                 .message = *current_.failure,
                                 .spec = scenario_.spec});
      if (stop_at_first_failure_) break;
      continue;
    }
    ++result.steps_done;
  }
  for (const auto& [index, failure] : background_failures_) {
    const scenario::Step& step = scenario_.steps[index];
    if (scenario_.workload) {
      world_.note("step " + std::to_string(index + 1) + " not done (workload): " + failure);
      continue;
    }
    result.failures.push_back({.step_index = index,
                               .step_kind = std::string{scenario::step_kind(step.action)},
                               .where = step.where,
                               .message = "in the background (spread): " + failure,
                               .spec = scenario_.spec});
  }
  if (result.aborted) {
    result.abort_reason =
        world_.stop_reason() + ", during step " + std::to_string(current_.index + 1);
    world_.note(result.abort_reason);
  }
  report_client_violations(result);
  result.end_time = world_.now();
  // The run lasts until here, though a closing quiet `wait` records
  // nothing: the oracle takes the end of the run from the trace's last
  // event offered (Trace::end_time), so a loss at a quiet ending is judged,
  // not remarked as pending.
  world_.note("end of the run");
  result.trace = world_.take_trace();
  return result;
}

void ScenarioPlayer::report_client_violations(RunResult& result) {
  // What the client machine saw the broker break (a CONNACK with Session
  // Present 1 to a clean start, a server DISCONNECT it may not send, ...):
  // a failure like a failed step, whatever the steps said.
  for (const scenario::Client& spec : scenario_.clients) {
    for (const protocol::Action& action : slot(spec.name).client->events()) {
      const auto* seen = std::get_if<protocol::ProtocolViolation>(&action);
      if (!seen) continue;
      result.failures.push_back(
          {.step_index = scenario_.steps.size(),
           .step_kind = "client",
           .where = spec.where,
           .message =
               spec.name + " saw the broker break " + to_string(seen->spec) + ": " + seen->message,
           .spec = {scenario::SpecTag{seen->spec.version, std::string{seen->spec.id}}}});
    }
  }
}

void ScenarioPlayer::begin(std::size_t index) {
  const scenario::Step& step = scenario_.steps[index];
  current_ = Current{.index = index, .started = world_.now()};
  for (ClientSlot* watched : watched_for_closes_) {
    watched->ends_at_previous_step = watched->ends_at_current_step;
    watched->ends_at_current_step = watched->client->connection_ends().size();
  }
  world_.note("step " + std::to_string(index + 1) + ": " +
              std::string{scenario::step_kind(step.action)} + " (" + where(scenario_, step.where) +
              ")");
  if (step.spread) {
    start_in_background(index);
    current_.done = true;
    return;
  }
  std::visit([this](const auto& action) { start(action); }, step.action);
}

// A spread step (a population member's): its action runs at a moment drawn
// from the run's seed within the spread, while the steps after it go on. Its
// answers are not awaited (the loader allows no expectation on it); a
// failure to start it is reported as its step's failure at the end.
void ScenarioPlayer::start_in_background(std::size_t index) {
  const scenario::Step& step = scenario_.steps[index];
  kernel::Rng rng = kernel::Rng{world_.seed()}.derive("spread/step-" + std::to_string(index));
  const auto span = static_cast<std::uint64_t>(step.spread->count_us());
  const Duration offset = Duration::from_us(static_cast<std::int64_t>(rng.uniform(0, span - 1)));
  world_.schedule(world_.now() + offset, [this, index] {
    Current foreground = std::move(current_);
    current_ = Current{.index = index, .started = world_.now()};
    world_.note("step " + std::to_string(index + 1) + " (spread) starts");
    std::visit([this](const auto& action) { start(action); }, scenario_.steps[index].action);
    if (current_.failure) background_failures_.emplace_back(index, *current_.failure);
    current_ = std::move(foreground);
  });
}

void ScenarioPlayer::poll() {
  if (current_.done || current_.failure) return;
  std::visit([this](const auto& action) { check(action); }, scenario_.steps[current_.index].action);
}

void ScenarioPlayer::reach_deadline() {
  poll();  // what happened at the deadline itself counts
  if (current_.done || current_.failure) return;
  if (current_.done_at_deadline) {
    current_.done = true;
    return;
  }
  const scenario::StepAction& action = scenario_.steps[current_.index].action;
  const std::string window = short_text(*current_.deadline - current_.started);
  if (const auto* expect = std::get_if<scenario::ExpectMessagesStep>(&action)) {
    current_.failure = "within " + window + ", " + expect->client +
                       " did not get what was expected: " + current_.matcher->explain();
  } else if (const auto* closed = std::get_if<scenario::ExpectClosedStep>(&action)) {
    std::string seen;
    const auto& ends = current_.slot->client->connection_ends();
    for (std::size_t i = current_.slot->ends_at_previous_step; i < ends.size(); ++i) {
      if (ends[i].requested) continue;
      seen += seen.empty() ? "; it was closed" : ", and closed";
      // What was missing, when a reason was expected and none came.
      if (closed->reason_code && !ends[i].server_reason) seen += " without a DISCONNECT";
      if (closed->connack_code && !ends[i].connack_code) seen += " without a CONNACK";
      seen += " (" + ends[i].why;
      if (ends[i].server_reason) {
        seen += ", DISCONNECT reason " + std::to_string(*ends[i].server_reason);
      }
      // A refused connection's CONNACK (an accepted one says nothing here).
      if (ends[i].connack_code.value_or(0) != 0) {
        seen += ", CONNACK code " + std::to_string(*ends[i].connack_code);
      }
      seen += ")";
    }
    std::string wanted;
    if (closed->reason_code)
      wanted = " (DISCONNECT reason " + std::to_string(*closed->reason_code) + ")";
    if (closed->connack_code)
      wanted = " (CONNACK code " + std::to_string(*closed->connack_code) + ")";
    current_.failure = "within " + window + ", the connection of " + closed->client +
                       " was not closed as expected" + wanted + seen;
  } else {
    current_.failure = "no answer within " + window;
  }
}

ScenarioPlayer::ClientSlot& ScenarioPlayer::slot(const std::string& name) {
  // The loader resolved every client name, so a miss is a bug here.
  const auto found = clients_.find(name);
  if (found == clients_.end()) throw std::logic_error("scenario step names unknown client " + name);
  return found->second;
}

RunResult run_scenario(const scenario::Scenario& scenario, RunOptions options) {
  SimulatedWorld world{scenario, options.seed, options.max_events, options.interceptor,
                       options.trace_level};
  world.note("seed " + std::to_string(options.seed));
  RunResult result = ScenarioPlayer{scenario, world, options.stop_at_first_failure}.play();
  result.seed = options.seed;
  result.events_run = world.events_run();
  if (options.judge && options.trace_level != trace::Level::none) {
    result.verdict = oracle::judge(result.trace, scenario.broker.profile);
    result.judged = true;
  }
  return result;
}

}  // namespace mqttsim::runner
