#pragma once
// One readable line per packet, for traces and the CLI:
//
//   PUBLISH dup=0 qos=1 retain=0 id=7 topic="t/a" payload="hello" (5 bytes)
//   CONNACK session_present=0 reason=0x00 (success) props{receive_maximum=10}
//
// The output depends only on the packet, the version and the options: no
// pointer values, no locale, properties always in identifier order. Strings
// are quoted with C-style escapes for quotes, backslashes and control
// characters. Payloads print as text when they are printable UTF-8 and as
// hex otherwise, cut after `max_payload_bytes` with "..." after the quote.

#include <cstddef>
#include <string>

#include "codec/codec.hpp"
#include "codec/packet.hpp"
#include "codec/properties.hpp"

namespace mqttsim::codec {

struct PrintOptions {
  std::size_t max_payload_bytes = 64;  // also bounds binary properties
};

// `version` selects what a packet means on the wire: 3.1.1 has no
// properties and no reason codes outside CONNACK and SUBACK, so those fields
// are not shown; the CONNACK code is a return code in 3.1.1 and a reason
// code in 5.0. A CONNECT shows its own version.
std::string describe(const Packet& packet, ProtocolVersion version,
                     const PrintOptions& options = {});

// "props{session_expiry_interval=60, user[a=b]}", or "" when empty.
std::string describe(const Properties& properties, const PrintOptions& options = {});

// `"hello" (5 bytes)` or `0x00ff (2 bytes)`, cut after max_payload_bytes.
std::string describe_payload(ByteView payload, const PrintOptions& options = {});

// A string field, quoted and escaped: "t/a", "say \"hi\"\n".
std::string quote(std::string_view text);

}  // namespace mqttsim::codec
