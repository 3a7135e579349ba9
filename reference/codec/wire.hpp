#pragma once
// The MQTT data representations (§1.5 of both versions): bytes, two- and
// four-byte integers, variable byte integers, length-prefixed strings and
// binary data. `Reader` is bounds-checked and never reads past its span;
// `Writer` appends to a byte vector.
//
// Internal to the codec: the packet decoders and encoders share these, but
// callers use codec.hpp.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "codec/decode_error.hpp"
#include "codec/packet.hpp"

namespace mqttsim::codec::wire {

using ByteView = std::span<const std::uint8_t>;

// The largest value of a variable byte integer (four bytes of seven bits).
inline constexpr std::uint32_t kMaxVariableInteger = 268'435'455;
inline constexpr std::size_t kMaxStringBytes = 65'535;

// Picks the normative id of a rule that both versions state under different
// numbers.
constexpr std::string_view by_version(ProtocolVersion version, std::string_view id_3_1_1,
                                      std::string_view id_5_0) {
  return version == ProtocolVersion::v5_0 ? id_5_0 : id_3_1_1;
}

// Reads one packet. Errors are sticky: the first failure is recorded, and
// from then on every read returns a zero value and `at_end()` is true, so a
// decoder can read a whole structure and check `failed()` once. Offsets are
// byte positions within the whole packet, fixed header included.
class Reader {
 public:
  Reader(ByteView packet, ProtocolVersion version, std::string_view packet_name)
      : bytes_{packet}, end_{packet.size()}, version_{version}, packet_name_{packet_name} {}

  ProtocolVersion version() const { return version_; }
  // A CONNECT learns its version from its own protocol level byte.
  void set_version(ProtocolVersion version) { version_ = version; }
  std::string_view packet_name() const { return packet_name_; }
  void set_packet_name(std::string_view name) { packet_name_ = name; }

  std::size_t offset() const { return offset_; }
  std::size_t remaining() const { return failed() ? 0 : end_ - offset_; }
  bool at_end() const { return remaining() == 0; }

  std::uint8_t u8(std::string_view field);
  std::uint16_t u16(std::string_view field);
  std::uint32_t u32(std::string_view field);
  // A variable byte integer: at most four bytes, and in 5.0 the shortest
  // encoding of its value (MQTT-1.5.5-1).
  std::uint32_t variable_integer(std::string_view field);
  // Two-byte length, then that many bytes.
  Bytes binary(std::string_view field);
  // Two-byte length, then that many bytes of well-formed UTF-8 without
  // U+0000 (MQTT-1.5.3-1/-2 in 3.1.1, MQTT-1.5.4-1/-2 in 5.0). A BOM
  // (EF BB BF) is kept as it is (MQTT-1.5.3-3 / MQTT-1.5.4-3).
  std::string utf8_string(std::string_view field);
  // Takes `count` bytes as they are.
  ByteView take(std::size_t count, std::string_view field);
  // Takes everything up to the current end.
  ByteView take_rest();

  // Narrows the readable range to the next `length` bytes (a property list,
  // say). Returns the previous end for `restore_end`. On truncation the
  // reader fails and the range is unchanged.
  std::size_t limit_to(std::size_t length, std::string_view field);
  void restore_end(std::size_t previous_end) {
    if (!failed()) end_ = previous_end;
  }

  bool failed() const { return error_.has_value(); }
  // Records an error unless one is already recorded (the first one wins).
  void fail(DecodeErrorKind kind, std::string_view spec_id, std::string message, std::size_t offset,
            ReasonCode reason = ReasonCode::malformed_packet);
  // The recorded error; call only when `failed()`.
  DecodeError take_error() { return std::move(*error_); }

 private:
  bool need(std::size_t count, std::string_view field);

  ByteView bytes_;
  std::size_t offset_ = 0;
  std::size_t end_;
  ProtocolVersion version_;
  std::string_view packet_name_;
  std::optional<DecodeError> error_;
};

// Appends the data representations to a byte vector. A length prefix whose
// value is only known afterwards (remaining length, property length) is
// inserted once the body is written: `mark()` then `insert_length_since()`.
class Writer {
 public:
  explicit Writer(Bytes& out) : out_{out} {}

  void u8(std::uint8_t value) { out_.push_back(value); }
  void u16(std::uint16_t value);
  void u32(std::uint32_t value);
  void variable_integer(std::uint32_t value);
  // Precondition: at most 65,535 bytes.
  void binary(ByteView data);
  void utf8_string(std::string_view text);
  void raw(ByteView data) { out_.insert(out_.end(), data.begin(), data.end()); }

  std::size_t mark() const { return out_.size(); }
  // Inserts, at `mark`, the variable byte integer length of what was written
  // since.
  void insert_length_since(std::size_t mark);

 private:
  Bytes& out_;
};

// Bytes that `value` takes as a variable byte integer (1 to 4).
std::size_t variable_integer_size(std::uint32_t value);

}  // namespace mqttsim::codec::wire
