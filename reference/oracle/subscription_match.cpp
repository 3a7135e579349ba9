#include "oracle/subscription_match.hpp"

#include <limits>

#include "codec/topic.hpp"

namespace mqttsim::oracle {

MatchingSubscriptions matching_subscriptions(const SessionEpoch& epoch, std::string_view topic,
                                             TraceIndex first, TraceIndex last) {
  MatchingSubscriptions result;
  for (const SubscriptionSpan& span : epoch.subscriptions) {
    const std::string& filter = span.request.topic_filter;
    const bool shared =
        epoch.version == ProtocolVersion::v5_0 && codec::is_shared_subscription(filter);
    std::string_view plain = filter;
    if (shared) {
      const auto parts = codec::split_shared_subscription(filter);
      if (!parts) continue;
      plain = parts->topic_filter;
    }
    if (!codec::topic_matches(plain, topic)) continue;
    // Gone before the window opened, or made after it closed: irrelevant.
    const TraceIndex gone =
        span.ended_index.value_or(TraceIndex{std::numeric_limits<std::size_t>::max()});
    if (gone <= first || span.subscribe_index >= last) continue;
    const TraceIndex leaving = span.unsubscribe_index.value_or(gone);
    const bool throughout = span.suback_index < first && leaving > last && gone > last;
    if (shared || !throughout) {
      result.stable = false;
      continue;
    }
    result.spans.push_back(&span);
  }
  return result;
}

}  // namespace mqttsim::oracle
