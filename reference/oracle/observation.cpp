#include "oracle/observation.hpp"

#include <algorithm>
#include <map>

#include "codec/packet_reader.hpp"

namespace mqttsim::oracle {

const codec::Connect* ConnectionView::connect_packet() const {
  return connect ? std::get_if<codec::Connect>(&packets[*connect].packet) : nullptr;
}

const codec::Connack* ConnectionView::connack_packet() const {
  return connack ? std::get_if<codec::Connack>(&packets[*connack].packet) : nullptr;
}

bool ConnectionView::accepted() const {
  // A CONNACK 0 to bytes that never decoded as a CONNECT (a broker that
  // accepts a malformed one) starts no session the checkers can follow; the
  // bad-input checker judges it.
  const codec::Connack* ack = connack_packet();
  return ack != nullptr && ack->code == 0 && connect_packet() != nullptr;
}

std::uint32_t ConnectionView::session_expiry_s() const {
  std::optional<std::uint32_t> expiry = connect_packet()->properties.session_expiry_interval;
  if (const auto& ack = connack_packet()->properties; ack.session_expiry_interval) {
    expiry = ack.session_expiry_interval;
  }
  if (client_disconnect) {
    const auto& d = std::get<codec::Disconnect>(packets[*client_disconnect].packet);
    if (d.properties.session_expiry_interval) expiry = d.properties.session_expiry_interval;
  }
  return expiry.value_or(0);
}

IndexedVector<PacketPosition, SeenPacket>::const_iterator ConnectionView::packets_from(
    TraceIndex index) const {
  return std::lower_bound(packets.begin(), packets.end(), index,
                          [](const SeenPacket& p, TraceIndex i) { return p.index < i; });
}

std::string ConnectionView::client_id() const {
  const codec::Connect* c = connect_packet();
  if (c == nullptr) return {};
  // A 5.0 server that assigns an id (MQTT-3.2.2-16) handles the CONNECT as
  // if the client had sent it (MQTT-3.1.3-7).
  if (const codec::Connack* ack = connack_packet();
      c->client_id.empty() && ack != nullptr && ack->properties.assigned_client_identifier) {
    return *ack->properties.assigned_client_identifier;
  }
  return c->client_id;
}

const ConnectionView* Observation::find(trace::ConnectionId id) const {
  for (const ConnectionView& c : connections) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

namespace {

// A connection's inbound stream, read again as a server reads it.
struct InboundReader {
  codec::PacketReader reader = codec::PacketReader::for_server();
  codec::Bytes unread;  // from the start of the packet being read
  bool done = false;    // bad input found: the rest is not read

  // The bad input this chunk completed, if any.
  std::optional<BadInput> feed(const trace::TraceEvent& event, TraceIndex index) {
    if (done) return std::nullopt;
    unread.insert(unread.end(), event.bytes.begin(), event.bytes.end());
    reader.feed(event.bytes);
    while (true) {
      auto result = reader.next();
      if (result.need_more()) return std::nullopt;
      if (result.has_error()) {
        done = true;
        return BadInput{.index = index,
                        .time = event.time,
                        .error = result.error().error,
                        .stream_offset = result.error().stream_offset,
                        .bytes = std::move(unread)};
      }
      const std::size_t used = std::min(result.item().raw.size(), unread.size());
      unread.erase(unread.begin(), unread.begin() + static_cast<std::ptrdiff_t>(used));
    }
  }
};

}  // namespace

const Restart* Observation::restart_that_closed(const ConnectionView& c) const {
  if (!c.closed_index || !c.connack) return nullptr;
  for (const Restart& r : restarts) {
    if (r.index > c.packets[*c.connack].index && r.index < *c.closed_index &&
        r.time == *c.closed_at) {
      return &r;
    }
  }
  return nullptr;
}

Observation observe(const trace::Trace& trace) {
  Observation seen;
  seen.trace = &trace;
  seen.end_index = TraceIndex{trace.size()};
  seen.end_time = trace.end_time();
  // How many packets each connection will hold: its vector is then made
  // once at its size. Grown by doubling, a quarter of the largest part of
  // the oracle's memory would be spare capacity on average.
  std::map<trace::ConnectionId, std::size_t> packet_count;
  for (const trace::TraceEvent& event : trace.events()) {
    if (event.actor == broker_actor && event.kind == trace::EventKind::packet && event.protocol) {
      ++packet_count[event.connection];
    }
  }
  std::map<trace::ConnectionId, ConnectionIndex> by_id;
  std::map<trace::ConnectionId, InboundReader> inbound;
  const auto connection = [&](const trace::TraceEvent& event, TraceIndex index) -> ConnectionView& {
    const auto [it, added] = by_id.try_emplace(event.connection, seen.connections.next_index());
    if (added) {
      seen.connections.push_back({.id = event.connection, .first_index = index});
      const auto count = packet_count.find(event.connection);
      if (count != packet_count.end()) seen.connections.back().packets.reserve(count->second);
    }
    return seen.connections[it->second];
  };
  bool awaiting_up = false;  // the last restart's broker_up fault has not come yet
  for (TraceIndex index{0}; index < seen.end_index; ++index) {
    const trace::TraceEvent& event = seen.event(index);
    if (event.kind == trace::EventKind::fault && event.fault == trace::FaultKind::broker_up &&
        awaiting_up) {
      seen.restarts.back().up_at = event.time;  // whoever recorded it (network, world)
      awaiting_up = false;
    }
    if (event.mark == trace::Mark::observed_from_outside) seen.from_outside = true;
    if (event.actor != broker_actor) continue;
    if (event.mark == trace::Mark::restart_keeps_state ||
        event.mark == trace::Mark::restart_loses_state) {
      awaiting_up = true;
      seen.restarts.push_back({.index = index,
                               .time = event.time,
                               .state_lost = event.mark == trace::Mark::restart_loses_state,
                               .up_at = event.time + event.down_for});
      continue;
    }
    if (event.kind == trace::EventKind::close && event.connection != 0) {
      ConnectionView& c = connection(event, index);
      if (!c.closed_index) {
        c.closed_index = index;
        c.closed_at = event.time;
        c.close_reason = event.close_reason;
        c.output_unseen_at_close = event.mark == trace::Mark::output_may_be_unseen;
      }
      continue;
    }
    if (event.kind == trace::EventKind::bytes && event.connection != 0 &&
        event.direction == trace::Direction::client_to_broker) {
      ConnectionView& c = connection(event, index);
      if (auto bad = inbound[event.connection].feed(event, index)) {
        // A CONNECT that failed still said which version it spoke.
        if (c.packets.empty()) c.version = bad->error.spec.version;
        c.bad_input = std::move(bad);
      }
      continue;
    }
    if (event.kind != trace::EventKind::packet || !event.protocol) continue;
    ConnectionView& c = connection(event, index);
    c.version = *event.protocol;
    auto decoded = codec::decode(event.bytes, *event.protocol);
    if (!decoded) {
      seen.malformed.push_back({.index = index,
                                .connection = by_id.at(event.connection),
                                .direction = event.direction,
                                .error = decoded.error()});
      continue;
    }
    const PacketPosition position = c.packets.next_index();
    const bool from_client = event.direction == trace::Direction::client_to_broker;
    if (from_client && std::holds_alternative<codec::Connect>(*decoded) && !c.connect) {
      c.connect = position;
    } else if (!from_client && std::holds_alternative<codec::Connack>(*decoded) && !c.connack) {
      c.connack = position;
    } else if (std::holds_alternative<codec::Disconnect>(*decoded)) {
      (from_client ? c.client_disconnect : c.server_disconnect) = position;
    }
    c.packets.push_back({.index = index,
                         .time = event.time,
                         .direction = event.direction,
                         .packet = std::move(*decoded)});
  }
  return seen;
}

}  // namespace mqttsim::oracle
