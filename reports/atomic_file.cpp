#include "reports/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace mqttsim::reports {

namespace {

constexpr int max_name_attempts = 100;  // temporaries left by crashed runs with our pid

std::error_code last_os_error() { return {errno, std::generic_category()}; }

// The open temporary file; closes and removes it unless committed.
class Temporary {
 public:
  Temporary(std::filesystem::path path, int fd) : path_{std::move(path)}, fd_{fd} {}
  Temporary(const Temporary&) = delete;
  Temporary& operator=(const Temporary&) = delete;
  ~Temporary() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) {
      std::error_code ignored;
      std::filesystem::remove(path_, ignored);
    }
  }

  const std::filesystem::path& path() const { return path_; }

  std::optional<std::error_code> write_all(std::string_view content) {
    while (!content.empty()) {
      const ssize_t written = ::write(fd_, content.data(), content.size());
      if (written < 0) {
        if (errno == EINTR) continue;
        return last_os_error();
      }
      content.remove_prefix(static_cast<std::size_t>(written));
    }
    return std::nullopt;
  }

  std::optional<std::error_code> sync() {
    if (::fsync(fd_) != 0) return last_os_error();
    return std::nullopt;
  }

  // close() reports deferred write errors (NFS, quota); it is not retried on
  // EINTR because Linux releases the descriptor either way.
  std::optional<std::error_code> close() {
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) return last_os_error();
    return std::nullopt;
  }

  void commit() { committed_ = true; }

 private:
  std::filesystem::path path_;
  int fd_;
  bool committed_ = false;
};

// A new temporary file next to the target: its path and descriptor, or the
// reason none could be created (fd < 0).
struct OpenedTemporary {
  std::filesystem::path path;
  int fd = -1;
  std::error_code reason;
};

OpenedTemporary open_temporary(const std::filesystem::path& target) {
  const std::string base = "." + target.filename().string() + ".tmp." + std::to_string(::getpid());
  OpenedTemporary opened;
  for (int attempt = 0; attempt < max_name_attempts; ++attempt) {
    const std::string name = attempt == 0 ? base : base + "." + std::to_string(attempt);
    opened.path = target.parent_path() / name;
    opened.fd = ::open(opened.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (opened.fd >= 0) return opened;
    opened.reason = last_os_error();
    if (opened.reason != std::errc::file_exists) break;
  }
  return opened;
}

}  // namespace

std::string to_string(const WriteError& error) {
  return "cannot write " + error.path.string() + ": " + error.step + ": " + error.reason.message();
}

std::optional<WriteError> write_file_atomically(const std::filesystem::path& target,
                                                std::string_view content) {
  const auto fail = [&target](std::string step, std::error_code reason) {
    return WriteError{target, std::move(step), reason};
  };
  if (!target.has_filename()) {
    return fail("check the name", std::make_error_code(std::errc::is_a_directory));
  }
  const std::filesystem::path folder = target.parent_path();
  if (!folder.empty()) {
    std::error_code reason;
    std::filesystem::create_directories(folder, reason);
    if (reason) return fail("create folder " + folder.string(), reason);
  }

  OpenedTemporary opened = open_temporary(target);
  if (opened.fd < 0) return fail("create a temporary file", opened.reason);
  Temporary temporary{std::move(opened.path), opened.fd};
  if (auto reason = temporary.write_all(content)) return fail("write", *reason);
  if (auto reason = temporary.sync()) return fail("flush to disk", *reason);
  if (auto reason = temporary.close()) return fail("close", *reason);

  std::error_code reason;
  std::filesystem::rename(temporary.path(), target, reason);
  if (reason) return fail("rename " + temporary.path().filename().string() + " over it", reason);
  temporary.commit();
  return std::nullopt;
}

}  // namespace mqttsim::reports
