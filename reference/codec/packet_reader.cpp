#include "codec/packet_reader.hpp"

#include <string>
#include <utility>

namespace mqttsim::codec {

PacketReader::PacketReader(std::optional<ProtocolVersion> version,
                           std::uint32_t max_packet_size_bytes)
    : framer_{max_packet_size_bytes},
      version_{version},
      receiver_{version ? Receiver::client : Receiver::server} {}

PacketReader::Result PacketReader::fail(ReadError error) {
  error_ = error;
  return error;
}

PacketReader::Result PacketReader::next() {
  if (error_) return *error_;

  auto framed = framer_.next();
  if (framed.need_more()) return Result::need_more_input();
  if (framed.has_error()) {
    const FrameError& frame_error = framed.error();
    return fail(ReadError{to_decode_error(frame_error, citation_version(), receiver_),
                          frame_error.stream_offset});
  }
  Frame& frame = framed.item();

  if (!version_) {
    // A server learns the version from CONNECT, which must come first
    // (MQTT-3.1.0-1, the same id and rule in 3.1.1 and 5.0).
    const auto type = static_cast<PacketType>(frame.bytes.front() >> 4);
    if (type != PacketType::connect) {
      std::string message = "the first packet on a connection must be CONNECT, not ";
      message += to_string(type);
      return fail(ReadError{DecodeError{DecodeErrorKind::unexpected_packet_type,
                                        SpecRef{citation_version(), "MQTT-3.1.0-1"},
                                        std::move(message), 0, ReasonCode::protocol_error},
                            frame.stream_offset});
    }
  }

  // A CONNECT is decoded by its own protocol level byte, whatever version
  // is passed here.
  auto decoded = decode(frame.bytes, citation_version());
  if (!decoded) return fail(ReadError{decoded.error(), frame.stream_offset});

  if (!version_) version_ = std::get<Connect>(*decoded).version;
  return ReceivedPacket{std::move(*decoded), std::move(frame.bytes), frame.stream_offset};
}

}  // namespace mqttsim::codec
