#include "runner/tcp_world.hpp"

#include <stdexcept>

#include "runner/scenario_options.hpp"

namespace mqttsim::runner {

namespace {

// How long advance() without a deadline waits for anything to happen.
constexpr Duration idle_wait_max = Duration::from_s(60);

transport::LinkShape link_shape(const scenario::Link& link, const TimeScale& scale) {
  return {.latency = scale.to_real(link.latency),
          .jitter = scale.to_real(link.jitter),
          .bandwidth_bytes_per_s = link.bandwidth_bytes_per_s,
          .loss_ppm = link.loss_ppm,
          .rto_initial = scale.to_real(link.rto_initial),
          .rto_max = scale.to_real(link.rto_max),
          .max_retransmits = link.max_retransmits};
}

}  // namespace

TcpWorld::TcpWorld(const scenario::Scenario& scenario, transport::EventLoop& loop,
                   const TcpTarget& target)
    : loop_{loop},
      target_{target},
      context_{.loop = loop,
               .trace = trace_,
               .stream = target.stream,
               .scale = target.scale,
               .origin_real = loop.now(),
               .settle_real = target.settle},
      rng_{kernel::Rng{target.seed}.derive("proxy")},
      fault_rng_{kernel::Rng{target.seed}.derive("faults")} {
  context_.partitioned = [this](const std::string& client) {
    return partitioned_.count(client) > 0;
  };
  context_.next_connection_id = [this] { return ++last_connection_; };
  for (const scenario::Client& client : scenario.clients) {
    clients_.emplace(client.name,
                     std::make_unique<TcpClient>(context_, client.name, client_options(client),
                                                 link_shape(client.link, target.scale),
                                                 rng_.derive("client/" + client.name)));
  }
  trace_.append({.time = context_.trace_now(),
                 .kind = trace::EventKind::note,
                 .actor = "scenario",
                 .detail = "broker " + to_string(target.stream.address) +
                           (target.stream.tls ? " over TLS" : "") + ", time scale " +
                           std::to_string(target.scale.per_mille()) +
                           "/1000 (trace times are real time; scenario time is real time x "
                           "scale), settle " +
                           to_string(target.settle) + ", seed " + std::to_string(target.seed),
                 .mark = trace::Mark::observed_from_outside});
}

TcpWorld::~TcpWorld() {
  if (wake_) loop_.cancel(*wake_);
  for (const auto& [key, entry] : scheduled_) loop_.cancel(entry.timer);
}

bool TcpWorld::advance(std::optional<TimePoint> deadline) {
  // The player gives a deadline whenever it waits on the broker; without
  // one, a socket that never answers must not block the run for good.
  if (!deadline) return loop_.run_one(loop_.now() + idle_wait_max);
  // A timer at the deadline wakes the loop there even when nothing else
  // would happen before it. It stays armed while the deadline stays the
  // same: a cancelled timer's handler also runs, and re-arming on every
  // call would make every call return at once.
  const TimePoint real_deadline = real_time_of(*deadline);
  if (!wake_ || wake_at_ != real_deadline) {
    if (wake_) loop_.cancel(*wake_);
    wake_at_ = real_deadline;
    wake_ = loop_.schedule_at(real_deadline, [this] { wake_.reset(); });
  }
  loop_.run_one(real_deadline);
  if (now() >= *deadline) run_due(*deadline);
  return true;
}

std::string TcpWorld::stop_reason() const {
  return "nothing happened for " + to_string(idle_wait_max) +
         " of real time while no step deadline was pending";
}

void TcpWorld::schedule(TimePoint at, std::function<void()> action) {
  const auto key = std::make_pair(at, scheduled_count_++);
  const auto timer = loop_.schedule_at(real_time_of(at), [this, key] { run_scheduled(key); });
  scheduled_.emplace(key, Scheduled{.timer = timer, .action = std::move(action)});
}

void TcpWorld::run_scheduled(std::pair<TimePoint, std::uint64_t> key) {
  const auto found = scheduled_.find(key);
  if (found == scheduled_.end()) return;
  loop_.cancel(found->second.timer);
  const std::function<void()> action = std::move(found->second.action);
  scheduled_.erase(found);
  action();
}

void TcpWorld::run_due(TimePoint deadline) {
  // In (time, order) order; an action may schedule more, also due ones.
  while (!scheduled_.empty() && scheduled_.begin()->first.first <= deadline) {
    run_scheduled(scheduled_.begin()->first);
  }
}

void TcpWorld::note(std::string detail) {
  trace_.append({.time = context_.trace_now(),
                 .kind = trace::EventKind::note,
                 .actor = "scenario",
                 .detail = std::move(detail)});
}

void TcpWorld::record_fault(trace::FaultKind kind, std::string detail) {
  trace_.append({.time = context_.trace_now(),
                 .kind = trace::EventKind::fault,
                 .actor = "proxy",
                 .fault = kind,
                 .detail = std::move(detail)});
}

ClientPort& TcpWorld::client(const std::string& name) {
  const auto found = clients_.find(name);
  if (found == clients_.end()) throw std::logic_error("no scenario client named " + name);
  return *found->second;
}

TcpClient& TcpWorld::tcp_client(ClientPort& client) { return *clients_.at(client.name()); }

namespace {

// Why `step` relies on an MQTT interval (keep-alive, session expiry, will
// delay, message expiry), if it does. An interval longer than twice the
// scenario's length (`length`, when known) never runs out during the run,
// scaled or not: the scenario is not timed around it.
std::optional<std::string> unscaled_interval(const scenario::StepAction& step,
                                             std::optional<Duration> length) {
  const auto matters = [length](std::uint64_t interval_s) {
    if (!length) return true;
    return Duration::from_s(static_cast<std::int64_t>(interval_s)) <= *length + *length;
  };
  if (const auto* connect = std::get_if<scenario::ConnectStep>(&step)) {
    if (connect->session_expiry_s && *connect->session_expiry_s != 0 &&
        *connect->session_expiry_s != scenario::session_never_expires &&
        matters(*connect->session_expiry_s)) {
      return std::string{"it relies on a Session Expiry Interval"};
    }
    if (connect->will && connect->will->delay_s && matters(*connect->will->delay_s))
      return std::string{"it relies on a Will Delay Interval"};
    if (connect->keep_alive_s != 60 && connect->keep_alive_s != 0 &&
        matters(connect->keep_alive_s)) {
      return std::string{"it relies on its Keep Alive"};
    }
  }
  if (const auto* disconnect = std::get_if<scenario::DisconnectStep>(&step)) {
    if (disconnect->session_expiry_s && *disconnect->session_expiry_s != 0 &&
        matters(*disconnect->session_expiry_s)) {
      return std::string{"it relies on a Session Expiry Interval"};
    }
  }
  if (const auto* publish = std::get_if<scenario::PublishStep>(&step)) {
    if (publish->properties.message_expiry_interval &&
        matters(*publish->properties.message_expiry_interval)) {
      return std::string{"it relies on a Message Expiry Interval"};
    }
  }
  if (std::holds_alternative<scenario::HalfOpenStep>(step)) {
    return std::string{"a half-open link is found by keep-alive"};
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> cannot_play_against(const scenario::StepAction& step,
                                               const TcpTarget& target) {
  if (std::holds_alternative<scenario::BrokerRestartStep>(step) && target.restart_command.empty()) {
    return "restarting the broker under test needs --restart-cmd CMD";
  }
  if (target.scale.per_mille() != TimeScale::real_time) {
    // MQTT's own intervals run on the broker's clock, which no time scale
    // changes: a scenario timed around them means something else when its
    // waits are scaled.
    if (const auto reason = unscaled_interval(step, target.scenario_length)) {
      return *reason + ", which --time-scale does not scale (run it with --time-scale 1)";
    }
  }
  return std::nullopt;
}

std::optional<std::string> TcpWorld::cannot_play(const scenario::StepAction& step) const {
  return cannot_play_against(step, target_);
}

Duration TcpWorld::no_messages_margin() const { return target_.scale.to_scenario(target_.settle); }

void TcpWorld::drop(ClientPort& client, Duration client_notice_delay,
                    Duration broker_notice_delay) {
  if (auto* proxy = tcp_client(client).proxy()) {
    proxy->reset(target_.scale.to_real(client_notice_delay),
                 target_.scale.to_real(broker_notice_delay));
  } else {
    note("drop: " + client.name() + " has no connection; nothing to do");
  }
}

void TcpWorld::half_open(ClientPort& client, scenario::LinkEnd noticed_by) {
  if (auto* proxy = tcp_client(client).proxy()) {
    proxy->half_open(noticed_by == scenario::LinkEnd::client ? transport::LinkSide::client
                                                             : transport::LinkSide::broker);
  } else {
    note("half_open: " + client.name() + " has no connection; nothing to do");
  }
}

void TcpWorld::set_cut(const std::string& name, bool cut) {
  if (auto* proxy = clients_.at(name)->proxy()) proxy->set_cut(cut);
}

void TcpWorld::partition(const std::set<std::string>& clients) {
  std::string names;
  for (const auto& name : clients) names += (names.empty() ? "" : ",") + name;
  record_fault(trace::FaultKind::partition, "clients=" + names);
  for (const auto& name : clients) {
    partitioned_.insert(name);
    set_cut(name, true);
  }
}

void TcpWorld::heal(const std::set<std::string>& clients) {
  std::string names;
  for (const auto& name : clients) names += (names.empty() ? "" : ",") + name;
  record_fault(trace::FaultKind::heal, clients.empty() ? "clients=*" : "clients=" + names);
  const std::set<std::string> healed = clients.empty() ? partitioned_ : clients;
  for (const auto& name : healed) {
    partitioned_.erase(name);
    if (clients_.count(name) > 0) set_cut(name, false);
  }
}

}  // namespace mqttsim::runner
