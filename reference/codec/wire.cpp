#include "codec/wire.hpp"

#include <cassert>
#include <utility>

#include "codec/utf8.hpp"

namespace mqttsim::codec::wire {

namespace {

// A field that runs past the end of the packet breaks the remaining length
// the fixed header announced (§2.2.3 in 3.1.1, §2.1.4 in 5.0).
std::string_view truncation_ref(ProtocolVersion version) {
  return by_version(version, "§2.2.3", "§2.1.4");
}

}  // namespace

void Reader::fail(DecodeErrorKind kind, std::string_view spec_id, std::string message,
                  std::size_t offset, ReasonCode reason) {
  if (failed()) return;
  error_ = DecodeError{kind, SpecRef{version_, spec_id}, std::move(message), offset, reason};
}

bool Reader::need(std::size_t count, std::string_view field) {
  if (failed()) return false;
  if (end_ - offset_ >= count) return true;
  std::string message{packet_name_};
  message += ' ';
  message += field;
  message += " needs ";
  message += std::to_string(count);
  message += count == 1 ? " byte" : " bytes";
  message += " but the packet has ";
  message += std::to_string(end_ - offset_);
  message += " left";
  fail(DecodeErrorKind::truncated, truncation_ref(version_), std::move(message), offset_);
  return false;
}

std::uint8_t Reader::u8(std::string_view field) {
  if (!need(1, field)) return 0;
  return bytes_[offset_++];
}

std::uint16_t Reader::u16(std::string_view field) {
  if (!need(2, field)) return 0;
  const auto value = static_cast<std::uint16_t>((bytes_[offset_] << 8U) | bytes_[offset_ + 1]);
  offset_ += 2;
  return value;
}

std::uint32_t Reader::u32(std::string_view field) {
  if (!need(4, field)) return 0;
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) value = (value << 8U) | bytes_[offset_ + i];
  offset_ += 4;
  return value;
}

std::uint32_t Reader::variable_integer(std::string_view field) {
  const std::size_t start = offset_;
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    if (!need(1, field)) return 0;
    const std::uint8_t byte = bytes_[offset_++];
    value |= static_cast<std::uint32_t>(byte & 0x7FU) << (7U * i);
    if ((byte & 0x80U) == 0) {
      // A last byte of 0 after at least one continuation byte adds nothing:
      // the value fits in fewer bytes. 3.1.1 has no rule against it.
      if (i > 0 && byte == 0 && version_ == ProtocolVersion::v5_0) {
        fail(DecodeErrorKind::malformed_variable_integer, "MQTT-1.5.5-1",
             std::string{packet_name_} + ' ' + std::string{field} + " uses " +
                 std::to_string(i + 1) + " bytes for the value " + std::to_string(value) +
                 ", which fits in fewer",
             start);
        return 0;
      }
      return value;
    }
  }
  fail(DecodeErrorKind::malformed_variable_integer, by_version(version_, "§2.2.3", "§1.5.5"),
       std::string{packet_name_} + ' ' + std::string{field} +
           " is longer than 4 bytes (the fourth byte has its continuation bit set)",
       start);
  return 0;
}

ByteView Reader::take(std::size_t count, std::string_view field) {
  if (!need(count, field)) return {};
  const ByteView view = bytes_.subspan(offset_, count);
  offset_ += count;
  return view;
}

ByteView Reader::take_rest() {
  if (failed()) return {};
  const ByteView view = bytes_.subspan(offset_, end_ - offset_);
  offset_ = end_;
  return view;
}

Bytes Reader::binary(std::string_view field) {
  const std::uint16_t length = u16(field);
  const ByteView data = take(length, field);
  return Bytes(data.begin(), data.end());
}

std::string Reader::utf8_string(std::string_view field) {
  const std::uint16_t length = u16(field);
  const std::size_t start = offset_;
  const ByteView data = take(length, field);
  if (failed()) return {};
  std::string text(reinterpret_cast<const char*>(data.data()), data.size());
  if (const auto problem = find_utf8_error(text)) {
    const bool null = problem->problem == Utf8Problem::null_character;
    fail(null ? DecodeErrorKind::null_character : DecodeErrorKind::invalid_utf8,
         null ? by_version(version_, "MQTT-1.5.3-2", "MQTT-1.5.4-2")
              : by_version(version_, "MQTT-1.5.3-1", "MQTT-1.5.4-1"),
         std::string{packet_name_} + ' ' + std::string{field} + " contains " +
             std::string{to_string(problem->problem)} + " at string byte " +
             std::to_string(problem->offset),
         start + problem->offset);
    return {};
  }
  return text;
}

std::size_t Reader::limit_to(std::size_t length, std::string_view field) {
  const std::size_t previous = end_;
  if (need(length, field)) end_ = offset_ + length;
  return previous;
}

void Writer::u16(std::uint16_t value) {
  out_.push_back(static_cast<std::uint8_t>(value >> 8U));
  out_.push_back(static_cast<std::uint8_t>(value & 0xFFU));
}

void Writer::u32(std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out_.push_back(static_cast<std::uint8_t>((value >> static_cast<unsigned>(shift)) & 0xFFU));
  }
}

void Writer::variable_integer(std::uint32_t value) {
  assert(value <= kMaxVariableInteger);
  do {
    auto byte = static_cast<std::uint8_t>(value & 0x7FU);
    value >>= 7U;
    if (value != 0) byte = static_cast<std::uint8_t>(byte | 0x80U);
    out_.push_back(byte);
  } while (value != 0);
}

void Writer::binary(ByteView data) {
  assert(data.size() <= kMaxStringBytes);
  u16(static_cast<std::uint16_t>(data.size()));
  raw(data);
}

void Writer::utf8_string(std::string_view text) {
  binary(ByteView{reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
}

void Writer::insert_length_since(std::size_t mark) {
  const std::size_t length = out_.size() - mark;
  assert(length <= kMaxVariableInteger);
  std::uint8_t prefix[4];
  std::size_t prefix_size = 0;
  auto value = static_cast<std::uint32_t>(length);
  do {
    auto byte = static_cast<std::uint8_t>(value & 0x7FU);
    value >>= 7U;
    if (value != 0) byte = static_cast<std::uint8_t>(byte | 0x80U);
    prefix[prefix_size++] = byte;
  } while (value != 0);
  out_.insert(out_.begin() + static_cast<std::ptrdiff_t>(mark), prefix, prefix + prefix_size);
}

std::size_t variable_integer_size(std::uint32_t value) {
  if (value < 128U) return 1;
  if (value < 16'384U) return 2;
  if (value < 2'097'152U) return 3;
  return 4;
}

}  // namespace mqttsim::codec::wire
