#include "runner/side_by_side.hpp"

#include <algorithm>
#include <cassert>
#include <map>
#include <numeric>
#include <variant>

namespace mqttsim::runner {

namespace {

// Groups of scenarios joined by shared topic roots (union-find).
class Groups {
 public:
  explicit Groups(std::size_t count) : parent_(count) {
    std::iota(parent_.begin(), parent_.end(), std::size_t{0});
  }

  // Representatives are the lowest index of their group.
  std::size_t group_of(std::size_t i) {
    while (parent_[i] != i) {
      parent_[i] = parent_[parent_[i]];  // path halving
      i = parent_[i];
    }
    return i;
  }

  void join(std::size_t a, std::size_t b) {
    const std::size_t group_a = group_of(a);
    const std::size_t group_b = group_of(b);
    parent_[std::max(group_a, group_b)] = std::min(group_a, group_b);
  }

 private:
  std::vector<std::size_t> parent_;
};

// Two short connections per client id, before and after the scenario.
constexpr Duration cleanup_estimate = Duration::from_ms(50);

}  // namespace

Duration estimated_real_time(const scenario::Scenario& scenario, const TcpTarget& target) {
  Duration real = target.scale.to_real(target.scenario_length.value_or(Duration::zero()));
  for (const scenario::Step& step : scenario.steps) {
    if (cannot_play_against(step.action, target)) return cleanup_estimate;
    if (std::holds_alternative<scenario::SubscribeStep>(step.action) ||
        std::holds_alternative<scenario::UnsubscribeStep>(step.action) ||
        std::holds_alternative<scenario::ExpectNoMessagesStep>(step.action)) {
      real += target.settle;
    }
  }
  return real + cleanup_estimate;
}

SideBySidePlan plan_side_by_side(const std::vector<BrokerFootprint>& footprints,
                                 const std::vector<Duration>& estimates, std::size_t workers) {
  assert(footprints.size() == estimates.size() && workers > 0);
  SideBySidePlan plan;
  Groups groups{footprints.size()};
  std::map<std::string, std::size_t> first_with_root;
  for (std::size_t i = 0; i < footprints.size(); ++i) {
    if (footprints[i].runs_alone()) {
      plan.alone.push_back(i);
      continue;
    }
    plan.together.push_back(i);
    for (const std::string& root : footprints[i].topic_roots) {
      const auto [first, inserted] = first_with_root.emplace(root, i);
      if (!inserted) groups.join(i, first->second);
    }
  }

  // Each group's estimate, keyed by its representative (its lowest index).
  std::map<std::size_t, Duration> group_estimate;
  for (const std::size_t i : plan.together) group_estimate[groups.group_of(i)] += estimates[i];
  std::vector<std::size_t> longest_first;
  for (const auto& [group, unused] : group_estimate) longest_first.push_back(group);
  std::stable_sort(longest_first.begin(), longest_first.end(),
                   [&group_estimate](std::size_t a, std::size_t b) {
                     return group_estimate[a] > group_estimate[b];
                   });

  std::vector<Duration> load(workers);
  std::map<std::size_t, std::size_t> worker_of_group;
  for (const std::size_t group : longest_first) {
    const auto least = std::min_element(load.begin(), load.end());
    worker_of_group[group] = static_cast<std::size_t>(least - load.begin());
    *least += group_estimate[group];
  }
  for (const std::size_t i : plan.together) {
    plan.worker_of.push_back(worker_of_group[groups.group_of(i)]);
  }
  return plan;
}

}  // namespace mqttsim::runner
