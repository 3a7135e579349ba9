#pragma once
// Writing a report file so that a reader (a CI step, a dashboard polling the
// folder) sees either the old file or the complete new one, never a torn or
// empty file, even when mqttsim is killed halfway or the disk fills up.
//
// The content goes to a temporary file in the target's own folder (a rename
// is only atomic within one file system): ".NAME.tmp.PID", with a counter
// appended if that exists already. Every write is checked, the data is
// flushed to the disk (fsync) and the file closed with its result checked;
// only then is it renamed over the target. On any failure the temporary is
// removed and the target is left as it was (a process killed halfway leaves
// its hidden temporary behind). The folder itself is not synced after the
// rename: after a power cut the old file may be back, but never a torn one.
//
// Missing parent folders are created, as a CI user expects from
// `--junit out/junit.xml`. A new file gets the usual 0666 permissions minus
// the umask. A target that is a symbolic link is replaced by a regular file
// (the link is not followed).

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace mqttsim::reports {

struct WriteError {
  std::filesystem::path path;  // the file we were asked to write
  std::string step;            // what failed: "create folder out", "write", "rename", ...
  std::error_code reason;      // the OS's reason

  bool operator==(const WriteError&) const = default;
};

// "cannot write out/junit.xml: create folder out: Not a directory"
std::string to_string(const WriteError& error);

// Nothing on success; the failure otherwise.
[[nodiscard]] std::optional<WriteError> write_file_atomically(const std::filesystem::path& target,
                                                              std::string_view content);

}  // namespace mqttsim::reports
