#pragma once
// The trace as the broker saw it. Every checker judges the broker from its
// own socket: the packets it received and sent on each connection (events
// of actor "broker"), when each connection ended, and when the broker
// restarted. In simulation those events are the broker process's own; in
// `mqttsim check` the fault proxy records them at the broker's socket. So
// the order of events in the trace is the order the broker acted in, and
// checkers compare trace indices, never clocks of two parties.
//
// Packets are decoded here, with the codec, from the bytes the trace holds;
// bytes that do not decode are kept as `malformed` for the wire checker.
//
// What the broker received that did not decode is read from the `bytes`
// events at the broker's socket (actor "broker", client_to_broker: each
// chunk its end received, in order), not from any note of the broker: each
// connection's inbound stream is read again here with
// codec::PacketReader::for_server(), as a server must read it (CONNECT
// first, then the version CONNECT names), up to the first packet that does
// not decode (ConnectionView::bad_input). The simulated network records
// these events for the reference broker. A world that plays against an
// external broker gives the oracle the same view by recording, as actor
// "broker", the chunks its fault proxy writes to the broker's socket;
// where no such events exist, no bad input is seen and nothing of it is
// judged.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "codec/codec.hpp"
#include "oracle/indices.hpp"
#include "trace/trace.hpp"

namespace mqttsim::oracle {

// The actor name of the broker's own events in a trace.
using trace::broker_actor;

struct SeenPacket {
  TraceIndex index;
  TimePoint time;
  trace::Direction direction = trace::Direction::none;
  codec::Packet packet;

  bool from_client() const { return direction == trace::Direction::client_to_broker; }
  bool to_client() const { return direction == trace::Direction::broker_to_client; }
};

struct MalformedPacket {
  TraceIndex index;
  ConnectionIndex connection;
  trace::Direction direction = trace::Direction::none;
  codec::DecodeError error;
};

// The first packet of a connection's inbound stream that is not a valid
// packet for a server to receive: it does not decode, breaks the framing,
// or is not CONNECT though it comes first (MQTT-3.1.0-1).
struct BadInput {
  TraceIndex index;  // the `bytes` event with which the broker had it
  TimePoint time;
  codec::DecodeError error;         // error.offset counts from the packet's start
  std::uint64_t stream_offset = 0;  // where the packet starts in the stream
  codec::Bytes bytes;               // the stream from the packet's start, as far as it arrived
};

// One network connection, from the broker's side.
struct ConnectionView {
  trace::ConnectionId id = 0;
  ProtocolVersion version = ProtocolVersion::v3_1_1;
  TraceIndex first_index;
  IndexedVector<PacketPosition, SeenPacket> packets;  // both directions, in trace order
  // The CONNECT the broker received and the CONNACK it answered.
  std::optional<PacketPosition> connect;
  std::optional<PacketPosition> connack;
  // The client's DISCONNECT, and the broker's (5.0).
  std::optional<PacketPosition> client_disconnect;
  std::optional<PacketPosition> server_disconnect;
  // When the broker's end closed or learnt of the close.
  std::optional<TraceIndex> closed_index;
  std::optional<TimePoint> closed_at;
  trace::CloseReason close_reason = trace::CloseReason::none;
  // The harness reset it and could not read the broker's last bytes
  // (trace::Mark::output_may_be_unseen): the broker may have sent more.
  bool output_unseen_at_close = false;
  // Read from the `bytes` events (see the top of this file).
  std::optional<BadInput> bad_input;

  const codec::Connect* connect_packet() const;
  const codec::Connack* connack_packet() const;
  // Accepted: a CONNECT that decoded, answered by a CONNACK with code 0.
  bool accepted() const;
  std::string client_id() const;  // "" before CONNECT
  // The 5.0 Session Expiry Interval in force when it closed: CONNECT's,
  // unless the broker's CONNACK or the client's DISCONNECT changed it. Only
  // for an answered CONNECT.
  std::uint32_t session_expiry_s() const;
  // The first of `packets` at or after trace index `index` (a search: the
  // packets are in trace order).
  IndexedVector<PacketPosition, SeenPacket>::const_iterator packets_from(TraceIndex index) const;
};

// A broker restart: the process died (every connection reset) and started
// again, keeping its sessions and retained messages or not.
struct Restart {
  TraceIndex index;
  TimePoint time;
  bool state_lost = false;
  // When the broker accepted connections again: the world's `broker_up`
  // fault after the restart, else the note's down_for after it.
  TimePoint up_at;
};

struct Observation {
  const trace::Trace* trace = nullptr;
  IndexedVector<ConnectionIndex, ConnectionView> connections;  // in order of first appearance
  std::vector<Restart> restarts;
  std::vector<MalformedPacket> malformed;
  TraceIndex end_index;  // the trace's size: one past its last event
  TimePoint end_time;    // when the run ended (trace::Trace::end_time)
  // The trace was recorded outside a real broker (trace::Mark::observed_from_outside):
  // the broker's receipt of a packet is known only from what it sent back.
  bool from_outside = false;

  // The trace's event at `index` (below end_index).
  const trace::TraceEvent& event(TraceIndex index) const { return (*trace)[index.value()]; }
  // The connection with this trace id, if the broker saw it.
  const ConnectionView* find(trace::ConnectionId id) const;
  // The broker restart that closed this accepted connection, if one did:
  // the broker process died with it, so nothing it would have done at the
  // close (publishing the will, starting the session's expiry) can be
  // expected of it at that moment.
  const Restart* restart_that_closed(const ConnectionView& c) const;
  bool closed_by_restart(const ConnectionView& c) const {
    return restart_that_closed(c) != nullptr;
  }
};

Observation observe(const trace::Trace& trace);

}  // namespace mqttsim::oracle
