// MQTT string validation: well-formed UTF-8 only (RFC 3629), no encoded
// surrogates, no U+0000 (MQTT-1.5.3-1/-2, MQTT-1.5.4-1/-2), and U+FEFF kept
// (MQTT-1.5.3-3, MQTT-1.5.4-3).

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "codec/codec.hpp"
#include "codec/utf8.hpp"
#include "codec_test_support.hpp"

namespace mqttsim::codec {
namespace {

using test::describe;
using test::frame;
using test::hex;

struct Case {
  const char* name;
  std::string text;
  std::optional<Utf8Error> error;
};

std::string raw(std::initializer_list<int> bytes) {
  std::string text;
  for (const int byte : bytes) text += static_cast<char>(byte);
  return text;
}

BOOST_AUTO_TEST_SUITE(st_utf8)

BOOST_AUTO_TEST_CASE(well_formed_and_ill_formed_sequences) {
  using P = Utf8Problem;
  const std::vector<Case> cases{
      {"empty", "", std::nullopt},
      {"ASCII", "sport/tennis", std::nullopt},
      {"2-byte U+00E9", raw({0xC3, 0xA9}), std::nullopt},
      {"smallest 2-byte U+0080", raw({0xC2, 0x80}), std::nullopt},
      {"3-byte U+20AC", raw({0xE2, 0x82, 0xAC}), std::nullopt},
      {"smallest 3-byte U+0800", raw({0xE0, 0xA0, 0x80}), std::nullopt},
      {"last before surrogates U+D7FF", raw({0xED, 0x9F, 0xBF}), std::nullopt},
      {"first after surrogates U+E000", raw({0xEE, 0x80, 0x80}), std::nullopt},
      {"non-character U+FFFF (allowed, only SHOULD NOT)", raw({0xEF, 0xBF, 0xBF}), std::nullopt},
      {"4-byte U+1F600", raw({0xF0, 0x9F, 0x98, 0x80}), std::nullopt},
      {"smallest 4-byte U+10000", raw({0xF0, 0x90, 0x80, 0x80}), std::nullopt},
      {"largest code point U+10FFFF", raw({0xF4, 0x8F, 0xBF, 0xBF}), std::nullopt},
      {"BOM U+FEFF", raw({0xEF, 0xBB, 0xBF, 'a'}), std::nullopt},
      {"control character U+0001 (allowed, only SHOULD NOT)", raw({0x01}), std::nullopt},

      {"U+0000", std::string{"a\0b", 3}, Utf8Error{P::null_character, 1}},
      {"over-long U+0000 (C0 80)", raw({'a', 0xC0, 0x80}), Utf8Error{P::ill_formed, 1}},
      {"over-long '/' (C0 AF)", raw({0xC0, 0xAF}), Utf8Error{P::ill_formed, 0}},
      {"over-long 2-byte lead C1", raw({0xC1, 0xBF}), Utf8Error{P::ill_formed, 0}},
      {"over-long 3-byte U+007F", raw({0xE0, 0x81, 0xBF}), Utf8Error{P::ill_formed, 0}},
      {"over-long 3-byte U+07FF", raw({0xE0, 0x9F, 0xBF}), Utf8Error{P::ill_formed, 0}},
      {"over-long 4-byte U+FFFF", raw({0xF0, 0x8F, 0xBF, 0xBF}), Utf8Error{P::ill_formed, 0}},
      {"surrogate U+D800", raw({'x', 0xED, 0xA0, 0x80}), Utf8Error{P::surrogate, 1}},
      {"surrogate U+DFFF", raw({0xED, 0xBF, 0xBF}), Utf8Error{P::surrogate, 0}},
      {"CESU-8 pair for U+1F600", raw({0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80}),
       Utf8Error{P::surrogate, 0}},
      {"above U+10FFFF (F4 90 80 80)", raw({0xF4, 0x90, 0x80, 0x80}), Utf8Error{P::ill_formed, 0}},
      {"lead F5", raw({0xF5, 0x80, 0x80, 0x80}), Utf8Error{P::ill_formed, 0}},
      {"lead FF", raw({'a', 'b', 0xFF}), Utf8Error{P::ill_formed, 2}},
      {"5-byte form", raw({0xF8, 0x88, 0x80, 0x80, 0x80}), Utf8Error{P::ill_formed, 0}},
      {"bare continuation byte", raw({'a', 0x80}), Utf8Error{P::ill_formed, 1}},
      {"2-byte sequence cut at the end", raw({'a', 0xC3}), Utf8Error{P::ill_formed, 1}},
      {"4-byte sequence cut at the end", raw({0xF0, 0x9F, 0x98}), Utf8Error{P::ill_formed, 0}},
      {"continuation replaced by ASCII", raw({0xE2, 0x82, 'a'}), Utf8Error{P::ill_formed, 0}},
      {"error after valid multibyte text", raw({0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xC3}),
       Utf8Error{P::ill_formed, 5}},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.name) {
      const auto error = find_utf8_error(c.text);
      BOOST_TEST(error.has_value() == c.error.has_value());
      if (error && c.error) {
        BOOST_TEST(to_string(error->problem) == to_string(c.error->problem));
        BOOST_TEST(error->offset == c.error->offset);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(bom_is_kept_in_decoded_strings) {
  // MQTT-1.5.3-3 / MQTT-1.5.4-3: EF BB BF is U+FEFF and must not be
  // stripped. Topic "\uFEFFa" in a PUBLISH, both versions.
  for (const auto version : {ProtocolVersion::v3_1_1, ProtocolVersion::v5_0}) {
    const Bytes body =
        version == ProtocolVersion::v5_0 ? hex("00 04 ef bb bf 61 00") : hex("00 04 ef bb bf 61");
    const auto decoded = decode(frame(0x30, body), version);
    BOOST_TEST_REQUIRE(decoded.has_value(), describe(decoded));
    BOOST_TEST(std::get<Publish>(*decoded).topic ==
               "\xEF\xBB\xBF"
               "a");
  }
}

BOOST_AUTO_TEST_CASE(decoded_strings_report_the_byte_offset_in_the_packet) {
  // CONNECT client id "a" + surrogate: the surrogate starts at byte 15:
  // 10 LL | 00 04 MQTT | 04 | 02 | 00 3c | 00 04 | 61 ed a0 80.
  const Bytes packet = frame(0x10, hex("00 04 4d 51 54 54 04 02 00 3c 00 04 61 ed a0 80"));
  const auto decoded = decode(packet, ProtocolVersion::v3_1_1);
  BOOST_TEST_REQUIRE(!decoded.has_value());
  BOOST_TEST(decoded.error().kind == DecodeErrorKind::invalid_utf8);
  BOOST_TEST(decoded.error().spec.id == "MQTT-1.5.3-1");
  BOOST_TEST(decoded.error().offset == 15U);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mqttsim::codec
