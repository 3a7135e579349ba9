#include "broker/retained_store.hpp"

#include "codec/topic.hpp"

namespace mqttsim::broker {

RetainedStore::Change RetainedStore::apply(const MessagePtr& message) {
  if (message->payload.empty()) {
    return by_topic_.erase(message->topic) > 0 ? Change::cleared : Change::nothing_to_clear;
  }
  auto [slot, inserted] = by_topic_.try_emplace(message->topic, message);
  if (inserted) return Change::stored;
  slot->second = message;
  return Change::replaced;
}

std::vector<MessagePtr> RetainedStore::matching(std::string_view filter, TimePoint now) {
  std::vector<MessagePtr> found;
  for (auto entry = by_topic_.begin(); entry != by_topic_.end();) {
    const MessagePtr& message = entry->second;
    if (message->expires_at && *message->expires_at <= now) {
      entry = by_topic_.erase(entry);
      continue;
    }
    if (codec::topic_matches(filter, entry->first)) found.push_back(message);
    ++entry;
  }
  return found;
}

void RetainedStore::restore(MessagePtr message) {
  std::string topic = message->topic;
  by_topic_.insert_or_assign(std::move(topic), std::move(message));
}

}  // namespace mqttsim::broker
