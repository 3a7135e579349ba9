#pragma once
// Retained messages: at most one per topic, the newest (3.1.1 MQTT-3.3.1-5,
// 5.0 MQTT-3.3.1-5). They belong to the broker, not to any session, so they
// outlive every session (3.1.1 MQTT-3.1.2-7).

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.hpp"
#include "broker/message.hpp"

namespace mqttsim::broker {

class RetainedStore {
 public:
  enum class Change { stored, replaced, cleared, nothing_to_clear };

  // Takes a PUBLISH that had RETAIN=1. An empty payload deletes the topic's
  // retained message and is never stored itself (3.1.1 MQTT-3.3.1-10/-11,
  // 5.0 MQTT-3.3.1-6/-7); anything else replaces it.
  Change apply(const MessagePtr& message);

  // The retained messages whose topics match `filter`, in topic order, leaving
  // out those whose 5.0 Message Expiry has passed (they are deleted).
  std::vector<MessagePtr> matching(std::string_view filter, TimePoint now);

  const std::map<std::string, MessagePtr, std::less<>>& all() const { return by_topic_; }
  void restore(MessagePtr message);  // loading from a store at start-up
  void clear() { by_topic_.clear(); }
  std::size_t size() const { return by_topic_.size(); }

 private:
  std::map<std::string, MessagePtr, std::less<>> by_topic_;
};

}  // namespace mqttsim::broker
