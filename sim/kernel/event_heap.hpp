#pragma once
// The simulator's priority queue: an 8-ary min-heap of 128-bit keys.
//
// Eight children per node cut the depth of a binary heap by three, and the
// layout puts the eight children of every node in one aligned 128-byte pair
// of cache lines (which the hardware fetches together). With a million
// pending events the walk down the heap is what costs (cache misses); 8-ary
// measured better there than 4-ary (and a little slower with a thousand
// pending, still far above the target). Pop uses Floyd's
// bottom-up strategy: the hole walks down along the smallest children
// without comparing against the displaced last key (which usually belongs
// near the bottom anyway), then that key sifts up from the leaf.
//
// Layout: one array of keys aligned to 128 bytes whose first seven entries
// are padding, so node n lives at n + 7 and children 8n+1..8n+8 sit at
// 8n+8..8n+15: one aligned 128-byte block.

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <new>
#include <vector>

namespace mqttsim::kernel {

// std::allocator aligns only to alignof(T); the heap wants 128-byte blocks.
template <class T>
struct CacheLineAllocator {
  using value_type = T;
  static constexpr std::align_val_t alignment{128};
  CacheLineAllocator() = default;
  template <class U>
  CacheLineAllocator(const CacheLineAllocator<U>&) {}
  T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), alignment)); }
  void deallocate(T* p, std::size_t) { ::operator delete(p, alignment); }
  template <class U>
  bool operator==(const CacheLineAllocator<U>&) const {
    return true;
  }
};

class EventHeap {
 public:
  using Key = unsigned __int128;
  static constexpr std::size_t arity = 8;
  static_assert(arity * sizeof(Key) == static_cast<std::size_t>(CacheLineAllocator<Key>::alignment),
                "the children of a node fill exactly one aligned block");

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  Key top() const {
    assert(size_ > 0);
    return at(0);
  }
  // Any key by position (0 is the top, 1..8 its children), for look-ahead.
  Key operator[](std::size_t n) const {
    assert(n < size_);
    return at(n);
  }

  // Makes room for one more key, so the next push cannot throw.
  void reserve_one() {
    if (size_ + shift + 1 > keys_.size()) {
      keys_.resize(std::max<std::size_t>(2 * keys_.size(), 64));
      base_ = keys_.data() + shift;
    }
  }

  void push(Key key) {
    reserve_one();
    std::size_t hole = size_++;
    while (hole > 0) {
      const std::size_t parent = (hole - 1) / arity;
      if (!(key < at(parent))) break;
      at(hole) = at(parent);
      hole = parent;
    }
    at(hole) = key;
  }

  void pop() {
    assert(size_ > 0);
    const Key last = at(--size_);
    if (size_ == 0) return;
    std::size_t hole = 0;
    for (;;) {
      const std::size_t first = arity * hole + 1;
      if (first >= size_) break;
      const std::size_t best = smallest_child(first);
      at(hole) = at(best);
      hole = best;
    }
    sift_up(hole, last);
  }

  // Removes every key for which `drop(key)` is true, then restores the heap
  // (Floyd's heapify, O(n)).
  template <class Drop>
  void remove_if(Drop drop) {
    std::size_t kept = 0;
    for (std::size_t n = 0; n < size_; ++n) {
      const Key key = at(n);
      if (!drop(key)) at(kept++) = key;
    }
    size_ = kept;
    for (std::size_t parent = size_ / arity + 1; parent-- > 0;) {
      if (parent < size_) sift_down(parent);
    }
  }

 private:
  static constexpr std::size_t shift = arity - 1;  // node n lives at n + 7

  Key& at(std::size_t n) { return base_[n]; }
  const Key& at(std::size_t n) const { return base_[n]; }

  std::size_t smallest_child(std::size_t first) const {
    std::size_t best = first;
    const std::size_t end = std::min(first + arity, size_);
    for (std::size_t child = first + 1; child < end; ++child) {
      if (at(child) < at(best)) best = child;
    }
    return best;
  }
  void sift_up(std::size_t hole, Key key) {
    while (hole > 0) {
      const std::size_t parent = (hole - 1) / arity;
      if (!(key < at(parent))) break;
      at(hole) = at(parent);
      hole = parent;
    }
    at(hole) = key;
  }
  void sift_down(std::size_t hole) {
    const Key key = at(hole);
    for (;;) {
      const std::size_t first = arity * hole + 1;
      if (first >= size_) break;
      const std::size_t best = smallest_child(first);
      if (!(at(best) < key)) break;
      at(hole) = at(best);
      hole = best;
    }
    at(hole) = key;
  }

  std::vector<Key, CacheLineAllocator<Key>> keys_;  // shift padding, then the nodes
  Key* base_ = nullptr;                             // keys_.data() + shift
  std::size_t size_ = 0;
};

}  // namespace mqttsim::kernel
