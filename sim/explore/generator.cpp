#include "explore/generator.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "kernel/rng.hpp"

namespace mqttsim::explore {

namespace {

using namespace mqttsim::scenario;

// Topic names and filters chosen to overlap: a message on t/a/x matches
// `#`, `t/#`, `t/+/x`, `t/a/+`, `+/a/x` and `t/a/x` at once, and `$s/a`
// matches `$s/#` and `$s/a` but never `#` or `+` (3.1.1 MQTT-4.7.2-1).
constexpr std::array topics{"t/a/x", "t/a/y", "t/b/x", "t/b/y", "u", "$s/a"};
constexpr std::array filters{"#",     "t/#", "t/+/x", "t/a/+", "+/a/x", "t/a/x",
                             "t/b/y", "+",   "u",     "$s/#",  "$s/a"};

template <class T, std::size_t N>
const T& pick(kernel::Rng& rng, const std::array<T, N>& items) {
  return items[static_cast<std::size_t>(rng.uniform(0, N - 1))];
}

std::uint32_t between(kernel::Rng& rng, std::uint32_t lo, std::uint32_t hi) {
  return static_cast<std::uint32_t>(rng.uniform(lo, hi));
}

Duration ms_between(kernel::Rng& rng, std::int64_t lo, std::int64_t hi) {
  return Duration::from_ms(static_cast<std::int64_t>(
      rng.uniform(static_cast<std::uint64_t>(lo), static_cast<std::uint64_t>(hi))));
}

bool one_in(kernel::Rng& rng, std::uint32_t n) { return rng.chance(kernel::Rng::ppm_always / n); }

codec::QoS any_qos(kernel::Rng& rng) { return static_cast<codec::QoS>(rng.uniform(0, 2)); }

// What the generator knows of each client while it writes steps, so that
// every step it writes is one the loader accepts (a subscribe only on a
// client some earlier step connected, and so on).
struct ClientModel {
  std::string name;
  ProtocolVersion protocol = ProtocolVersion::v3_1_1;
  bool persistent = false;             // resumes its session when it reconnects
  std::uint32_t session_expiry_s = 0;  // 5.0 persistent clients
  std::optional<WillMessage> will;
  std::vector<codec::Subscription> subscriptions;
  bool connected = false;           // as far as the steps go (faults aside)
  std::optional<std::size_t> twin;  // a second device with the same client id
  bool is_twin = false;
};

class Builder {
 public:
  Builder(std::uint64_t seed, const GeneratorOptions& options)
      : seed_{seed}, options_{options}, root_{seed} {}

  Scenario build() {
    header();
    population();
    swarm();
    set_up();
    fault_window();
    liveness();
    return std::move(scenario_);
  }

 private:
  void add(StepAction action) {
    // The virtual time the steps surely take, to know when the fault
    // window has run out.
    if (const auto* wait = std::get_if<WaitStep>(&action)) elapsed_ += wait->duration;
    if (const auto* p = std::get_if<PublishStep>(&action))
      elapsed_ += p->interval * static_cast<std::int64_t>(p->count - 1);
    if (const auto* restart = std::get_if<BrokerRestartStep>(&action))
      elapsed_ += restart->down_for;
    scenario_.steps.push_back({.action = std::move(action)});
  }

  bool v5(const ClientModel& c) const { return c.protocol == ProtocolVersion::v5_0; }

  // A topic or filter under the options' topic root; a `$` topic keeps its
  // first level, so that it still starts with `$` (3.1.1 MQTT-4.7.2-1).
  std::string rooted(std::string_view name) const {
    const std::string& root = options_.topic_root;
    if (root.empty()) return std::string{name};
    if (name.starts_with("$")) {
      const std::size_t slash = name.find('/');
      return std::string{name.substr(0, slash + 1)} + root + std::string{name.substr(slash + 1)};
    }
    return root + std::string{name};
  }

  void header() {
    scenario_.file = "explore-seed-" + std::to_string(seed_) + ".yaml";
    scenario_.name = "explore seed " + std::to_string(seed_);
    scenario_.seed = seed_;
    scenario_.workload = true;
    scenario_.broker.profile = options_.profile;
    kernel::Rng rng = root_.derive("broker");
    scenario_.broker.store = one_in(rng, 2) ? BrokerStore::durable : BrokerStore::volatile_memory;
    kernel::Rng net = root_.derive("network");
    scenario_.network.latency = ms_between(net, 1, 50);
    scenario_.network.jitter = ms_between(net, 0, 10);
  }

  void population() {
    kernel::Rng rng = root_.derive("population");
    const std::uint32_t count = between(rng, options_.clients_min, options_.clients_max);
    for (std::uint32_t i = 1; i <= count; ++i) {
      ClientModel c{.name = "c" + std::to_string(i)};
      switch (options_.protocol) {
        case ProtocolMix::v3_1_1:
          c.protocol = ProtocolVersion::v3_1_1;
          break;
        case ProtocolMix::v5_0:
          c.protocol = ProtocolVersion::v5_0;
          break;
        case ProtocolMix::mixed:
          c.protocol = one_in(rng, 2) ? ProtocolVersion::v5_0 : ProtocolVersion::v3_1_1;
          break;
      }
      c.persistent = !one_in(rng, 3);
      // A 5.0 session that outlives its connection for an hour, or briefly
      // enough to run out while the client is away.
      if (c.persistent && v5(c)) {
        const bool brief = one_in(rng, 4);
        const std::uint32_t brief_s = between(rng, 2, 20);
        c.session_expiry_s = brief && options_.short_intervals ? brief_s : 3600;
      }
      if (one_in(rng, 3)) {
        WillMessage will{.topic = rooted("will/" + c.name),
                         .payload = "gone " + c.name,
                         .qos = any_qos(rng),
                         .retain = one_in(rng, 4)};
        if (v5(c) && one_in(rng, 2)) {
          const std::uint32_t delay_s = between(rng, 0, 10);
          if (options_.short_intervals) will.delay_s = delay_s;
        }
        c.will = std::move(will);
      }
      clients_.push_back(std::move(c));
    }
    // A second device for some persistent clients: it takes the session over
    // while the first is connected (3.1.1 MQTT-3.1.4-2, 5.0 MQTT-3.1.4-3).
    const std::size_t originals = clients_.size();
    for (std::size_t i = 0; i < originals; ++i) {
      if (!clients_[i].persistent || !one_in(rng, 5)) continue;
      ClientModel twin = clients_[i];
      twin.name = clients_[i].name + "-twin";
      twin.is_twin = true;
      twin.will.reset();
      twin.subscriptions.clear();
      clients_[i].twin = clients_.size();
      clients_.push_back(std::move(twin));
    }
    for (const ClientModel& c : clients_) {
      Client client{.name = c.name, .client_id = c.name, .protocol = c.protocol};
      if (c.is_twin) client.client_id = c.name.substr(0, c.name.size() - 5);
      client.link = scenario_.network;
      scenario_.clients.push_back(std::move(client));
    }
    scenario_.protocol = clients_.front().protocol;
  }

  void swarm() {
    kernel::Rng rng = root_.derive("swarm");
    window_ = Duration::from_s(between(rng, 20, 60));
    if (options_.faults == FaultLevel::none) return;
    const bool heavy = options_.faults == FaultLevel::heavy;
    // Each kind is drawn whether or not it is on, so switching one kind
    // off does not shift the draws of the others.
    const auto rate = [&](std::uint32_t light_lo, std::uint32_t light_hi, std::uint32_t heavy_lo,
                          std::uint32_t heavy_hi) {
      const bool on = one_in(rng, 2);
      const std::uint32_t drawn =
          heavy ? between(rng, heavy_lo, heavy_hi) : between(rng, light_lo, light_hi);
      return on ? drawn : 0u;
    };
    const std::uint32_t loss_ppm = rate(1'000, 30'000, 10'000, 300'000);
    if (loss_ppm > 0) loss_ = FaultsStep{.duration = window_, .loss_ppm = loss_ppm};
    const std::uint32_t resets_per_hour = rate(6, 120, 60, 1'200);
    const std::uint32_t half_opens_per_hour = rate(6, 60, 60, 600);
    const std::uint32_t partitions_per_hour = rate(6, 60, 60, 600);
    partition_max_ = Duration::from_s(heavy ? between(rng, 1, 20) : between(rng, 1, 5));
    const bool segmented = one_in(rng, 2);
    const std::uint32_t segment_min = between(rng, 1, 64);
    const bool slow_link = one_in(rng, 2);
    const auto slow_client = static_cast<std::size_t>(rng.uniform(0, clients_.size() - 1));
    const Duration slow_latency = ms_between(rng, 100, 800);
    crashes_ = one_in(rng, 2) ? between(rng, 1, heavy ? 4 : 2) : 0;
    restarts_ = one_in(rng, 2) ? between(rng, 1, heavy ? 2 : 1) : 0;
    if (segmented) {
      for (Client& client : scenario_.clients) {
        client.link.segment_bytes_min = segment_min;
        client.link.segment_bytes_max = 1460;
      }
      scenario_.network.segment_bytes_min = segment_min;
    }
    if (slow_link) {
      Link& link = scenario_.clients[slow_client].link;
      link.latency = slow_latency;
      link.jitter = slow_latency / 4;
    }
    resets_ = events_in_window(rng, resets_per_hour);
    half_opens_ = events_in_window(rng, half_opens_per_hour);
    partitions_ = events_in_window(rng, partitions_per_hour);
  }

  // How many faults of a kind with this rate fall in the fault window: the
  // expected number, its fraction decided by a draw.
  std::uint32_t events_in_window(kernel::Rng& rng, std::uint32_t per_hour) const {
    const std::uint64_t expected_milli = static_cast<std::uint64_t>(per_hour) *
                                         static_cast<std::uint64_t>(window_.count_us()) /
                                         static_cast<std::uint64_t>(Duration::from_s(3'600).count_us() / 1'000);
    const bool one_more = rng.chance(static_cast<std::uint32_t>(expected_milli % 1'000) * 1'000);
    return static_cast<std::uint32_t>(expected_milli / 1'000) + (one_more ? 1u : 0u);
  }

  ConnectStep connect_step(ClientModel& c, bool clean) {
    ConnectStep step{.client = c.name, .clean_start = clean, .will = c.will};
    // Each connection's will is its own message: the oracle tells messages
    // apart by topic and payload, and leaves a pair shared by two
    // publications unjudged.
    if (step.will) step.will->payload += " #" + std::to_string(++connects_);
    if (v5(c) && !clean) step.session_expiry_s = c.session_expiry_s;
    c.connected = true;
    return step;
  }

  // Connects `c`; a clean session starts without subscriptions, so the
  // client subscribes again, as an application does after every clean
  // connect (and each SUBSCRIBE brings the retained messages it matches).
  void reconnect(ClientModel& c, bool clean) {
    add(connect_step(c, clean));
    if (clean && !c.subscriptions.empty()) {
      add(SubscribeStep{.client = c.name, .subscriptions = c.subscriptions});
    }
  }

  void set_up() {
    kernel::Rng rng = root_.derive("subscriptions");
    for (ClientModel& c : clients_) {
      if (c.is_twin) continue;
      add(connect_step(c, !c.persistent));
    }
    for (ClientModel& c : clients_) {
      if (c.is_twin) continue;
      const std::uint32_t count = between(rng, 1, 3);
      SubscribeStep subscribe{.client = c.name};
      for (std::uint32_t i = 0; i < count; ++i) {
        const codec::Subscription s = subscription(rng, c);
        const bool repeated =
            std::any_of(subscribe.subscriptions.begin(), subscribe.subscriptions.end(),
                        [&](const auto& o) { return o.topic_filter == s.topic_filter; });
        if (!repeated) subscribe.subscriptions.push_back(s);
      }
      if (v5(c) && one_in(rng, 3)) subscribe.subscription_identifier = between(rng, 1, 1000);
      c.subscriptions = subscribe.subscriptions;
      add(std::move(subscribe));
    }
  }

  codec::Subscription subscription(kernel::Rng& rng, const ClientModel& c) {
    codec::Subscription s{.topic_filter = rooted(pick(rng, filters)), .max_qos = any_qos(rng)};
    if (v5(c)) {
      s.no_local = one_in(rng, 4);
      s.retain_as_published = one_in(rng, 2);
      s.retain_handling = static_cast<std::uint8_t>(rng.uniform(0, 2));
    }
    return s;
  }

  void fault_window() {
    kernel::Rng rng = root_.derive("workload");
    if (loss_) {
      add(*loss_);
      window_end_ = elapsed_ + loss_->duration;
    }
    const std::uint32_t actions = between(rng, 10, 40);
    // Every fault is a step of its own, placed before one of the actions
    // (the faults' draws come from their own stream, so that the workload
    // is the same whichever kinds the swarm switched on).
    kernel::Rng placing = root_.derive("fault-steps");
    std::vector<std::uint32_t> crash_at(crashes_), restart_at(restarts_), reset_at(resets_),
        half_open_at(half_opens_), partition_at(partitions_);
    for (auto& at : crash_at) at = between(rng, 0, actions - 1);
    for (auto& at : restart_at) at = between(rng, 0, actions - 1);
    for (auto* kind : {&reset_at, &half_open_at, &partition_at}) {
      for (auto& at : *kind) at = between(placing, 0, actions - 1);
    }
    // The waits between actions add up to about the fault window.
    const Duration pause_max = window_ / static_cast<std::int64_t>(actions) * 2;
    // A partition heals after about its drawn length, counted in actions.
    const Duration pause_mean = std::max(pause_max / 2, Duration::from_ms(1));
    std::vector<std::pair<std::uint32_t, std::string>> heals;
    for (std::uint32_t a = 0; a < actions; ++a) {
      for (const auto& [at, client] : heals) {
        if (at == a) add(HealStep{.clients = {client}});
      }
      for (const std::uint32_t at : crash_at) {
        if (at == a) crash(rng);
      }
      for (const std::uint32_t at : restart_at) {
        if (at != a) continue;
        const BrokerRestartStep restart{
            .store = one_in(rng, 2) ? BrokerStore::durable : BrokerStore::volatile_memory,
            .down_for = ms_between(rng, 0, 2'000)};
        if (options_.broker_restarts) add(restart);
      }
      for (const std::uint32_t at : reset_at) {
        if (at == a) reset(placing);
      }
      for (const std::uint32_t at : half_open_at) {
        if (at == a) half_open(placing);
      }
      for (const std::uint32_t at : partition_at) {
        if (at != a) continue;
        const ClientModel& c = any_client(placing);
        add(PartitionStep{.clients = {c.name}});
        const Duration length = ms_between(placing, 1'000, partition_max_.count_us() / 1'000);
        heals.emplace_back(a + 1 + static_cast<std::uint32_t>(length.count_us() / pause_mean.count_us()), c.name);
      }
      action(rng);
      add(WaitStep{.duration = Duration::from_us(static_cast<std::int64_t>(
                       rng.uniform(0, static_cast<std::uint64_t>(pause_max.count_us()))))});
    }
  }

  // A connected client, drawn; nullptr when none is.
  ClientModel* connected_client(kernel::Rng& rng) {
    const auto first = static_cast<std::size_t>(rng.uniform(0, clients_.size() - 1));
    for (std::size_t i = 0; i < clients_.size(); ++i) {
      ClientModel& c = clients_[(first + i) % clients_.size()];
      if (c.connected) return &c;
    }
    return nullptr;
  }

  // The link is reset; the client learns at once, the broker a little later.
  void reset(kernel::Rng& rng) {
    ClientModel* c = connected_client(rng);
    if (!c) return;
    add(DropStep{.client = c->name, .broker_notice_delay = ms_between(rng, 0, 100)});
    c->connected = false;
  }

  // The link dies silently; one end learns, the other keeps writing until
  // keep-alive or retransmissions give up.
  void half_open(kernel::Rng& rng) {
    ClientModel* c = connected_client(rng);
    if (!c) return;
    const LinkEnd noticed_by = one_in(rng, 2) ? LinkEnd::client : LinkEnd::broker;
    // Keep-alive finds a half-open link: an interval of its own.
    if (!options_.short_intervals) return;
    add(HalfOpenStep{.client = c->name, .noticed_by = noticed_by});
    c->connected = false;
  }

  ClientModel& any_client(kernel::Rng& rng) {
    return clients_[static_cast<std::size_t>(rng.uniform(0, clients_.size() - 1))];
  }

  void action(kernel::Rng& rng) {
    const auto roll = rng.uniform(0, 99);
    ClientModel& c = any_client(rng);
    if (!c.connected) {  // it left earlier: come back first
      reconnect(c, !c.persistent);
      return;
    }
    if (roll < 8) {  // a client library reconnecting after a fault took its link
      reconnect(c, !c.persistent);
      return;
    }
    if (roll < 45) return publish(rng, c);
    if (roll < 60 && !c.is_twin) return resubscribe(rng, c);
    if (roll < 70 && !c.is_twin) return subscribe_more(rng, c);
    if (roll < 80) return leave_and_return(rng, c);
    if (roll < 88 && c.twin) return takeover(c);
    if (roll < 94 && !c.is_twin) return toggle_clean(c);
    return publish(rng, c);
  }

  void publish(kernel::Rng& rng, const ClientModel& c) {
    PublishStep p{.client = c.name,
                  .topic = rooted(pick(rng, topics)),
                  .qos = any_qos(rng),
                  .retain = one_in(rng, 4),
                  // Unique per message: the oracle tells messages apart by
                  // topic and payload.
                  .payload = "p" + std::to_string(++publications_) + "-{n}",
                  .count = between(rng, 1, 10),
                  .interval = ms_between(rng, 0, 200)};
    if (p.retain && one_in(rng, 4)) {  // an empty retained payload clears it
      p.payload.clear();
      p.count = 1;
    }
    if (p.count == 1) p.interval = Duration::zero();  // a gap needs a burst
    if (v5(c)) {
      if (one_in(rng, 4)) {
        const std::uint32_t expiry_s = between(rng, 1, 30);
        if (options_.short_intervals) p.properties.message_expiry_interval = expiry_s;
      }
      if (one_in(rng, 4)) {
        p.properties.content_type = "text/plain";
        p.properties.response_topic = rooted("reply/" + c.name);
        p.properties.correlation_data = codec::Bytes{'c', 'd'};
        p.properties.user_properties.push_back({"k", std::to_string(publications_)});
      }
      if (one_in(rng, 4)) p.properties.topic_alias = static_cast<std::uint16_t>(between(rng, 1, 3));
    }
    add(std::move(p));
  }

  void resubscribe(kernel::Rng& rng, ClientModel& c) {
    if (c.subscriptions.empty()) return;
    const codec::Subscription& s =
        c.subscriptions[static_cast<std::size_t>(rng.uniform(0, c.subscriptions.size() - 1))];
    add(UnsubscribeStep{.client = c.name, .topic_filters = {s.topic_filter}});
    add(WaitStep{.duration = ms_between(rng, 0, 500)});
    add(SubscribeStep{.client = c.name, .subscriptions = {s}});
  }

  // A new subscription after messages were retained: the retained copies
  // it must get are where a stale or missing retained message shows.
  void subscribe_more(kernel::Rng& rng, ClientModel& c) {
    codec::Subscription s = subscription(rng, c);
    for (const codec::Subscription& held : c.subscriptions) {
      if (held.topic_filter == s.topic_filter) return resubscribe(rng, c);
    }
    c.subscriptions.push_back(s);
    add(SubscribeStep{.client = c.name, .subscriptions = {s}});
  }

  void leave_and_return(kernel::Rng& rng, ClientModel& c) {
    add(DisconnectStep{.client = c.name});
    c.connected = false;
    add(WaitStep{.duration = ms_between(rng, 0, 3'000)});
    reconnect(c, !c.persistent);
  }

  void takeover(ClientModel& c) {
    ClientModel& twin = clients_[*c.twin];
    add(connect_step(twin, false));
    c.connected = false;  // taken over: the broker closed its connection
    add(DisconnectStep{.client = twin.name});
    twin.connected = false;
  }

  // A persistent client connects once with a clean session (discarding its
  // state), then resumes being persistent on its next connect.
  void toggle_clean(ClientModel& c) {
    if (!c.persistent) return;
    reconnect(c, true);
  }

  void crash(kernel::Rng& rng) {
    ClientModel& c = any_client(rng);
    if (!c.connected) return;
    add(CrashStep{.client = c.name, .broker_notice_delay = ms_between(rng, 0, 2'000)});
    c.connected = false;
  }

  void liveness() {
    // The window runs out before the liveness phase begins.
    if (loss_ && elapsed_ < window_end_) add(WaitStep{.duration = window_end_ - elapsed_});
    add(HealStep{});
    for (ClientModel& c : clients_) {
      if (c.is_twin) continue;
      reconnect(c, !c.persistent);
    }
    add(WaitStep{.duration = Duration::from_s(30)});
  }

  std::uint64_t seed_;
  GeneratorOptions options_;
  kernel::Rng root_;
  Scenario scenario_;
  std::vector<ClientModel> clients_;
  std::optional<FaultsStep> loss_;  // the loss window, when the swarm has loss
  Duration window_ = Duration::from_s(30);
  Duration partition_max_ = Duration::from_s(1);
  std::uint32_t resets_ = 0;
  std::uint32_t half_opens_ = 0;
  std::uint32_t partitions_ = 0;
  std::uint32_t crashes_ = 0;
  std::uint32_t restarts_ = 0;
  std::uint32_t publications_ = 0;
  std::uint32_t connects_ = 0;
  Duration elapsed_ = Duration::zero();
  Duration window_end_ = Duration::zero();
};

}  // namespace

scenario::Scenario generate(std::uint64_t seed, const GeneratorOptions& options) {
  return Builder{seed, options}.build();
}

std::string_view to_string(ProtocolMix mix) {
  switch (mix) {
    case ProtocolMix::mixed:
      return "mixed";
    case ProtocolMix::v3_1_1:
      return "3.1.1";
    case ProtocolMix::v5_0:
      return "5.0";
  }
  return "mixed";
}

std::string_view to_string(FaultLevel level) {
  switch (level) {
    case FaultLevel::none:
      return "none";
    case FaultLevel::light:
      return "light";
    case FaultLevel::heavy:
      return "heavy";
  }
  return "light";
}

}  // namespace mqttsim::explore
