#include "oracle/observation.hpp"

#include <map>

namespace mqttsim::oracle {

const codec::Connect* ConnectionView::connect_packet() const {
  return connect ? std::get_if<codec::Connect>(&packets[*connect].packet) : nullptr;
}

const codec::Connack* ConnectionView::connack_packet() const {
  return connack ? std::get_if<codec::Connack>(&packets[*connack].packet) : nullptr;
}

bool ConnectionView::accepted() const {
  const codec::Connack* ack = connack_packet();
  return ack != nullptr && ack->code == 0;
}

std::string ConnectionView::client_id() const {
  const codec::Connect* c = connect_packet();
  return c ? c->client_id : std::string{};
}

const ConnectionView* Observation::find(trace::ConnectionId id) const {
  for (const ConnectionView& c : connections) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

Observation observe(const trace::Trace& trace) {
  Observation seen;
  seen.trace = &trace;
  seen.end_index = trace.size();
  std::map<trace::ConnectionId, std::size_t> by_id;
  const auto connection = [&](const trace::TraceEvent& event,
                              std::size_t index) -> ConnectionView& {
    const auto [it, added] = by_id.try_emplace(event.connection, seen.connections.size());
    if (added) seen.connections.push_back({.id = event.connection, .first_index = index});
    return seen.connections[it->second];
  };
  for (std::size_t index = 0; index < trace.size(); ++index) {
    const trace::TraceEvent& event = trace[index];
    seen.end_time = event.time;
    if (event.actor != broker_actor) continue;
    if (event.kind == trace::EventKind::note && event.detail.starts_with(restart_note_prefix)) {
      const std::string_view state =
          std::string_view{event.detail}.substr(restart_note_prefix.size());
      seen.restarts.push_back(
          {.index = index, .time = event.time, .state_lost = state.starts_with("lost")});
      continue;
    }
    if (event.kind == trace::EventKind::close && event.connection != 0) {
      ConnectionView& c = connection(event, index);
      if (!c.closed_index) {
        c.closed_index = index;
        c.closed_at = event.time;
        c.close_reason = event.close_reason;
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
    const std::size_t position = c.packets.size();
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
