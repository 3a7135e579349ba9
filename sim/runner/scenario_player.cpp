#include "runner/scenario_player.hpp"

#include <algorithm>

#include "runner/scenario_options.hpp"

namespace mqttsim::runner {

namespace {

// A broker whose store some restart must keep is built on a durable store;
// a `broker_restart: volatile` on it then wipes that store.
StoreKind store_needed(const scenario::Scenario& scenario) {
  if (scenario.broker.store == scenario::BrokerStore::durable) return StoreKind::durable;
  for (const scenario::Step& step : scenario.steps) {
    const auto* restart = std::get_if<scenario::BrokerRestartStep>(&step.action);
    if (restart && restart->store == scenario::BrokerStore::durable) return StoreKind::durable;
  }
  return StoreKind::volatile_store;
}

std::string where(const scenario::Scenario& scenario, scenario::SourceLocation location) {
  return scenario.file + ":" + std::to_string(location.line) + ":" +
         std::to_string(location.column);
}

}  // namespace

ScenarioPlayer::ScenarioPlayer(const scenario::Scenario& scenario, RunOptions options)
    : scenario_{scenario},
      options_{options},
      network_{simulator_, kernel::Rng{options.seed}.derive("network"), trace_},
      broker_{simulator_, network_, trace_, scenario.broker.profile, store_needed(scenario),
              everyone_} {
  for (const scenario::Client& client : scenario.clients) {
    ClientSlot& slot = clients_[client.name];
    slot.spec = &client;
    slot.client = std::make_unique<VirtualClient>(simulator_, network_, trace_, client.name,
                                                  client_options(client), link_params(client.link));
  }
}

RunResult ScenarioPlayer::play() {
  RunResult result;
  result.seed = options_.seed;
  if (played_) throw std::logic_error("ScenarioPlayer::play called twice");
  played_ = true;
  note("seed " + std::to_string(options_.seed));
  for (std::size_t index = 0; index < scenario_.steps.size(); ++index) {
    const scenario::Step& step = scenario_.steps[index];
    if (step.at && *step.at > simulator_.now()) {
      while (simulator_.next_event_time() && *simulator_.next_event_time() <= *step.at) {
        if (!run_one_event()) break;
      }
      if (simulator_.events_run() < options_.max_events) simulator_.run_until(*step.at);
    }
    if (simulator_.events_run() >= options_.max_events) {
      result.aborted = true;
      break;
    }
    begin(index);
    while (true) {
      poll();
      if (current_.done || current_.failure) break;
      const std::optional<TimePoint> next = simulator_.next_event_time();
      if (current_.deadline && (!next || *next > *current_.deadline)) {
        simulator_.run_until(*current_.deadline);
        reach_deadline();
        break;
      }
      if (!next) {
        // Cannot happen while every waiting step has a deadline; say so if it does.
        current_.failure = "nothing is left to happen, so the step can never end";
        break;
      }
      if (!run_one_event()) {
        result.aborted = true;
        break;
      }
    }
    if (result.aborted) break;
    if (current_.failure) {
      note("step " + std::to_string(index + 1) + " failed: " + *current_.failure);
      result.failures.push_back({.step_index = index,
                                 .step_kind = std::string{scenario::step_kind(step.action)},
                                 .where = step.where,
                                 .message = *current_.failure,
                                 .spec = scenario_.spec});
      break;
    }
    ++result.steps_done;
  }
  if (result.aborted) {
    result.abort_reason = "the run stopped after " + std::to_string(options_.max_events) +
                          " simulator events (at " + to_string(simulator_.now()) +
                          " of virtual time), during step " + std::to_string(current_.index + 1);
    note(result.abort_reason);
  }
  result.end_time = simulator_.now();
  result.trace = std::move(trace_);
  return result;
}

void ScenarioPlayer::begin(std::size_t index) {
  const scenario::Step& step = scenario_.steps[index];
  current_ = Current{.index = index, .started = simulator_.now()};
  for (auto& [name, slot] : clients_) {
    slot.ends_at_previous_step = slot.ends_at_current_step;
    slot.ends_at_current_step = slot.client->connection_ends().size();
  }
  note("step " + std::to_string(index + 1) + ": " + std::string{scenario::step_kind(step.action)} +
       " (" + where(scenario_, step.where) + ")");
  std::visit([this](const auto& action) { start(action); }, step.action);
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
  const std::string window = to_string(*current_.deadline - current_.started);
  if (const auto* expect = std::get_if<scenario::ExpectMessagesStep>(&action)) {
    current_.failure = "within " + window + ", " + expect->client +
                       " did not get what was expected: " + current_.matcher->explain();
  } else if (const auto* closed = std::get_if<scenario::ExpectClosedStep>(&action)) {
    std::string seen;
    const auto& ends = current_.slot->client->connection_ends();
    for (std::size_t i = current_.slot->ends_at_previous_step; i < ends.size(); ++i) {
      if (ends[i].requested) continue;
      seen += seen.empty() ? "; it was closed (" : ", (";
      seen += ends[i].why;
      if (ends[i].server_reason)
        seen += ", DISCONNECT reason " + std::to_string(*ends[i].server_reason);
      seen += ")";
    }
    current_.failure = "within " + window + ", the connection of " + closed->client +
                       " was not closed as expected" + seen;
  } else {
    current_.failure = "no answer within " + window;
  }
}

bool ScenarioPlayer::run_one_event() {
  if (simulator_.events_run() >= options_.max_events) return false;
  simulator_.step();
  return true;
}

void ScenarioPlayer::note(std::string detail) {
  trace_.append({.time = simulator_.now(),
                 .kind = trace::EventKind::note,
                 .actor = "scenario",
                 .detail = std::move(detail)});
}

ScenarioPlayer::ClientSlot& ScenarioPlayer::slot(const std::string& name) {
  // The loader resolved every client name, so a miss is a bug here.
  const auto found = clients_.find(name);
  if (found == clients_.end()) throw std::logic_error("scenario step names unknown client " + name);
  return found->second;
}

RunResult run_scenario(const scenario::Scenario& scenario, RunOptions options) {
  ScenarioPlayer player{scenario, options};
  return player.play();
}

}  // namespace mqttsim::runner
