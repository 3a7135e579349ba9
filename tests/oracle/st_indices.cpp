// The oracle's typed indices: a trace index, a connection index, an epoch
// index and the rest are different types, so passing one where another
// belongs does not compile; an IndexedVector takes only its own kind.
#include <boost/test/unit_test.hpp>
#include <string>
#include <type_traits>
#include <vector>

#include "oracle/indices.hpp"

using namespace mqttsim::oracle;

// No conversion between kinds, nor to or from a bare number.
static_assert(!std::is_convertible_v<TraceIndex, EpochIndex>);
static_assert(!std::is_convertible_v<DeliveryIndex, MessageIndex>);
static_assert(!std::is_convertible_v<std::size_t, TraceIndex>);
static_assert(!std::is_convertible_v<TraceIndex, std::size_t>);
static_assert(!std::is_constructible_v<ConnectionIndex, PacketPosition>);
// A vector indexed by epochs cannot be read with a connection index.
template <class V, class I>
concept indexable_by = requires(V v, I i) {
  v[i];
};
static_assert(indexable_by<IndexedVector<EpochIndex, int>, EpochIndex>);
static_assert(!indexable_by<IndexedVector<EpochIndex, int>, ConnectionIndex>);
static_assert(!indexable_by<IndexedVector<EpochIndex, int>, std::size_t>);

BOOST_AUTO_TEST_SUITE(st_indices)

BOOST_AUTO_TEST_CASE(an_index_orders_and_steps_within_its_kind) {
  const TraceIndex a{3};
  BOOST_TEST(a.value() == 3u);
  BOOST_TEST((a.next() == TraceIndex{4}));
  BOOST_TEST((a.previous() == TraceIndex{2}));
  BOOST_TEST((a < a.next()));
  BOOST_TEST((TraceIndex{} == TraceIndex{0}));
}

BOOST_AUTO_TEST_CASE(an_indexed_vector_names_its_elements_by_index) {
  IndexedVector<MessageIndex, std::string> names;
  BOOST_TEST((names.next_index() == MessageIndex{0}));
  names.push_back("m1");
  names.emplace_back("m2");
  names.push_back("m3");
  BOOST_TEST((names.back_index() == MessageIndex{2}));
  BOOST_TEST(names[MessageIndex{1}] == "m2");
  std::vector<std::size_t> all;
  for (const MessageIndex i : names.indices()) all.push_back(i.value());
  BOOST_TEST(all == (std::vector<std::size_t>{0, 1, 2}));
  std::vector<std::string> from_second;
  for (const MessageIndex i : names.indices_from(MessageIndex{1})) from_second.push_back(names[i]);
  BOOST_TEST(from_second == (std::vector<std::string>{"m2", "m3"}));
  const auto none = names.indices_from(names.next_index());
  BOOST_TEST((none.begin() == none.end()));
}

BOOST_AUTO_TEST_SUITE_END()
