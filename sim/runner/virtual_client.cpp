#include "runner/virtual_client.hpp"

#include "codec/print.hpp"

namespace mqttsim::runner {

VirtualClient::VirtualClient(kernel::Simulator& simulator, net::Network& network,
                             trace::Trace& trace, std::string name, protocol::ClientOptions options,
                             net::LinkParams link)
    : simulator_{simulator},
      network_{network},
      trace_{trace},
      name_{std::move(name)},
      link_{link},
      session_{std::move(options)} {}

VirtualClient::~VirtualClient() {
  if (timer_) simulator_.cancel(*timer_);
}

net::EndpointCallbacks VirtualClient::callbacks(std::uint64_t generation,
                                                std::function<void()> on_open) {
  net::EndpointCallbacks callbacks;
  callbacks.on_open = [this, generation, on_open = std::move(on_open)] {
    if (generation != generation_) return;
    open_ = true;
    reader_.emplace(codec::PacketReader::for_client(session_.options().version));
    on_open();
    if (generation != generation_) return;  // on_open gave the connection up
    // Raw bytes written while the connection was opening follow, in order.
    std::vector<codec::Bytes> waiting = std::move(raw_waiting_);
    raw_waiting_.clear();
    for (const codec::Bytes& bytes : waiting) write_raw(bytes);
  };
  callbacks.on_bytes = [this, generation](net::ByteView bytes) {
    if (generation == generation_) on_bytes(bytes);
  };
  callbacks.on_closed = [this, generation](net::CloseReason reason) {
    if (generation == generation_) on_closed(reason);
  };
  return callbacks;
}

Expected<net::ConnectionId, net::ConnectError> VirtualClient::connect() {
  abort_connection();
  const std::uint64_t generation = ++generation_;
  auto connected = network_.connect(
      name_, link_, callbacks(generation, [this] {
        if (const auto error = session_.connection_opened(simulator_.now())) {
          note(std::string{"cannot send CONNECT: "} + std::string{protocol::to_string(*error)});
        }
        pump();
      }));
  if (connected) connection_ = *connected;
  return connected;
}

std::optional<std::string> VirtualClient::send_raw(const std::vector<std::uint8_t>& bytes,
                                                   bool new_connection) {
  if (!new_connection) {
    if (!connection_) return name_ + " has no open connection to write to";
    write_raw(bytes);
    return std::nullopt;
  }
  abort_connection();
  const std::uint64_t generation = ++generation_;
  auto connected = network_.connect(name_, link_, callbacks(generation, [] {}));
  if (!connected) return std::string{net::to_string(connected.error())};
  connection_ = *connected;
  raw_ = true;
  note("raw connection: the session does not drive it");
  write_raw(bytes);  // its first bytes, once it is up
  return std::nullopt;
}

void VirtualClient::write_raw(const codec::Bytes& bytes) {
  if (!connection_) return;
  if (!open_) {
    raw_waiting_.push_back(bytes);
    return;
  }
  note("raw bytes sent (" + std::to_string(bytes.size()) + ")");
  const auto sent = network_.send(*connection_, net::End::client, bytes);
  if (!sent) note("raw bytes not sent: the connection is gone");
}

std::optional<std::string> VirtualClient::open_connection() {
  const auto opened = connect();
  if (opened) return std::nullopt;
  return std::string{net::to_string(opened.error())};
}

void VirtualClient::abort_connection() {
  if (!connection_) return;
  network_.abort(*connection_, net::End::client);
  ends_.push_back({.at = simulator_.now(),
                   .why = "aborted by the client",
                   .requested = true,
                   .connack_code = answers_.connack_code});
  const bool raw = raw_;
  forget_connection();
  if (!raw) session_.connection_closed(simulator_.now());
  note("connection aborted by the client");
  pump();
}

void VirtualClient::crash(protocol::ClientOptions options, Duration broker_notice_delay) {
  note("crash: the device loses its session state");
  if (connection_) {
    // The device learns nothing more: it is gone. The broker learns when
    // the reset reaches it.
    network_.reset(*connection_, Duration::zero(), broker_notice_delay);
    ends_.push_back({.at = simulator_.now(),
                     .why = "crash",
                     .requested = true,
                     .connack_code = answers_.connack_code});
    forget_connection();  // nothing of the old connection reaches the new session
  }
  session_ = protocol::ClientSession{std::move(options)};
  arm_timer();
}

void VirtualClient::forget_connection() {
  if (!raw_waiting_.empty()) {
    note("raw bytes not sent (" + std::to_string(raw_waiting_.size()) +
         " writes): the connection ended before it was up");
  }
  raw_waiting_.clear();
  open_ = false;
  connection_.reset();
  ++generation_;
  reader_.reset();
  answers_ = {};
  raw_ = false;
}

void VirtualClient::on_bytes(net::ByteView bytes) {
  // The trace reads the stream on its own, so it records what arrived even
  // when the session rejects it.
  if (reader_) {
    const auto unreadable = read_inbound_packets(
        *reader_, bytes, [this](const codec::Packet& packet, codec::Bytes raw) {
          if (raw_) answers_.note(packet);  // no session reads a raw connection
          record_packet(trace::Direction::broker_to_client, std::move(raw));
        });
    if (unreadable) note("undecodable bytes from the broker: " + *unreadable);
  }
  if (raw_) return;
  session_.on_bytes(bytes, simulator_.now());
  pump();
}

void VirtualClient::on_closed(net::CloseReason reason) {
  ends_.push_back({.at = simulator_.now(),
                   .why = std::string{"network: "} + std::string{trace::to_string(reason)},
                   .server_reason = answers_.server_reason,
                   .connack_code = answers_.connack_code});
  const bool raw = raw_;
  forget_connection();
  if (raw) {
    note(std::string{"raw connection closed: "} + std::string{trace::to_string(reason)});
    return;
  }
  session_.connection_closed(simulator_.now());
  note(std::string{"connection closed: "} + std::string{trace::to_string(reason)});
  pump();
}

void VirtualClient::pump() {
  for (protocol::Action& action : session_.take_actions()) {
    if (auto* send = std::get_if<protocol::SendBytes>(&action)) {
      // The session wrote into a connection that is gone (or that is raw:
      // an offline session has nothing to send, but it must never write there).
      if (!connection_ || raw_) continue;
      // (A copy of the bytes only if the trace keeps them.)
      if (trace_.keeps_client_events()) {
        record_packet(trace::Direction::client_to_broker, send->bytes);
      }
      (void)network_.send(*connection_, net::End::client, send->bytes);
      continue;
    }
    if (const auto* close = std::get_if<protocol::Close>(&action); close && connection_ && !raw_) {
      network_.close(*connection_, net::End::client);
      ends_.push_back({.at = simulator_.now(),
                       .why = std::string{protocol::to_string(close->reason)},
                       .server_reason = answers_.server_reason,
                       .requested = close->reason == protocol::CloseReason::client_disconnected,
                       .connack_code = answers_.connack_code});
      forget_connection();
    }
    if (const auto* connected = std::get_if<protocol::Connected>(&action)) {
      answers_.connack_code = connected->code;
    }
    if (const auto* disconnect = std::get_if<protocol::ServerDisconnected>(&action)) {
      answers_.server_reason = static_cast<std::uint8_t>(disconnect->reason);
    }
    if (auto* delivered = std::get_if<protocol::Delivered>(&action)) {
      if (trace_.keeps_client_events()) {
        note("delivered topic=" + codec::quote(delivered->topic) +
             " qos=" + std::to_string(static_cast<int>(delivered->qos)) +
             " retain=" + (delivered->retain ? "1" : "0") + " dup=" + (delivered->dup ? "1" : "0") +
             " payload=" + codec::describe_payload(delivered->payload));
      }
      inbox_.push_back(std::move(*delivered));
      continue;
    }
    events_.push_back(std::move(action));
  }
  arm_timer();
}

void VirtualClient::record_packet(trace::Direction direction, codec::Bytes raw) {
  if (!trace_.keeps_client_events()) return;
  const ProtocolVersion version = session_.options().version;
  trace_.append({.time = simulator_.now(),
                 .kind = trace::EventKind::packet,
                 .connection = connection_.value_or(0),
                 .actor = name_,
                 .direction = direction,
                 .protocol = version,
                 .bytes = std::move(raw)});
}

void VirtualClient::note(std::string detail) {
  if (!trace_.keeps_client_events()) return;
  trace_.append({.time = simulator_.now(),
                 .kind = trace::EventKind::note,
                 .connection = connection_.value_or(0),
                 .actor = name_,
                 .detail = std::move(detail)});
}

void VirtualClient::arm_timer() {
  const std::optional<TimePoint> deadline = session_.next_deadline();
  if (deadline == timer_at_) return;
  if (timer_) simulator_.cancel(*timer_);
  timer_.reset();
  timer_at_ = deadline;
  if (!deadline) return;
  timer_ = simulator_.schedule_at(std::max(*deadline, simulator_.now()), [this] {
    timer_.reset();
    timer_at_.reset();
    if (trace_.keeps_client_events()) {
      trace_.append({.time = simulator_.now(),
                     .kind = trace::EventKind::timer,
                     .actor = name_,
                     .detail = "deadline (keep-alive or CONNACK wait)"});
    }
    session_.on_timer(simulator_.now());
    pump();
  });
}

}  // namespace mqttsim::runner
