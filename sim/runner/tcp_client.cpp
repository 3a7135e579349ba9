#include "runner/tcp_client.hpp"

#include "codec/print.hpp"

namespace mqttsim::runner {

TcpClient::TcpClient(TcpClientContext& context, std::string name, protocol::ClientOptions options,
                     transport::LinkShape shape, kernel::Rng rng)
    : context_{context},
      name_{std::move(name)},
      shape_{shape},
      rng_{rng},
      session_{std::move(options)} {}

TcpClient::~TcpClient() {
  if (timer_) context_.loop.cancel(*timer_);
  if (settle_timer_) context_.loop.cancel(*settle_timer_);
}

std::optional<std::string> TcpClient::open_connection() {
  open_proxy(false);
  return std::nullopt;
}

std::optional<std::string> TcpClient::send_raw(const std::vector<std::uint8_t>& bytes,
                                               bool new_connection) {
  if (!new_connection) {
    if (!proxy_) return name_ + " has no open connection to write to";
    write_raw(bytes);
    return std::nullopt;
  }
  open_proxy(true);
  note("raw connection: the session does not drive it");
  write_raw(bytes);  // its first bytes, once it is up
  return std::nullopt;
}

void TcpClient::write_raw(std::vector<std::uint8_t> bytes) {
  if (!proxy_) return;
  if (!open_) {
    raw_waiting_.push_back(std::move(bytes));
    return;
  }
  note("raw bytes sent (" + std::to_string(bytes.size()) + ")");
  proxy_->send(std::move(bytes));  // a dead link swallows them, as TCP would
}

void TcpClient::open_proxy(bool raw) {
  abort_connection();
  retired_.remove_if([](const auto& proxy) { return proxy->finished(); });
  const std::uint64_t generation = ++generation_;
  connection_id_ = context_.next_connection_id();
  reader_.reset();
  answers_ = {};
  raw_waiting_.clear();
  open_ = false;
  raw_ = raw;
  record({.kind = trace::EventKind::connect_attempt,
          .connection = connection_id_,
          .actor = name_,
          .detail = "broker " + to_string(context_.stream.address) +
                    (context_.stream.tls ? " (TLS)" : "") +
                    " latency_us=" + std::to_string(shape_.latency.count_us()) +
                    " jitter_us=" + std::to_string(shape_.jitter.count_us()) +
                    " loss_ppm=" + std::to_string(shape_.loss_ppm)});
  transport::ProxyCallbacks callbacks;
  callbacks.on_open = [this, generation] { on_open(generation); };
  callbacks.on_bytes = [this, generation](std::span<const std::uint8_t> bytes) {
    if (generation == generation_) on_bytes(bytes);
  };
  callbacks.on_closed = [this, generation](trace::CloseReason reason, std::string detail) {
    if (generation == generation_) on_closed(reason, detail);
  };
  const trace::ConnectionId id = connection_id_;
  callbacks.on_fault = [this, id](trace::FaultKind kind, std::string detail) {
    record({.kind = trace::EventKind::fault,
            .connection = id,
            .actor = "proxy",
            .fault = kind,
            .detail = name_ + " " + detail});
  };
  callbacks.on_note = [this, id](std::string detail) {
    record({.kind = trace::EventKind::note,
            .connection = id,
            .actor = "proxy",
            .detail = name_ + ": " + detail});
  };
  auto side = std::make_shared<BrokerSide>(BrokerSide{
      .connection = id,
      .from_client = codec::PacketReader::for_server(context_.inbound_packet_bytes_max)});
  callbacks.on_broker_bytes = [this, side](trace::Direction direction,
                                           std::span<const std::uint8_t> bytes) {
    record_broker_side(*side, direction, bytes);
  };
  callbacks.on_broker_closed = [this, id](trace::CloseReason reason, std::string detail,
                                          bool output_may_be_unseen) {
    record({.kind = trace::EventKind::close,
            .connection = id,
            .actor = "broker",
            .close_reason = reason,
            .detail = std::move(detail),
            .mark = output_may_be_unseen ? trace::Mark::output_may_be_unseen : trace::Mark::none});
  };
  const std::uint64_t ordinal = connections_opened_++;
  proxy_ = std::make_unique<transport::FaultProxy>(
      context_.loop, context_.stream, shape_, rng_.derive("connection#" + std::to_string(ordinal)),
      context_.partitioned(name_), std::move(callbacks));
  if (loss_override_ppm_) proxy_->set_loss_override(loss_override_ppm_);
}

void TcpClient::set_loss_override(std::optional<std::uint32_t> loss_ppm) {
  loss_override_ppm_ = loss_ppm;
  if (proxy_) proxy_->set_loss_override(loss_ppm);
}

void TcpClient::broker_restarts() {
  if (!proxy_ || !proxy_->broker_open()) return;
  record({.kind = trace::EventKind::close,
          .connection = connection_id_,
          .actor = "broker",
          .close_reason = trace::CloseReason::aborted,
          .detail = "the broker restarts"});
}

void TcpClient::on_open(std::uint64_t generation) {
  if (generation != generation_) return;
  open_ = true;
  reader_.emplace(codec::PacketReader::for_client(session_.options().version,
                                                  context_.inbound_packet_bytes_max));
  if (!raw_) {
    if (const auto error = session_.connection_opened(session_now())) {
      note(std::string{"cannot send CONNECT: "} + std::string{protocol::to_string(*error)});
    }
    pump();
    if (generation != generation_) return;  // the session gave the connection up
  }
  std::vector<std::vector<std::uint8_t>> waiting = std::move(raw_waiting_);
  raw_waiting_.clear();
  for (std::vector<std::uint8_t>& bytes : waiting) write_raw(std::move(bytes));
}

void TcpClient::on_bytes(std::span<const std::uint8_t> bytes) {
  std::optional<std::string> unreadable;
  if (reader_) {
    unreadable = read_inbound_packets(
        *reader_, bytes, [this](const codec::Packet& packet, codec::Bytes raw) {
          if (raw_) answers_.note(packet);  // no session reads a raw connection
          record_packet(trace::Direction::broker_to_client, std::move(raw));
        });
    if (unreadable) note("undecodable bytes from the broker: " + *unreadable);
  }
  // Undecodable bytes on a raw connection are only noted (the reader stops
  // there): nothing buffers them, and the broker's close is what the
  // scenario waits for.
  if (raw_) return;
  session_.on_bytes(bytes, session_now());
  pump();
  // The session closes on a malformed packet by itself; a packet above the
  // harness's size bound it would keep buffering, so the harness gives up
  // the connection.
  if (unreadable && proxy_) {
    proxy_->abort();
    note("connection given up by the harness: the broker's bytes cannot be read");
    end_connection({.at = context_.scenario_now(),
                    .why = "the broker's bytes cannot be read (" + *unreadable + ")",
                    .server_reason = answers_.server_reason,
                    .connack_code = answers_.connack_code});
    session_.connection_closed(session_now());
    pump();
  }
}

void TcpClient::on_closed(trace::CloseReason reason, const std::string& detail) {
  record({.kind = trace::EventKind::close,
          .connection = connection_id_,
          .actor = name_,
          .close_reason = reason,
          .detail = detail});
  const bool raw = raw_;
  end_connection({.at = context_.scenario_now(),
                  .why = std::string{"network: "} + std::string{trace::to_string(reason)} +
                         (detail.empty() ? "" : " (" + detail + ")"),
                  .server_reason = answers_.server_reason,
                  .connack_code = answers_.connack_code});
  if (raw) {
    note(std::string{"raw connection closed: "} + std::string{trace::to_string(reason)});
    return;
  }
  session_.connection_closed(session_now());
  pump();
}

void TcpClient::abort_connection() {
  if (!proxy_) return;
  proxy_->abort();
  note("connection aborted by the client");
  const bool raw = raw_;
  end_connection({.at = context_.scenario_now(),
                  .why = "aborted by the client",
                  .requested = true,
                  .connack_code = answers_.connack_code});
  if (!raw) session_.connection_closed(session_now());
  pump();
}

void TcpClient::crash(protocol::ClientOptions options, Duration broker_notice_delay) {
  note("crash: the device loses its session state");
  if (proxy_) {
    proxy_->abort(context_.scale.to_real(broker_notice_delay));
    end_connection({.at = context_.scenario_now(),
                    .why = "crash",
                    .requested = true,
                    .connack_code = answers_.connack_code});
  }
  session_ = protocol::ClientSession{std::move(options)};
  arm_timer();
}

void TcpClient::end_connection(ConnectionEnd end) {
  release_settled();  // an answer that came before the end counts as before it
  ends_.push_back(std::move(end));
  retire_proxy();
}

void TcpClient::retire_proxy() {
  if (proxy_) retired_.push_back(std::move(proxy_));
  if (!raw_waiting_.empty()) {
    note("raw bytes not sent (" + std::to_string(raw_waiting_.size()) +
         " writes): the connection ended before it was up");
  }
  ++generation_;
  reader_.reset();
  answers_ = {};
  raw_waiting_.clear();
  open_ = false;
  raw_ = false;
}

void TcpClient::pump() {
  for (protocol::Action& action : session_.take_actions()) {
    if (auto* send = std::get_if<protocol::SendBytes>(&action)) {
      // The session wrote into a connection that is gone (or that is raw:
      // an offline session has nothing to send, but it must never write there).
      if (!proxy_ || raw_) continue;
      record_packet(trace::Direction::client_to_broker, send->bytes);
      proxy_->send(std::move(send->bytes));
      continue;
    }
    if (const auto* close = std::get_if<protocol::Close>(&action); close && proxy_ && !raw_) {
      proxy_->close();
      record({.kind = trace::EventKind::close,
              .connection = connection_id_,
              .actor = name_,
              .close_reason = trace::CloseReason::graceful,
              .detail = std::string{protocol::to_string(close->reason)}});
      end_connection({.at = context_.scenario_now(),
                      .why = std::string{protocol::to_string(close->reason)},
                      .server_reason = answers_.server_reason,
                      .requested = close->reason == protocol::CloseReason::client_disconnected,
                      .connack_code = answers_.connack_code});
    }
    if (const auto* connected = std::get_if<protocol::Connected>(&action)) {
      answers_.connack_code = connected->code;
    }
    if (const auto* disconnect = std::get_if<protocol::ServerDisconnected>(&action)) {
      answers_.server_reason = static_cast<std::uint8_t>(disconnect->reason);
    }
    if (auto* delivered = std::get_if<protocol::Delivered>(&action)) {
      note("delivered topic=" + codec::quote(delivered->topic) +
           " qos=" + std::to_string(static_cast<int>(delivered->qos)) +
           " retain=" + (delivered->retain ? "1" : "0") + " dup=" + (delivered->dup ? "1" : "0") +
           " payload=" + codec::describe_payload(delivered->payload));
      inbox_.push_back(std::move(*delivered));
      continue;
    }
    if (std::holds_alternative<protocol::Subscribed>(action) ||
        std::holds_alternative<protocol::Unsubscribed>(action)) {
      hold_until_settled(std::move(action));
      continue;
    }
    events_.push_back(std::move(action));
  }
  arm_timer();
}

void TcpClient::hold_until_settled(protocol::Action action) {
  settling_.push_back(std::move(action));
  if (context_.settle_real <= Duration::zero()) {
    release_settled();
    return;
  }
  if (settle_timer_) context_.loop.cancel(*settle_timer_);
  settle_timer_ = context_.loop.schedule_after(context_.settle_real, [this] {
    settle_timer_.reset();
    release_settled();
  });
}

void TcpClient::release_settled() {
  if (settle_timer_) context_.loop.cancel(*settle_timer_);
  settle_timer_.reset();
  for (protocol::Action& action : settling_) events_.push_back(std::move(action));
  settling_.clear();
}

void TcpClient::record_packet(trace::Direction direction, codec::Bytes raw) {
  const ProtocolVersion version = session_.options().version;
  record({.kind = trace::EventKind::packet,
          .connection = connection_id_,
          .actor = name_,
          .direction = direction,
          .protocol = version,
          .bytes = std::move(raw)});
}

void TcpClient::record_broker_side(BrokerSide& side, trace::Direction direction,
                                   std::span<const std::uint8_t> bytes) {
  if (direction == trace::Direction::client_to_broker) {
    // What reached the broker's socket, chunk by chunk, as sim/net records
    // it: the oracle reads bad input (bad_input.cpp) from these.
    record({.kind = trace::EventKind::bytes,
            .connection = side.connection,
            .actor = "broker",
            .direction = direction,
            .bytes = {bytes.begin(), bytes.end()}});
  }
  if (direction == trace::Direction::broker_to_client && !side.to_client) {
    // The broker answers in the version of the CONNECT it read, which a raw
    // one may choose; before any, in the session's.
    side.to_client.emplace(codec::PacketReader::for_client(
        side.from_client.version().value_or(session_.options().version),
        context_.inbound_packet_bytes_max));
  }
  codec::PacketReader& reader =
      direction == trace::Direction::client_to_broker ? side.from_client : *side.to_client;
  if (reader.failed()) return;  // the rest of a stream that lost its framing
  reader.feed(bytes);
  while (true) {
    auto result = reader.next();
    if (result.need_more()) return;
    if (result.has_error()) {
      record({.kind = trace::EventKind::note,
              .connection = side.connection,
              .actor = "broker",
              .detail = std::string{direction == trace::Direction::client_to_broker
                                        ? "undecodable bytes from the client: "
                                        : "undecodable bytes from the broker: "} +
                        codec::to_string(result.error().error)});
      return;
    }
    const ProtocolVersion version = reader.version().value_or(session_.options().version);
    record({.kind = trace::EventKind::packet,
            .connection = side.connection,
            .actor = "broker",
            .direction = direction,
            .protocol = version,
            .bytes = std::move(result.item().raw)});
  }
}

void TcpClient::record(trace::TraceEvent event) {
  event.time = context_.trace_now();
  context_.trace.append(std::move(event));
}

void TcpClient::note(std::string detail) {
  record({.kind = trace::EventKind::note,
          .connection = connection_id_,
          .actor = name_,
          .detail = std::move(detail)});
}

void TcpClient::arm_timer() {
  const std::optional<TimePoint> deadline = session_.next_deadline();
  if (deadline == timer_at_) return;
  if (timer_) context_.loop.cancel(*timer_);
  timer_.reset();
  timer_at_ = deadline;
  if (!deadline) return;
  timer_ = context_.loop.schedule_at(*deadline, [this] {
    timer_.reset();
    timer_at_.reset();
    record({.kind = trace::EventKind::timer,
            .actor = name_,
            .detail = "deadline (keep-alive or CONNACK wait)"});
    session_.on_timer(session_now());
    pump();
  });
}

}  // namespace mqttsim::runner
