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
  // The clients subscribed with the filter ending here, by client id.
  std::map<std::string, SessionOrdinal, std::less<>> subscribers;
  std::string filter;  // the whole filter that ends at this node
};

SubscriptionTrie::SubscriptionTrie() : root_{std::make_unique<Node>()} {}
SubscriptionTrie::~SubscriptionTrie() = default;
SubscriptionTrie::SubscriptionTrie(SubscriptionTrie&&) noexcept = default;
SubscriptionTrie& SubscriptionTrie::operator=(SubscriptionTrie&&) noexcept = default;

void SubscriptionTrie::insert(std::string_view filter, std::string_view client_id,
                              SessionOrdinal session) {
  Node* node = root_.get();
  for (const std::string_view level : split_levels(filter)) {
    auto child = node->children.find(level);
    if (child == node->children.end()) {
      child = node->children.emplace(std::string{level}, std::make_unique<Node>()).first;
    }
    node = child->second.get();
  }
  node->filter = std::string{filter};
  const auto [entry, inserted] = node->subscribers.try_emplace(std::string{client_id}, session);
  if (inserted) {
    ++size_;
  } else {
    entry->second = session;
  }
}

bool SubscriptionTrie::erase(std::string_view filter, std::string_view client_id) {
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
  const auto subscriber = node->subscribers.find(client_id);
  if (subscriber == node->subscribers.end()) return false;
  node->subscribers.erase(subscriber);
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
  // The nodes of the matching filters that have subscribers; a node is
  // reached at most once, since each filter matches a topic in one way.
  std::vector<const Node*> matched;
  const auto collect = [&matched](const Node& node) {
    if (!node.subscribers.empty()) matched.push_back(&node);
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
  return merge_by_client(std::move(matched));
}

// Merges the matched filters' subscriber lists (each sorted by client id)
// into one list sorted by client id, then filter.
std::vector<FilterMatch> SubscriptionTrie::merge_by_client(std::vector<const Node*> matched) {
  std::sort(matched.begin(), matched.end(),
            [](const Node* a, const Node* b) { return a->filter < b->filter; });
  std::size_t total = 0;
  for (const Node* node : matched) total += node->subscribers.size();
  std::vector<FilterMatch> found;
  found.reserve(total);

  using Cursor = std::map<std::string, SessionOrdinal, std::less<>>::const_iterator;
  struct Head {
    Cursor at;
    std::size_t node;  // rank in `matched`, which is filter order
  };
  // A min-heap on (client id, filter rank): std::*_heap keep the largest
  // first, so the comparison is reversed.
  const auto later = [](const Head& a, const Head& b) {
    const int by_client = a.at->first.compare(b.at->first);
    return by_client != 0 ? by_client > 0 : a.node > b.node;
  };
  std::vector<Head> heads;
  heads.reserve(matched.size());
  for (std::size_t rank = 0; rank < matched.size(); ++rank) {
    heads.push_back({matched[rank]->subscribers.begin(), rank});
  }
  std::make_heap(heads.begin(), heads.end(), later);
  while (!heads.empty()) {
    std::pop_heap(heads.begin(), heads.end(), later);
    Head& head = heads.back();
    found.push_back({head.at->first, matched[head.node]->filter, head.at->second});
    if (++head.at == matched[head.node]->subscribers.end()) {
      heads.pop_back();
    } else {
      std::push_heap(heads.begin(), heads.end(), later);
    }
  }
  return found;
}

}  // namespace mqttsim::broker
