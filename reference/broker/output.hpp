#pragma once
// What the broker asks its driver to do. The broker does no I/O: the driver
// (the simulator, or `mqttsim serve` over TCP) carries these out in order.

#include <cstdint>
#include <string>
#include <variant>

#include "broker/session.hpp"
#include "codec/packet.hpp"

namespace mqttsim::broker {

// Write these bytes (one whole packet) to the connection.
struct SendBytes {
  ConnectionId connection = 0;
  codec::PacketType type = codec::PacketType::pingresp;
  codec::Bytes bytes;
};

// Close the network connection (after writing everything sent before).
struct CloseConnection {
  ConnectionId connection = 0;
  std::string reason;
};

// Something the broker decided that is invisible on the wire but matters to
// whoever reads the trace: a queue-limit drop, a will published, a session
// expired. The oracle never relies on these (an external broker has none);
// they make a trace explain itself.
enum class NoteKind : std::uint8_t {
  session_created,
  session_resumed,
  session_discarded,  // Clean Session / Clean Start, or its connection ended
  session_expired,    // 5.0 Session Expiry Interval ran out
  session_taken_over,
  message_queued,
  queue_limit_drop,
  message_expired,  // 5.0 Message Expiry Interval ran out before delivery
  packet_too_large_dropped,
  will_published,
  will_discarded,
  retained_stored,
  retained_cleared,
  keep_alive_timeout,
  protocol_violation,
  connection_refused,
};

struct Note {
  NoteKind kind = NoteKind::session_created;
  std::string client_id;
  std::string text;
};

using Output = std::variant<SendBytes, CloseConnection, Note>;

std::string_view to_string(NoteKind kind);

}  // namespace mqttsim::broker
