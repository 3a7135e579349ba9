#include "runner/simulated_world.hpp"

#include <algorithm>
#include <stdexcept>

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

// Room for every client's connection, and for the broker ends of old ones
// it has not yet learnt are gone (a half-open link, a takeover), beyond the
// network's default bound on runaway scenarios (a population of 5,000
// connecting failed at the 4,097th).
net::NetworkLimits limits_for(const scenario::Scenario& scenario) {
  net::NetworkLimits limits;
  limits.connections_max = std::max(limits.connections_max, 4 * scenario.clients.size());
  return limits;
}

}  // namespace

SimulatedWorld::SimulatedWorld(const scenario::Scenario& scenario, std::uint64_t seed,
                               std::uint64_t max_events,
                               std::shared_ptr<PacketInterceptor> interceptor, trace::Level level)
    : seed_{seed},
      max_events_{max_events},
      trace_{level},
      network_{simulator_, kernel::Rng{seed}.derive("network"), trace_, limits_for(scenario)},
      broker_{simulator_, network_, trace_, scenario.broker.profile, store_needed(scenario),
              everyone_},
      interceptor_{interceptor} {
  broker_.set_interceptor(std::move(interceptor));
  for (const scenario::Client& client : scenario.clients) {
    clients_.emplace(client.name, std::make_unique<VirtualClient>(
                                      simulator_, network_, trace_, client.name,
                                      client_options(client), link_params(client.link)));
  }
}

bool SimulatedWorld::advance(std::optional<TimePoint> deadline) {
  const std::optional<TimePoint> next = simulator_.next_event_time();
  if (deadline && (!next || *next > *deadline)) {
    simulator_.run_until(std::max(*deadline, simulator_.now()));
    return true;
  }
  if (!next || simulator_.events_run() >= max_events_) return false;
  simulator_.step();
  return true;
}

std::string SimulatedWorld::stop_reason() const {
  if (simulator_.events_run() >= max_events_) {
    return "the run stopped after " + std::to_string(max_events_) + " simulator events, at " +
           to_string(simulator_.now()) + " of virtual time";
  }
  return "nothing is left to happen in the simulation";
}

void SimulatedWorld::schedule(TimePoint at, std::function<void()> action) {
  simulator_.schedule_at(at, std::move(action));
}

void SimulatedWorld::note(std::string detail) {
  trace_.append({.time = simulator_.now(),
                 .kind = trace::EventKind::note,
                 .actor = "scenario",
                 .detail = std::move(detail)});
}

ClientPort& SimulatedWorld::client(const std::string& name) {
  // The loader resolved every client name, so a miss is a bug here.
  const auto found = clients_.find(name);
  if (found == clients_.end()) throw std::logic_error("no scenario client named " + name);
  return *found->second;
}

VirtualClient& SimulatedWorld::virtual_client(ClientPort& client) {
  return *clients_.at(client.name());
}

void SimulatedWorld::drop(ClientPort& client, Duration client_notice_delay,
                          Duration broker_notice_delay) {
  if (const auto connection = virtual_client(client).connection()) {
    network_.reset(*connection, client_notice_delay, broker_notice_delay);
  } else {
    note("drop: " + client.name() + " has no connection; nothing to do");
  }
}

void SimulatedWorld::half_open(ClientPort& client, scenario::LinkEnd noticed_by) {
  if (const auto connection = virtual_client(client).connection()) {
    network_.half_open(
        *connection, noticed_by == scenario::LinkEnd::client ? net::End::client : net::End::broker);
  } else {
    note("half_open: " + client.name() + " has no connection; nothing to do");
  }
}

void SimulatedWorld::partition(const std::set<std::string>& clients) {
  network_.partition(clients);
  if (interceptor_) interceptor_->partitioned(clients);
}

void SimulatedWorld::heal(const std::set<std::string>& clients) {
  network_.heal(clients);
  if (interceptor_) interceptor_->healed(clients);
}

std::optional<std::string> SimulatedWorld::restart_broker(Duration down_for, bool lose_state) {
  broker_.restart(down_for, lose_state);
  if (interceptor_) interceptor_->restarted(lose_state);
  return std::nullopt;
}

void SimulatedWorld::start_faults(const scenario::FaultsStep& faults) {
  const net::FaultRates rates{.resets_per_hour = faults.resets_per_hour,
                              .half_opens_per_hour = faults.half_opens_per_hour,
                              .partitions_per_hour = faults.partitions_per_hour,
                              .reset_notice_delay_max = faults.reset_notice_delay_max,
                              .partition_duration_min = faults.partition_duration_min,
                              .partition_duration_max = faults.partition_duration_max,
                              .clients = faults.clients};
  const TimePoint until = simulator_.now() + faults.duration;
  network_.schedule_random_faults(rates, simulator_.now(), until);
  if (faults.loss_ppm) {
    const auto id = network_.override_loss(faults.clients, *faults.loss_ppm);
    simulator_.schedule_at(until, [this, id] { network_.lift_loss_override(id); });
  }
}

}  // namespace mqttsim::runner
