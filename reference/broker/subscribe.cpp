// SUBSCRIBE and UNSUBSCRIBE: granting, replacing, 5.0 subscription options,
// and the retained messages a subscription receives when it is made.

#include <algorithm>

#include "broker/broker.hpp"
#include "broker/connection.hpp"
#include "codec/topic.hpp"

namespace mqttsim::broker {

using codec::QoS;
using codec::ReasonCode;

namespace {

bool has_wildcard(std::string_view filter) {
  return filter.find_first_of("+#") != std::string_view::npos;
}

}  // namespace

void Broker::handle_subscribe(Connection& connection, codec::Subscribe&& subscribe, TimePoint now) {
  const ProtocolVersion version = connection.version;
  const bool v5 = version == ProtocolVersion::v5_0;
  Session& session = session_of(connection);

  const std::optional<std::uint32_t> subscription_identifier =
      subscribe.properties.subscription_identifiers.empty()
          ? std::nullopt
          : std::optional{subscribe.properties.subscription_identifiers.front()};
  if (v5 && subscription_identifier && !profile_.subscription_identifiers_available) {
    protocol_error(connection, ReasonCode::subscription_identifiers_not_supported,
                   {version, "§3.8.2.1.2"}, "subscription identifiers are not supported", now);
    return;
  }

  // Each filter as if it were its own SUBSCRIBE, answered together
  // (3.1.1 MQTT-3.8.4-4, 5.0 MQTT-3.8.4-5), codes in order (MQTT-3.9.3-1).
  codec::Suback suback{.packet_id = subscribe.packet_id, .properties = {}, .reason_codes = {}};
  struct RetainedDue {
    MessagePtr message;
    SubscriptionOptions options;
  };
  std::vector<RetainedDue> retained_due;

  for (const codec::Subscription& request : subscribe.subscriptions) {
    if (v5 && codec::is_shared_subscription(request.topic_filter)) {
      if (request.no_local) {
        // 5.0 MQTT-3.8.3-4: No Local on a shared subscription is a protocol error.
        protocol_error(connection, ReasonCode::protocol_error, {version, "MQTT-3.8.3-4"},
                       "No Local on a shared subscription", now);
        return;
      }
      suback.reason_codes.push_back(
          static_cast<std::uint8_t>(ReasonCode::shared_subscriptions_not_supported));
      continue;
    }
    if (!profile_.wildcard_subscription_available && has_wildcard(request.topic_filter)) {
      cite(version, "MQTT-3.8.3-2", "");
      suback.reason_codes.push_back(
          v5 ? static_cast<std::uint8_t>(ReasonCode::wildcard_subscriptions_not_supported) : 0x80);
      continue;
    }

    const QoS granted = std::min(request.max_qos, static_cast<QoS>(profile_.maximum_qos));
    SubscriptionOptions options{
        .granted_qos = granted,
        .no_local = v5 && request.no_local,
        .retain_as_published = v5 && request.retain_as_published,
        .retain_handling = v5 ? request.retain_handling : std::uint8_t{0},
        .subscription_identifier = v5 ? subscription_identifier : std::nullopt};
    const auto existing = session.subscriptions.find(request.topic_filter);
    const bool is_new = existing == session.subscriptions.end();
    if (is_new) {
      session.subscriptions.emplace(request.topic_filter, options);
      subscriptions_.insert(request.topic_filter, session.client_id, session.ordinal);
    } else {
      // Replaces the old one; what is queued or in flight stays (3.1.1
      // MQTT-3.8.4-3, 5.0 MQTT-3.8.4-3/-4).
      cite(version, "MQTT-3.8.4-3", "MQTT-3.8.4-3");
      existing->second = options;
    }
    suback.reason_codes.push_back(static_cast<std::uint8_t>(granted));
    cite(version, "MQTT-3.8.4-5", "MQTT-3.8.4-7");

    // Retained messages when the subscription is made: 3.1.1 always, new or
    // replaced (MQTT-3.3.1-6, MQTT-3.8.4-3); 5.0 per Retain Handling
    // (MQTT-3.3.1-9/-10/-11).
    bool send_retained = true;
    if (v5) {
      send_retained = options.retain_handling == 0 || (options.retain_handling == 1 && is_new);
      cite(version, "",
           options.retain_handling == 0   ? "MQTT-3.3.1-9"
           : options.retain_handling == 1 ? "MQTT-3.3.1-10"
                                          : "MQTT-3.3.1-11");
    } else {
      cite(version, "MQTT-3.3.1-6", "");
    }
    if (send_retained) {
      for (MessagePtr& message : retained_.matching(request.topic_filter, now)) {
        retained_due.push_back({std::move(message), options});
      }
    }
  }
  mark_dirty(session);

  cite(version, "MQTT-3.8.4-1", "MQTT-3.8.4-1");
  cite(version, "MQTT-2.3.1-7", "MQTT-2.2.1-6");
  send(connection, suback);

  // After the SUBACK, each with RETAIN=1 (3.1.1 MQTT-3.3.1-8; 5.0 §3.3.1.3),
  // at min(retained QoS, granted QoS).
  for (RetainedDue& due : retained_due) {
    cite(version, "MQTT-3.3.1-8", "");
    const QoS qos = std::min(due.message->qos, due.options.granted_qos);
    Delivery delivery{.message = std::move(due.message),
                      .qos = qos,
                      .retain = true,
                      .subscription_identifiers = {}};
    if (due.options.subscription_identifier) {
      delivery.subscription_identifiers.push_back(*due.options.subscription_identifier);
    }
    deliver(session, std::move(delivery), now);
  }
}

void Broker::handle_unsubscribe(Connection& connection, const codec::Unsubscribe& unsubscribe) {
  const ProtocolVersion version = connection.version;
  Session& session = session_of(connection);
  codec::Unsuback unsuback{
      .packet_id = unsubscribe.packet_id, .properties = {}, .reason_codes = {}};
  for (const std::string& filter : unsubscribe.topic_filters) {
    // Compared character by character, wildcards literally (MQTT-3.10.4-1).
    // Messages already queued or in flight are still delivered (MQTT-3.10.4-3).
    const bool removed = session.subscriptions.erase(filter) > 0;
    if (removed) {
      subscriptions_.erase(filter, session.client_id);
      cite(version, "MQTT-3.10.4-2", "MQTT-3.10.4-2");
    }
    unsuback.reason_codes.push_back(removed ? ReasonCode::success
                                            : ReasonCode::no_subscription_existed);
  }
  mark_dirty(session);
  cite(version, "MQTT-3.10.4-4", "MQTT-3.10.4-4");
  cite(version, "MQTT-3.10.4-5", "MQTT-3.10.4-5");
  send(connection, unsuback);
}

}  // namespace mqttsim::broker
