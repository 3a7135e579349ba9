// ClientSession: packets from the server. Each handler checks what a client
// can see of the server's obligations and reports a ProtocolViolation with
// the normative id; it closes the connection only where the standards
// require it or where carrying on would make no sense.

#include <algorithm>
#include <string>
#include <utility>

#include "protocol/client_session.hpp"

namespace mqttsim::protocol {

using namespace mqttsim::codec;

namespace {

std::string id_text(std::uint16_t packet_id) { return std::to_string(packet_id); }

}  // namespace

void ClientSession::dispatch(Packet&& packet, TimePoint now) {
  const PacketType type = type_of(packet);
  if (state_ == ConnectionState::awaiting_connack && type != PacketType::connack) {
    // CONNACK comes first (MQTT-3.2.0-1 in both versions; 5.0 allows AUTH,
    // which this client does not use).
    violation(cite("MQTT-3.2.0-1", "MQTT-3.2.0-1"),
              std::string{to_string(type)} + " before CONNACK", true);
    return;
  }
  switch (type) {
    case PacketType::connack:
      return on_connack(std::get<Connack>(packet), now);
    case PacketType::publish:
      return on_publish(std::get<Publish>(std::move(packet)), now);
    case PacketType::puback:
      return on_puback(std::get<Puback>(packet), now);
    case PacketType::pubrec:
      return on_pubrec(std::get<Pubrec>(packet), now);
    case PacketType::pubrel:
      return on_pubrel(std::get<Pubrel>(packet), now);
    case PacketType::pubcomp:
      return on_pubcomp(std::get<Pubcomp>(packet), now);
    case PacketType::suback:
      return on_suback(std::get<Suback>(std::move(packet)));
    case PacketType::unsuback:
      return on_unsuback(std::get<Unsuback>(std::move(packet)));
    case PacketType::pingresp:
      ping_sent_at_.reset();
      actions_.push_back(PingAnswered{});
      return;
    case PacketType::disconnect:
      if (options_.version == ProtocolVersion::v5_0) {
        return on_disconnect(std::get<Disconnect>(std::move(packet)));
      }
      break;  // 3.1.1: DISCONNECT goes from client to server only (§3.14)
    case PacketType::auth:
      // Enhanced authentication was not requested, so AUTH is a Protocol
      // Error (5.0 §4.12: a server may send AUTH only to a client that set
      // an Authentication Method).
      violation(SpecRef{ProtocolVersion::v5_0, "§4.12"}, "AUTH without an Authentication Method",
                true);
      return;
    case PacketType::connect:
    case PacketType::subscribe:
    case PacketType::unsubscribe:
    case PacketType::pingreq:
      break;
  }
  // A packet only a client may send: a protocol violation that ends the
  // connection (3.1.1 MQTT-4.8.0-1; 5.0 §4.13 Protocol Error).
  violation(cite("MQTT-4.8.0-1", "§4.13"),
            "the server sent " + std::string{to_string(type)} + ", a client-to-server packet",
            true);
}

void ClientSession::on_connack(const Connack& connack, TimePoint now) {
  if (state_ == ConnectionState::connected) {
    violation(cite("§3.2", "MQTT-3.2.0-2"), "a second CONNACK on one connection", true);
    return;
  }
  if (connack.code != 0) {
    if (connack.session_present) {
      // Reported, not acted on: the connection is refused anyway.
      violation(cite("MQTT-3.2.2-4", "MQTT-3.2.2-6"),
                "CONNACK refuses the connection with Session Present 1", false);
    }
    actions_.push_back(Connected{.session_present = connack.session_present,
                                 .code = connack.code,
                                 .properties = connack.properties});
    // The server closes after a refusal (3.1.1 MQTT-3.2.2-5, 5.0
    // MQTT-3.2.2-7); so does the client.
    close_connection(CloseReason::connack_refused,
                     "CONNACK code 0x" + std::to_string(static_cast<unsigned>(connack.code)));
    return;
  }
  if (connack.session_present && options_.clean_start) {
    // The server kept a session we asked it to discard (3.1.1 MQTT-3.2.2-1,
    // 5.0 MQTT-3.2.2-2); a client without session state must close on
    // Session Present 1 (5.0 MQTT-3.2.2-4).
    violation(cite("MQTT-3.2.2-1", "MQTT-3.2.2-2"), "Session Present 1 in answer to a clean start",
              true);
    return;
  }
  // With Clean Start 0 the client always counts as holding session state,
  // if only an empty one (a crashed client that lost it), so Session Present
  // 1 is accepted: 5.0 MQTT-3.2.2-4 binds only a client that asked for a
  // clean start, and what the server then resends is handled as it comes
  // (a PUBREL for an unknown id still gets its PUBCOMP).
  enter_connected(connack, now);
}

void ClientSession::on_publish(Publish&& publish, TimePoint now) {
  if (const auto alias = publish.properties.topic_alias) {
    // Aliases 1 to the maximum we announced (5.0 MQTT-3.3.2-10/-11).
    if (*alias == 0 || *alias > options_.topic_alias_maximum) {
      violation(SpecRef{ProtocolVersion::v5_0, "MQTT-3.3.2-11"},
                "PUBLISH with Topic Alias " + std::to_string(*alias) +
                    " above the client's Topic Alias Maximum " +
                    std::to_string(options_.topic_alias_maximum),
                true, ReasonCode::topic_alias_invalid);
      return;
    }
    if (!publish.topic.empty()) {
      inbound_aliases_[*alias] = publish.topic;
    } else if (const auto mapped = inbound_aliases_.find(*alias);
               mapped != inbound_aliases_.end()) {
      publish.topic = mapped->second;
    } else {
      violation(SpecRef{ProtocolVersion::v5_0, "MQTT-3.3.2-7"},
                "PUBLISH with Topic Alias " + std::to_string(*alias) +
                    " and no topic before this connection mapped the alias",
                true, ReasonCode::protocol_error);
      return;
    }
    publish.properties.topic_alias.reset();
  }
  const std::uint16_t packet_id = publish.packet_id;
  const QoS qos = publish.qos;
  if (qos == QoS::exactly_once && inbound_qos2_.contains(packet_id)) {
    // A repeat before PUBREL: PUBREC again, no second delivery (3.1.1
    // MQTT-4.3.3-2, 5.0 MQTT-4.3.3-10).
    send(Pubrec{.packet_id = packet_id}, now);
    return;
  }
  if (qos == QoS::exactly_once && options_.version == ProtocolVersion::v5_0 &&
      inbound_qos2_.size() >= options_.receive_maximum) {
    // More unacknowledged QoS 2 messages than our Receive Maximum (5.0
    // MQTT-3.3.4-9); QoS 1 is acknowledged at once, so it never counts.
    violation(SpecRef{ProtocolVersion::v5_0, "MQTT-3.3.4-9"},
              "the server exceeded the client's Receive Maximum", true,
              ReasonCode::receive_maximum_exceeded);
    return;
  }
  actions_.push_back(Delivered{.sequence = next_delivery_sequence_++,
                               .topic = std::move(publish.topic),
                               .payload = std::move(publish.payload),
                               .qos = qos,
                               .retain = publish.retain,
                               .dup = publish.dup,
                               .packet_id = packet_id,
                               .properties = std::move(publish.properties)});
  // Answered at once, so acknowledgements go out in arrival order (MQTT-4.6.0-2/-3).
  if (qos == QoS::at_least_once) send(Puback{.packet_id = packet_id}, now);
  if (qos == QoS::exactly_once) {
    inbound_qos2_.insert(packet_id);
    send(Pubrec{.packet_id = packet_id}, now);
  }
}

void ClientSession::on_puback(const Puback& puback, TimePoint now) {
  const auto it = std::find_if(awaiting_ack_.begin(), awaiting_ack_.end(), [&](const Outbound& o) {
    return o.publish.packet_id == puback.packet_id && o.publish.qos == QoS::at_least_once;
  });
  if (it == awaiting_ack_.end()) {
    violation(cite("MQTT-2.3.1-6", "MQTT-2.2.1-5"),
              "PUBACK for packet id " + id_text(puback.packet_id) + ", no QoS 1 PUBLISH in flight",
              false);
    return;
  }
  const bool failed = static_cast<std::uint8_t>(puback.reason_code) >= 0x80;
  actions_.push_back(
      Published{.message = it->message,
                .qos = QoS::at_least_once,
                .packet_id = puback.packet_id,
                .outcome = failed ? PublishOutcome::rejected : PublishOutcome::acknowledged,
                .reason = puback.reason_code});
  awaiting_ack_.erase(it);
  release_packet_id(puback.packet_id);
  flush_queue(now);  // the send quota grew (5.0 §4.9)
}

void ClientSession::on_pubrec(const Pubrec& pubrec, TimePoint now) {
  const auto it = std::find_if(awaiting_ack_.begin(), awaiting_ack_.end(), [&](const Outbound& o) {
    return o.publish.packet_id == pubrec.packet_id && o.publish.qos == QoS::exactly_once;
  });
  if (it == awaiting_ack_.end()) {
    const bool releasing =
        std::any_of(awaiting_pubcomp_.begin(), awaiting_pubcomp_.end(),
                    [&](const Releasing& r) { return r.packet_id == pubrec.packet_id; });
    if (releasing) {
      // A repeated PUBREC (the server did not see our PUBREL): answer again.
      send(Pubrel{.packet_id = pubrec.packet_id}, now);
      return;
    }
    violation(cite("MQTT-2.3.1-6", "MQTT-2.2.1-5"),
              "PUBREC for packet id " + id_text(pubrec.packet_id) + ", no QoS 2 PUBLISH in flight",
              false);
    return;
  }
  const MessageId message = it->message;
  awaiting_ack_.erase(it);
  if (static_cast<std::uint8_t>(pubrec.reason_code) >= 0x80) {
    // 5.0: an error PUBREC ends the exchange (MQTT-4.3.3-4 sends PUBREL only
    // below 0x80) and frees the id and the quota.
    actions_.push_back(Published{.message = message,
                                 .qos = QoS::exactly_once,
                                 .packet_id = pubrec.packet_id,
                                 .outcome = PublishOutcome::rejected,
                                 .reason = pubrec.reason_code});
    release_packet_id(pubrec.packet_id);
    flush_queue(now);
    return;
  }
  // PUBRELs go out in PUBREC order and are owed until PUBCOMP (MQTT-4.6.0-4).
  awaiting_pubcomp_.push_back(Releasing{.message = message, .packet_id = pubrec.packet_id});
  send(Pubrel{.packet_id = pubrec.packet_id}, now);
}

void ClientSession::on_pubrel(const Pubrel& pubrel, TimePoint now) {
  // An unknown id is not a violation: a client that lost its state (a crash)
  // still owes PUBCOMP; 5.0 says which case it was.
  const bool known = inbound_qos2_.erase(pubrel.packet_id) > 0;
  send(Pubcomp{.packet_id = pubrel.packet_id,
               .reason_code = known ? ReasonCode::success : ReasonCode::packet_identifier_not_found,
               .properties = {}},
       now);
}

void ClientSession::on_pubcomp(const Pubcomp& pubcomp, TimePoint now) {
  const auto it =
      std::find_if(awaiting_pubcomp_.begin(), awaiting_pubcomp_.end(),
                   [&](const Releasing& r) { return r.packet_id == pubcomp.packet_id; });
  if (it == awaiting_pubcomp_.end()) {
    violation(cite("MQTT-2.3.1-6", "MQTT-2.2.1-5"),
              "PUBCOMP for packet id " + id_text(pubcomp.packet_id) + ", no PUBREL outstanding",
              false);
    return;
  }
  const bool failed = static_cast<std::uint8_t>(pubcomp.reason_code) >= 0x80;
  actions_.push_back(
      Published{.message = it->message,
                .qos = QoS::exactly_once,
                .packet_id = pubcomp.packet_id,
                .outcome = failed ? PublishOutcome::rejected : PublishOutcome::acknowledged,
                .reason = pubcomp.reason_code});
  awaiting_pubcomp_.erase(it);
  release_packet_id(pubcomp.packet_id);
  flush_queue(now);
}

void ClientSession::on_suback(Suback&& suback) {
  const auto it = requests_.find(suback.packet_id);
  const auto use = ids_in_use_.find(suback.packet_id);
  if (it == requests_.end() || use == ids_in_use_.end() || use->second != IdUse::subscribe) {
    violation(cite("MQTT-3.8.4-2", "MQTT-2.2.1-6"),
              "SUBACK for packet id " + id_text(suback.packet_id) + ", no SUBSCRIBE outstanding",
              false);
    return;
  }
  if (suback.reason_codes.size() != it->second.filter_count) {
    violation(cite("MQTT-3.8.4-5", "MQTT-3.9.3-2"),
              "SUBACK has " + std::to_string(suback.reason_codes.size()) + " codes for " +
                  std::to_string(it->second.filter_count) + " topic filters",
              false);
  }
  actions_.push_back(Subscribed{.request = it->second.request,
                                .packet_id = suback.packet_id,
                                .reason_codes = std::move(suback.reason_codes),
                                .properties = std::move(suback.properties)});
  requests_.erase(it);
  release_packet_id(suback.packet_id);
}

void ClientSession::on_unsuback(Unsuback&& unsuback) {
  const auto it = requests_.find(unsuback.packet_id);
  const auto use = ids_in_use_.find(unsuback.packet_id);
  if (it == requests_.end() || use == ids_in_use_.end() || use->second != IdUse::unsubscribe) {
    violation(
        cite("MQTT-3.10.4-4", "MQTT-2.2.1-6"),
        "UNSUBACK for packet id " + id_text(unsuback.packet_id) + ", no UNSUBSCRIBE outstanding",
        false);
    return;
  }
  if (options_.version == ProtocolVersion::v5_0 &&
      unsuback.reason_codes.size() != it->second.filter_count) {
    violation(SpecRef{ProtocolVersion::v5_0, "MQTT-3.11.3-2"},
              "UNSUBACK has " + std::to_string(unsuback.reason_codes.size()) + " codes for " +
                  std::to_string(it->second.filter_count) + " topic filters",
              false);
  }
  actions_.push_back(Unsubscribed{.request = it->second.request,
                                  .packet_id = unsuback.packet_id,
                                  .reason_codes = std::move(unsuback.reason_codes),
                                  .properties = std::move(unsuback.properties)});
  requests_.erase(it);
  release_packet_id(unsuback.packet_id);
}

void ClientSession::on_disconnect(Disconnect&& disconnect) {
  if (disconnect.properties.session_expiry_interval) {
    violation(SpecRef{ProtocolVersion::v5_0, "MQTT-3.14.2-2"},
              "the server's DISCONNECT carries a Session Expiry Interval", false);
  }
  const ReasonCode reason = disconnect.reason_code;
  actions_.push_back(
      ServerDisconnected{.reason = reason, .properties = std::move(disconnect.properties)});
  close_connection(CloseReason::server_disconnected,
                   "DISCONNECT " + std::string{to_string(reason)});
}

}  // namespace mqttsim::protocol
