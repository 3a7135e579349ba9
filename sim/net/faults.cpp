// Network faults: injected now, scheduled, or drawn at random rates.
#include <stdexcept>

#include "net/network.hpp"

namespace mqttsim::net {
namespace {

constexpr std::size_t index_of(End end) { return end == End::client ? 0 : 1; }

std::string join(const std::set<std::string>& names) {
  std::string out;
  for (const auto& name : names) {
    if (!out.empty()) out += ',';
    out += name;
  }
  return out;
}

}  // namespace

void Network::reset(ConnectionId id, Duration client_notice_delay, Duration broker_notice_delay) {
  Connection* c = find(id);
  if (!c || c->retiring) return;
  if (client_notice_delay < Duration::zero() || broker_notice_delay < Duration::zero()) {
    throw std::invalid_argument("Network::reset: negative notice delay");
  }
  trace::TraceEvent event;
  event.kind = trace::EventKind::fault;
  event.fault = trace::FaultKind::reset;
  event.connection = id;
  event.actor = "network";
  event.detail = "client_notice_us=" + std::to_string(client_notice_delay.count_us()) +
                 " broker_notice_us=" + std::to_string(broker_notice_delay.count_us());
  record(std::move(event));
  // Everything in flight is gone, and nothing gets through any more.
  c->blackholed = true;
  for (Pipe& pipe : c->pipes) discard(pipe);
  for (const End end : {End::client, End::broker}) {
    const Duration delay = end == End::client ? client_notice_delay : broker_notice_delay;
    sim_.schedule_after(delay, [this, id, end] {
      Connection* conn = find(id);
      if (!conn) return;
      Endpoint& endpoint = conn->ends[index_of(end)];
      if (endpoint.state == EndState::open) {
        close_end(*conn, end, CloseReason::reset);
      } else if (endpoint.state == EndState::connecting) {
        // A handshake in progress fails the way a dead SYN does.
        if (end == End::client) {
          close_end(*conn, end, CloseReason::reset);
        } else {
          endpoint.state = EndState::closed;
          maybe_retire(*conn);
        }
      }
    });
  }
}

void Network::half_open(ConnectionId id, End learner) {
  Connection* c = find(id);
  if (!c || c->retiring) return;
  trace::TraceEvent event;
  event.kind = trace::EventKind::fault;
  event.fault = trace::FaultKind::half_open;
  event.connection = id;
  event.actor = "network";
  event.detail = std::string("learner=") + (learner == End::client ? "client" : "broker");
  record(std::move(event));
  c->blackholed = true;
  for (Pipe& pipe : c->pipes) discard(pipe);
  Endpoint& endpoint = c->ends[index_of(learner)];
  if (endpoint.state != EndState::closed) close_end(*c, learner, CloseReason::reset);
}

void Network::partition(const std::set<std::string>& clients) {
  trace::TraceEvent event;
  event.kind = trace::EventKind::fault;
  event.fault = trace::FaultKind::partition;
  event.actor = "network";
  event.detail = "clients=" + join(clients);
  record(std::move(event));
  partitioned_.insert(clients.begin(), clients.end());
}

void Network::heal(const std::set<std::string>& clients) {
  trace::TraceEvent event;
  event.kind = trace::EventKind::fault;
  event.fault = trace::FaultKind::heal;
  event.actor = "network";
  event.detail = clients.empty() ? std::string("clients=*") : "clients=" + join(clients);
  record(std::move(event));
  if (clients.empty()) {
    partitioned_.clear();
    return;
  }
  for (const auto& client : clients) {
    if (const auto it = partitioned_.find(client); it != partitioned_.end()) partitioned_.erase(it);
  }
}

void Network::inject(const Fault& fault) {
  struct Visitor {
    Network& net;
    void operator()(const ResetFault& f) {
      for (const ConnectionId id : net.live_connections_of(f.client)) {
        net.reset(id, f.client_notice_delay, f.broker_notice_delay);
      }
    }
    void operator()(const HalfOpenFault& f) {
      for (const ConnectionId id : net.live_connections_of(f.client)) net.half_open(id, f.learner);
    }
    void operator()(const PartitionFault& f) { net.partition(f.clients); }
    void operator()(const HealFault& f) { net.heal(f.clients); }
    void operator()(const BrokerUpFault& f) { net.set_broker_up(f.up); }
  };
  std::visit(Visitor{*this}, fault);
}

void Network::schedule(const ScheduledFault& scheduled) {
  sim_.schedule_at(scheduled.at, [this, fault = scheduled.fault] { inject(fault); });
}

void Network::schedule_random_faults(const FaultRates& rates, TimePoint from, TimePoint until) {
  if (until < from) throw std::invalid_argument("schedule_random_faults: until before from");
  if (rates.reset_notice_delay_max < Duration::zero() ||
      rates.partition_duration_min < Duration::zero() ||
      rates.partition_duration_max < rates.partition_duration_min) {
    throw std::invalid_argument("schedule_random_faults: invalid delays or durations");
  }
  const std::uint64_t window_us = static_cast<std::uint64_t>((until - from).count_us());
  constexpr std::uint64_t hour_us = 3'600'000'000;
  const auto draw_kind = [&](std::uint32_t per_hour, trace::FaultKind kind) {
    if (per_hour == 0) return;
    // Expected count = window * rate / hour; refuse plans far beyond the limit.
    const auto expected = static_cast<unsigned __int128>(window_us) * per_hour / hour_us;
    if (expected > random_faults_per_kind_max / 2) {
      throw std::invalid_argument("schedule_random_faults: too many faults for the window");
    }
    const std::uint64_t mean_gap_us = hour_us / per_hour;
    TimePoint at = from;
    for (std::uint64_t n = 0;; ++n) {
      if (n >= random_faults_per_kind_max) {
        throw std::invalid_argument("schedule_random_faults: too many faults for the window");
      }
      at += Duration::from_us(static_cast<std::int64_t>(fault_rng_.uniform(0, 2 * mean_gap_us)));
      if (at >= until) break;
      sim_.schedule_at(at, [this, kind, rates] { fire_random(kind, rates); });
    }
  };
  draw_kind(rates.resets_per_hour, trace::FaultKind::reset);
  draw_kind(rates.half_opens_per_hour, trace::FaultKind::half_open);
  draw_kind(rates.partitions_per_hour, trace::FaultKind::partition);
}

Network::LossOverrideId Network::override_loss(const std::set<std::string>& clients,
                                               std::uint32_t ppm) {
  if (ppm > 1'000'000) throw std::invalid_argument("override_loss: above 1000000 ppm");
  const LossOverrideId id = next_loss_override_++;
  loss_overrides_.emplace(id, LossOverride{clients, ppm});
  trace::TraceEvent event;
  event.kind = trace::EventKind::note;
  event.actor = "network";
  event.detail = "loss override " + std::to_string(id) + ": loss_ppm=" + std::to_string(ppm) +
                 (clients.empty() ? std::string(" clients=*") : " clients=" + join(clients));
  record(std::move(event));
  return id;
}

void Network::lift_loss_override(LossOverrideId id) {
  if (loss_overrides_.erase(id) == 0) return;
  trace::TraceEvent event;
  event.kind = trace::EventKind::note;
  event.actor = "network";
  event.detail = "loss override " + std::to_string(id) + " lifted";
  record(std::move(event));
}

std::uint32_t Network::loss_ppm(const Connection& c) const {
  for (auto it = loss_overrides_.rbegin(); it != loss_overrides_.rend(); ++it) {
    const LossOverride& o = it->second;
    if (o.clients.empty() || o.clients.count(c.client_name) > 0) return o.loss_ppm;
  }
  return c.params.loss_ppm;
}

void Network::fire_random(trace::FaultKind kind, const FaultRates& rates) {
  // Targets are drawn among the connections open at both ends now, in id order.
  std::vector<ConnectionId> candidates;
  for (const auto& [id, c] : connections_) {
    if (!rates.clients.empty() && rates.clients.count(c.client_name) == 0) continue;
    if (c.ends[0].state == EndState::open && c.ends[1].state == EndState::open) {
      candidates.push_back(id);
    }
  }
  if (candidates.empty()) return;
  const ConnectionId id =
      candidates[static_cast<std::size_t>(fault_rng_.uniform(0, candidates.size() - 1))];
  switch (kind) {
    case trace::FaultKind::reset: {
      const auto max_us = static_cast<std::uint64_t>(rates.reset_notice_delay_max.count_us());
      const auto client_us = static_cast<std::int64_t>(fault_rng_.uniform(0, max_us));
      const auto broker_us = static_cast<std::int64_t>(fault_rng_.uniform(0, max_us));
      reset(id, Duration::from_us(client_us), Duration::from_us(broker_us));
      break;
    }
    case trace::FaultKind::half_open:
      half_open(id, fault_rng_.chance(500'000) ? End::client : End::broker);
      break;
    case trace::FaultKind::partition: {
      const std::string client = find(id)->client_name;
      const auto min_us = static_cast<std::uint64_t>(rates.partition_duration_min.count_us());
      const auto max_us = static_cast<std::uint64_t>(rates.partition_duration_max.count_us());
      const auto length =
          Duration::from_us(static_cast<std::int64_t>(fault_rng_.uniform(min_us, max_us)));
      // Already cut off: a second partition would be healed by the first heal.
      if (partitioned(client)) break;
      partition({client});
      sim_.schedule_after(length, [this, client] { heal({client}); });
      break;
    }
    default:
      break;
  }
}

}  // namespace mqttsim::net
