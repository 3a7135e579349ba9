#include "runner/broker_footprint.hpp"

#include <algorithm>
#include <variant>

namespace mqttsim::runner {

namespace {

// The first non-empty level, lowercased (ASCII): "" when there is none.
std::string first_level(std::string_view topic) {
  std::size_t start = 0;
  while (start < topic.size() && topic[start] == '/') ++start;
  const std::size_t end = std::min(topic.find('/', start), topic.size());
  std::string level{topic.substr(start, end - start)};
  for (char& c : level) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return level;
}

// A shared subscription's filter is what follows "$share/GROUP/".
std::string_view without_share_group(std::string_view filter) {
  constexpr std::string_view share = "$share/";
  if (!filter.starts_with(share)) return filter;
  const std::size_t group_end = filter.find('/', share.size());
  return group_end == std::string_view::npos ? filter : filter.substr(group_end + 1);
}

class FootprintBuilder {
 public:
  explicit FootprintBuilder(bool restarts_broker) : restarts_broker_{restarts_broker} {}

  void add(const scenario::StepAction& action) {
    if (const auto* publish = std::get_if<scenario::PublishStep>(&action)) {
      add_topic(publish->topic);
    } else if (const auto* connect = std::get_if<scenario::ConnectStep>(&action)) {
      if (connect->will) add_topic(connect->will->topic);
    } else if (const auto* subscribe = std::get_if<scenario::SubscribeStep>(&action)) {
      for (const codec::Subscription& subscription : subscribe->subscriptions) {
        add_filter(subscription.topic_filter);
      }
    } else if (std::holds_alternative<scenario::SendRawStep>(action)) {
      alone("it sends raw bytes (send_raw), whose client ids and topics are not read");
    } else if (std::holds_alternative<scenario::BrokerRestartStep>(action) && restarts_broker_) {
      alone("it restarts the broker (broker_restart with --restart-cmd)");
    }
  }

  BrokerFootprint take() && { return std::move(footprint_); }

 private:
  void add_topic(std::string_view topic) { footprint_.topic_roots.insert(first_level(topic)); }

  void add_filter(std::string_view filter) {
    const std::string root = first_level(without_share_group(filter));
    if (root == "#" || root == "+") {
      alone("it subscribes to " + std::string{filter} + ", which matches topics of any root");
    }
    footprint_.topic_roots.insert(root);
  }

  void alone(std::string why) {
    if (footprint_.runs_alone_because.empty()) footprint_.runs_alone_because = std::move(why);
  }

  bool restarts_broker_;
  BrokerFootprint footprint_;
};

}  // namespace

BrokerFootprint broker_footprint(const scenario::Scenario& scenario, bool restarts_broker) {
  FootprintBuilder builder{restarts_broker};
  for (const scenario::Step& step : scenario.steps) builder.add(step.action);
  return std::move(builder).take();
}

bool footprints_overlap(const BrokerFootprint& a, const BrokerFootprint& b) {
  if (a.runs_alone() || b.runs_alone()) return true;
  // Both sets are sorted: one merge-like pass.
  auto in_a = a.topic_roots.begin();
  auto in_b = b.topic_roots.begin();
  while (in_a != a.topic_roots.end() && in_b != b.topic_roots.end()) {
    if (*in_a == *in_b) return true;
    if (*in_a < *in_b) {
      ++in_a;
    } else {
      ++in_b;
    }
  }
  return false;
}

}  // namespace mqttsim::runner
