#include "explore/reductions.hpp"

#include <algorithm>
#include <type_traits>

namespace mqttsim::explore {

namespace {

using namespace mqttsim::scenario;

// Takes `name` out of a step that names a set of clients. Returns false
// when the step has nothing left to act on and must go: an empty set would
// mean "every client" for a heal or a faults step.
bool forget_client(StepAction& action, const std::string& name) {
  const auto forget = [&](std::set<std::string>& clients) {
    return clients.erase(name) == 0 || !clients.empty();
  };
  if (auto* p = std::get_if<PartitionStep>(&action)) return forget(p->clients);
  if (auto* h = std::get_if<HealStep>(&action)) return forget(h->clients);
  if (auto* f = std::get_if<FaultsStep>(&action)) return forget(f->clients);
  if (auto* e = std::get_if<ExpectMessagesStep>(&action)) {
    std::erase_if(e->messages, [&](const MessageMatch& m) { return m.will_of == name; });
    return !e->messages.empty();
  }
  return true;
}

// A payload pattern half as long, keeping "{n}" so that the messages of a
// burst stay apart.
std::optional<std::string> shorter_payload(const std::string& payload) {
  constexpr std::string_view number = "{n}";
  const std::size_t at = payload.find(number);
  const std::size_t text = payload.size() - (at == std::string::npos ? 0 : number.size());
  if (text <= 4) return std::nullopt;
  const std::size_t keep = text / 2;
  if (at == std::string::npos) return payload.substr(0, keep);
  std::string shorter = payload.substr(0, std::min(at, keep));
  return shorter + std::string{number};
}

Duration halved(Duration d) { return d / 2; }

std::vector<StepAction> simpler_forms(const StepAction& action) {
  std::vector<StepAction> forms;
  const auto add = [&](auto changed) { forms.push_back(StepAction{std::move(changed)}); };
  if (const auto* p = std::get_if<PublishStep>(&action)) {
    if (p->count > 1) {
      PublishStep one = *p;
      one.count = 1;
      one.interval = Duration::zero();
      add(one);
      if (p->count > 3) {
        PublishStep half = *p;
        half.count = p->count / 2;
        add(half);
      }
    }
    if (p->interval > Duration::zero()) {
      PublishStep no_gap = *p;
      no_gap.interval = Duration::zero();
      add(no_gap);
    }
    if (!(p->properties == codec::Properties{})) {
      PublishStep plain = *p;
      // A topic alias is how the topic travels; it stays.
      plain.properties = codec::Properties{.topic_alias = p->properties.topic_alias};
      if (!(plain.properties == p->properties)) add(plain);
    }
    if (const auto payload = shorter_payload(p->payload)) {
      PublishStep smaller = *p;
      smaller.payload = *payload;
      add(smaller);
    }
  } else if (const auto* s = std::get_if<SubscribeStep>(&action)) {
    if (s->subscriptions.size() > 1) {
      for (std::size_t i = 0; i < s->subscriptions.size(); ++i) {
        SubscribeStep fewer = *s;
        fewer.subscriptions.erase(fewer.subscriptions.begin() + static_cast<std::ptrdiff_t>(i));
        if (fewer.expect_codes && fewer.expect_codes->size() > i) {
          fewer.expect_codes->erase(fewer.expect_codes->begin() + static_cast<std::ptrdiff_t>(i));
        }
        add(fewer);
      }
    }
    if (s->subscription_identifier) {
      SubscribeStep plain = *s;
      plain.subscription_identifier.reset();
      add(plain);
    }
  } else if (const auto* u = std::get_if<UnsubscribeStep>(&action)) {
    for (std::size_t i = 0; u->topic_filters.size() > 1 && i < u->topic_filters.size(); ++i) {
      UnsubscribeStep fewer = *u;
      fewer.topic_filters.erase(fewer.topic_filters.begin() + static_cast<std::ptrdiff_t>(i));
      add(fewer);
    }
  } else if (const auto* w = std::get_if<WaitStep>(&action)) {
    if (w->duration > Duration::from_ms(1)) {
      add(WaitStep{.duration = Duration::zero()});
      add(WaitStep{.duration = halved(w->duration)});
    }
  } else if (const auto* c = std::get_if<ConnectStep>(&action)) {
    if (c->will) {
      ConnectStep no_will = *c;
      no_will.will.reset();
      add(no_will);
    }
  } else if (const auto* f = std::get_if<FaultsStep>(&action)) {
    if (f->loss_ppm && *f->loss_ppm > 1'000) {
      FaultsStep less = *f;
      less.loss_ppm = *f->loss_ppm / 2;
      add(less);
    }
    if (f->duration > Duration::from_s(1)) {
      FaultsStep shorter = *f;
      shorter.duration = halved(f->duration);
      add(shorter);
    }
  } else if (const auto* r = std::get_if<BrokerRestartStep>(&action)) {
    if (r->down_for > Duration::zero()) add(BrokerRestartStep{.store = r->store});
  } else if (const auto* d = std::get_if<DropStep>(&action)) {
    if (d->broker_notice_delay > Duration::zero() || d->client_notice_delay > Duration::zero()) {
      add(DropStep{.client = d->client});
    }
  } else if (const auto* k = std::get_if<CrashStep>(&action)) {
    if (k->broker_notice_delay > Duration::zero()) add(CrashStep{.client = k->client});
  }
  return forms;
}

}  // namespace

Scenario without_steps(const Scenario& scenario, std::size_t first, std::size_t count) {
  Scenario smaller = scenario;
  const auto begin = smaller.steps.begin() + static_cast<std::ptrdiff_t>(first);
  smaller.steps.erase(begin, begin + static_cast<std::ptrdiff_t>(count));
  return smaller;
}

Scenario without_client(const Scenario& scenario, const std::string& name) {
  Scenario smaller = scenario;
  std::erase_if(smaller.clients, [&](const Client& c) { return c.name == name; });
  std::erase_if(smaller.steps, [&](Step& step) {
    const std::string* acting = acting_client(step.action);
    if (acting) return *acting == name;
    return !forget_client(step.action, name);
  });
  return smaller;
}

std::vector<Scenario> simpler_step(const Scenario& scenario, std::size_t index) {
  std::vector<Scenario> candidates;
  // Two waits in a row are one wait.
  const auto* wait = std::get_if<WaitStep>(&scenario.steps[index].action);
  if (wait && index + 1 < scenario.steps.size() && !scenario.steps[index + 1].at) {
    if (const auto* next = std::get_if<WaitStep>(&scenario.steps[index + 1].action)) {
      Scenario merged = without_steps(scenario, index + 1, 1);
      merged.steps[index].action = WaitStep{.duration = wait->duration + next->duration};
      candidates.push_back(std::move(merged));
    }
  }
  for (StepAction& form : simpler_forms(scenario.steps[index].action)) {
    Scenario simpler = scenario;
    simpler.steps[index].action = std::move(form);
    candidates.push_back(std::move(simpler));
  }
  return candidates;
}

std::vector<Scenario> simpler_client(const Scenario& scenario, std::size_t index) {
  std::vector<Scenario> candidates;
  if (!(scenario.clients[index].link == scenario.network)) {
    Scenario simpler = scenario;
    simpler.clients[index].link = scenario.network;
    candidates.push_back(std::move(simpler));
  }
  return candidates;
}

ScenarioSize size_of(const Scenario& scenario) {
  ScenarioSize size{.steps = scenario.steps.size(), .clients = scenario.clients.size()};
  for (const Step& step : scenario.steps) {
    if (const auto* s = std::get_if<SubscribeStep>(&step.action)) {
      size.subscriptions += s->subscriptions.size();
    }
    if (const auto* p = std::get_if<PublishStep>(&step.action)) size.messages += p->count;
  }
  return size;
}

std::string to_string(const ScenarioSize& size) {
  return std::to_string(size.steps) + " steps, " + std::to_string(size.clients) + " clients, " +
         std::to_string(size.subscriptions) + " subscriptions, " + std::to_string(size.messages) +
         " messages";
}

}  // namespace mqttsim::explore
