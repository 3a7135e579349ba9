#pragma once
// The index from topic filters to the sessions subscribed with them: one trie
// level per topic level, with '+' and '#' as ordinary keys that the matcher
// treats specially. The options of each subscription live in its session; the
// trie only answers "who is subscribed with a filter matching this topic".

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "broker/session_ordinal.hpp"

namespace mqttsim::broker {

// One subscription whose filter matches a topic. The views point into the
// trie: they stay valid until the trie next changes.
struct FilterMatch {
  std::string_view client_id;
  std::string_view filter;
  SessionOrdinal session = 0;
};

class SubscriptionTrie {
 public:
  SubscriptionTrie();
  ~SubscriptionTrie();
  SubscriptionTrie(SubscriptionTrie&&) noexcept;
  SubscriptionTrie& operator=(SubscriptionTrie&&) noexcept;

  // Both take a syntactically valid filter (the codec checked it). A client
  // subscribes once per filter; inserting again updates its session ordinal.
  void insert(std::string_view filter, std::string_view client_id, SessionOrdinal session);
  bool erase(std::string_view filter, std::string_view client_id);

  // Every (client, filter) pair whose filter matches `topic`, sorted by client
  // id and then filter, so the result never depends on how the trie is laid
  // out. Applies the '$' rule: a filter starting with a wildcard does not match
  // a topic starting with '$' (3.1.1 and 5.0 MQTT-4.7.2-1).
  //
  // Each matching filter's subscribers are kept sorted by client id, so the
  // sorted result is a merge of those lists: O(n log k) for n subscriptions
  // under k matching filters, not a sort of all n.
  std::vector<FilterMatch> match(std::string_view topic) const;

  std::size_t size() const { return size_; }

 private:
  struct Node;
  static std::vector<FilterMatch> merge_by_client(std::vector<const Node*> matched);
  std::unique_ptr<Node> root_;
  std::size_t size_ = 0;
};

}  // namespace mqttsim::broker
