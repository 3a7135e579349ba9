#include "reports/json_string.hpp"

#include "reports/utf8_text.hpp"

namespace mqttsim::reports {

namespace {

void append_escape(std::string& out, char32_t code_point) {
  switch (code_point) {
    case U'"':
      out += "\\\"";
      return;
    case U'\\':
      out += "\\\\";
      return;
    case U'\b':
      out += "\\b";
      return;
    case U'\f':
      out += "\\f";
      return;
    case U'\n':
      out += "\\n";
      return;
    case U'\r':
      out += "\\r";
      return;
    case U'\t':
      out += "\\t";
      return;
    default:
      break;
  }
  constexpr char hex[] = "0123456789abcdef";
  out += "\\u00";
  out.push_back(hex[(code_point >> 4) & 0xF]);
  out.push_back(hex[code_point & 0xF]);
}

}  // namespace

std::string json_string(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('"');
  while (!text.empty()) {
    const DecodedCodePoint decoded = decode_front(text);
    if (!decoded.well_formed) {
      append_utf8(out, replacement_character);
    } else if (decoded.code_point < 0x20 || decoded.code_point == U'"' ||
               decoded.code_point == U'\\') {
      append_escape(out, decoded.code_point);
    } else {
      out.append(text.substr(0, decoded.length));
    }
    text.remove_prefix(decoded.length);
  }
  out.push_back('"');
  return out;
}

}  // namespace mqttsim::reports
