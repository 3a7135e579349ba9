// The subscription index on its own: wildcard matching, '$' topics, removal.

#include <algorithm>
#include <boost/test/unit_test.hpp>

#include "broker/subscription_trie.hpp"

using mqttsim::broker::FilterMatch;
using mqttsim::broker::SubscriptionTrie;

namespace {
std::vector<std::string> clients_matching(const SubscriptionTrie& trie, std::string_view topic) {
  std::vector<std::string> ids;
  for (const FilterMatch& match : trie.match(topic))
    ids.push_back(std::string{match.client_id} + ":" + std::string{match.filter});
  return ids;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(st_subscription_trie)

BOOST_AUTO_TEST_CASE(wildcards_match_as_the_standard_says) {
  SubscriptionTrie trie;
  trie.insert("sport/tennis/player1/#", "a", 0);
  trie.insert("sport/#", "b", 1);
  trie.insert("sport/+", "c", 2);
  trie.insert("+/+", "d", 3);
  trie.insert("#", "e", 4);
  trie.insert("/finance", "f", 5);
  trie.insert("+/monitor/Clients", "g", 6);

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
  trie.insert("#", "a", 0);
  trie.insert("+/monitor/Clients", "b", 1);
  trie.insert("$SYS/#", "c", 2);
  trie.insert("$SYS/monitor/+", "d", 3);
  const std::vector<std::string> expected{"c:$SYS/#", "d:$SYS/monitor/+"};
  BOOST_TEST(clients_matching(trie, "$SYS/monitor/Clients") == expected,
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(erase_removes_exactly_one_subscription_and_prunes) {
  SubscriptionTrie trie;
  trie.insert("a/+/c", "x", 23);
  trie.insert("a/+/c", "y", 24);
  trie.insert("a/b/c", "x", 23);
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
  trie.insert("t", "x", 23);
  trie.insert("t", "x", 23);
  BOOST_TEST(trie.size() == 1u);
  BOOST_TEST(trie.match("t").size() == 1u);
}

BOOST_AUTO_TEST_CASE(each_match_names_its_session_and_a_resubscription_keeps_the_latest) {
  SubscriptionTrie trie;
  trie.insert("t/#", "x", 7);
  trie.insert("t/+", "y", 3);
  trie.insert("t/#", "x", 9);  // the session was ended and made again
  const std::vector<FilterMatch> matches = trie.match("t/1");
  BOOST_TEST_REQUIRE(matches.size() == 2u);
  BOOST_TEST(matches[0].client_id == "x");
  BOOST_TEST(matches[0].session == 9u);
  BOOST_TEST(matches[1].client_id == "y");
  BOOST_TEST(matches[1].session == 3u);
}

// The merge of many filters' subscriber lists gives exactly the order a
// sort of every match by (client id, filter) gives.
BOOST_AUTO_TEST_CASE(many_overlapping_filters_come_out_sorted_by_client_then_filter) {
  SubscriptionTrie trie;
  const std::vector<std::string> filters{"#", "a/#", "a/+/c", "+/b/c", "a/b/c", "+/+/+", "a/b/#"};
  std::vector<std::string> expected;
  for (int client = 0; client < 40; ++client) {
    const std::string id = "c" + std::to_string(client * 7 % 40);
    for (std::size_t f = 0; f < filters.size(); ++f) {
      if ((static_cast<std::size_t>(client) + f) % 3 == 0) continue;  // not everyone everywhere
      trie.insert(filters[f], id, static_cast<mqttsim::broker::SessionOrdinal>(client));
      expected.push_back(id + ":" + filters[f]);
    }
  }
  std::sort(expected.begin(), expected.end(), [](const std::string& a, const std::string& b) {
    const auto a_colon = a.find(':');
    const auto b_colon = b.find(':');
    const std::string_view a_id{a.data(), a_colon};
    const std::string_view b_id{b.data(), b_colon};
    return a_id != b_id ? a_id < b_id : a.substr(a_colon) < b.substr(b_colon);
  });
  BOOST_TEST(clients_matching(trie, "a/b/c") == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
