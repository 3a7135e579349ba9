#include "worker_pool.hpp"

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <system_error>

#include "interrupt.hpp"
#include "worker_frames.hpp"
#include "worker_process.hpp"

namespace mqttsim::cli {

namespace {

// The parent wakes at least this often to notice an interrupt that arrived
// just before it went to sleep in poll().
constexpr int poll_timeout_ms = 200;
constexpr std::size_t read_chunk_bytes = 64 * 1024;

std::vector<std::vector<std::size_t>> deal_items(const PoolPlan& plan) {
  if (plan.workers == 0 || plan.workers > pool_workers_max) {
    throw std::invalid_argument{"worker pool: " + std::to_string(plan.workers) + " workers (1 to " +
                                std::to_string(pool_workers_max) + ")"};
  }
  if (!plan.worker_of_item.empty() && plan.worker_of_item.size() != plan.items) {
    throw std::invalid_argument{"worker pool: a worker for " +
                                std::to_string(plan.worker_of_item.size()) + " of " +
                                std::to_string(plan.items) + " items"};
  }
  std::vector<std::vector<std::size_t>> items_of(plan.workers);
  for (std::size_t item = 0; item < plan.items; ++item) {
    const std::size_t worker =
        plan.worker_of_item.empty() ? item % plan.workers : plan.worker_of_item[item];
    if (worker >= plan.workers) {
      throw std::invalid_argument{"worker pool: item " + std::to_string(item) + " to worker " +
                                  std::to_string(worker) + " of " + std::to_string(plan.workers)};
    }
    items_of[worker].push_back(item);
  }
  return items_of;
}

void count(PoolSummary& summary, ItemFate fate) {
  switch (fate) {
    case ItemFate::done:
      ++summary.done;
      return;
    case ItemFate::failed:
      ++summary.failed;
      return;
    case ItemFate::lost:
      ++summary.lost;
      return;
    case ItemFate::not_run:
      ++summary.not_run;
      return;
  }
}

std::string not_run_why() {
  return "not run: interrupted by " + std::string{interrupt_signal_name()};
}

// J = 1: the same outcomes, in this process.
PoolSummary run_in_process(const PoolPlan& plan, const WorkerSetup& setup,
                           const OutcomeHandler& on_outcome) {
  PoolSummary summary;
  ItemWork work;
  const std::optional<std::string> setup_failure = what_it_threw([&] { work = setup(0); });
  for (std::size_t item = 0; item < plan.items; ++item) {
    ItemOutcome outcome{.item = item};
    if (interrupted()) {
      outcome.fate = ItemFate::not_run;
      outcome.why = not_run_why();
    } else if (setup_failure) {
      outcome.fate = ItemFate::failed;
      outcome.why = setup_failure_text(0, *setup_failure);
    } else if (auto failure = what_it_threw([&] { outcome.result = work(item); })) {
      outcome.fate = ItemFate::failed;
      outcome.why = std::move(*failure);
    }
    count(summary, outcome.fate);
    on_outcome(outcome);
  }
  return summary;
}

// One worker process, as the parent sees it.
struct Worker {
  std::size_t index = 0;
  std::vector<std::size_t> items;  // in the order it runs them
  std::size_t delivered = 0;       // how many of `items` arrived
  pid_t pid = -1;                  // -1: never started
  bool reaped = false;             // its exit status was collected
  int fd = -1;                     // -1 once its stream ended
  FrameReader frames;
  std::string broken_why;  // it sent something that is not its next frame
};

// "worker 2 (pid 4711) was killed by signal 6 (Aborted)"
std::string how_it_ended(const Worker& worker, int status) {
  std::string how =
      "worker " + std::to_string(worker.index + 1) + " (pid " + std::to_string(worker.pid) + ") ";
  if (!worker.broken_why.empty()) return how + "sent " + worker.broken_why;
  if (WIFSIGNALED(status)) {
    const int signal = WTERMSIG(status);
    const char* name = ::strsignal(signal);
    return how + "was killed by signal " + std::to_string(signal) +
           (name != nullptr ? std::string{" ("} + name + ")" : std::string{});
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
    return how + "exited with status " + std::to_string(WEXITSTATUS(status));
  }
  return how + "exited";
}

class ParentOfWorkers {
 public:
  ParentOfWorkers(const PoolPlan& plan, const OutcomeHandler& on_outcome)
      : on_outcome_{on_outcome}, outcomes_(plan.items) {}

  // Kills and reaps whatever still runs: the handler threw, or a fork failed.
  ~ParentOfWorkers() {
    for (Worker& worker : workers_) {
      if (worker.fd >= 0) ::close(worker.fd);
      if (worker.pid <= 0 || worker.reaped) continue;
      ::kill(worker.pid, SIGKILL);
      reap(worker);
    }
  }
  ParentOfWorkers(const ParentOfWorkers&) = delete;
  ParentOfWorkers& operator=(const ParentOfWorkers&) = delete;

  PoolSummary run(std::vector<std::vector<std::size_t>> items_of, const WorkerSetup& setup) {
    for (std::size_t index = 0; index < items_of.size(); ++index) {
      if (items_of[index].empty()) continue;
      workers_.push_back({.index = index, .items = std::move(items_of[index])});
    }
    start_workers(setup);
    while (serve_once()) {
    }
    deliver_in_order();
    return summary_;
  }

 private:
  void start_workers(const WorkerSetup& setup) {
    std::vector<int> open_fds;
    for (Worker& worker : workers_) {
      if (interrupted()) {  // its items come out not_run when it "ends"
        continue;
      }
      const StartedWorker started = start_worker(worker.index, worker.items, setup, open_fds);
      worker.pid = started.pid;
      worker.fd = started.read_fd;
      open_fds.push_back(worker.fd);
    }
    for (Worker& worker : workers_) {
      if (worker.pid <= 0) settle_undelivered(worker, 0);
    }
  }

  // One wait for the workers' pipes; false once every worker has ended.
  bool serve_once() {
    if (interrupted() && !stop_forwarded_) forward_stop();
    std::vector<pollfd> watched;
    std::vector<Worker*> watched_workers;
    for (Worker& worker : workers_) {
      if (worker.fd < 0) continue;
      watched.push_back({.fd = worker.fd, .events = POLLIN, .revents = 0});
      watched_workers.push_back(&worker);
    }
    if (watched.empty()) return false;
    const int ready = ::poll(watched.data(), watched.size(), poll_timeout_ms);
    if (ready < 0) {
      if (errno == EINTR) return true;  // a signal: look at the flag
      throw std::system_error{errno, std::generic_category(), "worker pool: poll"};
    }
    for (std::size_t i = 0; i < watched.size(); ++i) {
      if (watched[i].revents != 0) read_from(*watched_workers[i]);
    }
    deliver_in_order();
    return true;
  }

  void forward_stop() {
    stop_forwarded_ = true;
    for (const Worker& worker : workers_) {
      if (worker.fd >= 0) ::kill(worker.pid, SIGTERM);
    }
  }

  void read_from(Worker& worker) {
    char chunk[read_chunk_bytes];
    const ssize_t got = ::read(worker.fd, chunk, sizeof chunk);
    if (got < 0 && errno == EINTR) return;
    if (got <= 0) {  // the end of its stream (an error ends it too)
      end(worker);
      return;
    }
    worker.frames.append({chunk, static_cast<std::size_t>(got)});
    while (auto frame = worker.frames.next()) take(worker, std::move(*frame));
    if (worker.frames.broken()) {
      worker.broken_why = worker.frames.broken_why();
      ::kill(worker.pid, SIGKILL);
      end(worker);
    }
  }

  void take(Worker& worker, WorkerFrame frame) {
    if (!worker.broken_why.empty()) return;
    if (worker.delivered >= worker.items.size() || frame.item != worker.items[worker.delivered]) {
      worker.broken_why = "item " + std::to_string(frame.item) + " out of turn";
      ::kill(worker.pid, SIGKILL);
      return;
    }
    ItemOutcome outcome{.item = frame.item};
    if (frame.failed) {
      outcome.fate = ItemFate::failed;
      outcome.why = std::move(frame.bytes);
    } else {
      outcome.result = std::move(frame.bytes);
    }
    outcomes_[frame.item] = std::move(outcome);
    ++worker.delivered;
  }

  // Its stream ended: reap it, and give each item it did not deliver an
  // outcome that says why.
  void end(Worker& worker) {
    ::close(worker.fd);
    worker.fd = -1;
    if (worker.frames.pending_bytes() > 0 && worker.broken_why.empty()) {
      worker.broken_why = "a result cut short (" + std::to_string(worker.frames.pending_bytes()) +
                          " bytes of a frame)";
    }
    settle_undelivered(worker, reap(worker));
  }

  static int reap(Worker& worker) {
    int status = 0;
    while (::waitpid(worker.pid, &status, 0) < 0 && errno == EINTR) {
    }
    worker.reaped = true;
    return status;
  }

  void settle_undelivered(Worker& worker, int status) {
    // A worker told to stop exits 0 after its current item (one that was
    // never started counts as such).
    const bool stopped_as_asked =
        interrupted() && worker.broken_why.empty() && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    const std::string lost_why = how_it_ended(worker, status) + " before delivering this item";
    for (std::size_t i = worker.delivered; i < worker.items.size(); ++i) {
      const std::size_t item = worker.items[i];
      if (stopped_as_asked) {
        outcomes_[item] =
            ItemOutcome{.item = item, .fate = ItemFate::not_run, .why = not_run_why()};
      } else {
        outcomes_[item] = ItemOutcome{.item = item, .fate = ItemFate::lost, .why = lost_why};
      }
    }
    worker.delivered = worker.items.size();
  }

  void deliver_in_order() {
    while (next_ < outcomes_.size() && outcomes_[next_]) {
      const ItemOutcome outcome = std::move(*outcomes_[next_]);
      outcomes_[next_].reset();
      ++next_;
      count(summary_, outcome.fate);
      on_outcome_(outcome);
    }
  }

  const OutcomeHandler& on_outcome_;
  std::vector<Worker> workers_;
  std::vector<std::optional<ItemOutcome>> outcomes_;  // arrived, not yet handed over
  std::size_t next_ = 0;                              // the next item to hand over
  bool stop_forwarded_ = false;
  PoolSummary summary_;
};

}  // namespace

PoolSummary run_worker_pool(const PoolPlan& plan, const WorkerSetup& setup,
                            const OutcomeHandler& on_outcome) {
  std::vector<std::vector<std::size_t>> items_of = deal_items(plan);
  if (plan.workers == 1) return run_in_process(plan, setup, on_outcome);
  ParentOfWorkers parent{plan, on_outcome};
  return parent.run(std::move(items_of), setup);
}

}  // namespace mqttsim::cli
