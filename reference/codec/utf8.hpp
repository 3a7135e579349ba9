#pragma once
// UTF-8 validation for MQTT strings: well-formed UTF-8 (RFC 3629: no
// over-long forms, nothing above U+10FFFF), no encoded surrogates
// U+D800..U+DFFF, and no U+0000 (MQTT-1.5.3-1/-2 in 3.1.1, MQTT-1.5.4-1/-2
// in 5.0). U+FEFF (EF BB BF) is an ordinary character and stays.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace mqttsim::codec {

enum class Utf8Problem : std::uint8_t {
  ill_formed,      // not UTF-8: bad lead byte, missing continuation, over-long, > U+10FFFF
  surrogate,       // an encoded U+D800..U+DFFF
  null_character,  // U+0000
};

struct Utf8Error {
  Utf8Problem problem;
  std::size_t offset;  // byte index of the first byte of the offending sequence
  bool operator==(const Utf8Error&) const = default;
};

// The first problem in `text`, or nothing when it is a valid MQTT string.
std::optional<Utf8Error> find_utf8_error(std::string_view text);

std::string_view to_string(Utf8Problem problem);  // "ill-formed UTF-8"

}  // namespace mqttsim::codec
