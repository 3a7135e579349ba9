#pragma once
// One observable event of a run. The trace is what the checkers judge and
// what determinism is measured on, so an event holds only values (no
// pointers, no floats) and renders to one stable line of text.
//
// Fields by kind (unused ones keep their defaults):
//   connect_attempt  actor = client; detail = link parameters
//   accept           actor = the accepting end ("broker")
//   refused          actor = client; detail = why
//   bytes            actor = receiving end; direction; bytes = the chunk delivered
//   packet           actor = recorder; direction; protocol; bytes = whole packet;
//                    detail empty: the packet's description is derived from
//                    the bytes when rendered (describe); set only where the
//                    bytes do not decode, to say why
//   fault            actor = "network" or the fault source; fault; detail = parameters
//   close            actor = the end that closed or learnt of the close; close_reason
//   timer            actor = owner; detail = which timer
//   note             actor and detail free-form
// A fact the oracle reads is a typed `mark` (with `down_for` for a restart),
// never parsed out of `detail`, which is free text for readers.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/spec_ref.hpp"
#include "base/time.hpp"

namespace mqttsim::trace {

using ConnectionId = std::uint64_t;  // 0: not tied to a connection
using Bytes = std::vector<std::uint8_t>;

enum class EventKind : std::uint8_t {
  connect_attempt,
  accept,
  refused,
  bytes,
  packet,
  fault,
  close,
  timer,
  note,
};

enum class Direction : std::uint8_t {
  none,
  client_to_broker,
  broker_to_client,
};

enum class FaultKind : std::uint8_t {
  none,
  reset,        // both ends learn, each after its own delay; bytes in flight are lost
  half_open,    // one end learns; the other's writes vanish
  partition,    // a set of clients is cut off
  heal,         // a partition ends
  broker_down,  // new connections are refused
  broker_up,
};

enum class CloseReason : std::uint8_t {
  none,
  graceful,     // this end's application closed; queued bytes were sent first
  peer_closed,  // the peer closed gracefully and every byte before it arrived
  aborted,      // this end's application aborted (reset, queued bytes lost)
  reset,        // the peer aborted or the network reset the connection
  timeout,      // retransmissions ran out (long partition, half-open link)
  refused,      // nobody listened: the broker was down
};

enum class Mark : std::uint8_t {
  none,
  // On the note a world that plays a real broker (mqttsim check) writes
  // first: the trace's order across connections is the order the harness
  // saw things, not the order the broker did them. A PUBLISH the harness
  // wrote to one socket may be read by the broker after a SUBSCRIBE written
  // later to another; only what the broker wrote back proves what it had
  // done.
  observed_from_outside,
  // On the broker's note that it restarts, keeping or losing its sessions,
  // queues and retained messages; `down_for`: how long it stays down.
  restart_keeps_state,
  restart_loses_state,
  // On a broker-side `close` when the harness ended the broker's connection
  // while the broker could still be writing (our RST, or our FIN before the
  // broker closed): what the broker wrote just before may never have
  // reached the harness. Bytes a broker has written can wait in its own
  // host's send queue (Nagle's algorithm holding a small segment until the
  // last one is acknowledged, a full receive window), and an RST discards
  // them there; over TLS even the bytes that did arrive cannot be read
  // beside the pending read. Such a PUBLISH was an attempt all the same,
  // and its resend rightly carries DUP=1 (the dup-flag checker reads this).
  // Likewise what the harness wrote just before may never have been read.
  output_may_be_unseen,
};

std::string_view to_string(EventKind kind);
std::string_view to_string(Direction direction);
std::string_view to_string(FaultKind kind);
std::string_view to_string(CloseReason reason);
std::string_view to_string(Mark mark);

struct TraceEvent {
  TimePoint time;
  EventKind kind = EventKind::note;
  ConnectionId connection = 0;
  std::string actor;
  Direction direction = Direction::none;
  FaultKind fault = FaultKind::none;
  CloseReason close_reason = CloseReason::none;
  std::optional<ProtocolVersion> protocol;  // packets only
  std::string detail;
  Bytes bytes;
  Mark mark = Mark::none;
  Duration down_for;  // restart marks only

  bool operator==(const TraceEvent&) const = default;
};

// The broker's note that it restarts, keeping its state or not, and stays
// down for `down_for` (Mark::restart_keeps_state / restart_loses_state):
// written by whichever world restarts the broker, read by the oracle.
TraceEvent restart_note(TimePoint time, bool keeps_state, Duration down_for);

// The event's detail as rendered: a packet's is its one-line description
// (codec::describe), derived from the bytes on demand, so that recording a
// packet costs no text; any other's is `detail` itself.
std::string describe(const TraceEvent& event);

// The canonical one-line rendering (no trailing newline): fields in a fixed
// order, the detail (describe) quoted with non-printable bytes escaped,
// bytes in lowercase hex.
std::string render(const TraceEvent& event);
// The same, appended to `out` (which callers may reuse between events).
void render_to(std::string& out, const TraceEvent& event);

}  // namespace mqttsim::trace
