#pragma once
// The virtual clock and its event queue. Events run in (time, insertion
// sequence) order, so two events at the same microsecond run in the order
// they were scheduled (ns-3's (time, uid) key). Time never goes backwards.
//
// Representation: an 8-ary heap (event_heap.hpp) of 16-byte keys
// (time, sequence << 24 | slot);
// the callbacks live in a slab of 32-byte slots, in chunks that never move,
// so a callback runs in place. A callable of up to 16 bytes (a lambda that
// captures `this` and an id) is stored in the slot itself; a larger one is
// boxed on the heap.
// Cancelling is lazy: it marks the slot and frees the callback at once, and the
// key is skipped when it reaches the top. When cancelled keys make up more than
// half of the heap it is rebuilt without them, so a timer that is re-armed
// forever cannot grow the heap without bound.

#include <cstdint>
#include <functional>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "base/expected.hpp"
#include "base/time.hpp"
#include "kernel/event_heap.hpp"

namespace mqttsim::kernel {

using Callback = std::function<void()>;  // any void() callable is accepted

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
  std::uint64_t events_run = 0;  // by the call that stopped
  std::uint64_t events_pending = 0;
  TimePoint now;
  std::string message() const;
};

struct RunSummary {
  std::uint64_t events_run = 0;  // by this call
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
  ~Simulator();  // destroys the callbacks of events that never ran

  TimePoint now() const { return now_; }

  // Throws SchedulingError if `at` is before now().
  template <class F>
  EventId schedule_at(TimePoint at, F&& callback);
  // Throws SchedulingError if `delay` is negative.
  template <class F>
  EventId schedule_after(Duration delay, F&& callback) {
    check_delay(delay);
    return schedule_at(now_ + delay, std::forward<F>(callback));
  }
  void cancel(EventId id);

  // Runs the next live event; false when none is left.
  bool step();
  // Runs every event at or before `until`, then sets the clock to `until`.
  // Events scheduled by those events run too if they fall at or before it.
  void run_until(TimePoint until);
  // The same, bounded: stops with EventBudgetExhausted (the clock left at
  // the last event run) when `max_events` have run and events remain due.
  Expected<RunSummary, EventBudgetExhausted> run_until(TimePoint until, std::uint64_t max_events);
  // Runs until no event is left. Stops with EventBudgetExhausted when
  // `max_events` have run and live events remain.
  Expected<RunSummary, EventBudgetExhausted> run(std::uint64_t max_events);

  // Live (scheduled and not cancelled) events.
  std::uint64_t pending() const { return live_; }
  std::uint64_t events_run() const { return events_run_; }
  // The time of the earliest live event, if any (quinn's next_deadline).
  std::optional<TimePoint> next_event_time();

 private:
  // (time_us << 64) | order as one unsigned 128-bit value: a single
  // comparison orders by time, then by sequence. Times are never negative
  // (nothing can be scheduled before the origin), so the cast keeps order.
  using Key = EventHeap::Key;

  struct CallbackOps {
    void (*invoke)(void* storage);
    void (*destroy)(void* storage);  // null when there is nothing to destroy
  };
  static constexpr std::size_t inline_bytes = 16;
  template <class Fn>
  static constexpr bool fits_inline = sizeof(Fn) <= inline_bytes && alignof(Fn) <= 8;
  template <class Fn>
  struct InlineOps {
    static void invoke(void* storage) { (*std::launder(static_cast<Fn*>(storage)))(); }
    static void destroy(void* storage) { std::launder(static_cast<Fn*>(storage))->~Fn(); }
    static constexpr CallbackOps ops{&invoke,
                                     std::is_trivially_destructible_v<Fn> ? nullptr : &destroy};
  };
  template <class Fn>
  struct BoxedOps {
    static Fn* box(void* storage) { return *std::launder(static_cast<Fn**>(storage)); }
    static void invoke(void* storage) { (*box(storage))(); }
    static void destroy(void* storage) { delete box(storage); }
    static constexpr CallbackOps ops{&invoke, &destroy};
  };

  struct alignas(32) Slot {
    const CallbackOps* ops = nullptr;  // null: free, cancelled or running
    // The order of the key that owns this slot. A key whose slot holds
    // another order was cancelled; 0 marks a slot that no key owns now.
    std::uint64_t order = 0;
    alignas(8) unsigned char storage[inline_bytes];
  };
  static constexpr std::uint32_t chunk_slots = 4'096;

  static Key make_key(TimePoint at, std::uint64_t order) {
    return (static_cast<Key>(static_cast<std::uint64_t>(at.since_origin_us())) << 64) | order;
  }
  static std::int64_t time_of(Key key) { return static_cast<std::int64_t>(key >> 64); }
  static std::uint64_t order_of(Key key) { return static_cast<std::uint64_t>(key); }
  Slot& slot_at(std::uint32_t index) const {
    return chunks_[index / chunk_slots][index % chunk_slots];
  }
  bool is_cancelled(Key key) const;
  bool next_due(TimePoint until);  // a live event at or before `until` is queued
  void check_delay(Duration delay) const;
  std::uint32_t claim_slot(TimePoint at);  // throws SchedulingError
  EventId commit(TimePoint at, std::uint32_t slot, const CallbackOps* ops);
  static void destroy_callable(Slot& slot);
  void release(std::uint32_t slot);
  void drop_cancelled_top();
  void compact();

  TimePoint now_ = TimePoint::origin();
  std::uint64_t next_sequence_ = 1;
  std::uint64_t live_ = 0;
  std::uint64_t cancelled_in_heap_ = 0;
  std::uint64_t events_run_ = 0;
  EventHeap heap_;
  std::vector<std::unique_ptr<Slot[]>> chunks_;
  std::uint32_t slots_used_ = 0;  // slots handed out at least once
  std::vector<std::uint32_t> free_slots_;
};

template <class F>
EventId Simulator::schedule_at(TimePoint at, F&& callback) {
  using Fn = std::decay_t<F>;
  static_assert(std::is_invocable_r_v<void, Fn&>, "a callback takes no arguments");
  const std::uint32_t slot = claim_slot(at);
  void* storage = slot_at(slot).storage;
  try {
    if constexpr (fits_inline<Fn>) {
      ::new (storage) Fn(std::forward<F>(callback));
      return commit(at, slot, &InlineOps<Fn>::ops);
    } else {
      ::new (storage) Fn*(new Fn(std::forward<F>(callback)));
      return commit(at, slot, &BoxedOps<Fn>::ops);
    }
  } catch (...) {
    free_slots_.push_back(slot);  // capacity reserved: cannot throw
    throw;
  }
}

}  // namespace mqttsim::kernel
