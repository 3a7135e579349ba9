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

EventId Simulator::schedule_at(TimePoint at, Callback callback) {
  if (at < now_) {
    throw SchedulingError("schedule_at(" + to_string(at) + ") is before now (" + to_string(now_) +
                          ")");
  }
  if (next_sequence_ > sequence_max) throw SchedulingError("simulator: event sequence exhausted");
  std::uint32_t slot = 0;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    if (slots_.size() >= pending_events_max) {
      throw SchedulingError("simulator: more than 2^24-1 events pending");
    }
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  const std::uint64_t order = (next_sequence_++ << slot_bits) | slot;
  Slot& entry = slots_[slot];
  assert(entry.order == 0);
  entry.callback = std::move(callback);
  entry.order = order;
  entry.cancelled = false;
  heap_push(Key{at.since_origin_us(), order});
  ++live_;
  return EventId{order};
}

EventId Simulator::schedule_after(Duration delay, Callback callback) {
  if (delay < Duration::zero()) {
    throw SchedulingError("schedule_after(" + to_string(delay) + "): negative delay");
  }
  return schedule_at(now_ + delay, std::move(callback));
}

void Simulator::cancel(EventId id) {
  if (id.value == 0) return;
  const std::uint32_t slot = slot_of(id.value);
  if (slot >= slots_.size()) return;
  Slot& entry = slots_[slot];
  // A freed or reused slot carries another order: the id is stale.
  if (entry.order != id.value || entry.cancelled) return;
  entry.cancelled = true;
  entry.callback = nullptr;  // release what it captured now, not at pop time
  --live_;
  ++cancelled_in_heap_;
  if (cancelled_in_heap_ > 1024 && cancelled_in_heap_ * 2 > heap_.size()) compact();
}

bool Simulator::step() {
  drop_cancelled_top();
  if (heap_.empty()) return false;
  const Key top = heap_.front();
  heap_pop();
  // ns-3: the clock only moves forward.
  assert(top.time_us >= now_.since_origin_us());
  now_ = TimePoint::from_us(top.time_us);
  const std::uint32_t slot = slot_of(top.order);
  // Moved out before running: the callback may schedule (growing the slab)
  // or cancel its own id, and neither may touch the running callable.
  Callback callback = std::move(slots_[slot].callback);
  release(slot);
  --live_;
  ++events_run_;
  callback();
  return true;
}

void Simulator::run_until(TimePoint until) {
  if (until < now_) {
    throw SchedulingError("run_until(" + to_string(until) + ") is before now (" + to_string(now_) +
                          ")");
  }
  for (;;) {
    drop_cancelled_top();
    if (heap_.empty() || heap_.front().time_us > until.since_origin_us()) break;
    step();
  }
  now_ = until;
}

Expected<RunSummary, EventBudgetExhausted> Simulator::run(std::uint64_t max_events) {
  for (std::uint64_t n = 0; n < max_events; ++n) {
    if (!step()) return RunSummary{events_run_, now_};
  }
  if (live_ == 0) return RunSummary{events_run_, now_};
  return Unexpected{EventBudgetExhausted{events_run_, live_, now_}};
}

std::optional<TimePoint> Simulator::next_event_time() {
  drop_cancelled_top();
  if (heap_.empty()) return std::nullopt;
  return TimePoint::from_us(heap_.front().time_us);
}

void Simulator::release(std::uint32_t slot) {
  Slot& entry = slots_[slot];
  entry.order = 0;
  entry.cancelled = false;
  free_slots_.push_back(slot);
}

void Simulator::drop_cancelled_top() {
  // Bounded by the number of cancelled keys in the heap.
  while (!heap_.empty()) {
    const std::uint32_t slot = slot_of(heap_.front().order);
    if (!slots_[slot].cancelled) return;
    heap_pop();
    release(slot);
    assert(cancelled_in_heap_ > 0);
    --cancelled_in_heap_;
  }
}

void Simulator::compact() {
  std::size_t kept = 0;
  for (const Key& key : heap_) {
    const std::uint32_t slot = slot_of(key.order);
    if (slots_[slot].cancelled) {
      release(slot);
    } else {
      heap_[kept++] = key;
    }
  }
  heap_.resize(kept);
  cancelled_in_heap_ = 0;
  std::make_heap(heap_.begin(), heap_.end(),
                 [](const Key& a, const Key& b) { return before(b, a); });
  assert(heap_.size() == live_);
}

// A binary min-heap that moves a hole instead of swapping, which halves the
// writes of std::push_heap/pop_heap's swaps on our 16-byte keys.
void Simulator::heap_push(Key key) {
  std::size_t hole = heap_.size();
  heap_.push_back(key);
  while (hole > 0) {
    const std::size_t parent = (hole - 1) / 2;
    if (!before(key, heap_[parent])) break;
    heap_[hole] = heap_[parent];
    hole = parent;
  }
  heap_[hole] = key;
}

void Simulator::heap_pop() {
  assert(!heap_.empty());
  const Key last = heap_.back();
  heap_.pop_back();
  if (!heap_.empty()) sift_down(0, last);
}

void Simulator::sift_down(std::size_t hole, Key key) {
  const std::size_t size = heap_.size();
  for (;;) {
    std::size_t child = 2 * hole + 1;
    if (child >= size) break;
    if (child + 1 < size && before(heap_[child + 1], heap_[child])) ++child;
    if (!before(heap_[child], key)) break;
    heap_[hole] = heap_[child];
    hole = child;
  }
  heap_[hole] = key;
}

}  // namespace mqttsim::kernel
