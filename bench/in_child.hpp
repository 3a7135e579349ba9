#pragma once
// Runs a measured body in a forked child process, so that the peak resident
// memory the kernel reports for it (wait4) is the body's own and not the
// high-water mark of every figure measured before it in the benchmark.

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <optional>
#include <type_traits>

namespace mqttsim::bench {

template <class Figures>
struct ChildRun {
  std::optional<Figures> figures;  // what the body returned; none if the child failed
  bool passed = false;             // the body said its run passed
  long peak_kib = 0;               // the child's peak resident set
};

// `body` returns std::pair<Figures, bool passed>; Figures is written on a
// pipe as bytes, so it must be trivially copyable.
template <class Figures, class Body>
ChildRun<Figures> in_child(Body&& body) {
  static_assert(std::is_trivially_copyable_v<Figures>);
  ChildRun<Figures> run;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return run;
  const pid_t child = fork();
  if (child < 0) {
    close(fds[0]);
    close(fds[1]);
    return run;
  }
  if (child == 0) {
    close(fds[0]);
    const auto [figures, passed] = body();
    if (write(fds[1], &figures, sizeof figures) != static_cast<ssize_t>(sizeof figures)) _exit(3);
    _exit(passed ? 0 : 1);
  }
  close(fds[1]);
  Figures figures{};
  const bool read_all =
      read(fds[0], &figures, sizeof figures) == static_cast<ssize_t>(sizeof figures);
  close(fds[0]);
  int status = 0;
  rusage usage{};
  wait4(child, &status, 0, &usage);
  run.peak_kib = usage.ru_maxrss;
  if (read_all) run.figures = figures;
  run.passed = read_all && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  return run;
}

}  // namespace mqttsim::bench
