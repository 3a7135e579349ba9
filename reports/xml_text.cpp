#include "reports/xml_text.hpp"

#include "reports/utf8_text.hpp"

namespace mqttsim::reports {

namespace {

// XML 1.0 §2.2: Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
// [#x10000-#x10FFFF]. Surrogates never get here: decode_front rejects them.
bool is_xml_char(char32_t code_point) {
  if (code_point < 0x20) return code_point == U'\t' || code_point == U'\n' || code_point == U'\r';
  return code_point != 0xFFFE && code_point != 0xFFFF;
}

enum class Context : bool { text, attribute };

std::string escape(std::string_view text, Context context) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    const DecodedCodePoint decoded = decode_front(text);
    const std::string_view bytes = text.substr(0, decoded.length);
    text.remove_prefix(decoded.length);
    if (!decoded.well_formed || !is_xml_char(decoded.code_point)) {
      append_utf8(out, replacement_character);
      continue;
    }
    switch (decoded.code_point) {
      case U'&':
        out += "&amp;";
        break;
      case U'<':
        out += "&lt;";
        break;
      case U'>':
        out += "&gt;";
        break;
      case U'"':
        out += "&quot;";
        break;
      case U'\'':
        out += "&apos;";
        break;
      case U'\r':
        out += "&#13;";
        break;
      case U'\t':
        if (context == Context::attribute) {
          out += "&#9;";
        } else {
          out += bytes;
        }
        break;
      case U'\n':
        if (context == Context::attribute) {
          out += "&#10;";
        } else {
          out += bytes;
        }
        break;
      default:
        out += bytes;
        break;
    }
  }
  return out;
}

}  // namespace

std::string xml_text(std::string_view text) { return escape(text, Context::text); }
std::string xml_attribute(std::string_view text) { return escape(text, Context::attribute); }

}  // namespace mqttsim::reports
