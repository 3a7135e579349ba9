#pragma once
// What a worker process (worker_pool.hpp) sends its parent over its pipe:
// one frame per item, in the worker's item order,
//
//   kind (1 byte: 0 result, 1 failure) | item (8 bytes) | size (8 bytes) | bytes
//
// in the machine's byte order: both ends are the same program on the same
// machine. The parent reads the pipe in whatever pieces poll() gives it and
// takes out each frame once it is whole.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace mqttsim::cli {

struct WorkerFrame {
  std::size_t item = 0;
  bool failed = false;  // `bytes` is why the work failed, not its result
  std::string bytes;
};

// Larger is taken for a broken stream rather than allocated.
inline constexpr std::size_t worker_frame_bytes_max = std::size_t{1} << 30;

std::string encode_frame(const WorkerFrame& frame);

// Collects a worker's stream and takes whole frames from it.
class FrameReader {
 public:
  void append(std::string_view bytes) { pending_.append(bytes); }
  // The next whole frame, if one has arrived. Sets `broken` (and returns
  // nothing) when the stream cannot be frames from this worker.
  std::optional<WorkerFrame> next();
  bool broken() const { return !broken_why_.empty(); }
  const std::string& broken_why() const { return broken_why_; }
  // Bytes of a frame that has not arrived whole.
  std::size_t pending_bytes() const { return pending_.size(); }

 private:
  std::string pending_;
  std::string broken_why_;
};

}  // namespace mqttsim::cli
