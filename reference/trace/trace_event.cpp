#include "trace/trace_event.hpp"

#include <algorithm>

#include "codec/codec.hpp"
#include "codec/print.hpp"

namespace mqttsim::trace {

std::string_view to_string(EventKind kind) {
  switch (kind) {
    case EventKind::connect_attempt:
      return "connect_attempt";
    case EventKind::accept:
      return "accept";
    case EventKind::refused:
      return "refused";
    case EventKind::bytes:
      return "bytes";
    case EventKind::packet:
      return "packet";
    case EventKind::fault:
      return "fault";
    case EventKind::close:
      return "close";
    case EventKind::timer:
      return "timer";
    case EventKind::note:
      return "note";
  }
  return "?";
}

std::string_view to_string(Direction direction) {
  switch (direction) {
    case Direction::none:
      return "none";
    case Direction::client_to_broker:
      return "c2b";
    case Direction::broker_to_client:
      return "b2c";
  }
  return "?";
}

std::string_view to_string(FaultKind kind) {
  switch (kind) {
    case FaultKind::none:
      return "none";
    case FaultKind::reset:
      return "reset";
    case FaultKind::half_open:
      return "half_open";
    case FaultKind::partition:
      return "partition";
    case FaultKind::heal:
      return "heal";
    case FaultKind::broker_down:
      return "broker_down";
    case FaultKind::broker_up:
      return "broker_up";
  }
  return "?";
}

std::string_view to_string(CloseReason reason) {
  switch (reason) {
    case CloseReason::none:
      return "none";
    case CloseReason::graceful:
      return "graceful";
    case CloseReason::peer_closed:
      return "peer_closed";
    case CloseReason::aborted:
      return "aborted";
    case CloseReason::reset:
      return "reset";
    case CloseReason::timeout:
      return "timeout";
    case CloseReason::refused:
      return "refused";
  }
  return "?";
}

std::string_view to_string(Mark mark) {
  switch (mark) {
    case Mark::none:
      return "none";
    case Mark::observed_from_outside:
      return "observed_from_outside";
    case Mark::restart_keeps_state:
      return "restart_keeps_state";
    case Mark::restart_loses_state:
      return "restart_loses_state";
    case Mark::output_may_be_unseen:
      return "output_may_be_unseen";
  }
  return "?";
}

namespace {

constexpr char hex_digits[] = "0123456789abcdef";

bool needs_escape(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return c == '"' || c == '\\' || byte < 0x20 || byte >= 0x7f;
}

// Plain runs go in whole: rendering every event is on the hot path of the
// trace hash.
void append_quoted(std::string& out, std::string_view text) {
  out += '"';
  while (!text.empty()) {
    const auto plain = static_cast<std::size_t>(
        std::find_if(text.begin(), text.end(), needs_escape) - text.begin());
    out.append(text.substr(0, plain));
    if (plain == text.size()) break;
    const char c = text[plain];
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else {
      out += "\\x";
      out += hex_digits[byte >> 4];
      out += hex_digits[byte & 0xf];
    }
    text.remove_prefix(plain + 1);
  }
  out += '"';
}

}  // namespace

TraceEvent restart_note(TimePoint time, bool keeps_state, Duration down_for) {
  return {.time = time,
          .kind = EventKind::note,
          .actor = "broker",
          .detail = std::string{"restart, "} + (keeps_state ? "keeping" : "losing") +
                    " its state, down for " + to_string(down_for),
          .mark = keeps_state ? Mark::restart_keeps_state : Mark::restart_loses_state,
          .down_for = down_for};
}

std::string describe(const TraceEvent& event) {
  if (event.kind != EventKind::packet || !event.detail.empty() || !event.protocol) {
    return event.detail;
  }
  const auto packet = codec::decode(event.bytes, *event.protocol);
  if (!packet) return "undecodable: " + codec::to_string(packet.error());
  return codec::describe(*packet, *event.protocol);
}

std::string render(const TraceEvent& event) {
  std::string out;
  render_to(out, event);
  return out;
}

void render_to(std::string& out, const TraceEvent& event) {
  // "<time_us> <kind> conn=<id> actor=<quoted> [dir=..] [fault=..] [close=..]
  //  [protocol=..] [mark=..] [down_for_us=..] detail=<quoted> bytes=<n>:<hex>"
  out += std::to_string(event.time.since_origin_us());
  out += ' ';
  out += to_string(event.kind);
  out += " conn=";
  out += std::to_string(event.connection);
  out += " actor=";
  append_quoted(out, event.actor);
  if (event.direction != Direction::none) {
    out += " dir=";
    out += to_string(event.direction);
  }
  if (event.fault != FaultKind::none) {
    out += " fault=";
    out += to_string(event.fault);
  }
  if (event.close_reason != CloseReason::none) {
    out += " close=";
    out += to_string(event.close_reason);
  }
  if (event.protocol) {
    out += " protocol=";
    out += mqttsim::to_string(*event.protocol);
  }
  if (event.mark != Mark::none) {
    out += " mark=";
    out += to_string(event.mark);
  }
  if (event.down_for != Duration::zero()) {
    out += " down_for_us=";
    out += std::to_string(event.down_for.count_us());
  }
  out += " detail=";
  if (event.kind == EventKind::packet && event.detail.empty()) {
    append_quoted(out, describe(event));
  } else {
    append_quoted(out, event.detail);
  }
  out += " bytes=";
  out += std::to_string(event.bytes.size());
  out += ':';
  std::size_t at = out.size();
  out.resize(at + 2 * event.bytes.size());
  for (const std::uint8_t byte : event.bytes) {
    out[at++] = hex_digits[byte >> 4];
    out[at++] = hex_digits[byte & 0xf];
  }
}

}  // namespace mqttsim::trace
