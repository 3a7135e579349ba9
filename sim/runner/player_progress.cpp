// ScenarioPlayer: whether the current step is done, asked after every
// simulator event. Answers are found in what the step's client has seen
// since the step started (its events, its inbox, its connection ends).

#include "runner/duration_text.hpp"
#include "runner/scenario_player.hpp"

namespace mqttsim::runner {

bool ScenarioPlayer::lost_connection_while_waiting(std::string_view waiting_for) {
  const auto& ends = current_.slot->client->connection_ends();
  if (ends.size() <= current_.ends_from) return false;
  current_.failure = "the connection of " + current_.slot->client->name() + " ended (" +
                     ends[current_.ends_from].why + ") before " + std::string{waiting_for} +
                     " arrived";
  return true;
}

void ScenarioPlayer::check(const scenario::ConnectStep& step) {
  const auto& events = current_.slot->client->events();
  for (std::size_t i = current_.events_from; i < events.size(); ++i) {
    const auto* connected = std::get_if<protocol::Connected>(&events[i]);
    if (!connected) continue;
    if (connected->code != step.expect_code) {
      current_.failure = "CONNACK code " + std::to_string(connected->code) + ", expected " +
                         std::to_string(step.expect_code);
    } else if (step.expect_session_present &&
               connected->session_present != *step.expect_session_present) {
      current_.failure = std::string{"CONNACK session present "} +
                         (connected->session_present ? "1" : "0") + ", expected " +
                         (*step.expect_session_present ? "1" : "0");
    } else {
      current_.done = true;
    }
    return;
  }
  lost_connection_while_waiting("CONNACK");
}

void ScenarioPlayer::check(const scenario::SubscribeStep& step) {
  const auto& events = current_.slot->client->events();
  for (std::size_t i = current_.events_from; i < events.size(); ++i) {
    const auto* subscribed = std::get_if<protocol::Subscribed>(&events[i]);
    if (!subscribed || subscribed->request != current_.request) continue;
    if (step.expect_codes && subscribed->reason_codes != *step.expect_codes) {
      std::string got;
      std::string expected;
      for (const std::uint8_t code : subscribed->reason_codes) got += " " + std::to_string(code);
      for (const std::uint8_t code : *step.expect_codes) expected += " " + std::to_string(code);
      current_.failure = "SUBACK codes [" + got.substr(got.empty() ? 0 : 1) + "], expected [" +
                         expected.substr(expected.empty() ? 0 : 1) + "]";
    } else {
      current_.done = true;
    }
    return;
  }
  lost_connection_while_waiting("SUBACK");
}

void ScenarioPlayer::check(const scenario::UnsubscribeStep&) {
  const auto& events = current_.slot->client->events();
  for (std::size_t i = current_.events_from; i < events.size(); ++i) {
    const auto* unsubscribed = std::get_if<protocol::Unsubscribed>(&events[i]);
    if (unsubscribed && unsubscribed->request == current_.request) {
      current_.done = true;
      return;
    }
  }
  lost_connection_while_waiting("UNSUBACK");
}

void ScenarioPlayer::check(const scenario::ExpectMessagesStep&) {
  ClientSlot& s = *current_.slot;
  InboxMatcher& matcher = *current_.matcher;
  const auto& inbox = s.client->inbox();
  while (matcher.state() == MatchState::open && s.inbox_consumed + matcher.fed() < inbox.size()) {
    matcher.feed(inbox[s.inbox_consumed + matcher.fed()]);
  }
  if (matcher.state() == MatchState::met) {
    s.inbox_consumed += matcher.fed();
    current_.done = true;
  } else if (matcher.state() == MatchState::broken) {
    current_.failure = s.client->name() + " did not get what was expected: " + matcher.explain();
  }
}

void ScenarioPlayer::check(const scenario::ExpectNoMessagesStep& step) {
  const auto& inbox = current_.slot->client->inbox();
  if (inbox.size() > current_.slot->inbox_consumed) {
    current_.failure = step.client + " should have no message, but at " + short_text(world_.now()) +
                       " this arrived: " + describe(inbox[current_.slot->inbox_consumed]);
  }
}

void ScenarioPlayer::check(const scenario::ExpectClosedStep& step) {
  const auto& ends = current_.slot->client->connection_ends();
  for (std::size_t i = current_.slot->ends_at_previous_step; i < ends.size(); ++i) {
    if (ends[i].requested) continue;  // the client's own doing
    if (step.reason_code && ends[i].server_reason != step.reason_code) continue;
    if (step.connack_code && ends[i].connack_code != step.connack_code) continue;
    current_.done = true;
    return;
  }
}

}  // namespace mqttsim::runner
