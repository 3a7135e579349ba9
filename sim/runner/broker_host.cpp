#include "runner/broker_host.hpp"

#include <algorithm>
#include <cassert>

#include "codec/print.hpp"

namespace mqttsim::runner {

namespace {

std::unique_ptr<broker::SessionStore> empty_store(StoreKind kind) {
  if (kind == StoreKind::durable) return std::make_unique<broker::DurableStore>();
  return std::make_unique<broker::VolatileStore>();
}

}  // namespace

BrokerHost::BrokerHost(kernel::Simulator& simulator, net::Network& network, trace::Trace& trace,
                       Profile profile, StoreKind store, const broker::Authenticator& authenticator)
    : simulator_{simulator},
      network_{network},
      trace_{trace},
      profile_{std::move(profile)},
      authenticator_{authenticator},
      store_{empty_store(store)} {
  network_.listen([this](net::ConnectionId connection, std::string_view client_name) {
    return accept(connection, client_name);
  });
  start();
}

BrokerHost::~BrokerHost() {
  if (timer_) simulator_.cancel(*timer_);
}

void BrokerHost::start() {
  ++generation_;
  broker_ = std::make_unique<broker::Broker>(profile_, *store_, authenticator_, simulator_.now());
  network_.set_broker_up(true);
  carry_out_outputs();
}

void BrokerHost::restart(Duration down_for, bool lose_state) {
  const bool keeps = store_->durable() && !lose_state;
  trace_.append(trace::restart_note(simulator_.now(), keeps, down_for));
  if (lose_state)
    store_ = empty_store(store_->durable() ? StoreKind::durable : StoreKind::volatile_store);
  ++generation_;  // from here on, the old connections' callbacks are ignored
  broker_.reset();
  if (timer_) simulator_.cancel(*timer_);
  timer_.reset();
  timer_at_.reset();
  for (const auto& [network_id, broker_id] : broker_ids_)
    network_.abort(network_id, net::End::broker);
  broker_ids_.clear();
  network_ids_.clear();
  readers_.clear();
  unread_.clear();
  network_.set_broker_up(false);
  if (down_for <= Duration::zero()) {
    start();
    return;
  }
  const std::uint64_t dead = generation_;
  simulator_.schedule_after(down_for, [this, dead] {
    if (generation_ == dead) start();
  });
}

net::EndpointCallbacks BrokerHost::accept(net::ConnectionId connection,
                                          std::string_view client_name) {
  assert(broker_ != nullptr);  // the network refuses while the broker is down
  const broker::ConnectionId id = broker_->accept(std::string{client_name}, simulator_.now());
  broker_ids_.emplace(connection, id);
  network_ids_.emplace(id, connection);
  readers_.insert_or_assign(connection, codec::PacketReader::for_server());
  unread_.erase(connection);
  const std::uint64_t generation = generation_;
  net::EndpointCallbacks callbacks;
  callbacks.on_bytes = [this, generation, id, connection](net::ByteView bytes) {
    if (generation != generation_) return;
    const std::vector<codec::Bytes> intercepted = record_received(connection, bytes);
    if (!interceptor_) {
      broker_->receive(id, bytes, simulator_.now());
    } else {
      for (const codec::Bytes& packet : intercepted) broker_->receive(id, packet, simulator_.now());
    }
    carry_out_outputs();
  };
  callbacks.on_closed = [this, generation, id, connection](net::CloseReason) {
    if (generation != generation_) return;
    broker_ids_.erase(connection);
    network_ids_.erase(id);
    readers_.erase(connection);
    broker_->connection_lost(id, simulator_.now());
    carry_out_outputs();
  };
  carry_out_outputs();
  return callbacks;
}

void BrokerHost::carry_out_outputs() {
  // Dropping a client makes the broker produce more outputs (its will, say),
  // so take them until there are none; each round either empties the list or
  // removes a connection, so this ends.
  for (std::vector<broker::Output> outputs = broker_->take_outputs(); !outputs.empty();
       outputs = broker_->take_outputs()) {
    for (broker::Output& output : outputs) {
      if (auto* bytes = std::get_if<broker::SendBytes>(&output)) {
        const auto found = network_ids_.find(bytes->connection);
        if (found == network_ids_.end()) continue;
        const auto reader = readers_.find(found->second);
        const ProtocolVersion version =
            reader == readers_.end() ? ProtocolVersion::v3_1_1
                                     : reader->second.version().value_or(ProtocolVersion::v3_1_1);
        if (!interceptor_) {
          send(found->second, bytes->connection, bytes->bytes, version);
          continue;
        }
        auto packet = codec::decode(bytes->bytes, version);
        if (!packet) continue;  // the broker encodes only valid packets
        const net::ConnectionId network_id = found->second;
        const broker::ConnectionId broker_id = bytes->connection;
        for (codec::Packet& altered :
             interceptor_->from_broker(network_id, std::move(*packet), version)) {
          if (!network_ids_.count(broker_id)) break;  // dropped meanwhile
          send(network_id, broker_id, codec::encode(altered, version), version);
        }
      } else if (auto* close = std::get_if<broker::CloseConnection>(&output)) {
        const auto found = network_ids_.find(close->connection);
        if (found == network_ids_.end()) continue;
        network_.close(found->second, net::End::broker);
        broker_ids_.erase(found->second);
        readers_.erase(found->second);
        network_ids_.erase(found);
      } else {
        const auto& note = std::get<broker::Note>(output);
        trace_.append({.time = simulator_.now(),
                       .kind = trace::EventKind::note,
                       .actor = "broker",
                       .detail = std::string{broker::to_string(note.kind)} + " client=" +
                                 note.client_id + (note.text.empty() ? "" : " " + note.text)});
      }
    }
  }
  arm_timer();
}

void BrokerHost::send(net::ConnectionId network_id, broker::ConnectionId broker_id,
                      const codec::Bytes& bytes, ProtocolVersion version) {
  // Recorded as bytes, undecodable or not: the trace describes a packet
  // when rendered (trace::describe), and only a broken broker (a test's
  // interceptor) sends bytes that do not decode, which the oracle's wire
  // checker judges.
  record_packet(network_id, trace::Direction::broker_to_client, version, bytes);
  const auto sent = network_.send(network_id, net::End::broker, bytes);
  // A full send buffer means the client stopped reading; like the TCP
  // server, the broker drops such a client rather than queue without end.
  if (!sent && sent.error() == net::SendError::buffer_full) {
    network_ids_.erase(broker_id);
    broker_ids_.erase(network_id);
    readers_.erase(network_id);
    network_.abort(network_id, net::End::broker);
    broker_->connection_lost(broker_id, simulator_.now());
  }
}

std::vector<codec::Bytes> BrokerHost::record_received(net::ConnectionId connection,
                                                      net::ByteView bytes) {
  std::vector<codec::Bytes> for_broker;
  const auto found = readers_.find(connection);
  if (found == readers_.end()) return for_broker;
  codec::PacketReader& reader = found->second;
  if (reader.failed()) {
    for_broker.emplace_back(bytes.begin(), bytes.end());  // the broker judges garbage itself
    return for_broker;
  }
  codec::Bytes* unread = nullptr;
  if (interceptor_) {
    unread = &unread_[connection];
    unread->insert(unread->end(), bytes.begin(), bytes.end());
  }
  reader.feed(bytes);
  while (true) {
    auto result = reader.next();
    if (result.need_more()) return for_broker;
    if (result.has_error()) {
      trace_.append({.time = simulator_.now(),
                     .kind = trace::EventKind::note,
                     .connection = connection,
                     .actor = "broker",
                     .detail = "undecodable bytes from the client: " +
                               codec::to_string(result.error().error)});
      // The broker reads the same bad bytes and closes the connection (an
      // interceptor sees them first: a broken broker may not).
      if (unread != nullptr) {
        for_broker.push_back(
            interceptor_->undecodable(connection, std::move(*unread), result.error().error));
        unread->clear();
      }
      return for_broker;
    }
    codec::ReceivedPacket& received = result.item();
    if (unread != nullptr) {
      unread->erase(unread->begin(), unread->begin() + static_cast<std::ptrdiff_t>(std::min(
                                                           received.raw.size(), unread->size())));
    }
    const ProtocolVersion version = reader.version().value_or(ProtocolVersion::v3_1_1);
    record_packet(connection, trace::Direction::client_to_broker, version, received.raw);
    if (interceptor_) {
      for (const codec::Packet& altered :
           interceptor_->to_broker(connection, std::move(received.packet), version)) {
        for_broker.push_back(codec::encode(altered, version));
      }
    }
  }
}

void BrokerHost::record_packet(net::ConnectionId connection, trace::Direction direction,
                               ProtocolVersion version, codec::Bytes raw) {
  trace_.append({.time = simulator_.now(),
                 .kind = trace::EventKind::packet,
                 .connection = connection,
                 .actor = "broker",
                 .direction = direction,
                 .protocol = version,
                 .bytes = std::move(raw)});
}

void BrokerHost::arm_timer() {
  const std::optional<TimePoint> deadline = broker_->next_deadline();
  if (deadline == timer_at_) return;
  if (timer_) simulator_.cancel(*timer_);
  timer_.reset();
  timer_at_ = deadline;
  if (!deadline) return;
  const TimePoint at = std::max(*deadline, simulator_.now());
  const std::uint64_t generation = generation_;
  timer_ = simulator_.schedule_at(at, [this, generation] {
    if (generation != generation_) return;
    timer_.reset();
    timer_at_.reset();
    trace_.append({.time = simulator_.now(),
                   .kind = trace::EventKind::timer,
                   .actor = "broker",
                   .detail = "deadline (keep-alive, expiry, will delay or retry)"});
    broker_->advance(simulator_.now());
    carry_out_outputs();
  });
}

}  // namespace mqttsim::runner
