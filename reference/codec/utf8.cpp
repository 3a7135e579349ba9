#include "codec/utf8.hpp"

namespace mqttsim::codec {

namespace {

bool is_continuation(std::uint8_t byte) { return (byte & 0xC0U) == 0x80U; }

}  // namespace

std::optional<Utf8Error> find_utf8_error(std::string_view text) {
  const std::size_t size = text.size();
  std::size_t i = 0;
  while (i < size) {
    const auto lead = static_cast<std::uint8_t>(text[i]);
    if (lead < 0x80U) {
      if (lead == 0x00U) return Utf8Error{Utf8Problem::null_character, i};
      ++i;
      continue;
    }
    // Sequence length and the smallest code point it may carry (anything
    // smaller is an over-long form). C0, C1 and F5..FF never start one.
    std::size_t length = 0;
    std::uint32_t code_point = 0;
    std::uint32_t minimum = 0;
    if (lead >= 0xC2U && lead <= 0xDFU) {
      length = 2;
      code_point = lead & 0x1FU;
      minimum = 0x80U;
    } else if (lead >= 0xE0U && lead <= 0xEFU) {
      length = 3;
      code_point = lead & 0x0FU;
      minimum = 0x800U;
    } else if (lead >= 0xF0U && lead <= 0xF4U) {
      length = 4;
      code_point = lead & 0x07U;
      minimum = 0x10000U;
    } else {
      return Utf8Error{Utf8Problem::ill_formed, i};
    }
    if (size - i < length) return Utf8Error{Utf8Problem::ill_formed, i};
    for (std::size_t k = 1; k < length; ++k) {
      const auto byte = static_cast<std::uint8_t>(text[i + k]);
      if (!is_continuation(byte)) return Utf8Error{Utf8Problem::ill_formed, i};
      code_point = (code_point << 6U) | (byte & 0x3FU);
    }
    if (code_point < minimum || code_point > 0x10FFFFU) {
      return Utf8Error{Utf8Problem::ill_formed, i};
    }
    if (code_point >= 0xD800U && code_point <= 0xDFFFU) {
      return Utf8Error{Utf8Problem::surrogate, i};
    }
    i += length;
  }
  return std::nullopt;
}

std::string_view to_string(Utf8Problem problem) {
  switch (problem) {
    case Utf8Problem::ill_formed:
      return "ill-formed UTF-8";
    case Utf8Problem::surrogate:
      return "an encoded surrogate (U+D800..U+DFFF)";
    case Utf8Problem::null_character:
      return "the null character U+0000";
  }
  return "unknown UTF-8 problem";
}

}  // namespace mqttsim::codec
