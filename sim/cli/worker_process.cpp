#include "worker_process.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "interrupt.hpp"
#include "worker_frames.hpp"

namespace mqttsim::cli {

namespace {

// Exit codes of a worker, for the parent's message when items are missing.
constexpr int worker_exit_done = 0;
constexpr int worker_exit_parent_gone = 3;
constexpr int worker_exit_broken = 4;  // an exception escaped the worker's own code

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
  return true;
}

void run_worker(std::size_t worker, const std::vector<std::size_t>& items, const WorkerSetup& setup,
                int write_fd) {
  // The parent forwards SIGINT and SIGTERM, which the terminal may have sent
  // here too: each only sets the flag, checked between items.
  stop_on_interrupt(SecondSignal::sets_flag);
  ItemWork work;
  const std::optional<std::string> setup_failure = what_it_threw([&] { work = setup(worker); });
  for (const std::size_t item : items) {
    if (interrupted()) break;
    WorkerFrame frame{.item = item};
    if (setup_failure) {
      frame.failed = true;
      frame.bytes = setup_failure_text(worker, *setup_failure);
    } else if (auto failure = what_it_threw([&] { frame.bytes = work(item); })) {
      frame.failed = true;
      frame.bytes = std::move(*failure);
    }
    if (!write_all(write_fd, encode_frame(frame))) std::_Exit(worker_exit_parent_gone);
  }
}

}  // namespace

std::optional<std::string> what_it_threw(const std::function<void()>& action) {
  try {
    action();
    return std::nullopt;
  } catch (const std::exception& error) {
    return std::string{error.what()};
  } catch (...) {
    return std::string{"an exception that is not a std::exception"};
  }
}

std::string setup_failure_text(std::size_t worker, const std::string& what) {
  return "worker " + std::to_string(worker + 1) + " could not start: " + what;
}

StartedWorker start_worker(std::size_t worker, const std::vector<std::size_t>& items,
                           const WorkerSetup& setup, const std::vector<int>& open_fds) {
  int ends[2];
  // Close-on-exec: a command a worker runs (--restart-cmd starts a broker
  // daemon) must not keep the pipe open, or the parent never sees its end.
  if (::pipe2(ends, O_CLOEXEC) != 0) {
    throw std::system_error{errno, std::generic_category(), "worker pool: pipe"};
  }
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int error = errno;
    ::close(ends[0]);
    ::close(ends[1]);
    throw std::system_error{error, std::generic_category(), "worker pool: fork"};
  }
  if (pid == 0) {
#ifdef __linux__
    // A worker does not outlive its parent (killed by a second Ctrl-C, or
    // crashed): the kernel ends it, instead of leaving it to finish its item.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
    if (::getppid() != parent) std::_Exit(worker_exit_parent_gone);
    ::close(ends[0]);
    for (const int fd : open_fds) ::close(fd);
    // Nothing may return or throw from here into the parent's code: the
    // child ends in _Exit, without the parent's exit handlers and destructors.
    const bool ran = !what_it_threw([&] { run_worker(worker, items, setup, ends[1]); });
    // What a worker printed by mistake shows (out of order) rather than never.
    std::fflush(stdout);
    std::_Exit(ran ? worker_exit_done : worker_exit_broken);
  }
  ::close(ends[1]);
  return {.pid = pid, .read_fd = ends[0]};
}

}  // namespace mqttsim::cli
