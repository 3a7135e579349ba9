// The stream framer cuts a byte stream into whole packets whatever the chunk
// boundaries, and rejects what no packet can be.

#include <boost/test/unit_test.hpp>
#include <stdexcept>
#include <vector>

#include "codec/framer.hpp"
#include "codec/stream_test_support.hpp"

using namespace mqttsim::codec;
using mqttsim::ProtocolVersion;
using mqttsim::SpecRef;
using mqttsim::codec::test::concat;
using mqttsim::codec::test::hex;
using mqttsim::codec::test::pseudo_random_chunk_sizes;

namespace {

// Six packets of mixed types and lengths; the framer only reads fixed
// headers, so these are spelled out by hand.
std::vector<Bytes> mixed_packets() {
  Bytes big_publish = hex("30 cb 01 00 01 78");  // remaining length 203: two length bytes
  big_publish.resize(3 + 203, 0xAB);
  return {
      hex("10 0c 00 04 4d 51 54 54 04 02 00 3c 00 00"),  // CONNECT 3.1.1
      hex("32 0c 00 03 74 2f 61 00 07 68 65 6c 6c 6f"),  // PUBLISH qos 1
      hex("c0 00"),                                      // PINGREQ: empty body
      big_publish,
      hex("40 02 00 07"),  // PUBACK
      hex("e0 00"),        // DISCONNECT
  };
}

std::vector<Frame> expected_frames(const std::vector<Bytes>& packets) {
  std::vector<Frame> frames;
  std::uint64_t offset = 0;
  for (const Bytes& packet : packets) {
    frames.push_back(Frame{packet, offset});
    offset += packet.size();
  }
  return frames;
}

struct Outcome {
  std::vector<Frame> frames;
  std::optional<FrameError> error;
};

// Feeds `stream` cut at the given chunk sizes, draining the framer after
// each chunk as a caller must.
Outcome run(StreamFramer& framer, const Bytes& stream, const std::vector<std::size_t>& sizes) {
  Outcome outcome;
  std::size_t pos = 0;
  for (const std::size_t size : sizes) {
    framer.feed(ByteView{stream}.subspan(pos, size));
    pos += size;
    for (auto result = framer.next(); !result.need_more(); result = framer.next()) {
      if (result.has_error()) {
        outcome.error = result.error();
        return outcome;
      }
      outcome.frames.push_back(std::move(result.item()));
    }
  }
  BOOST_REQUIRE(pos == stream.size());
  return outcome;
}

Outcome run_default(const Bytes& stream, const std::vector<std::size_t>& sizes) {
  StreamFramer framer;
  return run(framer, stream, sizes);
}

void check_frames(const Outcome& outcome, const std::vector<Frame>& expected) {
  BOOST_TEST(!outcome.error.has_value());
  BOOST_REQUIRE(outcome.frames.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    BOOST_TEST(outcome.frames[i].stream_offset == expected[i].stream_offset);
    BOOST_TEST(outcome.frames[i].bytes == expected[i].bytes);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_framer)

BOOST_AUTO_TEST_CASE(whole_stream_in_one_chunk_yields_every_packet_with_its_offset) {
  const auto packets = mixed_packets();
  const Bytes stream = concat(packets);
  check_frames(run_default(stream, {stream.size()}), expected_frames(packets));
}

BOOST_AUTO_TEST_CASE(two_chunks_split_at_every_position) {
  const auto packets = mixed_packets();
  const Bytes stream = concat(packets);
  const auto expected = expected_frames(packets);
  for (std::size_t split = 0; split <= stream.size(); ++split) {
    BOOST_TEST_CONTEXT("split at byte " << split) {
      check_frames(run_default(stream, {split, stream.size() - split}), expected);
    }
  }
}

BOOST_AUTO_TEST_CASE(one_byte_at_a_time) {
  const auto packets = mixed_packets();
  const Bytes stream = concat(packets);
  check_frames(run_default(stream, std::vector<std::size_t>(stream.size(), 1)),
               expected_frames(packets));
}

BOOST_AUTO_TEST_CASE(pseudo_random_chunk_sizes_from_fixed_seeds) {
  const auto packets = mixed_packets();
  const Bytes stream = concat(packets);
  const auto expected = expected_frames(packets);
  for (std::uint32_t seed = 1; seed <= 50; ++seed) {
    const auto sizes = pseudo_random_chunk_sizes(stream.size(), 1 + seed % 40, seed);
    BOOST_TEST_CONTEXT("seed " << seed << ", " << sizes.size() << " chunks") {
      check_frames(run_default(stream, sizes), expected);
    }
  }
}

BOOST_AUTO_TEST_CASE(partial_packet_is_reported_until_it_completes) {
  StreamFramer framer;
  const Bytes stream = concat({hex("c0 00"), hex("32 0c 00 03 74 2f 61 00 07 68 65 6c 6c 6f")});
  BOOST_TEST(!framer.partial().has_value());

  framer.feed(ByteView{stream}.subspan(0, 3));  // PINGREQ and the first byte of PUBLISH
  BOOST_TEST(framer.next().has_item());
  BOOST_TEST(framer.next().need_more());
  auto partial = framer.partial();
  BOOST_REQUIRE(partial.has_value());
  BOOST_TEST(partial->stream_offset == 2u);
  BOOST_TEST(partial->received_bytes == 1u);
  BOOST_TEST(!partial->packet_size_bytes.has_value());  // length not read yet

  framer.feed(ByteView{stream}.subspan(3, 5));
  BOOST_TEST(framer.next().need_more());
  partial = framer.partial();
  BOOST_REQUIRE(partial.has_value());
  BOOST_TEST(partial->received_bytes == 6u);
  BOOST_TEST((partial->packet_size_bytes == std::optional<std::uint64_t>{14}));
  BOOST_TEST(framer.stream_position() == 8u);

  framer.feed(ByteView{stream}.subspan(8));
  BOOST_TEST(framer.next().has_item());
  BOOST_TEST(!framer.partial().has_value());
  BOOST_TEST(framer.stream_position() == stream.size());
}

BOOST_AUTO_TEST_CASE(packet_over_the_limit_is_rejected_from_its_header) {
  // PUBLISH with remaining length 203 (206 bytes in all) against a limit of
  // 100: only its three header bytes are fed, and that is enough.
  StreamFramer framer{100};
  const Bytes stream = concat({hex("c0 00"), hex("30 cb 01")});
  const Outcome outcome = run(framer, stream, {stream.size()});
  BOOST_TEST(outcome.frames.size() == 1u);
  BOOST_REQUIRE(outcome.error.has_value());
  BOOST_TEST((outcome.error->kind == FrameErrorKind::packet_too_large));
  BOOST_TEST(outcome.error->stream_offset == 2u);
  BOOST_TEST(outcome.error->packet_size_bytes == 206u);
  BOOST_TEST(outcome.error->limit_bytes == 100u);
}

BOOST_AUTO_TEST_CASE(packet_exactly_at_the_limit_is_accepted) {
  StreamFramer framer{14};
  const Bytes packet = hex("32 0c 00 03 74 2f 61 00 07 68 65 6c 6c 6f");
  check_frames(run(framer, packet, {packet.size()}), {Frame{packet, 0}});
}

BOOST_AUTO_TEST_CASE(fifth_remaining_length_byte_is_rejected_without_waiting_for_it) {
  StreamFramer framer;
  const Bytes stream = hex("30 ff ff ff ff");  // the fourth length byte says "more follows"
  const Outcome outcome = run(framer, stream, std::vector<std::size_t>(stream.size(), 1));
  BOOST_REQUIRE(outcome.error.has_value());
  BOOST_TEST((outcome.error->kind == FrameErrorKind::remaining_length_too_long));
  BOOST_TEST(outcome.error->stream_offset == 0u);
  BOOST_TEST(framer.stream_position() == 5u);
}

BOOST_AUTO_TEST_CASE(largest_four_byte_length_is_accepted_and_not_preallocated) {
  // 268,435,455 is the largest remaining length; the framer waits for the
  // body and holds only what has arrived.
  StreamFramer framer;
  const Bytes stream = hex("30 ff ff ff 7f 00 01 78");
  framer.feed(stream);
  BOOST_TEST(framer.next().need_more());
  const auto partial = framer.partial();
  BOOST_REQUIRE(partial.has_value());
  BOOST_TEST(
      (partial->packet_size_bytes == std::optional<std::uint64_t>{protocol_max_packet_size_bytes}));
  BOOST_TEST(partial->received_bytes == stream.size());
}

BOOST_AUTO_TEST_CASE(packet_type_zero_is_rejected_at_its_first_byte) {
  StreamFramer framer;
  const Bytes stream = concat({hex("40 02 00 07"), hex("00")});
  const Outcome outcome = run(framer, stream, {stream.size()});
  BOOST_TEST(outcome.frames.size() == 1u);
  BOOST_REQUIRE(outcome.error.has_value());
  BOOST_TEST((outcome.error->kind == FrameErrorKind::reserved_packet_type));
  BOOST_TEST(outcome.error->stream_offset == 4u);
}

BOOST_AUTO_TEST_CASE(an_error_is_sticky_and_later_input_is_ignored) {
  StreamFramer framer;
  const Bytes bad = hex("0f 00");
  const Bytes good = hex("c0 00");
  framer.feed(bad);
  auto first = framer.next();
  BOOST_REQUIRE(first.has_error());
  BOOST_TEST(framer.failed());
  for (int call = 0; call < 3; ++call) {
    framer.feed(good);  // a dead stream swallows input without complaint
    auto again = framer.next();
    BOOST_REQUIRE(again.has_error());
    BOOST_TEST((again.error() == first.error()));
  }
  BOOST_TEST(!framer.partial().has_value());
}

BOOST_AUTO_TEST_CASE(feeding_before_the_previous_chunk_is_used_up_is_a_logic_error) {
  StreamFramer framer;
  const Bytes two = hex("c0 00 d0 00");
  framer.feed(two);
  BOOST_TEST(framer.next().has_item());  // the second packet is still unread
  BOOST_CHECK_THROW(framer.feed(two), std::logic_error);
}

BOOST_AUTO_TEST_CASE(framing_errors_cite_the_rule_of_the_version_and_receiver) {
  const FrameError type_zero{FrameErrorKind::reserved_packet_type, 9};
  const FrameError too_long{FrameErrorKind::remaining_length_too_long, 9};
  const FrameError too_large{FrameErrorKind::packet_too_large, 9, 206, 100};
  using V = ProtocolVersion;

  DecodeError e = to_decode_error(type_zero, V::v3_1_1, Receiver::server);
  BOOST_TEST((e.spec == SpecRef{V::v3_1_1, "§2.2.1"}));
  BOOST_TEST((e.kind == DecodeErrorKind::unexpected_packet_type));
  e = to_decode_error(too_long, V::v5_0, Receiver::client);
  BOOST_TEST((e.spec == SpecRef{V::v5_0, "§1.5.5"}));
  BOOST_TEST((e.kind == DecodeErrorKind::malformed_variable_integer));
  BOOST_TEST((e.reason == ReasonCode::malformed_packet));

  e = to_decode_error(too_large, V::v5_0, Receiver::server);
  BOOST_TEST((e.spec == SpecRef{V::v5_0, "MQTT-3.2.2-15"}));  // the client broke the limit
  BOOST_TEST((e.reason == ReasonCode::packet_too_large));
  BOOST_TEST(e.message ==
             "packet of 206 bytes exceeds the receiver's maximum packet size of 100 bytes");
  e = to_decode_error(too_large, V::v5_0, Receiver::client);
  BOOST_TEST((e.spec == SpecRef{V::v5_0, "MQTT-3.1.2-24"}));  // the server broke it
  e = to_decode_error(too_large, V::v3_1_1, Receiver::server);
  BOOST_TEST((e.spec == SpecRef{V::v3_1_1, "MQTT-4.8.0-2"}));
}

BOOST_AUTO_TEST_SUITE_END()
