#pragma once
// Bytes <-> packets. `decode` takes exactly one whole packet (fixed header
// included), as the framer yields it; `encode` produces canonical bytes:
// shortest remaining-length encoding, properties in ascending identifier
// order, and 5.0 acknowledgements in their shortest form.

#include <cstdint>
#include <optional>
#include <span>

#include "base/expected.hpp"
#include "codec/decode_error.hpp"
#include "codec/packet.hpp"

namespace mqttsim::codec {

using ByteView = std::span<const std::uint8_t>;

// Appends the encoding of `packet` to `out`. A CONNECT is always encoded with
// its own `version` field, whatever `version` says. The encoder does not
// validate: it writes what the packet holds (a test may want an invalid
// packet on the wire). Fields the version lacks are left out (properties and
// reason codes in 3.1.1; the packet identifier of a QoS 0 PUBLISH).
// Precondition (checked by assert): every string and binary field is at most
// 65,535 bytes and the remaining length at most 268,435,455.
void encode_to(const Packet& packet, ProtocolVersion version, Bytes& out);
Bytes encode(const Packet& packet, ProtocolVersion version);

// Decodes one whole packet. A CONNECT determines its version from its own
// protocol level byte; every other packet is decoded as `version`. Every
// legal form is accepted (non-minimal remaining lengths in 3.1.1, properties
// in any order, the longer 5.0 acknowledgement forms). Invalid input gives a
// DecodeError naming the rule, the field and the byte offset; the decoder
// never reads outside `whole_packet` and never throws on bad input.
Expected<Packet, DecodeError> decode(ByteView whole_packet, ProtocolVersion version);

// Would a peer accept `packet`? Encodes it and decodes the bytes, so the
// rules are exactly the decoder's (a sender can check what it is about to
// send; a checker can judge a packet it observed as a value).
std::optional<DecodeError> validate(const Packet& packet, ProtocolVersion version);

}  // namespace mqttsim::codec
