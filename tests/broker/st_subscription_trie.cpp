// The subscription index on its own: wildcard matching, '$' topics, removal.

#include <boost/test/unit_test.hpp>

#include "broker/subscription_trie.hpp"

using mqttsim::broker::FilterMatch;
using mqttsim::broker::SubscriptionTrie;

namespace {
std::vector<std::string> clients_matching(const SubscriptionTrie& trie, std::string_view topic) {
  std::vector<std::string> ids;
  for (const FilterMatch& match : trie.match(topic))
    ids.push_back(match.client_id + ":" + match.filter);
  return ids;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(st_subscription_trie)

BOOST_AUTO_TEST_CASE(wildcards_match_as_the_standard_says) {
  SubscriptionTrie trie;
  trie.insert("sport/tennis/player1/#", "a");
  trie.insert("sport/#", "b");
  trie.insert("sport/+", "c");
  trie.insert("+/+", "d");
  trie.insert("#", "e");
  trie.insert("/finance", "f");
  trie.insert("+/monitor/Clients", "g");

  const std::vector<std::string> player{"a:sport/tennis/player1/#", "b:sport/#", "e:#"};
  BOOST_TEST(clients_matching(trie, "sport/tennis/player1") == player,
             boost::test_tools::per_element());
  // "sport/#" matches the parent level too; "sport/+" does not match "sport".
  const std::vector<std::string> sport{"b:sport/#", "e:#"};
  BOOST_TEST(clients_matching(trie, "sport") == sport, boost::test_tools::per_element());
  const std::vector<std::string> sport_slash{"b:sport/#", "c:sport/+", "d:+/+", "e:#"};
  BOOST_TEST(clients_matching(trie, "sport/") == sport_slash, boost::test_tools::per_element());
  const std::vector<std::string> finance{"d:+/+", "e:#", "f:/finance"};
  BOOST_TEST(clients_matching(trie, "/finance") == finance, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(wildcards_at_the_first_level_do_not_match_dollar_topics) {
  SubscriptionTrie trie;
  trie.insert("#", "a");
  trie.insert("+/monitor/Clients", "b");
  trie.insert("$SYS/#", "c");
  trie.insert("$SYS/monitor/+", "d");
  const std::vector<std::string> expected{"c:$SYS/#", "d:$SYS/monitor/+"};
  BOOST_TEST(clients_matching(trie, "$SYS/monitor/Clients") == expected,
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(erase_removes_exactly_one_subscription_and_prunes) {
  SubscriptionTrie trie;
  trie.insert("a/+/c", "x");
  trie.insert("a/+/c", "y");
  trie.insert("a/b/c", "x");
  BOOST_TEST(trie.size() == 3u);
  BOOST_TEST(!trie.erase("a/+/c", "z"));
  BOOST_TEST(!trie.erase("a/#", "x"));
  BOOST_TEST(trie.erase("a/+/c", "x"));
  BOOST_TEST(trie.size() == 2u);
  const std::vector<std::string> expected{"x:a/b/c", "y:a/+/c"};
  BOOST_TEST(clients_matching(trie, "a/b/c") == expected, boost::test_tools::per_element());
  BOOST_TEST(trie.erase("a/+/c", "y"));
  BOOST_TEST(trie.erase("a/b/c", "x"));
  BOOST_TEST(trie.size() == 0u);
  BOOST_TEST(trie.match("a/b/c").empty());
}

BOOST_AUTO_TEST_CASE(resubscribing_does_not_duplicate) {
  SubscriptionTrie trie;
  trie.insert("t", "x");
  trie.insert("t", "x");
  BOOST_TEST(trie.size() == 1u);
  BOOST_TEST(trie.match("t").size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
