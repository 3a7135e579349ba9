// TcpWorld: a `faults` step's random faults, drawn as sim/net draws them
// (inter-arrival times uniform on [0, 2 * mean], targets among the
// connections open when each fires, in name order) from the run's seed, and
// carried out by the fault proxies. A `loss:` replaces the links' loss rate
// for the window.

#include <stdexcept>

#include "runner/tcp_world.hpp"

namespace mqttsim::runner {

namespace {

// As net::random_faults_per_kind_max: a window plans at most this many.
constexpr std::uint64_t random_faults_per_kind_max = 100'000;
constexpr std::uint64_t hour_us = 3'600'000'000;

}  // namespace

void TcpWorld::start_faults(const scenario::FaultsStep& faults) {
  schedule_random(trace::FaultKind::reset, faults.resets_per_hour, faults);
  schedule_random(trace::FaultKind::half_open, faults.half_opens_per_hour, faults);
  schedule_random(trace::FaultKind::partition, faults.partitions_per_hour, faults);
  if (!faults.loss_ppm) return;
  const auto targets = [this, &faults] {
    std::vector<TcpClient*> out;
    for (auto& [name, client] : clients_) {
      if (faults.clients.empty() || faults.clients.count(name) > 0) out.push_back(client.get());
    }
    return out;
  };
  note("loss override: loss_ppm=" + std::to_string(*faults.loss_ppm) + " for " +
       to_string(faults.duration));
  for (TcpClient* client : targets()) client->set_loss_override(faults.loss_ppm);
  schedule(now() + faults.duration, [this, targets] {
    note("loss override lifted");
    for (TcpClient* client : targets()) client->set_loss_override(std::nullopt);
  });
}

void TcpWorld::schedule_random(trace::FaultKind kind, std::uint32_t per_hour,
                               const scenario::FaultsStep& faults) {
  if (per_hour == 0) return;
  const auto window_us = static_cast<std::uint64_t>(faults.duration.count_us());
  const std::uint64_t mean_gap_us = hour_us / per_hour;
  const TimePoint from = now();
  const TimePoint until = from + faults.duration;
  if (static_cast<unsigned __int128>(window_us) * per_hour / hour_us >
      random_faults_per_kind_max / 2) {
    throw std::invalid_argument("faults: too many random faults for the window");
  }
  TimePoint at = from;
  for (std::uint64_t n = 0; n < random_faults_per_kind_max; ++n) {
    at += Duration::from_us(static_cast<std::int64_t>(fault_rng_.uniform(0, 2 * mean_gap_us)));
    if (at >= until) return;
    schedule(at, [this, kind, faults] { fire_random(kind, faults); });
  }
}

void TcpWorld::fire_random(trace::FaultKind kind, const scenario::FaultsStep& faults) {
  std::vector<TcpClient*> candidates;
  for (auto& [name, client] : clients_) {
    if (!faults.clients.empty() && faults.clients.count(name) == 0) continue;
    if (client->proxy() && client->proxy()->client_open()) candidates.push_back(client.get());
  }
  if (candidates.empty()) return;
  TcpClient& target =
      *candidates[static_cast<std::size_t>(fault_rng_.uniform(0, candidates.size() - 1))];
  switch (kind) {
    case trace::FaultKind::reset: {
      const auto max_us = static_cast<std::uint64_t>(faults.reset_notice_delay_max.count_us());
      const auto client_us = static_cast<std::int64_t>(fault_rng_.uniform(0, max_us));
      const auto broker_us = static_cast<std::int64_t>(fault_rng_.uniform(0, max_us));
      drop(target, Duration::from_us(client_us), Duration::from_us(broker_us));
      break;
    }
    case trace::FaultKind::half_open:
      half_open(target,
                fault_rng_.chance(500'000) ? scenario::LinkEnd::client : scenario::LinkEnd::broker);
      break;
    case trace::FaultKind::partition: {
      const auto min_us = static_cast<std::uint64_t>(faults.partition_duration_min.count_us());
      const auto max_us = static_cast<std::uint64_t>(faults.partition_duration_max.count_us());
      const auto length =
          Duration::from_us(static_cast<std::int64_t>(fault_rng_.uniform(min_us, max_us)));
      const std::string name = target.name();
      partition({name});
      schedule(now() + length, [this, name] { heal({name}); });
      break;
    }
    default:
      break;
  }
}

}  // namespace mqttsim::runner
