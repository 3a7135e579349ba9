// ClientSession: construction, the driver inputs, the application calls and
// every connection state transition. Packets from the server are handled in
// client_inbound.cpp; the publish queue, window and resend in
// client_outbound.cpp.

#include "protocol/client_session.hpp"

#include <algorithm>
#include <utility>

namespace mqttsim::protocol {

using namespace mqttsim::codec;

ClientSession::ClientSession(ClientOptions options) : options_{std::move(options)} {}

std::optional<ClientError> ClientSession::set_connect_options(const ClientOptions& options) {
  if (state_ != ConnectionState::offline) return ClientError::already_connected;
  options_.clean_start = options.clean_start;
  options_.keep_alive_s = options.keep_alive_s;
  options_.session_expiry_interval_s = options.session_expiry_interval_s;
  options_.will = options.will;
  options_.username = options.username;
  options_.password = options.password;
  options_.receive_maximum = options.receive_maximum;
  options_.maximum_packet_size_bytes = options.maximum_packet_size_bytes;
  options_.topic_alias_maximum = options.topic_alias_maximum;
  options_.connect_properties = options.connect_properties;
  return std::nullopt;
}

codec::Connect ClientSession::connect_packet() const {
  Connect connect;
  connect.version = options_.version;
  connect.clean_start = options_.clean_start;
  connect.keep_alive_s = options_.keep_alive_s;
  connect.client_id = options_.client_id;
  connect.will = options_.will;
  connect.username = options_.username;
  connect.password = options_.password;
  if (options_.version == ProtocolVersion::v5_0) {
    connect.properties = options_.connect_properties;
    connect.properties.topic_alias_maximum.reset();
    if (options_.topic_alias_maximum != 0) {
      connect.properties.topic_alias_maximum = options_.topic_alias_maximum;
    }
    connect.properties.session_expiry_interval = options_.session_expiry_interval_s;
    connect.properties.receive_maximum.reset();
    if (options_.receive_maximum != 65'535) {
      connect.properties.receive_maximum = options_.receive_maximum;
    }
    connect.properties.maximum_packet_size.reset();
    if (options_.maximum_packet_size_bytes != 0) {
      connect.properties.maximum_packet_size = options_.maximum_packet_size_bytes;
    }
  }
  return connect;
}

bool ClientSession::has_session_state() const {
  return !ids_in_use_.empty() || !inbound_qos2_.empty() || had_session_;
}

SpecRef ClientSession::cite(std::string_view id_v311, std::string_view id_v5) const {
  return options_.version == ProtocolVersion::v5_0 ? SpecRef{ProtocolVersion::v5_0, id_v5}
                                                   : SpecRef{ProtocolVersion::v3_1_1, id_v311};
}

// --- driver inputs ---

std::optional<ClientError> ClientSession::connection_opened(TimePoint now) {
  if (state_ != ConnectionState::offline) return ClientError::already_connected;
  // Clean start: the client discards its session too (3.1.1 MQTT-3.1.2-6,
  // 5.0 MQTT-3.1.2-4), before the server can answer.
  if (options_.clean_start) discard_session_state();
  const std::uint32_t max_packet = options_.maximum_packet_size_bytes != 0
                                       ? options_.maximum_packet_size_bytes
                                       : protocol_max_packet_size_bytes;
  reader_.emplace(PacketReader::for_client(options_.version, max_packet));
  state_ = ConnectionState::awaiting_connack;
  keep_alive_s_ = options_.keep_alive_s;
  ping_sent_at_.reset();
  connack_properties_ = {};
  // Topic Alias mappings live as long as one connection (5.0 MQTT-3.3.2-7).
  inbound_aliases_.clear();
  outbound_aliases_.clear();
  connect_sent_at_ = now;
  send(connect_packet(), now);  // the first packet on a connection (MQTT-3.1.0-1)
  return std::nullopt;
}

void ClientSession::on_bytes(ByteView bytes, TimePoint now) {
  if (state_ == ConnectionState::offline || !reader_) return;  // after our Close: ignored
  reader_->feed(bytes);
  // Each round consumes a whole packet of `bytes`, so the loop is bounded by
  // the input; it stops at the first error or when the session closes.
  for (auto result = reader_->next(); !result.need_more(); result = reader_->next()) {
    if (result.has_error()) {
      const DecodeError& error = result.error().error;
      // A malformed packet ends the connection (3.1.1 MQTT-4.8.0-1; 5.0
      // §4.13, where the client may first send DISCONNECT with the reason).
      actions_.push_back(
          ProtocolViolation{.spec = error.spec, .message = to_string(error), .closed = true});
      end_connection(CloseReason::malformed_packet, error.reason, to_string(error));
      return;
    }
    dispatch(std::move(result.item().packet), now);
    if (state_ == ConnectionState::offline) return;
  }
}

void ClientSession::connection_closed(TimePoint) {
  if (state_ == ConnectionState::offline) return;
  state_ = ConnectionState::offline;
  reader_.reset();
  ping_sent_at_.reset();
  // SUBSCRIBE and UNSUBSCRIBE are not resent on reconnect (only PUBLISH and
  // PUBREL are, MQTT-4.4.0-1): their ids are free again.
  for (const auto& [packet_id, request] : requests_) ids_in_use_.erase(packet_id);
  requests_.clear();
}

std::optional<TimePoint> ClientSession::next_deadline() const {
  if (state_ == ConnectionState::offline || keep_alive_s_ == 0) return std::nullopt;
  const Duration keep_alive = Duration::from_s(keep_alive_s_);
  // Waiting for CONNACK or PINGRESP, the client gives up after one keep-alive
  // period (3.1.1 §3.1.2.10 / 5.0 §3.1.2.10 leave "a reasonable amount of
  // time" to the client).
  if (state_ == ConnectionState::awaiting_connack) return connect_sent_at_ + keep_alive;
  if (ping_sent_at_) return *ping_sent_at_ + keep_alive;
  // Nothing sent for a keep-alive period: PINGREQ (3.1.1 MQTT-3.1.2-23, 5.0
  // MQTT-3.1.2-20).
  return last_sent_at_ + keep_alive;
}

void ClientSession::on_timer(TimePoint now) {
  const auto deadline = next_deadline();
  if (!deadline || *deadline > now) return;
  if (state_ == ConnectionState::awaiting_connack) {
    close_connection(CloseReason::connack_timeout, "no CONNACK within keep-alive");
  } else if (ping_sent_at_) {
    close_connection(CloseReason::keep_alive_timeout, "no PINGRESP within keep-alive");
  } else {
    ping_sent_at_ = now;
    send(Pingreq{}, now);
  }
}

// --- application calls ---

Expected<MessageId, ClientError> ClientSession::publish(std::string topic, Bytes payload, QoS qos,
                                                        bool retain, Properties properties,
                                                        TimePoint now) {
  if (queue_.size() >= options_.max_queued_publishes) return Unexpected{ClientError::queue_full};
  Publish publish{.dup = false,
                  .qos = qos,
                  .retain = retain,
                  .topic = std::move(topic),
                  .packet_id = qos == QoS::at_most_once ? std::uint16_t{0} : std::uint16_t{1},
                  .properties = std::move(properties),
                  .payload = std::move(payload)};
  if (validate(publish, options_.version)) return Unexpected{ClientError::invalid_packet};
  publish.packet_id = 0;  // assigned when sent
  if (connected()) {
    // Refused now while the limits are known; a publish queued offline is
    // checked against the next CONNACK instead (flush_queue).
    if (const auto refusal = beyond_connack_limits(publish)) {
      return Unexpected{*refusal == ReasonCode::qos_not_supported
                            ? ClientError::qos_not_supported
                            : ClientError::retain_not_supported};
    }
  }
  const MessageId message = next_message_++;
  queue_.push_back(Pending{.message = message, .publish = std::move(publish)});
  if (connected()) flush_queue(now);
  return message;
}

Expected<RequestId, ClientError> ClientSession::subscribe(std::vector<Subscription> subscriptions,
                                                          Properties properties, TimePoint now) {
  if (!connected()) return Unexpected{ClientError::not_connected};
  Subscribe packet{.packet_id = 1,
                   .properties = std::move(properties),
                   .subscriptions = std::move(subscriptions)};
  if (validate(packet, options_.version)) return Unexpected{ClientError::invalid_packet};
  const auto packet_id = allocate_packet_id(IdUse::subscribe);
  if (!packet_id) return Unexpected{ClientError::no_packet_id};
  packet.packet_id = *packet_id;
  const RequestId request = next_request_++;
  requests_[*packet_id] = {.request = request, .filter_count = packet.subscriptions.size()};
  send(packet, now);
  return request;
}

Expected<RequestId, ClientError> ClientSession::unsubscribe(std::vector<std::string> topic_filters,
                                                            Properties properties, TimePoint now) {
  if (!connected()) return Unexpected{ClientError::not_connected};
  Unsubscribe packet{.packet_id = 1,
                     .properties = std::move(properties),
                     .topic_filters = std::move(topic_filters)};
  if (validate(packet, options_.version)) return Unexpected{ClientError::invalid_packet};
  const auto packet_id = allocate_packet_id(IdUse::unsubscribe);
  if (!packet_id) return Unexpected{ClientError::no_packet_id};
  packet.packet_id = *packet_id;
  const RequestId request = next_request_++;
  requests_[*packet_id] = {.request = request, .filter_count = packet.topic_filters.size()};
  send(packet, now);
  return request;
}

void ClientSession::disconnect(ReasonCode reason, std::optional<std::uint32_t> session_expiry_s,
                               TimePoint now) {
  if (state_ == ConnectionState::offline) return;
  Disconnect packet{.reason_code = reason, .properties = {}};
  packet.properties.session_expiry_interval = session_expiry_s;
  send(packet, now);
  // The sender of DISCONNECT sends nothing more and closes (5.0
  // MQTT-3.14.4-1/-2; 3.1.1 MQTT-3.14.4-1/-2).
  close_connection(CloseReason::client_disconnected, "DISCONNECT sent");
}

std::optional<ClientError> ClientSession::ping(TimePoint now) {
  if (!connected()) return ClientError::not_connected;
  if (!ping_sent_at_) {
    ping_sent_at_ = now;
    send(Pingreq{}, now);
  }
  return std::nullopt;
}

// --- transitions ---

void ClientSession::enter_connected(const Connack& connack, TimePoint now) {
  state_ = ConnectionState::connected;
  connack_properties_ = connack.properties;
  // 5.0 MQTT-3.2.2-21: the Server Keep Alive replaces ours.
  if (connack.properties.server_keep_alive) keep_alive_s_ = *connack.properties.server_keep_alive;
  if (!connack.session_present) {
    // The server holds no session for us: ours is discarded too (5.0
    // MQTT-3.2.2-5; in 3.1.1 the ids in flight would mean nothing to it).
    discard_session_state();
  }
  had_session_ = true;
  actions_.push_back(Connected{.session_present = connack.session_present,
                               .code = connack.code,
                               .properties = connack.properties});
  if (connack.session_present) resend_inflight(now);  // MQTT-4.4.0-1, both versions
  flush_queue(now);
}

void ClientSession::close_connection(CloseReason reason, std::string detail) {
  if (state_ == ConnectionState::offline) return;
  actions_.push_back(Close{.reason = reason, .detail = std::move(detail)});
  connection_closed(TimePoint{});
}

void ClientSession::violation(SpecRef spec, std::string message, bool close,
                              ReasonCode disconnect_reason) {
  actions_.push_back(ProtocolViolation{.spec = spec, .message = message, .closed = close});
  if (close) end_connection(CloseReason::protocol_violation, disconnect_reason, std::move(message));
}

void ClientSession::end_connection(CloseReason why, ReasonCode disconnect_reason,
                                   std::string detail) {
  // 5.0 §4.13: before closing, the client may tell the server why with
  // DISCONNECT; only once connected (before CONNACK, CONNACK is the only
  // way to refuse, MQTT-3.14.0-1 in the other direction).
  if (options_.version == ProtocolVersion::v5_0 && state_ == ConnectionState::connected) {
    Disconnect packet{.reason_code = disconnect_reason, .properties = {}};
    actions_.push_back(
        SendBytes{.type = PacketType::disconnect, .bytes = encode(packet, options_.version)});
  }
  close_connection(why, std::move(detail));
}

void ClientSession::discard_session_state() {
  // In-flight messages end here; the application learns which.
  for (const Outbound& outbound : awaiting_ack_) {
    actions_.push_back(Published{.message = outbound.message,
                                 .qos = outbound.publish.qos,
                                 .packet_id = outbound.publish.packet_id,
                                 .outcome = PublishOutcome::session_lost});
  }
  for (const Releasing& releasing : awaiting_pubcomp_) {
    actions_.push_back(Published{.message = releasing.message,
                                 .qos = QoS::exactly_once,
                                 .packet_id = releasing.packet_id,
                                 .outcome = PublishOutcome::session_lost});
  }
  awaiting_ack_.clear();
  awaiting_pubcomp_.clear();
  inbound_qos2_.clear();
  // Ids of requests on the current connection stay in use until answered.
  std::erase_if(ids_in_use_,
                [this](const auto& entry) { return !requests_.contains(entry.first); });
  had_session_ = false;
}

}  // namespace mqttsim::protocol
