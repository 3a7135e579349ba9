#pragma once
// Cuts a byte stream into whole MQTT packets. TCP (or a simulated link)
// delivers bytes in arbitrary pieces; the framer reads the fixed header
// (packet type and remaining length, 3.1.1 §2.2 / 5.0 §2.1) and gathers
// exactly one packet at a time, whatever the chunk boundaries.
//
// The framer reads each fed chunk in place and copies out only the packet
// it is assembling, so it never holds more than one packet plus a partial
// fixed header, and its allocation follows the bytes that have actually
// arrived, at most twice that (a header announcing 256 MB allocates nothing
// like 256 MB until the bytes come).
//
// It knows nothing about protocol versions: it rejects only what no version
// allows (packet type 0, a fifth remaining-length byte) and what is larger
// than the receiver accepts. Everything else, including the 5.0 rule that
// the remaining length be minimally encoded, is for codec::decode.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "codec/codec.hpp"
#include "codec/decode_error.hpp"
#include "codec/stream_result.hpp"

namespace mqttsim::codec {

// The largest remaining length four bytes can encode (3.1.1 §2.2.3, 5.0 §1.5.5).
inline constexpr std::uint32_t max_remaining_length = 268'435'455;
// The largest packet the fixed header can describe: type byte, four length
// bytes, body. The default limit: "no limit beyond the protocol's".
inline constexpr std::uint32_t protocol_max_packet_size_bytes = 1 + 4 + max_remaining_length;

enum class FrameErrorKind : std::uint8_t {
  reserved_packet_type,       // type 0 (Reserved, "Forbidden" in both versions)
  remaining_length_too_long,  // the fourth length byte says "more follows"
  packet_too_large,           // the header announces more than the limit
};

struct FrameError {
  FrameErrorKind kind;
  std::uint64_t stream_offset = 0;      // where the offending packet starts
  std::uint64_t packet_size_bytes = 0;  // packet_too_large: announced total size
  std::uint32_t limit_bytes = 0;        // packet_too_large: the receiver's limit
  bool operator==(const FrameError&) const = default;
};

// Which end of the connection is reading. It decides which rule an
// oversized packet breaks: the sender's, and the sender is the other end.
enum class Receiver : std::uint8_t { client, server };

std::string_view to_string(FrameErrorKind kind);
// The framing error as a DecodeError citing `version`'s rule, with `offset`
// relative to the start of the offending packet.
DecodeError to_decode_error(const FrameError& error, ProtocolVersion version, Receiver receiver);

// One whole packet, fixed header included, and where it starts in the stream.
struct Frame {
  Bytes bytes;
  std::uint64_t stream_offset = 0;
  bool operator==(const Frame&) const = default;
};

// An unfinished packet at the end of the input seen so far.
struct PartialPacket {
  std::uint64_t stream_offset = 0;
  std::size_t received_bytes = 0;
  std::optional<std::uint64_t> packet_size_bytes;  // once the fixed header is complete
};

class StreamFramer {
 public:
  // `max_packet_size_bytes` counts the whole packet, fixed header included,
  // as the 5.0 Maximum Packet Size does (§3.1.2.11.4, §3.2.2.3.6).
  explicit StreamFramer(std::uint32_t max_packet_size_bytes = protocol_max_packet_size_bytes);

  // Hands over the next chunk of the stream. The framer reads `chunk` in
  // place, so it must stay valid until next() returns need_more() or an
  // error. Feeding again before that throws std::logic_error. Input fed
  // after an error is ignored.
  void feed(ByteView chunk);

  // The next whole packet, need_more() once the fed input is used up, or
  // the framing error. After an error the stream is dead: every later call
  // returns the same error.
  StreamResult<Frame, FrameError> next();

  // Bytes of the stream consumed so far (packets handed out plus the
  // partial packet held).
  std::uint64_t stream_position() const { return consumed_bytes_; }
  std::optional<PartialPacket> partial() const;
  bool failed() const { return error_.has_value(); }
  std::uint32_t max_packet_size_bytes() const { return max_packet_size_bytes_; }

 private:
  StreamResult<Frame, FrameError> fail(FrameError error);
  // Consumes header bytes; true once the fixed header is complete.
  bool read_header(std::optional<FrameError>& error);

  std::uint32_t max_packet_size_bytes_;
  ByteView input_;  // the unread rest of the chunk fed last

  // The packet being assembled. `header_` collects the fixed header byte by
  // byte; once it is complete, `packet_size_` is known and `packet_` holds
  // the header and then the body as it arrives.
  std::array<std::uint8_t, 5> header_{};
  std::size_t header_size_ = 0;
  std::optional<std::uint64_t> packet_size_;
  Bytes packet_;
  std::uint64_t packet_offset_ = 0;

  std::uint64_t consumed_bytes_ = 0;
  std::optional<FrameError> error_;
};

}  // namespace mqttsim::codec
