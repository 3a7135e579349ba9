#include "net/network.hpp"

#include <algorithm>
#include <cassert>
#include <stdexcept>
#include <utility>

namespace mqttsim::net {
namespace {

constexpr std::size_t index_of(End end) { return end == End::client ? 0 : 1; }
constexpr End peer_of(End end) { return end == End::client ? End::broker : End::client; }
constexpr trace::Direction direction_from(End sender) {
  return sender == End::client ? trace::Direction::client_to_broker
                               : trace::Direction::broker_to_client;
}

}  // namespace

std::string_view to_string(ConnectError error) {
  switch (error) {
    case ConnectError::invalid_link_params:
      return "invalid link parameters";
    case ConnectError::too_many_connections:
      return "too many live connections";
  }
  return "?";
}

std::string_view to_string(SendError error) {
  switch (error) {
    case SendError::unknown_connection:
      return "unknown connection";
    case SendError::not_open:
      return "connection not open yet";
    case SendError::closed:
      return "connection closed";
    case SendError::buffer_full:
      return "send buffer full";
  }
  return "?";
}

Network::Network(kernel::Simulator& simulator, kernel::Rng rng, trace::Trace& trace,
                 NetworkLimits limits)
    : sim_{simulator},
      rng_{rng},
      fault_rng_{rng.derive("faults")},
      trace_{trace},
      limits_{limits} {}

void Network::listen(AcceptHandler on_accept) { on_accept_ = std::move(on_accept); }

void Network::set_broker_up(bool up) {
  if (up == broker_up_) return;
  broker_up_ = up;
  trace::TraceEvent event;
  event.kind = trace::EventKind::fault;
  event.actor = "network";
  event.fault = up ? trace::FaultKind::broker_up : trace::FaultKind::broker_down;
  record(std::move(event));
}

Network::Connection* Network::find(ConnectionId id) {
  const auto it = connections_.find(id);
  return it == connections_.end() ? nullptr : &it->second;
}

const Network::Connection* Network::find(ConnectionId id) const {
  const auto it = connections_.find(id);
  return it == connections_.end() ? nullptr : &it->second;
}

bool Network::cut_off(const Connection& c) const {
  return c.blackholed || partitioned_.count(c.client_name) > 0;
}

Duration Network::one_way_delay(Connection& c) {
  const auto jitter_us = c.rng.uniform(0, static_cast<std::uint64_t>(c.params.jitter.count_us()));
  return c.params.latency + Duration::from_us(static_cast<std::int64_t>(jitter_us));
}

Duration Network::backoff(const Connection& c, std::uint32_t retransmits) const {
  // rto_initial * 2^(retransmits - 1), capped; the loop is bounded by
  // max_retransmits_limit.
  Duration rto = c.params.rto_initial;
  for (std::uint32_t i = 1; i < retransmits && rto < c.params.rto_max; ++i) rto = rto * 2;
  return std::min(rto, c.params.rto_max);
}

void Network::record(trace::TraceEvent event) {
  event.time = sim_.now();
  trace_.append(std::move(event));
}

void Network::record_close(const Connection& c, End end, CloseReason reason) {
  trace::TraceEvent event;
  event.kind = trace::EventKind::close;
  event.connection = c.id;
  event.actor = c.ends[index_of(end)].name;
  event.close_reason = reason;
  record(std::move(event));
}

// --- connection set-up ------------------------------------------------------

Expected<ConnectionId, ConnectError> Network::connect(std::string client_name,
                                                      const LinkParams& params,
                                                      EndpointCallbacks client) {
  if (validate(params)) return Unexpected{ConnectError::invalid_link_params};
  if (connections_.size() >= limits_.connections_max || next_id_ > connection_id_max) {
    return Unexpected{ConnectError::too_many_connections};
  }
  const ConnectionId id = next_id_++;
  const std::uint64_t ordinal = connects_by_client_[client_name]++;
  // Derived by client name and ordinal, not by id: another client's extra
  // connection does not change this one's draws.
  kernel::Rng rng = rng_.derive("connection/" + client_name + "#" + std::to_string(ordinal));
  Connection& c = connections_.try_emplace(id, id, client_name, params, rng).first->second;
  c.ends[index_of(End::client)] = Endpoint{client_name, std::move(client), EndState::connecting};
  c.ends[index_of(End::broker)] = Endpoint{"broker", {}, EndState::connecting};
  for (Pipe& pipe : c.pipes) pipe.link_free_at = pipe.last_arrival = sim_.now();

  trace::TraceEvent event;
  event.kind = trace::EventKind::connect_attempt;
  event.connection = id;
  event.actor = client_name;
  event.detail = describe(params);
  record(std::move(event));
  syn_attempt(id);
  return id;
}

void Network::syn_attempt(ConnectionId id) {
  Connection* c = find(id);
  if (!c || c->ends[index_of(End::client)].state != EndState::connecting) return;
  // The wait after the last retransmission has passed: give up.
  if (c->syn_retransmits > c->params.max_retransmits) {
    close_end(*c, End::client, CloseReason::timeout);
    return;
  }
  const bool lost = c->rng.chance(loss_ppm(*c));
  if (lost || cut_off(*c)) {
    ++c->syn_retransmits;
    sim_.schedule_after(backoff(*c, c->syn_retransmits), [this, id] { syn_attempt(id); });
    return;
  }
  Pipe& pipe = c->pipes[index_of(End::client)];
  pipe.last_arrival = std::max(sim_.now() + one_way_delay(*c), pipe.last_arrival);
  sim_.schedule_at(pipe.last_arrival, [this, id] { syn_arrive(id); });
}

void Network::syn_arrive(ConnectionId id) {
  Connection* c = find(id);
  if (!c || c->ends[index_of(End::client)].state != EndState::connecting) return;
  if (c->ends[index_of(End::broker)].state != EndState::connecting || c->blackholed) {
    // A fault killed the connection while its SYN was on the way: the SYN is
    // lost, and the client retransmits until it times out or learns otherwise.
    ++c->syn_retransmits;
    sim_.schedule_after(backoff(*c, c->syn_retransmits), [this, id] { syn_attempt(id); });
    return;
  }
  const bool accepted = broker_up_ && on_accept_ != nullptr;
  // The answer travels back first, so the broker's first bytes (sent from
  // on_open below) arrive after the client has heard of the accept.
  Pipe& back = c->pipes[index_of(End::broker)];
  back.last_arrival = std::max(sim_.now() + one_way_delay(*c), back.last_arrival);
  back.link_free_at = std::max(back.link_free_at, sim_.now());
  sim_.schedule_at(back.last_arrival, [this, id, accepted] { handshake_answer(id, accepted); });
  if (!accepted) {
    c->ends[index_of(End::broker)].state = EndState::closed;
    return;
  }
  Endpoint& broker = c->ends[index_of(End::broker)];
  broker.state = EndState::open;
  trace::TraceEvent event;
  event.kind = trace::EventKind::accept;
  event.connection = id;
  event.actor = broker.name;
  event.detail = "client=" + c->client_name;
  record(std::move(event));
  broker.callbacks = on_accept_(id, c->client_name);
  // The handler may have closed things; look again.
  c = find(id);
  if (c && c->ends[index_of(End::broker)].state == EndState::open) {
    if (auto& on_open = c->ends[index_of(End::broker)].callbacks.on_open) on_open();
  }
}

void Network::handshake_answer(ConnectionId id, bool accepted) {
  Connection* c = find(id);
  if (!c) return;
  Endpoint& client = c->ends[index_of(End::client)];
  if (client.state != EndState::connecting) return;
  if (!accepted) {
    trace::TraceEvent event;
    event.kind = trace::EventKind::refused;
    event.connection = id;
    event.actor = client.name;
    event.detail = on_accept_ ? "broker down" : "nobody listening";
    record(std::move(event));
    close_end(*c, End::client, CloseReason::refused);
    return;
  }
  client.state = EndState::open;
  trace::TraceEvent event;
  event.kind = trace::EventKind::accept;
  event.connection = id;
  event.actor = client.name;
  event.detail = "established";
  record(std::move(event));
  if (client.callbacks.on_open) client.callbacks.on_open();
}

// --- data -------------------------------------------------------------------

Expected<std::size_t, SendError> Network::send(ConnectionId id, End from, ByteView bytes) {
  Connection* c = find(id);
  if (!c) return Unexpected{SendError::unknown_connection};
  const EndState state = c->ends[index_of(from)].state;
  if (state == EndState::connecting) return Unexpected{SendError::not_open};
  if (state == EndState::closed) return Unexpected{SendError::closed};
  Pipe& pipe = c->pipes[index_of(from)];
  if (bytes.size() > limits_.queued_bytes_per_direction_max - pipe.queued_bytes) {
    return Unexpected{SendError::buffer_full};
  }
  // Bounded: every segment takes at least one byte.
  std::size_t offset = 0;
  while (offset < bytes.size()) {
    const auto drawn = static_cast<std::size_t>(
        c->rng.uniform(c->params.segment_bytes_min, c->params.segment_bytes_max));
    const std::size_t length = std::min(drawn, bytes.size() - offset);
    const auto first = bytes.begin() + static_cast<std::ptrdiff_t>(offset);
    queue_segment(*c, from,
                  Segment{{first, first + static_cast<std::ptrdiff_t>(length)}, false, 0});
    offset += length;
  }
  return bytes.size();
}

void Network::queue_segment(Connection& c, End from, Segment segment) {
  Pipe& pipe = c.pipes[index_of(from)];
  const std::uint64_t index = pipe.next_index++;
  // Serialisation: the segment leaves once the link has sent everything before it.
  Duration serialisation = Duration::zero();
  if (c.params.bandwidth_bytes_per_s > 0) {
    const std::uint64_t rate = c.params.bandwidth_bytes_per_s;
    serialisation = Duration::from_us(
        static_cast<std::int64_t>((segment.bytes.size() * 1'000'000 + rate - 1) / rate));
  }
  pipe.link_free_at = std::max(pipe.link_free_at, sim_.now()) + serialisation;
  pipe.queued_bytes += segment.bytes.size();
  pipe.in_flight.emplace(index, std::move(segment));
  const SegmentRef ref = segment_ref(c.id, from, index);
  sim_.schedule_at(pipe.link_free_at, [this, ref] { transmit(ref); });
}

Network::SegmentRef Network::segment_ref(ConnectionId id, End from, std::uint64_t index) {
  assert(id <= connection_id_max);
  if (index > segment_index_max) throw std::length_error("net: 2^39 segments on one stream");
  return SegmentRef{(id << 40) | (std::uint64_t{from == End::broker} << 39) | index};
}

void Network::transmit(SegmentRef ref) {
  const ConnectionId id = ref.id();
  const End from = ref.from();
  const std::uint64_t index = ref.index();
  Connection* c = find(id);
  if (!c) return;
  Pipe& pipe = c->pipes[index_of(from)];
  const auto it = pipe.in_flight.find(index);
  if (it == pipe.in_flight.end()) return;  // discarded by a close or a fault
  Segment& segment = it->second;
  // As TCP does, the sender gives up one RTO after the last retransmission.
  if (segment.retransmits > c->params.max_retransmits) {
    // If its application already closed (this was its FIN or the data
    // before it), there is nobody left to tell.
    if (c->ends[index_of(from)].state != EndState::closed) {
      close_end(*c, from, CloseReason::timeout);
    } else {
      discard(pipe);
    }
    send_rst(*c, from);
    maybe_retire(*c);
    return;
  }
  const bool lost = c->rng.chance(loss_ppm(*c));
  if (lost || cut_off(*c)) {
    ++segment.retransmits;
    sim_.schedule_after(backoff(*c, segment.retransmits), [this, ref] { transmit(ref); });
    return;
  }
  pipe.last_arrival = std::max(sim_.now() + one_way_delay(*c), pipe.last_arrival);
  sim_.schedule_at(pipe.last_arrival, [this, ref] { arrive(ref); });
}

void Network::arrive(SegmentRef ref) {
  const ConnectionId id = ref.id();
  const End from = ref.from();
  const std::uint64_t index = ref.index();
  Connection* c = find(id);
  if (!c) return;
  Pipe& pipe = c->pipes[index_of(from)];
  const auto it = pipe.in_flight.find(index);
  if (it == pipe.in_flight.end()) return;
  const End to = peer_of(from);
  // Data never overtakes the handshake (arrivals are clamped behind it).
  assert(c->ends[index_of(to)].state != EndState::connecting);
  if (c->ends[index_of(to)].state == EndState::closed) {
    // Nobody reads this end any more: its host answers data with an RST.
    const bool fin = it->second.fin;
    pipe.queued_bytes -= it->second.bytes.size();
    pipe.in_flight.erase(it);
    if (!fin) send_rst(*c, to);
    return;
  }
  pipe.arrived.insert(pipe.in_flight.extract(it));
  deliver_ready(id, to);
}

void Network::deliver_ready(ConnectionId id, End to) {
  const End from = peer_of(to);
  // Bounded by the segments that have arrived: callbacks cannot add any.
  const Connection* start = find(id);
  [[maybe_unused]] const std::size_t waiting =
      start ? start->pipes[index_of(from)].arrived.size() : 0;
  for (std::size_t delivered = 0;; ++delivered) {
    assert(delivered <= waiting);
    Connection* c = find(id);
    if (!c || c->ends[index_of(to)].state != EndState::open) return;
    Pipe& pipe = c->pipes[index_of(from)];
    const auto it = pipe.arrived.find(pipe.next_deliver);
    if (it == pipe.arrived.end()) return;
    Segment segment = std::move(it->second);
    pipe.arrived.erase(it);
    ++pipe.next_deliver;
    pipe.queued_bytes -= segment.bytes.size();
    if (segment.fin) {
      assert(pipe.arrived.empty() && pipe.in_flight.empty());
      close_end(*c, to, CloseReason::peer_closed);
      return;
    }
    trace::TraceEvent event;
    event.kind = trace::EventKind::bytes;
    event.connection = id;
    event.actor = c->ends[index_of(to)].name;
    event.direction = direction_from(from);
    event.bytes = segment.bytes;
    record(std::move(event));
    if (auto& on_bytes = c->ends[index_of(to)].callbacks.on_bytes) on_bytes(segment.bytes);
  }
}

// --- closing ----------------------------------------------------------------

void Network::close(ConnectionId id, End end) {
  Connection* c = find(id);
  if (!c) return;
  Endpoint& endpoint = c->ends[index_of(end)];
  if (endpoint.state == EndState::closed) return;
  if (endpoint.state == EndState::connecting) {
    abort(id, end);  // nothing to flush before the handshake
    return;
  }
  endpoint.state = EndState::closed;
  record_close(*c, end, CloseReason::graceful);
  discard(c->pipes[index_of(peer_of(end))]);  // the application reads no more
  queue_segment(*c, end, Segment{{}, true, 0});
  maybe_retire(*c);
}

void Network::abort(ConnectionId id, End end) {
  Connection* c = find(id);
  if (!c) return;
  Endpoint& endpoint = c->ends[index_of(end)];
  if (endpoint.state == EndState::closed) return;
  endpoint.state = EndState::closed;
  abandon_handshake(*c, end);
  record_close(*c, end, CloseReason::aborted);
  discard(c->pipes[index_of(end)]);
  discard(c->pipes[index_of(peer_of(end))]);
  send_rst(*c, end);
  maybe_retire(*c);
}

void Network::send_rst(Connection& c, End from) {
  const bool lost = c.rng.chance(loss_ppm(c));
  if (lost || cut_off(c)) return;  // RSTs are not retransmitted
  Pipe& pipe = c.pipes[index_of(from)];
  pipe.last_arrival = std::max(sim_.now() + one_way_delay(c), pipe.last_arrival);
  const ConnectionId id = c.id;
  const End to = peer_of(from);
  sim_.schedule_at(pipe.last_arrival, [this, id, to] { rst_arrive(id, to); });
}

void Network::rst_arrive(ConnectionId id, End to) {
  Connection* c = find(id);
  if (!c) return;
  Endpoint& endpoint = c->ends[index_of(to)];
  if (endpoint.state == EndState::closed) return;
  if (endpoint.state == EndState::connecting && to == End::broker) {
    endpoint.state = EndState::closed;  // never accepted: nothing to tell
    maybe_retire(*c);
    return;
  }
  close_end(*c, to, CloseReason::reset);
}

void Network::abandon_handshake(Connection& c, End closing) {
  // A client that gives up before the broker accepted takes the half-made
  // connection with it: a SYN still on its way is ignored when it arrives.
  Endpoint& broker = c.ends[index_of(End::broker)];
  if (closing == End::client && broker.state == EndState::connecting) {
    broker.state = EndState::closed;
  }
}

void Network::discard(Pipe& pipe) {
  pipe.in_flight.clear();
  pipe.arrived.clear();
  pipe.queued_bytes = 0;
}

void Network::close_end(Connection& c, End end, CloseReason reason) {
  Endpoint& endpoint = c.ends[index_of(end)];
  assert(endpoint.state != EndState::closed);
  endpoint.state = EndState::closed;
  abandon_handshake(c, end);
  discard(c.pipes[index_of(end)]);
  discard(c.pipes[index_of(peer_of(end))]);
  record_close(c, end, reason);
  // Moved out: the callback may reach back into the network.
  auto on_closed = std::move(endpoint.callbacks.on_closed);
  endpoint.callbacks = {};
  maybe_retire(c);
  if (on_closed) on_closed(reason);
}

void Network::maybe_retire(Connection& c) {
  if (c.retiring) return;
  for (const Endpoint& end : c.ends) {
    if (end.state != EndState::closed) return;
  }
  // Erased in an event of its own, so no caller up the stack holds a
  // dangling reference; events still queued for it find nothing.
  c.retiring = true;
  const ConnectionId id = c.id;
  sim_.schedule_after(Duration::zero(), [this, id] { connections_.erase(id); });
}

// --- inspection ---------------------------------------------------------------

std::optional<EndState> Network::state(ConnectionId id, End end) const {
  const Connection* c = find(id);
  if (!c) return std::nullopt;
  return c->ends[index_of(end)].state;
}

std::vector<ConnectionId> Network::live_connections() const {
  std::vector<ConnectionId> ids;
  for (const auto& [id, c] : connections_) {
    if (!c.retiring) ids.push_back(id);
  }
  return ids;
}

std::vector<ConnectionId> Network::live_connections_of(std::string_view client) const {
  std::vector<ConnectionId> ids;
  for (const auto& [id, c] : connections_) {
    if (!c.retiring && c.client_name == client) ids.push_back(id);
  }
  return ids;
}

}  // namespace mqttsim::net
