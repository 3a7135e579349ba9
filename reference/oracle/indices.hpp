#pragma once
// Typed indices. The oracle holds positions into half a dozen sequences
// (the trace, the connections, the session epochs, the publications, the
// deliveries, the flow's messages), and with bare std::size_t a delivery
// index passed where a trace index belongs still compiles. Each kind is its
// own type here: no implicit conversion to or from std::size_t, and no
// arithmetic that could mix two kinds. An IndexedVector takes only its
// own kind of index.

#include <compare>
#include <cstddef>
#include <utility>
#include <vector>

namespace mqttsim::oracle {

template <class Tag>
class Index {
 public:
  constexpr Index() = default;
  constexpr explicit Index(std::size_t value) : value_(value) {}

  constexpr std::size_t value() const { return value_; }
  // The neighbours in the same sequence.
  constexpr Index next() const { return Index{value_ + 1}; }
  constexpr Index previous() const { return Index{value_ - 1}; }
  constexpr Index& operator++() {
    ++value_;
    return *this;
  }

  friend constexpr bool operator==(Index, Index) = default;
  friend constexpr auto operator<=>(Index, Index) = default;

 private:
  std::size_t value_ = 0;
};

// The position of an event in trace::Trace (and a violation's range).
using TraceIndex = Index<struct TraceIndexTag>;
// Into Observation::connections.
using ConnectionIndex = Index<struct ConnectionIndexTag>;
// Into Sessions::epochs.
using EpochIndex = Index<struct EpochIndexTag>;
// Into Messages::publications.
using PublicationIndex = Index<struct PublicationIndexTag>;
// Into Messages::deliveries (and the parallel Flow::deliveries).
using DeliveryIndex = Index<struct DeliveryIndexTag>;
// Into Flow::messages.
using MessageIndex = Index<struct MessageIndexTag>;
// Into ConnectionView::packets: a packet's place on its connection, not in
// the trace.
using PacketPosition = Index<struct PacketPositionTag>;

// The indices [first, end), for a range-for.
template <class I>
class IndexRange {
 public:
  class iterator {
   public:
    using value_type = I;
    using difference_type = std::ptrdiff_t;
    iterator() = default;
    explicit iterator(I at) : at_(at) {}
    I operator*() const { return at_; }
    iterator& operator++() {
      ++at_;
      return *this;
    }
    iterator operator++(int) {
      iterator before = *this;
      ++at_;
      return before;
    }
    bool operator==(const iterator&) const = default;

   private:
    I at_;
  };

  IndexRange(I first, I end) : first_(first), end_(end < first ? first : end) {}
  iterator begin() const { return iterator{first_}; }
  iterator end() const { return iterator{end_}; }

 private:
  I first_;
  I end_;
};

// A std::vector that takes only indices of kind I.
template <class I, class T>
class IndexedVector {
 public:
  using value_type = T;
  using iterator = typename std::vector<T>::iterator;
  using const_iterator = typename std::vector<T>::const_iterator;

  IndexedVector() = default;
  explicit IndexedVector(std::size_t count) : items_(count) {}

  T& operator[](I i) { return items_[i.value()]; }
  const T& operator[](I i) const { return items_[i.value()]; }

  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  // The index the next element added will have, and that of the last one.
  I next_index() const { return I{items_.size()}; }
  I back_index() const { return I{items_.size() - 1}; }
  // Every index, in order; or those from `first` on.
  IndexRange<I> indices() const { return {I{0}, next_index()}; }
  IndexRange<I> indices_from(I first) const { return {first, next_index()}; }

  void push_back(T value) { items_.push_back(std::move(value)); }
  template <class... Args>
  T& emplace_back(Args&&... args) {
    return items_.emplace_back(std::forward<Args>(args)...);
  }
  void reserve(std::size_t count) { items_.reserve(count); }
  void resize(std::size_t count) { items_.resize(count); }

  T& back() { return items_.back(); }
  const T& back() const { return items_.back(); }
  iterator begin() { return items_.begin(); }
  iterator end() { return items_.end(); }
  const_iterator begin() const { return items_.begin(); }
  const_iterator end() const { return items_.end(); }

 private:
  std::vector<T> items_;
};

}  // namespace mqttsim::oracle
