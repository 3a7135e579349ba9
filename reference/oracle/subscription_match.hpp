#pragma once
// Which subscriptions of a session a message matched while the broker held
// it. A message is routed to the subscriptions in place when the broker
// took it (or, for a retained message, when a SUBSCRIBE asked for it), but
// from the trace alone that instant is known only within a window: from its
// receipt to its delivery. Checkers that need the matching subscriptions
// (subscription identifiers, No Local) judge a delivery only when the
// subscriptions that match its topic were *stable* over that window: every
// one of them surely in place throughout (SUBACK sent before the window,
// no UNSUBSCRIBE or replacement until after it). Anything else is left
// alone rather than guessed.

#include <cstddef>
#include <string_view>
#include <vector>

#include "oracle/sessions.hpp"

namespace mqttsim::oracle {

struct MatchingSubscriptions {
  // The subscriptions matching the topic that were in place throughout.
  std::vector<const SubscriptionSpan*> spans;
  // False when some matching subscription came, went or was replaced
  // within the window, or is a shared subscription: then nothing is judged.
  bool stable = true;
};

// The subscriptions of `epoch` whose filter matches `topic` over the trace
// window [first, last].
MatchingSubscriptions matching_subscriptions(const SessionEpoch& epoch, std::string_view topic,
                                             TraceIndex first, TraceIndex last);

}  // namespace mqttsim::oracle
