#include "broker/output.hpp"

namespace mqttsim::broker {

std::string_view to_string(NoteKind kind) {
  switch (kind) {
    case NoteKind::session_created:
      return "session_created";
    case NoteKind::session_resumed:
      return "session_resumed";
    case NoteKind::session_discarded:
      return "session_discarded";
    case NoteKind::session_expired:
      return "session_expired";
    case NoteKind::session_taken_over:
      return "session_taken_over";
    case NoteKind::message_queued:
      return "message_queued";
    case NoteKind::queue_limit_drop:
      return "queue_limit_drop";
    case NoteKind::message_expired:
      return "message_expired";
    case NoteKind::packet_too_large_dropped:
      return "packet_too_large_dropped";
    case NoteKind::will_published:
      return "will_published";
    case NoteKind::will_discarded:
      return "will_discarded";
    case NoteKind::retained_stored:
      return "retained_stored";
    case NoteKind::retained_cleared:
      return "retained_cleared";
    case NoteKind::keep_alive_timeout:
      return "keep_alive_timeout";
    case NoteKind::protocol_violation:
      return "protocol_violation";
    case NoteKind::connection_refused:
      return "connection_refused";
  }
  return "?";
}

}  // namespace mqttsim::broker
