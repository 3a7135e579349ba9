#include <boost/test/unit_test.hpp>
#include <string>

#include "reports/utf8_text.hpp"

using mqttsim::reports::append_utf8;
using mqttsim::reports::decode_front;
using mqttsim::reports::DecodedCodePoint;
using mqttsim::reports::repair_utf8;

namespace {

const std::string fffd = "\xef\xbf\xbd";

std::string encode(char32_t code_point) {
  std::string out;
  append_utf8(out, code_point);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_utf8_text)

BOOST_AUTO_TEST_CASE(encodings_at_each_length_boundary) {
  BOOST_TEST(encode(U'\u0000') == std::string(1, '\0'));
  BOOST_TEST(encode(0x7F) == "\x7f");
  BOOST_TEST(encode(0x80) == "\xc2\x80");
  BOOST_TEST(encode(0x7FF) == "\xdf\xbf");
  BOOST_TEST(encode(0x800) == "\xe0\xa0\x80");
  BOOST_TEST(encode(0xFFFF) == "\xef\xbf\xbf");
  BOOST_TEST(encode(0x10000) == "\xf0\x90\x80\x80");
  BOOST_TEST(encode(0x10FFFF) == "\xf4\x8f\xbf\xbf");
}

// Every scalar value below U+10000 and a stride above: encode, then decode
// back to the same value and length, and repair leaves it alone.
BOOST_AUTO_TEST_CASE(every_scalar_value_round_trips) {
  std::size_t checked = 0;
  for (char32_t code_point = 0; code_point <= 0x10FFFF;
       code_point += code_point < 0x10000 ? 1 : 251) {
    if (code_point >= 0xD800 && code_point <= 0xDFFF) continue;
    const std::string bytes = encode(code_point);
    const DecodedCodePoint decoded = decode_front(bytes);
    if (!decoded.well_formed || decoded.code_point != code_point ||
        decoded.length != bytes.size() || repair_utf8(bytes) != bytes) {
      BOOST_ERROR("U+" << std::hex << static_cast<unsigned>(code_point) << " does not round-trip");
      break;
    }
    ++checked;
  }
  BOOST_TEST(checked > 63'000u);
}

BOOST_AUTO_TEST_CASE(ill_formed_sequences_consume_their_maximal_subpart) {
  struct Case {
    std::string bytes;
    std::size_t length;
  };
  const Case cases[] = {
      {"\x80", 1},              // stray continuation byte
      {"\xc0\xaf", 1},          // C0 can only start an over-long form
      {"\xc1\xbf", 1},          // so can C1
      {"\xe0\x80\x80", 1},      // over-long three-byte form: E0 needs A0..BF next
      {"\xed\xa0\x80", 1},      // surrogate U+D800: ED needs 80..9F next
      {"\xf0\x80\x80\x80", 1},  // over-long four-byte form
      {"\xf4\x90\x80\x80", 1},  // above U+10FFFF
      {"\xf5\x80\x80\x80", 1},  // lead byte beyond the range
      {"\xff", 1},
      {"\xc3", 1},      // truncated at the end of the text
      {"\xe2\x82", 2},  // truncated after a valid prefix
      {"\xe2\x82"
       "a",
       2},  // interrupted by ASCII: the prefix only
      {"\xf0\x9f\x98", 3},
      {"\xf0\x9f\x98\xc3\xa9", 3},  // interrupted by a new lead byte
  };
  for (const Case& c : cases) {
    const DecodedCodePoint decoded = decode_front(c.bytes);
    BOOST_TEST_CONTEXT("bytes of length "
                       << c.bytes.size() << " starting " << std::hex
                       << static_cast<unsigned>(static_cast<unsigned char>(c.bytes[0]))) {
      BOOST_TEST(!decoded.well_formed);
      BOOST_TEST(decoded.length == c.length);
      BOOST_TEST((decoded.code_point == mqttsim::reports::replacement_character));
    }
  }
}

// The counts Python's bytes.decode("utf-8", "replace") gives, too.
BOOST_AUTO_TEST_CASE(repair_replaces_each_maximal_subpart_once) {
  BOOST_TEST(repair_utf8("plain ascii") == "plain ascii");
  BOOST_TEST(repair_utf8("") == "");
  BOOST_TEST(repair_utf8("a\xe2\x82z") == "a" + fffd + "z");
  BOOST_TEST(repair_utf8("\xed\xa0\x80") == fffd + fffd + fffd);
  BOOST_TEST(repair_utf8("\xf4\x90\x80\x80") == fffd + fffd + fffd + fffd);
  BOOST_TEST(repair_utf8("\xc0\xaf") == fffd + fffd);
  BOOST_TEST(repair_utf8("\xf0\x9f\x98\xc3\xa9") == fffd + "\xc3\xa9");
  BOOST_TEST(repair_utf8(std::string("\0\xef\xbf\xbe", 4)) == std::string("\0\xef\xbf\xbe", 4));
}

BOOST_AUTO_TEST_SUITE_END()
