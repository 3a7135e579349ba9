#pragma once
// Topic names and topic filters (§4.7 of both versions; shared
// subscriptions §4.8.2 of 5.0). The decoder, the broker and the oracle share
// these, so there is one reading of the rules.

#include <optional>
#include <string_view>

#include "base/spec_ref.hpp"
#include "codec/decode_error.hpp"

namespace mqttsim::codec {

// A topic name as PUBLISH, a Will or a Response Topic carries it: valid
// UTF-8 without U+0000, 1 to 65,535 bytes, no '+' or '#' (3.1.1
// MQTT-4.7.1-1, MQTT-4.7.3-1; 5.0 MQTT-4.7.0-1, MQTT-4.7.3-1). The error's
// offset is a byte index into `name`.
std::optional<DecodeError> validate_topic_name(std::string_view name, ProtocolVersion version);

// A topic filter as SUBSCRIBE and UNSUBSCRIBE carry it: valid UTF-8 without
// U+0000, 1 to 65,535 bytes, '#' only alone in the last level, '+' only
// alone in its level (3.1.1 MQTT-4.7.1-2/-3; 5.0 MQTT-4.7.1-1/-2). In 5.0 a
// filter starting "$share/" must be "$share/{ShareName}/{filter}" (5.0
// MQTT-4.8.2-1/-2); in 3.1.1 "$share" has no meaning and is an ordinary
// level. The error's offset is a byte index into `filter`.
std::optional<DecodeError> validate_topic_filter(std::string_view filter, ProtocolVersion version);

// The same checks without the UTF-8 pass, for strings the decoder has
// already validated.
std::optional<DecodeError> check_topic_name_structure(std::string_view name,
                                                      ProtocolVersion version);
std::optional<DecodeError> check_topic_filter_structure(std::string_view filter,
                                                        ProtocolVersion version);

// Does `filter` (valid, not a shared subscription: split those first) match
// `name` (valid)? '+' matches exactly one level, '#' any number of levels
// including none, so "sport/#" matches "sport". A filter starting with '+' or
// '#' never matches a name starting with '$' (MQTT-4.7.2-1 in both versions).
// Matching is byte-wise: no normalisation (MQTT-4.7.3-4).
bool topic_matches(std::string_view filter, std::string_view name);

// "$share/{ShareName}/{filter}" (5.0 §4.8.2), split into its parts; views
// into the argument.
struct SharedSubscription {
  std::string_view share_name;
  std::string_view topic_filter;
  bool operator==(const SharedSubscription&) const = default;
};

// Does `filter` start with "$share/" (so that, in 5.0, it is meant as a
// shared subscription, well-formed or not)?
bool is_shared_subscription(std::string_view filter);
// The parts of a well-formed shared subscription, or nothing when `filter`
// is not one (ordinary filters and malformed "$share/..." alike).
std::optional<SharedSubscription> split_shared_subscription(std::string_view filter);

}  // namespace mqttsim::codec
