#include "runner/inbox_matcher.hpp"

#include <algorithm>

#include "codec/print.hpp"

namespace mqttsim::runner {

namespace {

// Text payloads as a quoted string (what scenario files write); anything
// else as the codec prints bytes.
std::string payload_text(const codec::Bytes& payload) {
  const bool printable = std::all_of(payload.begin(), payload.end(),
                                     [](std::uint8_t byte) { return byte >= 0x20 && byte < 0x7f; });
  if (!printable) return codec::describe_payload(payload);
  return codec::quote(
      std::string_view{reinterpret_cast<const char*>(payload.data()), payload.size()});
}

std::string qos_text(codec::QoS qos) { return std::to_string(static_cast<int>(qos)); }

// What explain() lists of the messages it passed over: enough to see what
// arrived instead, bounded so a flood does not flood the report.
constexpr std::size_t skipped_shown_max = 5;

}  // namespace

bool ExpectedMessage::matches(const protocol::Delivered& message) const {
  if (message.topic != topic) return false;
  if (payload && codec::Bytes(payload->begin(), payload->end()) != message.payload) return false;
  if (qos && *qos != message.qos) return false;
  if (retain && *retain != message.retain) return false;
  if (dup && *dup != message.dup) return false;
  return true;
}

std::string ExpectedMessage::describe() const {
  std::string text = "topic=" + codec::quote(topic);
  if (payload) text += " payload=" + payload_text(codec::Bytes(payload->begin(), payload->end()));
  if (qos) text += " qos=" + qos_text(*qos);
  if (retain) text += std::string{" retain="} + (*retain ? "1" : "0");
  if (dup) text += std::string{" dup="} + (*dup ? "1" : "0");
  return text;
}

std::vector<ExpectedMessage> expand(const std::vector<scenario::MessageMatch>& matches) {
  std::vector<ExpectedMessage> expected;
  for (const scenario::MessageMatch& match : matches) {
    for (std::uint32_t i = 0; i < match.count; ++i) {
      ExpectedMessage message{
          .topic = match.topic, .qos = match.qos, .retain = match.retain, .dup = match.dup};
      if (match.payload) {
        // Numbered like a publish burst; a will's payload is taken as is.
        message.payload = match.will_of
                              ? *match.payload
                              : scenario::expand_payload(*match.payload, match.first_number + i);
      }
      expected.push_back(std::move(message));
    }
  }
  return expected;
}

std::string describe(const protocol::Delivered& message) {
  return "topic=" + codec::quote(message.topic) + " payload=" + payload_text(message.payload) +
         " qos=" + qos_text(message.qos) + " retain=" + (message.retain ? "1" : "0") +
         " dup=" + (message.dup ? "1" : "0");
}

InboxMatcher::InboxMatcher(std::vector<ExpectedMessage> expected, scenario::MessageOrder order)
    : expected_{std::move(expected)}, order_{order}, found_(expected_.size(), false) {
  if (expected_.empty()) state_ = MatchState::met;
}

void InboxMatcher::feed(const protocol::Delivered& message) {
  if (state_ != MatchState::open) return;
  ++fed_;
  std::optional<std::size_t> hit;
  switch (order_) {
    case scenario::MessageOrder::exact:
      if (!expected_[next_].matches(message)) {
        broken_because_ = "message " + std::to_string(next_ + 1) + " of " +
                          std::to_string(expected_.size()) + " should be " +
                          expected_[next_].describe() + ", but " + describe(message) + " arrived";
        state_ = MatchState::broken;
        return;
      }
      hit = next_++;
      break;
    case scenario::MessageOrder::in_order:
      if (expected_[next_].matches(message)) hit = next_++;
      break;
    case scenario::MessageOrder::unordered:
      // Greedy: the first expected message still missing that this one fits.
      for (std::size_t i = 0; i < expected_.size(); ++i) {
        if (!found_[i] && expected_[i].matches(message)) {
          hit = i;
          break;
        }
      }
      break;
  }
  if (!hit) {
    if (skipped_.size() < skipped_shown_max) skipped_.push_back(describe(message));
    return;
  }
  found_[*hit] = true;
  if (++found_count_ == expected_.size()) state_ = MatchState::met;
}

std::string InboxMatcher::explain() const {
  if (state_ == MatchState::broken) return broken_because_;
  std::size_t first_missing = 0;
  while (first_missing < found_.size() && found_[first_missing]) ++first_missing;
  std::string text = std::to_string(found_count_) + " of " + std::to_string(expected_.size()) +
                     " expected messages arrived";
  if (first_missing < expected_.size()) {
    text += "; the first missing is " + expected_[first_missing].describe();
  }
  if (!skipped_.empty()) {
    text += "; other messages received: ";
    for (std::size_t i = 0; i < skipped_.size(); ++i) text += (i ? ", " : "") + skipped_[i];
    if (fed_ - found_count_ > skipped_.size()) text += ", ...";
  }
  return text;
}

}  // namespace mqttsim::runner
