#include "codec/framer.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace mqttsim::codec {

namespace {

// The remaining length is a variable byte integer of at most four bytes,
// seven bits per byte, least significant group first (3.1.1 §2.2.3, 5.0 §1.5.5).
constexpr std::size_t max_length_bytes = 4;
constexpr std::uint8_t continuation_bit = 0x80;

}  // namespace

std::string_view to_string(FrameErrorKind kind) {
  switch (kind) {
    case FrameErrorKind::reserved_packet_type:
      return "reserved_packet_type";
    case FrameErrorKind::remaining_length_too_long:
      return "remaining_length_too_long";
    case FrameErrorKind::packet_too_large:
      return "packet_too_large";
  }
  return "unknown";
}

DecodeError to_decode_error(const FrameError& error, ProtocolVersion version, Receiver receiver) {
  const bool v5 = version == ProtocolVersion::v5_0;
  switch (error.kind) {
    case FrameErrorKind::reserved_packet_type:
      // Table 2.1 (3.1.1 §2.2.1) and Table 2-1 (5.0 §2.1.2): type 0 is
      // "Reserved, Forbidden".
      return DecodeError{
          DecodeErrorKind::unexpected_packet_type, SpecRef{version, v5 ? "§2.1.2" : "§2.2.1"},
          "packet type 0 is reserved and forbidden", 0, ReasonCode::malformed_packet};
    case FrameErrorKind::remaining_length_too_long:
      // "The maximum number of bytes in the Remaining Length field is four."
      return DecodeError{DecodeErrorKind::malformed_variable_integer,
                         SpecRef{version, v5 ? "§1.5.5" : "§2.2.3"},
                         "remaining length runs past its maximum of 4 bytes", max_length_bytes,
                         ReasonCode::malformed_packet};
    case FrameErrorKind::packet_too_large: {
      std::string message = "packet of " + std::to_string(error.packet_size_bytes) +
                            " bytes exceeds the receiver's maximum packet size of " +
                            std::to_string(error.limit_bytes) + " bytes";
      if (!v5) {
        // 3.1.1 has no Maximum Packet Size: a receiver that cannot take a
        // packet this large has a transient error and closes the connection.
        return DecodeError{DecodeErrorKind::packet_too_large, SpecRef{version, "MQTT-4.8.0-2"},
                           std::move(message), 1, ReasonCode::packet_too_large};
      }
      // 5.0: the sender must respect the limit the receiver declared, the
      // Client's in CONNECT (MQTT-3.1.2-24) or the Server's in CONNACK
      // (MQTT-3.2.2-15); the receiver answers 0x95 Packet too large.
      return DecodeError{
          DecodeErrorKind::packet_too_large,
          SpecRef{version, receiver == Receiver::client ? "MQTT-3.1.2-24" : "MQTT-3.2.2-15"},
          std::move(message), 1, ReasonCode::packet_too_large};
    }
  }
  return DecodeError{DecodeErrorKind::truncated, SpecRef{version, "§2"}, "unknown framing error"};
}

StreamFramer::StreamFramer(std::uint32_t max_packet_size_bytes)
    : max_packet_size_bytes_{max_packet_size_bytes} {}

void StreamFramer::feed(ByteView chunk) {
  if (error_) return;  // a dead stream ignores whatever else arrives
  if (!input_.empty()) {
    throw std::logic_error{"StreamFramer::feed: the previous chunk is not used up; call next()"};
  }
  input_ = chunk;
}

StreamResult<Frame, FrameError> StreamFramer::fail(FrameError error) {
  error_ = error;
  input_ = {};
  packet_ = Bytes{};  // release the partial packet: nothing more comes of it
  return error;
}

bool StreamFramer::read_header(std::optional<FrameError>& error) {
  while (!input_.empty()) {
    const std::uint8_t byte = input_.front();
    input_ = input_.subspan(1);
    ++consumed_bytes_;
    if (header_size_ == 0) packet_offset_ = consumed_bytes_ - 1;
    header_[header_size_++] = byte;

    if (header_size_ == 1) {
      if ((byte >> 4) == 0) {
        error = FrameError{FrameErrorKind::reserved_packet_type, packet_offset_};
        return false;
      }
      continue;
    }
    if ((byte & continuation_bit) != 0) {
      // A fourth length byte with "more follows" announces a fifth: reject it
      // now rather than wait for a byte that cannot be valid.
      if (header_size_ == 1 + max_length_bytes) {
        error = FrameError{FrameErrorKind::remaining_length_too_long, packet_offset_};
        return false;
      }
      continue;
    }

    std::uint64_t remaining_length = 0;
    for (std::size_t i = header_size_ - 1; i >= 1; --i) {
      remaining_length = (remaining_length << 7) | (header_[i] & 0x7Fu);
    }
    const std::uint64_t packet_size = header_size_ + remaining_length;
    if (packet_size > max_packet_size_bytes_) {
      error = FrameError{FrameErrorKind::packet_too_large, packet_offset_, packet_size,
                         max_packet_size_bytes_};
      return false;
    }
    packet_size_ = packet_size;
    // Reserve for what has arrived, not for what the header promises.
    const std::uint64_t available = header_size_ + input_.size();
    packet_.reserve(static_cast<std::size_t>(std::min(packet_size, available)));
    packet_.assign(header_.begin(), header_.begin() + static_cast<std::ptrdiff_t>(header_size_));
    return true;
  }
  return false;
}

StreamResult<Frame, FrameError> StreamFramer::next() {
  if (error_) return *error_;

  if (!packet_size_) {
    std::optional<FrameError> error;
    if (!read_header(error)) {
      if (error) return fail(*error);
      return StreamResult<Frame, FrameError>::need_more_input();
    }
  }

  const std::uint64_t missing = *packet_size_ - packet_.size();
  const std::size_t take =
      static_cast<std::size_t>(std::min<std::uint64_t>(missing, input_.size()));
  packet_.insert(packet_.end(), input_.begin(), input_.begin() + static_cast<std::ptrdiff_t>(take));
  input_ = input_.subspan(take);
  consumed_bytes_ += take;
  if (packet_.size() < *packet_size_) return StreamResult<Frame, FrameError>::need_more_input();

  Frame frame{std::move(packet_), packet_offset_};
  packet_ = Bytes{};
  packet_size_.reset();
  header_size_ = 0;
  return frame;
}

std::optional<PartialPacket> StreamFramer::partial() const {
  if (error_ || header_size_ == 0) return std::nullopt;
  PartialPacket partial{packet_offset_, packet_size_ ? packet_.size() : header_size_, packet_size_};
  return partial;
}

}  // namespace mqttsim::codec
