#pragma once
// Helpers shared by the codec tests: hex literals for byte vectors, and a
// readable rendering of bytes and decode results for failure messages.

#include <cctype>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "codec/codec.hpp"

namespace mqttsim::codec::test {

// "10 1a 00 04" -> {0x10, 0x1a, 0x00, 0x04}. Whitespace is ignored; a test
// that writes a bad literal is a bug in the test, so it throws.
inline Bytes hex(std::string_view text) {
  Bytes bytes;
  int high = -1;
  for (const char ch : text) {
    if (std::isspace(static_cast<unsigned char>(ch))) continue;
    int nibble = 0;
    if (ch >= '0' && ch <= '9') {
      nibble = ch - '0';
    } else if (ch >= 'a' && ch <= 'f') {
      nibble = ch - 'a' + 10;
    } else if (ch >= 'A' && ch <= 'F') {
      nibble = ch - 'A' + 10;
    } else {
      throw std::invalid_argument("bad hex digit in test literal");
    }
    if (high < 0) {
      high = nibble;
    } else {
      bytes.push_back(static_cast<std::uint8_t>(high * 16 + nibble));
      high = -1;
    }
  }
  if (high >= 0) throw std::invalid_argument("odd number of hex digits in test literal");
  return bytes;
}

inline std::string to_hex(ByteView bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  for (const std::uint8_t byte : bytes) {
    if (!text.empty()) text += ' ';
    text += kDigits[byte >> 4U];
    text += kDigits[byte & 0x0FU];
  }
  return text;
}

inline Bytes bytes_of(std::string_view text) { return Bytes(text.begin(), text.end()); }

// A whole packet: `first_byte` (type and flags), the remaining length as a
// minimal variable byte integer, then `body`. Lets a test state a body
// without counting bytes by hand.
inline Bytes frame(std::uint8_t first_byte, const Bytes& body) {
  Bytes bytes{first_byte};
  std::size_t length = body.size();
  do {
    auto digit = static_cast<std::uint8_t>(length % 128);
    length /= 128;
    if (length > 0) digit = static_cast<std::uint8_t>(digit | 0x80U);
    bytes.push_back(digit);
  } while (length > 0);
  bytes.insert(bytes.end(), body.begin(), body.end());
  return bytes;
}

inline std::string describe(const Expected<Packet, DecodeError>& result) {
  if (result) return "decoded " + std::string{to_string(type_of(*result))};
  return "error " + std::string{to_string(result.error().kind)} + ": " + to_string(result.error());
}

}  // namespace mqttsim::codec::test
