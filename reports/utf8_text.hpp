#pragma once
// UTF-8 decoding for the report writers. Report text comes from everywhere
// (scenario files, broker payloads quoted in messages, OS error strings) and
// may hold any bytes, but a JSON or XML report must always be valid UTF-8.
// Valid text passes through unchanged; each ill-formed sequence becomes one
// U+FFFD REPLACEMENT CHARACTER per maximal subpart, the practice the Unicode
// Standard recommends (ch. 3, "U+FFFD Substitution of Maximal Subparts") and
// the one Python's bytes.decode("utf-8", "replace") and WHATWG decoders
// follow, so a consumer decoding the raw bytes itself sees the same text.
//
// Well-formed means RFC 3629 / Unicode Table 3-7: no over-long forms, no
// encoded surrogates U+D800..U+DFFF, nothing above U+10FFFF. U+0000 is a
// well-formed character here; each writer decides what to do with controls.

#include <cstddef>
#include <string>
#include <string_view>

namespace mqttsim::reports {

inline constexpr char32_t replacement_character = U'\uFFFD';

struct DecodedCodePoint {
  char32_t code_point;  // replacement_character when !well_formed
  std::size_t length;   // bytes consumed: 1..4, never 0
  bool well_formed;
};

// Decodes the code point at the front of `text`, which must not be empty.
// An ill-formed sequence consumes its maximal subpart (at least one byte).
DecodedCodePoint decode_front(std::string_view text);

// Appends the UTF-8 encoding of `code_point` (which must be a Unicode scalar
// value: at most U+10FFFF and not a surrogate).
void append_utf8(std::string& out, char32_t code_point);

// `text` with every ill-formed sequence replaced by U+FFFD.
std::string repair_utf8(std::string_view text);

}  // namespace mqttsim::reports
