// The primitive reader and writer under the packet codecs: integers, length
// prefixes, the sticky first error, and narrowing the readable range.

#include <boost/test/unit_test.hpp>
#include <string>

#include "codec/wire.hpp"
#include "codec_test_support.hpp"

namespace mqttsim::codec {
namespace {

using test::hex;
using wire::Reader;
using wire::Writer;

constexpr auto v3 = ProtocolVersion::v3_1_1;
constexpr auto v5 = ProtocolVersion::v5_0;

BOOST_AUTO_TEST_SUITE(st_wire)

BOOST_AUTO_TEST_CASE(integers_are_big_endian) {
  const Bytes bytes = hex("ab 12 34 de ad be ef");
  Reader in{bytes, v5, "test"};
  BOOST_TEST(in.u8("a") == 0xAB);
  BOOST_TEST(in.u16("b") == 0x1234);
  BOOST_TEST(in.u32("c") == 0xDEADBEEFU);
  BOOST_TEST(in.at_end());
  BOOST_TEST(!in.failed());

  Bytes out;
  Writer writer{out};
  writer.u8(0xAB);
  writer.u16(0x1234);
  writer.u32(0xDEADBEEFU);
  BOOST_TEST(out == bytes, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(strings_and_binary_carry_a_two_byte_length) {
  Bytes out;
  Writer writer{out};
  writer.utf8_string("hi");
  writer.binary(Bytes{0x00, 0xFF});
  writer.utf8_string("");
  BOOST_TEST(out == hex("00 02 68 69 00 02 00 ff 00 00"), boost::test_tools::per_element());
  Reader in{out, v3, "test"};
  BOOST_TEST(in.utf8_string("s") == "hi");
  BOOST_TEST((in.binary("b") == Bytes{0x00, 0xFF}));
  BOOST_TEST(in.utf8_string("e").empty());
  BOOST_TEST(in.at_end());
}

BOOST_AUTO_TEST_CASE(the_first_error_sticks_and_later_reads_return_zero) {
  const Bytes bytes = hex("00 05 61 62");  // a string that claims 5 bytes, has 2
  Reader in{bytes, v3, "PUBLISH"};
  BOOST_TEST(in.utf8_string("topic name").empty());
  BOOST_TEST_REQUIRE(in.failed());
  // Everything after the failure is inert: zero values, nothing left.
  BOOST_TEST(in.u16("packet identifier") == 0);
  BOOST_TEST(in.at_end());
  BOOST_TEST(in.remaining() == 0U);
  in.fail(DecodeErrorKind::zero_packet_id, "MQTT-2.3.1-1", "later error", 3);
  const DecodeError error = in.take_error();
  BOOST_TEST(error.kind == DecodeErrorKind::truncated);
  BOOST_TEST(error.offset == 2U);
  BOOST_TEST(error.message == "PUBLISH topic name needs 5 bytes but the packet has 2 left");
  BOOST_TEST(error.spec.id == "§2.2.3");
}

BOOST_AUTO_TEST_CASE(a_limit_confines_reads_to_a_sub_range) {
  const Bytes bytes = hex("02 aa bb cc");
  Reader in{bytes, v5, "test"};
  const std::uint32_t length = in.variable_integer("length");
  const std::size_t previous_end = in.limit_to(length, "list");
  BOOST_TEST(in.remaining() == 2U);
  BOOST_TEST(in.u16("inside") == 0xAABB);
  BOOST_TEST(in.at_end());
  in.restore_end(previous_end);
  BOOST_TEST(in.u8("after") == 0xCC);
  BOOST_TEST(!in.failed());

  // Reading past the limit fails even though the packet has more bytes.
  Reader short_limit{bytes, v5, "test"};
  short_limit.limit_to(1, "list");
  BOOST_TEST(short_limit.u16("value") == 0);
  BOOST_TEST(short_limit.failed());

  // A limit beyond the packet is itself a truncation.
  Reader too_long{bytes, v5, "test"};
  too_long.limit_to(9, "list");
  BOOST_TEST(too_long.failed());
}

BOOST_AUTO_TEST_CASE(length_prefixes_are_inserted_in_minimal_form) {
  for (const std::size_t length : {0U, 1U, 127U, 128U, 16'383U, 16'384U, 70'000U}) {
    Bytes out{0xEE};
    Writer writer{out};
    const std::size_t mark = writer.mark();
    for (std::size_t i = 0; i < length; ++i) writer.u8(static_cast<std::uint8_t>(i));
    writer.insert_length_since(mark);
    const std::size_t prefix = wire::variable_integer_size(static_cast<std::uint32_t>(length));
    BOOST_TEST_REQUIRE(out.size() == 1 + prefix + length);
    Reader in{out, v5, "test"};
    BOOST_TEST(in.u8("marker") == 0xEE);
    BOOST_TEST(in.variable_integer("length") == length);
    BOOST_TEST(!in.failed(), "length " << length);
    BOOST_TEST(in.remaining() == length);
  }
}

BOOST_AUTO_TEST_CASE(reads_never_pass_the_end_of_the_span) {
  // The span is a window into a larger buffer: the bytes after it must stay
  // unread (ASan would not catch that, so the window is checked directly).
  const Bytes buffer = hex("00 03 61 62 63 ff ff");
  const ByteView window{buffer.data(), 4};  // "00 03 61 62": the string lacks its third byte
  Reader in{window, v3, "test"};
  BOOST_TEST(in.utf8_string("text").empty());
  BOOST_TEST(in.failed());
  Reader varint{ByteView{buffer.data() + 5, 1}, v5, "test"};  // ff, continuation set
  BOOST_TEST(varint.variable_integer("value") == 0U);
  BOOST_TEST(varint.take_error().kind == DecodeErrorKind::truncated);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mqttsim::codec
