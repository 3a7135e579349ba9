#pragma once
// The per-packet decoders behind `decode` (codec.hpp), and the checks they
// share. Each reads the variable header and payload from a Reader that
// `decode` has positioned after the fixed header. Internal to the codec.

#include <cstdint>
#include <string_view>

#include "codec/packet.hpp"
#include "codec/wire.hpp"

namespace mqttsim::codec::detail {

// decode_connect.cpp
Connect read_connect(wire::Reader& in);
Connack read_connack(wire::Reader& in);

// decode_subscribe.cpp
Subscribe read_subscribe(wire::Reader& in);
Suback read_suback(wire::Reader& in);
Unsubscribe read_unsubscribe(wire::Reader& in);
Unsuback read_unsuback(wire::Reader& in);

// decode.cpp
Publish read_publish(wire::Reader& in, std::uint8_t flags);

// Shared checks.

// A protocol error in 5.0 terms (reason 0x82): the bytes parse, but break a rule.
void fail_protocol(wire::Reader& in, DecodeErrorKind kind, std::string_view spec_id,
                   std::string message, std::size_t offset);

// A two-byte packet identifier that must not be 0; `spec_3_1_1` and
// `spec_5_0` name the rule for this packet type.
std::uint16_t read_packet_id(wire::Reader& in, std::string_view spec_3_1_1,
                             std::string_view spec_5_0);

// Fails with `trailing_bytes` when anything is left.
void expect_end(wire::Reader& in);

}  // namespace mqttsim::codec::detail
