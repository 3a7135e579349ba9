// Inbound PUBLISH: topic aliases, the QoS 1/2 receiver side, retained
// messages, and routing a message to every matching session.

#include <algorithm>
#include <cassert>

#include "broker/broker.hpp"
#include "broker/connection.hpp"

namespace mqttsim::broker {

using codec::QoS;
using codec::ReasonCode;

void Broker::handle_publish(Connection& connection, codec::Publish&& publish, TimePoint now) {
  const ProtocolVersion version = connection.version;
  const bool v5 = version == ProtocolVersion::v5_0;

  if (v5) {
    // Topic alias (§3.3.2.3.4): 0 or above our maximum is an error; a topic
    // sets the mapping; an empty topic uses it.
    if (const auto alias = publish.properties.topic_alias) {
      if (*alias == 0 || *alias > profile_.topic_alias_maximum) {
        protocol_error(connection, ReasonCode::topic_alias_invalid, {version, "MQTT-3.3.2-9"},
                       "topic alias " + std::to_string(*alias) + " outside 1.." +
                           std::to_string(profile_.topic_alias_maximum),
                       now);
        return;
      }
      if (publish.topic.empty()) {
        const auto mapped = connection.topic_aliases.find(*alias);
        if (mapped == connection.topic_aliases.end()) {
          protocol_error(connection, ReasonCode::protocol_error, {version, "§3.3.4"},
                         "topic alias " + std::to_string(*alias) + " has no mapping yet", now);
          return;
        }
        publish.topic = mapped->second;
      } else {
        connection.topic_aliases.insert_or_assign(*alias, publish.topic);
      }
      publish.properties.topic_alias.reset();
    }
    if (!publish.properties.subscription_identifiers.empty()) {
      protocol_error(connection, ReasonCode::protocol_error, {version, "MQTT-3.3.4-6"},
                     "a client PUBLISH carries a Subscription Identifier", now);
      return;
    }
    if (static_cast<std::uint8_t>(publish.qos) > profile_.maximum_qos) {
      protocol_error(connection, ReasonCode::qos_not_supported, {version, "MQTT-3.2.2-11"},
                     "PUBLISH above the announced Maximum QoS", now);
      return;
    }
    if (publish.retain && !profile_.retain_available) {
      protocol_error(connection, ReasonCode::retain_not_supported, {version, "MQTT-3.2.2-14"},
                     "PUBLISH with RETAIN=1 after Retain Available=0", now);
      return;
    }
  }

  Session& publisher = session_of(connection);

  auto make_message = [&] {
    auto message = std::make_shared<Message>();
    message->topic = std::move(publish.topic);
    message->payload = std::move(publish.payload);
    message->qos = publish.qos;
    message->retain = publish.retain;
    message->publisher_client_id = connection.client_id;
    message->sequence = next_message_sequence_++;
    if (v5) {
      if (const auto expiry = publish.properties.message_expiry_interval) {
        message->expires_at = now + Duration::from_s(*expiry);
      }
      if (!publish.properties.empty()) {
        message->properties =
            std::make_shared<const codec::Properties>(std::move(publish.properties));
      }
    }
    return MessagePtr{std::move(message)};
  };

  switch (publish.qos) {
    case QoS::at_most_once:
      route(make_message(), now);
      return;
    case QoS::at_least_once: {
      // Own it, pass it on, then PUBACK (MQTT-4.3.2-2 / 5.0 MQTT-4.3.2-4).
      const std::uint16_t packet_id = publish.packet_id;
      route(make_message(), now);
      cite(version, "MQTT-4.3.2-2", "MQTT-4.3.2-4");
      send(connection, codec::Puback{.packet_id = packet_id});
      return;
    }
    case QoS::exactly_once: {
      const std::uint16_t packet_id = publish.packet_id;
      // A repeat of an id whose PUBREL has not come yet is the same message:
      // PUBREC again, never a second delivery (3.1.1 MQTT-4.3.3-2, 5.0
      // MQTT-4.3.3-10).
      if (!publisher.inbound_qos2.contains(packet_id)) {
        MessagePtr message = make_message();
        if (profile_.qos2_forwarding == Qos2Forwarding::on_publish) {
          route(message, now);
          message = nullptr;  // only the id needs remembering
        }
        publisher.inbound_qos2.emplace(packet_id, std::move(message));
        mark_dirty(publisher);
      } else {
        cite(version, "MQTT-4.3.3-2", "MQTT-4.3.3-10");
      }
      cite(version, "MQTT-4.3.3-2", "MQTT-4.3.3-8");
      send(connection, codec::Pubrec{.packet_id = packet_id});
      return;
    }
  }
}

void Broker::handle_pubrel(Connection& connection, const codec::Pubrel& pubrel, TimePoint now) {
  Session& publisher = session_of(connection);
  codec::Pubcomp pubcomp{.packet_id = pubrel.packet_id};
  const auto pending = publisher.inbound_qos2.find(pubrel.packet_id);
  if (pending != publisher.inbound_qos2.end()) {
    MessagePtr held = std::move(pending->second);
    publisher.inbound_qos2.erase(pending);
    mark_dirty(publisher);
    if (held) route(held, now);  // Qos2Forwarding::on_pubrel
  } else if (connection.version == ProtocolVersion::v5_0) {
    pubcomp.reason_code = ReasonCode::packet_identifier_not_found;
  }
  cite(connection.version, "MQTT-4.3.3-2", "MQTT-4.3.3-11");
  send(connection, pubcomp);
}

// The broker owns the message: into the session of every client with a
// matching subscription (3.1.1 and 5.0 MQTT-4.5.0-1), and into the retained
// store if it asked to be retained.
void Broker::route(const MessagePtr& message, TimePoint now) {
  if (message->retain) {
    switch (retained_.apply(message)) {
      case RetainedStore::Change::stored:
      case RetainedStore::Change::replaced:
        note(NoteKind::retained_stored, message->publisher_client_id, message->topic);
        break;
      case RetainedStore::Change::cleared:
        note(NoteKind::retained_cleared, message->publisher_client_id, message->topic);
        break;
      case RetainedStore::Change::nothing_to_clear:
        break;
    }
    if (persistent_) dirty_retained_.insert(message->topic);
  }

  const std::vector<FilterMatch> matches = subscriptions_.match(message->topic);
  // Matches come sorted by client id: take each client's run together, so
  // overlapping subscriptions can be merged into one copy if the profile says so.
  for (auto run = matches.begin(); run != matches.end();) {
    const auto run_end = std::find_if(run, matches.end(), [&](const FilterMatch& match) {
      return match.session != run->session;
    });
    // Delivering sends packets but never closes a connection or ends a
    // session, so the trie and every matched session stay as they are
    // through this loop.
    Session& session = *session_by_ordinal_[run->session];
    const bool v5 = session.version == ProtocolVersion::v5_0;

    std::vector<Delivery> copies;
    for (auto match = run; match != run_end; ++match) {
      const auto subscribed = session.subscriptions.find(match->filter);
      assert(subscribed != session.subscriptions.end());
      const SubscriptionOptions& options = subscribed->second;
      // No Local: not back to the connection that published it (5.0 MQTT-3.8.3-3).
      if (v5 && options.no_local && message->publisher_client_id == session.client_id) {
        cite(session.version, "", "MQTT-3.8.3-3");
        continue;
      }
      Delivery delivery{.message = message,
                        .qos = std::min(message->qos, options.granted_qos),
                        // Established subscription: RETAIN=0 (3.1.1 MQTT-3.3.1-9),
                        // or as published if asked (5.0 MQTT-3.3.1-12/-13).
                        .retain = v5 && options.retain_as_published && message->retain,
                        .subscription_identifiers = {}};
      if (options.subscription_identifier) {
        delivery.subscription_identifiers.push_back(*options.subscription_identifier);
      }
      copies.push_back(std::move(delivery));
    }
    if (copies.empty()) {
      run = run_end;
      continue;
    }
    if (!v5) cite(session.version, "MQTT-3.3.1-9", "");
    if (v5 && message->retain) {
      cite(session.version, "", copies.front().retain ? "MQTT-3.3.1-13" : "MQTT-3.3.1-12");
    }

    if (profile_.overlapping_subscriptions == OverlapDelivery::single_copy_max_qos &&
        copies.size() > 1) {
      // One copy at the highest granted QoS (3.1.1 MQTT-3.3.5-1, 5.0
      // MQTT-3.3.4-2) carrying every matching subscription identifier (5.0
      // MQTT-3.3.4-4). Its RETAIN flag is that of the highest-QoS copy.
      auto best =
          std::max_element(copies.begin(), copies.end(),
                           [](const Delivery& a, const Delivery& b) { return a.qos < b.qos; });
      Delivery merged = *best;
      merged.subscription_identifiers.clear();
      for (const Delivery& copy : copies) {
        merged.subscription_identifiers.insert(merged.subscription_identifiers.end(),
                                               copy.subscription_identifiers.begin(),
                                               copy.subscription_identifiers.end());
      }
      cite(session.version, "MQTT-3.3.5-1", "MQTT-3.3.4-2");
      if (!merged.subscription_identifiers.empty()) cite(session.version, "", "MQTT-3.3.4-4");
      copies.assign(1, std::move(merged));
    } else if (copies.size() > 1 && v5) {
      cite(session.version, "", "MQTT-3.3.4-5");
    }
    cite(session.version, "MQTT-4.5.0-1", "MQTT-4.5.0-1");
    for (Delivery& copy : copies) deliver(session, std::move(copy), now);
    run = run_end;
  }
}

}  // namespace mqttsim::broker
