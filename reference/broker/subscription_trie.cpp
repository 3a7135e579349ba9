#include "broker/subscription_trie.hpp"

#include <algorithm>
#include <cassert>

namespace mqttsim::broker {
namespace {

// Splits "a/b//c" into {"a", "b", "", "c"}: empty levels are real levels
// (3.1.1 and 5.0 §4.7.1.1), and no normalisation happens (MQTT-4.7.3-4).
std::vector<std::string_view> split_levels(std::string_view topic) {
  std::vector<std::string_view> levels;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = topic.find('/', start);
    if (slash == std::string_view::npos) {
      levels.push_back(topic.substr(start));
      return levels;
    }
    levels.push_back(topic.substr(start, slash - start));
    start = slash + 1;
  }
}

}  // namespace

struct SubscriptionTrie::Node {
  std::map<std::string, std::unique_ptr<Node>, std::less<>> children;
  std::set<std::string> subscribers;  // client ids subscribed with the filter ending here
  std::string filter;                 // the whole filter that ends at this node
};

SubscriptionTrie::SubscriptionTrie() : root_{std::make_unique<Node>()} {}
SubscriptionTrie::~SubscriptionTrie() = default;
SubscriptionTrie::SubscriptionTrie(SubscriptionTrie&&) noexcept = default;
SubscriptionTrie& SubscriptionTrie::operator=(SubscriptionTrie&&) noexcept = default;

void SubscriptionTrie::insert(std::string_view filter, const std::string& client_id) {
  Node* node = root_.get();
  for (const std::string_view level : split_levels(filter)) {
    auto child = node->children.find(level);
    if (child == node->children.end()) {
      child = node->children.emplace(std::string{level}, std::make_unique<Node>()).first;
    }
    node = child->second.get();
  }
  node->filter = std::string{filter};
  if (node->subscribers.insert(client_id).second) ++size_;
}

bool SubscriptionTrie::erase(std::string_view filter, const std::string& client_id) {
  // Walk down remembering the path, so empty branches can be pruned on the way
  // back up: an unsubscribe must not leave the trie to grow without bound.
  std::vector<std::pair<Node*, std::string_view>> path;
  Node* node = root_.get();
  for (const std::string_view level : split_levels(filter)) {
    const auto child = node->children.find(level);
    if (child == node->children.end()) return false;
    path.emplace_back(node, level);
    node = child->second.get();
  }
  if (node->subscribers.erase(client_id) == 0) return false;
  --size_;
  for (auto step = path.rbegin(); step != path.rend(); ++step) {
    Node* parent = step->first;
    const auto child = parent->children.find(step->second);
    assert(child != parent->children.end());
    if (!child->second->subscribers.empty() || !child->second->children.empty()) break;
    parent->children.erase(child);
  }
  return true;
}

std::vector<FilterMatch> SubscriptionTrie::match(std::string_view topic) const {
  const std::vector<std::string_view> levels = split_levels(topic);
  const bool system_topic = !topic.empty() && topic.front() == '$';
  std::vector<FilterMatch> found;

  const auto collect = [&found](const Node& node) {
    for (const std::string& client_id : node.subscribers) found.push_back({client_id, node.filter});
  };

  // Depth-first over (node, next level index); the stack is bounded by the
  // number of trie nodes, since each node is pushed at most once per level.
  std::vector<std::pair<const Node*, std::size_t>> pending{{root_.get(), 0}};
  while (!pending.empty()) {
    const auto [node, depth] = pending.back();
    pending.pop_back();
    const bool wildcards_allowed = !(system_topic && depth == 0);

    if (wildcards_allowed) {
      // '#' matches this level and everything below, including the parent
      // level itself ("sport/#" matches "sport").
      if (const auto hash = node->children.find("#"); hash != node->children.end()) {
        collect(*hash->second);
      }
    }
    if (depth == levels.size()) {
      collect(*node);
      continue;
    }
    if (const auto exact = node->children.find(levels[depth]); exact != node->children.end()) {
      pending.emplace_back(exact->second.get(), depth + 1);
    }
    if (wildcards_allowed) {
      if (const auto plus = node->children.find("+"); plus != node->children.end()) {
        pending.emplace_back(plus->second.get(), depth + 1);
      }
    }
  }

  std::sort(found.begin(), found.end(), [](const FilterMatch& a, const FilterMatch& b) {
    return a.client_id != b.client_id ? a.client_id < b.client_id : a.filter < b.filter;
  });
  return found;
}

}  // namespace mqttsim::broker
