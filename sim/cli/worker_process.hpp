#pragma once
// The child side of the worker pool (worker_pool.hpp): fork a worker that
// runs its items and sends each outcome to the parent (worker_frames.hpp),
// then exits without running the parent's exit handlers or destructors.

#include <sys/types.h>

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "worker_pool.hpp"

namespace mqttsim::cli {

struct StartedWorker {
  pid_t pid = -1;
  int read_fd = -1;  // the parent's end of the worker's pipe (close-on-exec)
};

// Forks worker `worker` to run `items` (in this order). `open_fds` are the
// parent's ends of the workers started before, which the child closes.
// Flushes stdout first, so the child does not print what the parent had
// buffered. Throws std::system_error when the pipe or the fork fails.
// What `action` threw, as text; nothing when it returned. Whatever an item's
// work throws becomes a failed item, in a worker and in the parent alike.
std::optional<std::string> what_it_threw(const std::function<void()>& action);

// "worker 2 could not start: ...": the failure of each item of a worker
// whose WorkerSetup threw.
std::string setup_failure_text(std::size_t worker, const std::string& what);

StartedWorker start_worker(std::size_t worker, const std::vector<std::size_t>& items,
                           const WorkerSetup& setup, const std::vector<int>& open_fds);

}  // namespace mqttsim::cli
