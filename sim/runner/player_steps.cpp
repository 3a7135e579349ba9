// ScenarioPlayer: starting each kind of step. A step either finishes here
// (current_.done), sets a deadline, or waits for an answer that
// player_progress.cpp recognises.

#include "codec/print.hpp"
#include "runner/duration_text.hpp"
#include "runner/scenario_options.hpp"
#include "runner/scenario_player.hpp"

namespace mqttsim::runner {

namespace {

codec::Bytes to_bytes(const std::string& text) { return codec::Bytes(text.begin(), text.end()); }

std::string why_not_connected(const ClientPort& client) {
  const auto& ends = client.connection_ends();
  if (ends.empty()) return client.name() + " is not connected (no connection was opened)";
  return client.name() + " is not connected (its last connection ended at " +
         short_text(ends.back().at) + ": " + ends.back().why + ")";
}

}  // namespace

void ScenarioPlayer::wait_until(TimePoint deadline) {
  if (deadline <= world_.now()) {
    current_.done = true;
    return;
  }
  current_.deadline = deadline;
  current_.done_at_deadline = true;
}

void ScenarioPlayer::start(const scenario::ConnectStep& step) {
  ClientSlot& s = slot(step.client);
  current_.slot = &s;
  ClientPort& client = *s.client;
  // A connect on a connected client first gives up the old connection
  // without DISCONNECT (scenarios/README.md, "Time").
  client.abort_connection();
  if (const auto error = client.session().set_connect_options(client_options(*s.spec, step))) {
    current_.failure = "cannot prepare the CONNECT: " + std::string{protocol::to_string(*error)};
    return;
  }
  current_.events_from = client.events().size();
  current_.ends_from = client.connection_ends().size();
  if (const auto error = client.open_connection()) {
    current_.failure = "cannot open a connection: " + *error;
    return;
  }
  current_.deadline = world_.now() + reply_wait_max;
}

void ScenarioPlayer::start(const scenario::SubscribeStep& step) {
  ClientSlot& s = slot(step.client);
  current_.slot = &s;
  ClientPort& client = *s.client;
  if (!client.session().connected()) {
    current_.failure = "cannot subscribe: " + why_not_connected(client);
    return;
  }
  codec::Properties properties;
  if (step.subscription_identifier) {
    properties.subscription_identifiers.push_back(*step.subscription_identifier);
  }
  properties.user_properties = step.user_properties;
  current_.events_from = client.events().size();
  current_.ends_from = client.connection_ends().size();
  const auto request =
      client.session().subscribe(step.subscriptions, std::move(properties), client.session_now());
  client.pump();
  if (!request) {
    current_.failure =
        "the client refused to subscribe: " + std::string{protocol::to_string(request.error())};
    return;
  }
  current_.request = *request;
  current_.deadline = world_.now() + reply_wait_max;
}

void ScenarioPlayer::start(const scenario::UnsubscribeStep& step) {
  ClientSlot& s = slot(step.client);
  current_.slot = &s;
  ClientPort& client = *s.client;
  if (!client.session().connected()) {
    current_.failure = "cannot unsubscribe: " + why_not_connected(client);
    return;
  }
  codec::Properties properties;
  properties.user_properties = step.user_properties;
  current_.events_from = client.events().size();
  current_.ends_from = client.connection_ends().size();
  const auto request =
      client.session().unsubscribe(step.topic_filters, std::move(properties), client.session_now());
  client.pump();
  if (!request) {
    current_.failure =
        "the client refused to unsubscribe: " + std::string{protocol::to_string(request.error())};
    return;
  }
  current_.request = *request;
  current_.deadline = world_.now() + reply_wait_max;
}

void ScenarioPlayer::start(const scenario::PublishStep& step) {
  current_.slot = &slot(step.client);
  hand_over(step, step.first_number);
  if (step.count == 1 || step.interval == Duration::zero()) {
    for (std::uint32_t i = 1; i < step.count; ++i) hand_over(step, step.first_number + i);
    current_.done = !current_.failure;
    return;
  }
  // The rest of the burst at its interval, one message scheduling the next
  // (a burst of a million keeps one event pending, not a million); the step
  // is done when the last message is handed to the client.
  schedule_burst(step, current_.started, 1);
  wait_until(current_.started + step.interval * (step.count - 1));
}

void ScenarioPlayer::schedule_burst(const scenario::PublishStep& step, TimePoint started,
                                    std::uint32_t index) {
  world_.schedule(started + step.interval * index, [this, &step, started, index] {
    hand_over(step, step.first_number + index);
    if (index + 1 < step.count) schedule_burst(step, started, index + 1);
  });
}

void ScenarioPlayer::hand_over(const scenario::PublishStep& step, std::uint32_t number) {
  ClientPort& client = *slot(step.client).client;
  const std::string payload = scenario::expand_payload(step.payload, number);
  if (step.qos == codec::QoS::at_most_once && !client.session().connected()) {
    // A client library drops QoS 0 messages while offline (README, "Time").
    world_.note(client.name() + " is offline: QoS 0 message " + codec::quote(payload) + " is lost");
    return;
  }
  const auto queued = client.session().publish(step.topic, to_bytes(payload), step.qos, step.retain,
                                               step.properties, client.session_now());
  client.pump();
  if (!queued && !current_.failure) {
    current_.failure = "the client refused to publish " + codec::quote(payload) + ": " +
                       std::string{protocol::to_string(queued.error())};
  }
}

void ScenarioPlayer::start(const scenario::DisconnectStep& step) {
  ClientPort& client = *slot(step.client).client;
  if (!client.session().connected()) {
    world_.note("disconnect: " + why_not_connected(client) + "; nothing to do");
  } else {
    const auto reason = static_cast<codec::ReasonCode>(step.reason_code.value_or(0));
    client.session().disconnect(reason, step.session_expiry_s, client.session_now());
    client.pump();
  }
  current_.done = true;
}

void ScenarioPlayer::start(const scenario::DropStep& step) {
  world_.drop(*slot(step.client).client, step.client_notice_delay, step.broker_notice_delay);
  current_.done = true;
}

void ScenarioPlayer::start(const scenario::HalfOpenStep& step) {
  world_.half_open(*slot(step.client).client, step.noticed_by);
  current_.done = true;
}

void ScenarioPlayer::start(const scenario::CrashStep& step) {
  ClientSlot& s = slot(step.client);
  s.client->crash(client_options(*s.spec), step.broker_notice_delay);
  current_.done = true;
}

void ScenarioPlayer::start(const scenario::PartitionStep& step) {
  world_.partition(step.clients);
  current_.done = true;
}

void ScenarioPlayer::start(const scenario::HealStep& step) {
  world_.heal(step.clients);
  current_.done = true;
}

void ScenarioPlayer::start(const scenario::BrokerRestartStep& step) {
  if (auto error = world_.restart_broker(step.down_for,
                                         step.store == scenario::BrokerStore::volatile_memory)) {
    current_.failure = "cannot restart the broker: " + *error;
    return;
  }
  wait_until(current_.started + step.down_for);
}

void ScenarioPlayer::start(const scenario::WaitStep& step) {
  wait_until(current_.started + step.duration);
}

void ScenarioPlayer::start(const scenario::ExpectMessagesStep& step) {
  current_.slot = &slot(step.client);
  current_.matcher.emplace(expand(step.messages), step.order);
  current_.deadline = current_.started + step.within;
}

void ScenarioPlayer::start(const scenario::ExpectNoMessagesStep& step) {
  current_.slot = &slot(step.client);
  const auto& inbox = current_.slot->client->inbox();
  if (inbox.size() > current_.slot->inbox_consumed) {
    current_.failure = step.client + " should have no message, but one was waiting: " +
                       describe(inbox[current_.slot->inbox_consumed]);
    return;
  }
  wait_until(current_.started + step.within + world_.no_messages_margin());
}

void ScenarioPlayer::start(const scenario::ExpectClosedStep& step) {
  current_.slot = &slot(step.client);
  current_.deadline = current_.started + step.within;
}

void ScenarioPlayer::start(const scenario::FaultsStep& step) {
  world_.start_faults(step);
  current_.done = true;
}

void ScenarioPlayer::start(const scenario::SendRawStep& step) {
  ClientSlot& s = slot(step.client);
  if (const auto error = s.client->send_raw(step.bytes, step.new_connection)) {
    current_.failure = "cannot send the raw bytes: " + *error;
    return;
  }
  current_.done = true;
}

}  // namespace mqttsim::runner
