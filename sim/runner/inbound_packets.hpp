#pragma once
// The trace's own reading of what the broker sends a client, shared by the
// simulated and the TCP client: it decodes the stream apart from the
// session, so the trace records what arrived even when the session rejects
// it, and on a raw connection (which no session reads) it keeps what an
// `expect closed` needs.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "codec/packet_reader.hpp"

namespace mqttsim::runner {

// Feeds `bytes` to `reader` and hands each whole packet, with its bytes, to
// `on_packet`. Returns the decode error, as text, when the stream turns
// unreadable here (the reader then stops; later calls read nothing).
std::optional<std::string> read_inbound_packets(
    codec::PacketReader& reader, codec::ByteView bytes,
    const std::function<void(const codec::Packet&, codec::Bytes)>& on_packet);

// What the broker answered on the current connection: a refused or
// accepted CONNECT's code and a 5.0 DISCONNECT's reason.
struct BrokerAnswers {
  std::optional<std::uint8_t> connack_code;
  std::optional<std::uint8_t> server_reason;

  // From a packet read on a raw connection.
  void note(const codec::Packet& packet);
};

}  // namespace mqttsim::runner
