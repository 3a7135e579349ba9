#pragma once
// Judges one `expect: CLIENT messages: [...]` step against a client's inbox,
// incrementally: the runner feeds each message not yet consumed by an
// earlier expectation, in arrival order, as it arrives, and asks after each
// whether the expectation is met, still open, or already broken. The rules
// (exact, in_order, unordered; which messages are consumed) are those of
// scenarios/README.md, "Expectations".

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "protocol/client_actions.hpp"
#include "scenario/scenario.hpp"

namespace mqttsim::runner {

// One expected message, after `count` bursts are expanded.
struct ExpectedMessage {
  std::string topic;
  std::optional<std::string> payload;
  std::optional<codec::QoS> qos;
  std::optional<bool> retain;
  std::optional<bool> dup;

  bool matches(const protocol::Delivered& message) const;
  // `topic="a/b" payload="m3" qos=1`: only the fields that are checked.
  std::string describe() const;
};

std::vector<ExpectedMessage> expand(const std::vector<scenario::MessageMatch>& matches);

// `topic="a/b" payload="m3" qos=1 retain=0 dup=0`.
std::string describe(const protocol::Delivered& message);

enum class MatchState : std::uint8_t { open, met, broken };

class InboxMatcher {
 public:
  InboxMatcher(std::vector<ExpectedMessage> expected, scenario::MessageOrder order);

  // The next message of the inbox. Only call while state() is open.
  void feed(const protocol::Delivered& message);
  MatchState state() const { return state_; }
  // Messages fed so far: once met, these are the ones the step consumes.
  std::size_t fed() const { return fed_; }
  // Why the expectation is broken, or (called when the window ends while
  // still open) what is missing.
  std::string explain() const;

 private:
  std::vector<ExpectedMessage> expected_;
  scenario::MessageOrder order_;
  std::vector<bool> found_;  // per expected message
  std::size_t found_count_ = 0;
  std::size_t next_ = 0;  // exact and in_order: the next expected message
  std::size_t fed_ = 0;
  MatchState state_ = MatchState::open;
  std::string broken_because_;
  std::vector<std::string> skipped_;  // a few of the messages passed over, for explain()
};

}  // namespace mqttsim::runner
