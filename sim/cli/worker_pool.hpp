#pragma once
// Runs items 0..N-1 (scenarios, seeds) across J worker processes, and hands
// each item's outcome to the caller in item order, so that output and
// reports are the same whatever J is. Processes, not threads: the simulator
// is single-threaded by design (DESIGN.md, "Determinism rules"), and a
// process that crashes takes only its own items with it.
//
// The items are dealt out before any work starts: item i goes to worker
// i mod J, or to the worker the plan names. Each worker is a fork()ed child
// that runs its items in increasing order. It builds its own state first
// (WorkerSetup runs after the fork, in the child: an event loop must not be
// shared across a fork) and sends each result to the parent over its own
// pipe, framed by length. The parent reads every pipe with poll(), keeps the
// results that arrive early, and calls the handler with each outcome in
// item order. With J = 1 nothing is forked: the items run in this process,
// and the handler sees exactly the same outcomes.
//
// A worker that dies (a crash, a signal, an exit before its last item) makes
// each item it had not delivered an outcome of fate `lost` that says how it
// died; the others carry on. SIGINT and SIGTERM (interrupt.hpp, whose
// handlers the caller installs) stop the pool between items: the parent
// forwards the stop to its workers, each finishes the item it is on, and
// the items nobody started come out as `not_run`.
//
// A worker must not print to stdout: its buffer is not the parent's, and
// the console shows results in item order only if the handler prints them.
// stdout is flushed before the workers are forked.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace mqttsim::cli {

enum class ItemFate : std::uint8_t {
  done,     // `result` is what the item's work returned
  failed,   // the work threw: `why` is the exception's message
  lost,     // its worker died before delivering it: `why` says how
  not_run,  // the pool was interrupted before the item's turn
};

struct ItemOutcome {
  std::size_t item = 0;
  ItemFate fate = ItemFate::done;
  std::string result;  // fate done
  std::string why;     // any other fate
};

// The work of one item, in a worker: its result, as bytes for the parent.
using ItemWork = std::function<std::string(std::size_t item)>;
// Runs once in each worker (after the fork) with the worker's index, and
// returns its ItemWork. If it throws, each of the worker's items fails.
using WorkerSetup = std::function<ItemWork(std::size_t worker)>;
// Runs in the parent, once per item, in item order.
using OutcomeHandler = std::function<void(const ItemOutcome&)>;

// A limit on J, so that a typo cannot fork a thousand processes.
inline constexpr std::size_t pool_workers_max = 64;

struct PoolPlan {
  std::size_t items = 0;
  std::size_t workers = 1;  // J, 1..pool_workers_max; 1 runs the items in this process
  // The worker of each item (`items` entries, each below `workers`), for a
  // caller that keeps some items together; empty: item i goes to worker
  // i mod J.
  std::vector<std::size_t> worker_of_item;
};

struct PoolSummary {
  std::size_t done = 0, failed = 0, lost = 0, not_run = 0;
};

// Runs the plan and returns once every item has an outcome and every worker
// has been reaped. Throws std::invalid_argument for a plan that is not
// valid, std::system_error when a pipe or a process cannot be made, and
// whatever the handler throws (after killing and reaping the workers).
PoolSummary run_worker_pool(const PoolPlan& plan, const WorkerSetup& setup,
                            const OutcomeHandler& on_outcome);

}  // namespace mqttsim::cli
