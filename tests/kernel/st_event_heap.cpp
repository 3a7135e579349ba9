#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <vector>

#include "kernel/event_heap.hpp"
#include "kernel/rng.hpp"

using mqttsim::kernel::EventHeap;
using mqttsim::kernel::Rng;
using Key = EventHeap::Key;

namespace {

Key key(std::uint64_t time, std::uint64_t order) { return (static_cast<Key>(time) << 64) | order; }

std::vector<Key> drain(EventHeap& heap) {
  std::vector<Key> out;
  while (!heap.empty()) {
    out.push_back(heap.top());
    heap.pop();
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_event_heap)

BOOST_AUTO_TEST_CASE(pops_in_ascending_order) {
  Rng rng{21};
  EventHeap heap;
  std::vector<Key> pushed;
  for (std::uint64_t i = 0; i < 10'000; ++i) {
    const Key k = key(rng.uniform(0, 500), i);  // many equal times
    pushed.push_back(k);
    heap.push(k);
  }
  BOOST_TEST(heap.size() == 10'000u);
  std::sort(pushed.begin(), pushed.end());
  const std::vector<Key> popped = drain(heap);
  BOOST_TEST_REQUIRE(popped.size() == pushed.size());
  BOOST_TEST(std::equal(popped.begin(), popped.end(), pushed.begin()));
}

BOOST_AUTO_TEST_CASE(interleaved_push_and_pop_keep_order) {
  // The hold model: pop the smallest, push a later one.
  Rng rng{22};
  EventHeap heap;
  for (std::uint64_t i = 0; i < 1'000; ++i) heap.push(key(rng.uniform(0, 1'000), i));
  Key previous = 0;
  for (std::uint64_t i = 1'000; i < 50'000; ++i) {
    const Key top = heap.top();
    BOOST_TEST_REQUIRE((top >= previous));
    previous = top;
    heap.pop();
    heap.push(key(static_cast<std::uint64_t>(top >> 64) + rng.uniform(0, 1'000), i));
  }
  BOOST_TEST(heap.size() == 1'000u);
}

BOOST_AUTO_TEST_CASE(remove_if_keeps_a_valid_heap) {
  Rng rng{23};
  EventHeap heap;
  std::vector<Key> kept;
  for (std::uint64_t i = 0; i < 5'000; ++i) {
    const Key k = key(rng.uniform(0, 10'000), i);
    heap.push(k);
    if (i % 3 != 0) kept.push_back(k);
  }
  heap.remove_if([](Key k) { return static_cast<std::uint64_t>(k) % 3 == 0; });
  std::sort(kept.begin(), kept.end());
  const std::vector<Key> popped = drain(heap);
  BOOST_TEST_REQUIRE(popped.size() == kept.size());
  BOOST_TEST(std::equal(popped.begin(), popped.end(), kept.begin()));
  heap.remove_if([](Key) { return true; });  // on an empty heap
  BOOST_TEST(heap.empty());
}

BOOST_AUTO_TEST_SUITE_END()
