#pragma once
// The virtual clock and its event queue. Events run in (time, insertion
// sequence) order, so two events at the same microsecond run in the order
// they were scheduled (ns-3's (time, uid) key). Time never goes backwards.
//
// Representation: the heap holds 16-byte keys (time, sequence << 24 | slot);
// the callbacks live in a slab indexed by slot and never move while queued.
// Cancelling is lazy: it marks the slot and frees the callback at once, and the
// key is skipped when it reaches the top. When cancelled keys make up more than
// half of the heap it is rebuilt without them, so a timer that is re-armed
// forever cannot grow the heap without bound.

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/expected.hpp"
#include "base/time.hpp"

namespace mqttsim::kernel {

using Callback = std::function<void()>;

// Names one scheduled event. Cancelling an id that already ran, was already
// cancelled, or was never issued does nothing.
struct EventId {
  std::uint64_t value = 0;  // 0 is never issued
  bool operator==(const EventId&) const = default;
};

// Thrown for programming errors: scheduling before now(), running until a
// time in the past, or exceeding the queue's limits.
class SchedulingError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

// run(max_events) stopped with live events still queued: the simulation did
// not settle within its event budget (a livelock, or a budget set too low).
struct EventBudgetExhausted {
  std::uint64_t events_run = 0;
  std::uint64_t events_pending = 0;
  TimePoint now;
  std::string message() const;
};

struct RunSummary {
  std::uint64_t events_run = 0;
  TimePoint now;
};

class Simulator {
 public:
  // Limits (TigerBeetle style): the slot index has 24 bits and the sequence
  // 40, so 16.7 million pending events and 10^12 events per simulator.
  static constexpr std::uint64_t pending_events_max = (std::uint64_t{1} << 24) - 1;
  static constexpr std::uint64_t sequence_max = (std::uint64_t{1} << 40) - 1;

  Simulator() = default;
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  TimePoint now() const { return now_; }

  // Throws SchedulingError if `at` is before now().
  EventId schedule_at(TimePoint at, Callback callback);
  // Throws SchedulingError if `delay` is negative.
  EventId schedule_after(Duration delay, Callback callback);
  void cancel(EventId id);

  // Runs the next live event; false when none is left.
  bool step();
  // Runs every event at or before `until`, then sets the clock to `until`.
  // Events scheduled by those events run too if they fall at or before it.
  void run_until(TimePoint until);
  // Runs until no event is left. Stops with EventBudgetExhausted when
  // `max_events` have run and live events remain.
  Expected<RunSummary, EventBudgetExhausted> run(std::uint64_t max_events);

  // Live (scheduled and not cancelled) events.
  std::uint64_t pending() const { return live_; }
  std::uint64_t events_run() const { return events_run_; }
  // The time of the earliest live event, if any (quinn's next_deadline).
  std::optional<TimePoint> next_event_time();

 private:
  struct Key {
    std::int64_t time_us;
    std::uint64_t order;  // sequence << 24 | slot; sequences are unique
  };
  struct Slot {
    Callback callback;
    std::uint64_t order = 0;  // the key that owns this slot, 0 when free
    bool cancelled = false;
  };

  static bool before(const Key& a, const Key& b) {
    return a.time_us < b.time_us || (a.time_us == b.time_us && a.order < b.order);
  }
  void heap_push(Key key);
  void heap_pop();
  void sift_down(std::size_t hole, Key key);
  void release(std::uint32_t slot);
  void drop_cancelled_top();
  void compact();

  TimePoint now_ = TimePoint::origin();
  std::uint64_t next_sequence_ = 1;
  std::uint64_t live_ = 0;
  std::uint64_t cancelled_in_heap_ = 0;
  std::uint64_t events_run_ = 0;
  std::vector<Key> heap_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
};

}  // namespace mqttsim::kernel
