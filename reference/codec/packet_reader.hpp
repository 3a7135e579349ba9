#pragma once
// Bytes in, packets out: a StreamFramer followed by codec::decode, for the
// receiving side of one connection. It keeps each packet's raw bytes, which
// the trace stores.
//
// A client knows its protocol version (it chose it in CONNECT). A server
// learns it from the first packet, which must be CONNECT (MQTT-3.1.0-1 in
// both versions); every later packet is decoded as that version.

#include <cstdint>
#include <optional>

#include "codec/codec.hpp"
#include "codec/decode_error.hpp"
#include "codec/framer.hpp"
#include "codec/packet.hpp"
#include "codec/stream_result.hpp"

namespace mqttsim::codec {

struct ReceivedPacket {
  Packet packet;
  Bytes raw;  // the packet exactly as it arrived, fixed header included
  std::uint64_t stream_offset = 0;
};

struct ReadError {
  DecodeError error;  // error.offset counts from the start of the packet
  std::uint64_t stream_offset = 0;
};

class PacketReader {
 public:
  using Result = StreamResult<ReceivedPacket, ReadError>;

  // Client side: `version` is known. Server side (`version` empty): it is
  // learned from the CONNECT that must come first.
  explicit PacketReader(std::optional<ProtocolVersion> version,
                        std::uint32_t max_packet_size_bytes = protocol_max_packet_size_bytes);
  static PacketReader for_client(ProtocolVersion version, std::uint32_t max_packet_size_bytes =
                                                              protocol_max_packet_size_bytes) {
    return PacketReader{version, max_packet_size_bytes};
  }
  static PacketReader for_server(
      std::uint32_t max_packet_size_bytes = protocol_max_packet_size_bytes) {
    return PacketReader{std::nullopt, max_packet_size_bytes};
  }

  // As StreamFramer::feed: `chunk` must stay valid until next() returns
  // need_more() or an error. Input fed after an error is ignored.
  void feed(ByteView chunk) {
    if (!error_) framer_.feed(chunk);
  }

  // The next packet, need_more() once the fed input is used up, or the first
  // error. After an error every later call returns the same error.
  Result next();

  // The version packets are decoded as; empty on a server before CONNECT.
  std::optional<ProtocolVersion> version() const { return version_; }
  Receiver receiver() const { return receiver_; }
  std::uint64_t stream_position() const { return framer_.stream_position(); }
  std::optional<PartialPacket> partial() const { return framer_.partial(); }
  bool failed() const { return error_.has_value(); }

 private:
  Result fail(ReadError error);
  // The version whose rules an error cites: the one in use or, before a
  // server has seen CONNECT, 3.1.1.
  ProtocolVersion citation_version() const { return version_.value_or(ProtocolVersion::v3_1_1); }

  StreamFramer framer_;
  std::optional<ProtocolVersion> version_;
  Receiver receiver_;
  std::optional<ReadError> error_;
};

}  // namespace mqttsim::codec
