#include "worker_frames.hpp"

#include <cstdint>
#include <cstring>

namespace mqttsim::cli {

namespace {

constexpr std::size_t header_bytes = 1 + 8 + 8;

void append_u64(std::string& out, std::uint64_t value) {
  char bytes[8];
  std::memcpy(bytes, &value, sizeof bytes);
  out.append(bytes, sizeof bytes);
}

std::uint64_t u64_at(const std::string& in, std::size_t at) {
  std::uint64_t value = 0;
  std::memcpy(&value, in.data() + at, sizeof value);
  return value;
}

}  // namespace

std::string encode_frame(const WorkerFrame& frame) {
  std::string out;
  out.reserve(header_bytes + frame.bytes.size());
  out.push_back(frame.failed ? '\1' : '\0');
  append_u64(out, frame.item);
  append_u64(out, frame.bytes.size());
  out += frame.bytes;
  return out;
}

std::optional<WorkerFrame> FrameReader::next() {
  if (broken() || pending_.size() < header_bytes) return std::nullopt;
  const char kind = pending_[0];
  const std::uint64_t item = u64_at(pending_, 1);
  const std::uint64_t size = u64_at(pending_, 9);
  if ((kind != '\0' && kind != '\1') || size > worker_frame_bytes_max) {
    broken_why_ = "a malformed frame (kind " + std::to_string(static_cast<unsigned char>(kind)) +
                  ", " + std::to_string(size) + " bytes)";
    return std::nullopt;
  }
  if (pending_.size() - header_bytes < size) return std::nullopt;
  WorkerFrame frame{.item = static_cast<std::size_t>(item),
                    .failed = kind == '\1',
                    .bytes = pending_.substr(header_bytes, static_cast<std::size_t>(size))};
  pending_.erase(0, header_bytes + static_cast<std::size_t>(size));
  return frame;
}

}  // namespace mqttsim::cli
