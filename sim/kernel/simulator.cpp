#include "kernel/simulator.hpp"

#include <algorithm>
#include <cassert>
#include <utility>

namespace mqttsim::kernel {
namespace {

constexpr int slot_bits = 24;
constexpr std::uint64_t slot_mask = (std::uint64_t{1} << slot_bits) - 1;

std::uint32_t slot_of(std::uint64_t order) { return static_cast<std::uint32_t>(order & slot_mask); }

}  // namespace

std::string EventBudgetExhausted::message() const {
  return "event budget exhausted: " + std::to_string(events_run) + " events ran and " +
         std::to_string(events_pending) + " are still pending at " + to_string(now) +
         "; the simulation does not settle (raise the budget if it is legitimately long)";
}

Simulator::~Simulator() {
  // Destroy the callables still queued (boxed ones own heap memory).
  for (std::size_t n = 0; n < heap_.size(); ++n) {
    if (!is_cancelled(heap_[n])) destroy_callable(slot_at(slot_of(order_of(heap_[n]))));
  }
}

void Simulator::check_delay(Duration delay) const {
  if (delay < Duration::zero()) {
    throw SchedulingError("schedule_after(" + to_string(delay) + "): negative delay");
  }
}

std::uint32_t Simulator::claim_slot(TimePoint at) {
  if (at < now_) {
    throw SchedulingError("schedule_at(" + to_string(at) + ") is before now (" + to_string(now_) +
                          ")");
  }
  if (next_sequence_ > sequence_max) throw SchedulingError("simulator: event sequence exhausted");
  // Grow before anything is constructed, so commit() cannot fail.
  heap_.reserve_one();
  if (!free_slots_.empty()) {
    const std::uint32_t slot = free_slots_.back();
    free_slots_.pop_back();
    return slot;
  }
  if (slots_used_ >= pending_events_max) {
    throw SchedulingError("simulator: more than 2^24-1 events pending");
  }
  if (slots_used_ == chunks_.size() * chunk_slots) {
    chunks_.push_back(std::make_unique<Slot[]>(chunk_slots));
    // Every slot may sit on the free list at once: pushing back never allocates.
    free_slots_.reserve(chunks_.size() * chunk_slots);
  }
  return slots_used_++;
}

EventId Simulator::commit(TimePoint at, std::uint32_t slot, const CallbackOps* ops) {
  const std::uint64_t order = (next_sequence_++ << slot_bits) | slot;
  Slot& entry = slot_at(slot);
  assert(entry.order == 0 && entry.ops == nullptr);
  entry.ops = ops;
  entry.order = order;
  heap_.push(make_key(at, order));
  ++live_;
  return EventId{order};
}

void Simulator::destroy_callable(Slot& slot) {
  if (slot.ops && slot.ops->destroy) slot.ops->destroy(slot.storage);
  slot.ops = nullptr;
}

void Simulator::cancel(EventId id) {
  if (id.value == 0) return;
  const std::uint32_t slot = slot_of(id.value);
  if (slot >= slots_used_) return;
  Slot& entry = slot_at(slot);
  // A freed, reused, running or cancelled slot carries another order: the id is stale.
  if (entry.order != id.value) return;
  entry.order = 0;          // its key, when popped, finds a mismatch
  destroy_callable(entry);  // release what it captured now, not at pop time
  --live_;
  ++cancelled_in_heap_;
  if (cancelled_in_heap_ > 1024 && cancelled_in_heap_ * 2 > heap_.size()) compact();
}

bool Simulator::step() {
  drop_cancelled_top();
  if (heap_.empty()) return false;
  const Key top = heap_.top();
  heap_.pop();
  // ns-3: the clock only moves forward.
  assert(time_of(top) >= now_.since_origin_us());
  now_ = TimePoint::from_us(time_of(top));
  const std::uint32_t slot = slot_of(order_of(top));
  // The slots of the next two events (the top, and the smallest of its
  // children unless this event schedules an earlier one) are random slab
  // entries: start loading them now, so the misses overlap with running
  // this event and the next.
  if (!heap_.empty()) {
    __builtin_prefetch(&slot_at(slot_of(order_of(heap_[0]))));
    const std::size_t end = std::min<std::size_t>(heap_.size(), EventHeap::arity + 1);
    if (end > 1) {
      std::size_t best = 1;
      for (std::size_t child = 2; child < end; ++child) {
        if (heap_[child] < heap_[best]) best = child;
      }
      __builtin_prefetch(&slot_at(slot_of(order_of(heap_[best]))));
    }
  }
  // Runs in place: chunks never move, and the slot goes back on the free
  // list only afterwards. Its order is cleared first, so the callback
  // cancelling its own id does nothing.
  Slot& entry = slot_at(slot);
  entry.order = 0;
  --live_;
  ++events_run_;
  struct Release {
    Simulator& sim;
    Slot& entry;
    std::uint32_t slot;
    ~Release() {
      destroy_callable(entry);
      sim.free_slots_.push_back(slot);  // capacity reserved: cannot throw
    }
  } release_after{*this, entry, slot};
  entry.ops->invoke(entry.storage);
  return true;
}

void Simulator::run_until(TimePoint until) {
  if (until < now_) {
    throw SchedulingError("run_until(" + to_string(until) + ") is before now (" + to_string(now_) +
                          ")");
  }
  while (next_due(until)) step();
  now_ = until;
}

Expected<RunSummary, EventBudgetExhausted> Simulator::run_until(TimePoint until,
                                                                std::uint64_t max_events) {
  if (until < now_) {
    throw SchedulingError("run_until(" + to_string(until) + ") is before now (" + to_string(now_) +
                          ")");
  }
  const std::uint64_t first = events_run_;
  while (next_due(until)) {
    if (events_run_ - first >= max_events) {
      return Unexpected{EventBudgetExhausted{events_run_ - first, live_, now_}};
    }
    step();
  }
  now_ = until;
  return RunSummary{events_run_ - first, now_};
}

bool Simulator::next_due(TimePoint until) {
  drop_cancelled_top();
  return !heap_.empty() && time_of(heap_.top()) <= until.since_origin_us();
}

Expected<RunSummary, EventBudgetExhausted> Simulator::run(std::uint64_t max_events) {
  std::uint64_t ran = 0;
  for (; ran < max_events; ++ran) {
    if (!step()) return RunSummary{ran, now_};
  }
  if (live_ == 0) return RunSummary{ran, now_};
  return Unexpected{EventBudgetExhausted{ran, live_, now_}};
}

std::optional<TimePoint> Simulator::next_event_time() {
  drop_cancelled_top();
  if (heap_.empty()) return std::nullopt;
  return TimePoint::from_us(time_of(heap_.top()));
}

void Simulator::release(std::uint32_t slot) {
  Slot& entry = slot_at(slot);
  entry.order = 0;
  destroy_callable(entry);
  free_slots_.push_back(slot);
}

bool Simulator::is_cancelled(Key key) const {
  return slot_at(slot_of(order_of(key))).order != order_of(key);
}

void Simulator::drop_cancelled_top() {
  // Bounded by the number of cancelled keys in the heap.
  while (!heap_.empty() && is_cancelled(heap_.top())) {
    const std::uint32_t slot = slot_of(order_of(heap_.top()));
    heap_.pop();
    release(slot);
    assert(cancelled_in_heap_ > 0);
    --cancelled_in_heap_;
  }
}

void Simulator::compact() {
  heap_.remove_if([this](Key key) {
    if (!is_cancelled(key)) return false;
    release(slot_of(order_of(key)));
    return true;
  });
  cancelled_in_heap_ = 0;
  assert(heap_.size() == live_);
}

}  // namespace mqttsim::kernel
