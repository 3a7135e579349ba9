#pragma once
// Bytes <-> packets. `decode` takes exactly one whole packet (fixed header
// included), as the framer yields it; `encode` produces canonical bytes:
// shortest remaining-length encoding, properties in ascending identifier
// order, and 5.0 acknowledgements in their shortest form.

#include <cstdint>
#include <span>

#include "base/expected.hpp"
#include "codec/decode_error.hpp"
#include "codec/packet.hpp"

namespace mqttsim::codec {

using ByteView = std::span<const std::uint8_t>;

// Appends the encoding of `packet` to `out`. A CONNECT is always encoded with
// its own `version` field, whatever `version` says.
void encode_to(const Packet& packet, ProtocolVersion version, Bytes& out);
Bytes encode(const Packet& packet, ProtocolVersion version);

// Decodes one whole packet. A CONNECT determines its version from its own
// protocol level byte; every other packet is decoded as `version`.
Expected<Packet, DecodeError> decode(ByteView whole_packet, ProtocolVersion version);

}  // namespace mqttsim::codec
