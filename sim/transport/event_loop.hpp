#pragma once
// One real-time event loop for `mqttsim check`: a steady clock, timers, and
// (through the classes built on it) sockets, all run on the calling thread.
// It hides Boost.Asio so that sim/runner, which drives it, never includes an
// Asio header; transport's own classes and tests reach the io_context
// through transport/event_loop_asio.hpp.
//
// Time is real time since the loop was made, as a TimePoint (integer
// microseconds), the same type the sans-I/O core takes.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>

#include "base/time.hpp"

namespace mqttsim::transport {

class EventLoop {
 public:
  using TimerId = std::uint64_t;

  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Real time since the loop was made.
  TimePoint now() const;

  // Runs `action` on the loop at `at` (at once if `at` has passed), unless
  // cancelled first. Cancelling an id that has fired or is unknown is a no-op.
  TimerId schedule_at(TimePoint at, std::function<void()> action);
  TimerId schedule_after(Duration delay, std::function<void()> action) {
    return schedule_at(now() + delay, std::move(action));
  }
  void cancel(TimerId id);
  std::size_t pending_timers() const { return timers_.size(); }

  // Runs at most one ready handler, waiting for one until `deadline` (real
  // time) at the latest. True when a handler ran; false when the deadline
  // passed first, or (without a deadline) when nothing is left that could
  // ever run.
  bool run_one(std::optional<TimePoint> deadline);
  // Runs handlers until `done()` holds or `deadline` passes; true when
  // done() held. For bounded blocking waits (set-up and clean-up).
  bool run_until(const std::function<bool()>& done, TimePoint deadline);
  // Runs handlers until `deadline` (a bounded pause that keeps serving).
  void run_until(TimePoint deadline);

  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
  std::map<TimerId, std::shared_ptr<void>> timers_;  // live timers, by id
  TimerId next_timer_ = 1;
};

}  // namespace mqttsim::transport
