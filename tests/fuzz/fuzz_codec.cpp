// libFuzzer target for the codec: stream framing, decoding and encoding.
//
// Input layout: byte 0 steers the run (chunk sizes and the receiver's
// packet size limit), the rest is the byte stream. For each way of reading
// it (a 3.1.1 client, a 5.0 client, a server that learns the version from
// CONNECT) the target checks that
//   - reading never crashes and ends in packets, "need more" or one error,
//     which every later call repeats, whatever is fed after it;
//   - cutting the stream into chunks changes nothing (same packets, same
//     error) compared with feeding it whole;
//   - each packet's raw bytes are exactly its slice of the stream;
//   - every decoded packet survives encode -> decode unchanged, and
//     encoding it again gives the same bytes;
//   - its one-line description holds no control characters.
// Any violation aborts with a description, so libFuzzer keeps the input.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "codec/codec.hpp"
#include "codec/packet_reader.hpp"
#include "codec/print.hpp"

namespace {

using namespace mqttsim::codec;
using mqttsim::ProtocolVersion;

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "fuzz_codec: %s\n", what.c_str());
  std::abort();
}

struct Outcome {
  std::vector<ReceivedPacket> packets;
  std::optional<ReadError> error;
  std::optional<ProtocolVersion> version;
  std::uint64_t position = 0;
};

// Reads `stream` in chunks whose sizes come from a small generator seeded
// by the input (max_chunk 0 means "one chunk").
Outcome read_stream(ByteView stream, std::optional<ProtocolVersion> version,
                    std::uint32_t max_packet_size_bytes, std::uint32_t seed,
                    std::size_t max_chunk) {
  PacketReader reader{version, max_packet_size_bytes};
  Outcome outcome;
  std::uint32_t state = seed;
  std::size_t pos = 0;
  do {
    std::size_t size = stream.size() - pos;
    if (max_chunk != 0) {
      state = state * 1'664'525u + 1'013'904'223u;
      size = std::min<std::size_t>(size, 1 + (state >> 16) % max_chunk);
    }
    reader.feed(stream.subspan(pos, size));
    pos += size;
    for (auto result = reader.next(); !result.need_more(); result = reader.next()) {
      if (result.has_error()) {
        // After the first error the reader is dead: whatever is fed later,
        // every call returns that same error.
        if (!outcome.error) {
          outcome.error = result.error();
        } else if (result.error().error.kind != outcome.error->error.kind ||
                   result.error().stream_offset != outcome.error->stream_offset) {
          fail("an error did not stick");
        }
        break;
      }
      if (outcome.error) fail("a packet came after an error");
      outcome.packets.push_back(std::move(result.item()));
    }
  } while (pos < stream.size());
  outcome.version = reader.version();
  outcome.position = reader.stream_position();
  return outcome;
}

void check_same(const Outcome& whole, const Outcome& chunked) {
  if (whole.packets.size() != chunked.packets.size()) fail("chunking changed the packet count");
  for (std::size_t i = 0; i < whole.packets.size(); ++i) {
    if (whole.packets[i].raw != chunked.packets[i].raw ||
        whole.packets[i].stream_offset != chunked.packets[i].stream_offset ||
        !(whole.packets[i].packet == chunked.packets[i].packet)) {
      fail("chunking changed packet " + std::to_string(i));
    }
  }
  if (whole.error.has_value() != chunked.error.has_value()) fail("chunking changed the outcome");
  if (whole.error && (whole.error->error.kind != chunked.error->error.kind ||
                      whole.error->stream_offset != chunked.error->stream_offset ||
                      whole.error->error.spec != chunked.error->error.spec)) {
    fail("chunking changed the error");
  }
}

void check_slices(const Outcome& outcome, ByteView stream) {
  std::uint64_t expected_offset = 0;
  for (const ReceivedPacket& received : outcome.packets) {
    if (received.stream_offset != expected_offset) fail("packets are not contiguous");
    const ByteView slice = stream.subspan(received.stream_offset, received.raw.size());
    if (!std::equal(slice.begin(), slice.end(), received.raw.begin(), received.raw.end())) {
      fail("raw bytes differ from the stream");
    }
    expected_offset += received.raw.size();
  }
}

void check_round_trip(const ReceivedPacket& received, ProtocolVersion version) {
  const Bytes first = encode(received.packet, version);
  auto again = decode(first, version);
  if (!again) {
    fail("re-encoded " + describe(received.packet, version) +
         " does not decode: " + to_string(again.error()));
  }
  if (!(*again == received.packet)) {
    fail("encode -> decode changed " + describe(received.packet, version) + " into " +
         describe(*again, version));
  }
  if (encode(*again, version) != first) fail("re-encoding is not stable");
  // The printer copes with anything the decoder accepts, and a trace line
  // stays one line: no control characters, whatever the strings hold.
  for (const char c : describe(received.packet, version)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) fail("describe() printed a control character");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t control = data[0];
  const ByteView stream{data + 1, size - 1};
  // Bit 7: a small receiver limit, so "packet too large" is exercised too.
  const std::uint32_t limit = (control & 0x80) ? 64 : protocol_max_packet_size_bytes;
  const std::size_t max_chunk = 1 + (control & 0x1F);

  const std::optional<ProtocolVersion> ways[] = {ProtocolVersion::v3_1_1, ProtocolVersion::v5_0,
                                                 std::nullopt};
  for (const auto& version : ways) {
    const Outcome whole = read_stream(stream, version, limit, control, 0);
    const Outcome chunked = read_stream(stream, version, limit, control, max_chunk);
    check_same(whole, chunked);
    check_slices(whole, stream);
    if (!whole.error && whole.position != stream.size()) fail("bytes went missing");
    for (const ReceivedPacket& received : whole.packets) {
      if (!whole.version) fail("a packet was decoded without a version");
      check_round_trip(received, *whole.version);
    }
  }
  return 0;
}
