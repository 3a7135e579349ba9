#pragma once
// What a ClientSession asks its driver (or tells its application) to do.
// take_actions() hands them over in the order they happened; the driver
// carries out SendBytes and Close in that order and passes the rest to the
// application (the simulator's virtual client, or `mqttsim check`).

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/spec_ref.hpp"
#include "codec/packet.hpp"

namespace mqttsim::protocol {

// Names an application publish for its whole life: queued, sent, resent
// after a reconnect, completed. Numbered 1, 2, ... per ClientSession.
using MessageId = std::uint64_t;
// Names a subscribe() or unsubscribe() call, numbered 1, 2, ... per session.
using RequestId = std::uint64_t;

// Write these bytes (exactly one whole packet) to the network connection.
struct SendBytes {
  codec::PacketType type = codec::PacketType::pingreq;
  codec::Bytes bytes;
};

enum class CloseReason : std::uint8_t {
  client_disconnected,  // the application called disconnect()
  connack_refused,      // CONNACK with a non-zero code
  connack_timeout,      // no CONNACK within keep-alive after CONNECT
  keep_alive_timeout,   // no PINGRESP within keep-alive after PINGREQ
  server_disconnected,  // 5.0 DISCONNECT from the server
  malformed_packet,     // bytes from the server did not decode
  protocol_violation,   // the server broke a rule that ends the connection
};

// Close the network connection (after writing everything sent before it).
// The session state survives; connection_closed() need not be called after.
struct Close {
  CloseReason reason = CloseReason::client_disconnected;
  std::string detail;
};

// CONNACK arrived. `code` is a 3.1.1 return code or a 5.0 reason code; any
// non-zero code is followed by Close{connack_refused}.
struct Connected {
  bool session_present = false;
  std::uint8_t code = 0;
  codec::Properties properties;
  bool accepted() const { return code == 0; }
};

// An application message from the server. The client application has
// received it when this is emitted; the PUBACK / PUBREC follows.
struct Delivered {
  std::uint64_t sequence = 0;  // 1, 2, ... per ClientSession
  std::string topic;
  codec::Bytes payload;
  codec::QoS qos = codec::QoS::at_most_once;
  bool retain = false;
  bool dup = false;
  std::uint16_t packet_id = 0;
  codec::Properties properties;
};

struct Subscribed {
  RequestId request = 0;
  std::uint16_t packet_id = 0;
  // 3.1.1: granted QoS or 0x80; 5.0: a ReasonCode value. One per filter.
  std::vector<std::uint8_t> reason_codes;
  codec::Properties properties;
};

struct Unsubscribed {
  RequestId request = 0;
  std::uint16_t packet_id = 0;
  std::vector<codec::ReasonCode> reason_codes;  // 5.0 only
  codec::Properties properties;
};

enum class PublishOutcome : std::uint8_t {
  sent,          // QoS 0: written to the connection (no acknowledgement exists)
  acknowledged,  // QoS 1 PUBACK or QoS 2 PUBCOMP with a success code
  rejected,      // 5.0 PUBACK or PUBREC with a reason code of 0x80 or above
  session_lost,  // in flight when the session state was discarded (clean
                 // start, or Session Present 0): delivery unknown
  too_large,     // bigger than the server's 5.0 Maximum Packet Size: never sent
  not_allowed,   // queued while offline, then beyond the 5.0 Maximum QoS or
                 // Retain Available of the CONNACK: never sent
};

// An application publish has finished, one way or another.
struct Published {
  MessageId message = 0;
  codec::QoS qos = codec::QoS::at_most_once;
  std::uint16_t packet_id = 0;  // 0 for QoS 0 and for messages never sent
  PublishOutcome outcome = PublishOutcome::sent;
  codec::ReasonCode reason = codec::ReasonCode::success;  // 5.0
};

// 5.0: the server sent DISCONNECT. Close{server_disconnected} follows.
struct ServerDisconnected {
  codec::ReasonCode reason = codec::ReasonCode::success;
  codec::Properties properties;
};

// The server broke a rule the client can see. `closed` says whether the
// client ends the connection for it (a Close action follows) or only
// reports it and carries on.
struct ProtocolViolation {
  SpecRef spec;
  std::string message;
  bool closed = false;
};

struct PingAnswered {};  // PINGRESP arrived

using Action = std::variant<SendBytes, Close, Connected, Delivered, Subscribed, Unsubscribed,
                            Published, ServerDisconnected, ProtocolViolation, PingAnswered>;

// Why the application's call was refused; nothing was queued or sent.
enum class ClientError : std::uint8_t {
  queue_full,            // max_queued_publishes reached
  not_connected,         // subscribe/unsubscribe/ping need an accepted connection
  already_connected,     // connection_opened() while a connection is open
  no_packet_id,          // all 65,535 packet identifiers are in use
  invalid_packet,        // the packet would not decode at the server (bad topic, ...)
  qos_not_supported,     // above the 5.0 Maximum QoS from CONNACK (MQTT-3.2.2-11)
  retain_not_supported,  // RETAIN=1 after 5.0 Retain Available 0 (MQTT-3.2.2-14)
};

std::string_view to_string(CloseReason reason);
std::string_view to_string(PublishOutcome outcome);
std::string_view to_string(ClientError error);

}  // namespace mqttsim::protocol
