// The oracle's filter index must find exactly the filters that
// codec::topic_matches says match a topic: it replaces a scan of every
// session's filters per message, so a filter it misses would hide a loss
// or a phantom delivery from the checkers.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "codec/topic.hpp"
#include "oracle/filter_index.hpp"

using namespace mqttsim;

namespace {

// Filters and topics from a small alphabet of levels, so that they often
// meet: empty levels, '$' first levels, '+' and '#' included.
const std::vector<std::string> name_levels{"a", "b", "", "$SYS", "$x"};

std::string random_topic(std::mt19937& rng) {
  std::string topic;
  const std::size_t levels = 1 + rng() % 4;
  for (std::size_t i = 0; i < levels; ++i) {
    if (i > 0) topic += '/';
    const std::string& level = name_levels[rng() % name_levels.size()];
    topic += (i > 0 && level.starts_with('$')) ? "c" : level;
  }
  return topic;
}

std::string random_filter(std::mt19937& rng) {
  std::string filter;
  const std::size_t levels = 1 + rng() % 4;
  for (std::size_t i = 0; i < levels; ++i) {
    if (i > 0) filter += '/';
    const auto pick = rng() % 8;
    if (pick == 0) {
      filter += '#';
      break;
    }
    filter += pick == 1 ? std::string{"+"} : name_levels[rng() % name_levels.size()];
  }
  return filter;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_filter_index)

BOOST_AUTO_TEST_CASE(finds_what_topic_matches_says_and_nothing_else) {
  std::mt19937 rng{20261207};  // fixed: the same cases on every run
  for (int round = 0; round < 200; ++round) {
    std::vector<std::string> filters;
    oracle::FilterIndex index;
    const std::size_t count = 1 + rng() % 12;
    for (std::size_t i = 0; i < count; ++i) {
      filters.push_back(random_filter(rng));
      index.add(filters.back(), i);
    }
    for (int t = 0; t < 20; ++t) {
      const std::string topic = random_topic(rng);
      std::vector<std::size_t> expected;
      for (std::size_t i = 0; i < filters.size(); ++i) {
        if (codec::topic_matches(filters[i], topic)) expected.push_back(i);
      }
      std::vector<std::size_t> found = index.matching(topic);
      std::sort(found.begin(), found.end());
      BOOST_TEST(found == expected, "topic \"" << topic << "\"");
    }
  }
}

BOOST_AUTO_TEST_CASE(the_rules_that_are_easy_to_miss) {
  oracle::FilterIndex index;
  index.add("sport/#", 1);
  index.add("#", 2);
  index.add("+/x", 3);
  index.add("a//b", 4);
  index.add("a/+/b", 5);
  index.add("sport/#", 6);  // the same filter again: both values
  BOOST_TEST(index.matching("sport") == (std::vector<std::size_t>{1, 6, 2}));
  BOOST_TEST(index.matching("$SYS/x").empty());  // MQTT-4.7.2-1
  BOOST_TEST(index.matching("a//b") == (std::vector<std::size_t>{2, 4, 5}));
  BOOST_TEST(index.matching("q/x") == (std::vector<std::size_t>{2, 3}));
}

BOOST_AUTO_TEST_SUITE_END()
