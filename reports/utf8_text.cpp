#include "reports/utf8_text.hpp"

#include <cassert>
#include <cstdint>

namespace mqttsim::reports {

namespace {

struct LeadByte {
  std::size_t length;                   // bytes in the whole sequence; 0 for a bad lead byte
  std::uint8_t second_min, second_max;  // the range the second byte must fall in
  char32_t payload;                     // the lead byte's value bits
};

// Unicode Table 3-7 ("Well-Formed UTF-8 Byte Sequences"): the lead byte fixes
// the length and a narrower range for the second byte; that range is what
// rules out over-long forms (E0, F0), surrogates (ED) and > U+10FFFF (F4).
LeadByte classify(std::uint8_t lead) {
  if (lead <= 0x7F) return {1, 0, 0, lead};
  if (lead >= 0xC2 && lead <= 0xDF) return {2, 0x80, 0xBF, lead & 0x1Fu};
  if (lead == 0xE0) return {3, 0xA0, 0xBF, lead & 0x0Fu};
  if (lead == 0xED) return {3, 0x80, 0x9F, lead & 0x0Fu};
  if (lead >= 0xE1 && lead <= 0xEF) return {3, 0x80, 0xBF, lead & 0x0Fu};
  if (lead == 0xF0) return {4, 0x90, 0xBF, lead & 0x07u};
  if (lead >= 0xF1 && lead <= 0xF3) return {4, 0x80, 0xBF, lead & 0x07u};
  if (lead == 0xF4) return {4, 0x80, 0x8F, lead & 0x07u};
  return {0, 0, 0, 0};  // 80..BF (a stray continuation), C0, C1, F5..FF
}

}  // namespace

DecodedCodePoint decode_front(std::string_view text) {
  assert(!text.empty());
  const auto lead = static_cast<std::uint8_t>(text[0]);
  const LeadByte kind = classify(lead);
  if (kind.length == 0) return {replacement_character, 1, false};
  char32_t code_point = kind.payload;
  for (std::size_t i = 1; i < kind.length; ++i) {
    // The sequence so far is a maximal subpart when the next byte is missing
    // or out of range: consume it and stop.
    if (i >= text.size()) return {replacement_character, i, false};
    const auto byte = static_cast<std::uint8_t>(text[i]);
    const std::uint8_t min = i == 1 ? kind.second_min : std::uint8_t{0x80};
    const std::uint8_t max = i == 1 ? kind.second_max : std::uint8_t{0xBF};
    if (byte < min || byte > max) return {replacement_character, i, false};
    code_point = (code_point << 6) | (byte & 0x3Fu);
  }
  return {code_point, kind.length, true};
}

void append_utf8(std::string& out, char32_t code_point) {
  assert(code_point <= 0x10FFFF && (code_point < 0xD800 || code_point > 0xDFFF));
  const auto byte = [&out](char32_t value) { out.push_back(static_cast<char>(value)); };
  if (code_point < 0x80) {
    byte(code_point);
  } else if (code_point < 0x800) {
    byte(0xC0 | (code_point >> 6));
    byte(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    byte(0xE0 | (code_point >> 12));
    byte(0x80 | ((code_point >> 6) & 0x3F));
    byte(0x80 | (code_point & 0x3F));
  } else {
    byte(0xF0 | (code_point >> 18));
    byte(0x80 | ((code_point >> 12) & 0x3F));
    byte(0x80 | ((code_point >> 6) & 0x3F));
    byte(0x80 | (code_point & 0x3F));
  }
}

std::string repair_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    const DecodedCodePoint decoded = decode_front(text);
    if (decoded.well_formed) {
      out.append(text.substr(0, decoded.length));
    } else {
      append_utf8(out, replacement_character);
    }
    text.remove_prefix(decoded.length);
  }
  return out;
}

}  // namespace mqttsim::reports
