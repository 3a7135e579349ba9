// The inbox matcher: exact, in_order and unordered expectations, what each
// consumes, and what it says when it is broken or incomplete.
#include <boost/test/unit_test.hpp>

#include "runner/inbox_matcher.hpp"

using mqttsim::codec::QoS;
using mqttsim::protocol::Delivered;
using mqttsim::runner::ExpectedMessage;
using mqttsim::runner::InboxMatcher;
using mqttsim::runner::MatchState;
using mqttsim::scenario::MessageMatch;
using mqttsim::scenario::MessageOrder;

namespace {

Delivered message(std::string topic, std::string payload, QoS qos = QoS::at_least_once,
                  bool retain = false, bool dup = false) {
  return {.topic = std::move(topic),
          .payload = mqttsim::codec::Bytes(payload.begin(), payload.end()),
          .qos = qos,
          .retain = retain,
          .dup = dup};
}

ExpectedMessage expected(std::string topic, std::string payload) {
  return {.topic = std::move(topic), .payload = std::move(payload)};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_inbox_matcher)

BOOST_AUTO_TEST_CASE(a_burst_expands_like_a_publish_burst) {
  const auto messages = mqttsim::runner::expand({MessageMatch{
      .topic = "t", .payload = "m{n}", .qos = QoS::at_least_once, .count = 3, .first_number = 7}});
  BOOST_TEST_REQUIRE(messages.size() == 3u);
  BOOST_TEST(*messages[0].payload == "m7");
  BOOST_TEST(*messages[2].payload == "m9");
  BOOST_TEST((*messages[1].qos == QoS::at_least_once));
}

BOOST_AUTO_TEST_CASE(unset_fields_match_anything_set_fields_must_agree) {
  ExpectedMessage any{.topic = "a/b"};
  BOOST_TEST(any.matches(message("a/b", "x", QoS::exactly_once, true, true)));
  BOOST_TEST(!any.matches(message("a/c", "x")));
  ExpectedMessage strict{
      .topic = "a/b", .payload = "x", .qos = QoS::at_least_once, .retain = false, .dup = true};
  BOOST_TEST(strict.matches(message("a/b", "x", QoS::at_least_once, false, true)));
  BOOST_TEST(!strict.matches(message("a/b", "x", QoS::at_least_once, false, false)));
  BOOST_TEST(!strict.matches(message("a/b", "x", QoS::at_least_once, true, true)));
  BOOST_TEST(!strict.matches(message("a/b", "x", QoS::exactly_once, false, true)));
  BOOST_TEST(!strict.matches(message("a/b", "y", QoS::at_least_once, false, true)));
}

BOOST_AUTO_TEST_CASE(exact_breaks_at_the_first_message_out_of_place) {
  InboxMatcher matcher{{expected("t", "1"), expected("t", "2")}, MessageOrder::exact};
  matcher.feed(message("t", "1"));
  BOOST_TEST((matcher.state() == MatchState::open));
  matcher.feed(message("t", "3"));
  BOOST_TEST((matcher.state() == MatchState::broken));
  BOOST_TEST(matcher.explain() ==
             "message 2 of 2 should be topic=\"t\" payload=\"2\", but topic=\"t\" payload=\"3\" "
             "qos=1 retain=0 dup=0 arrived");
}

BOOST_AUTO_TEST_CASE(exact_is_met_by_the_list_and_consumes_only_it) {
  InboxMatcher matcher{{expected("t", "1"), expected("t", "2")}, MessageOrder::exact};
  matcher.feed(message("t", "1"));
  matcher.feed(message("t", "2"));
  BOOST_TEST((matcher.state() == MatchState::met));
  BOOST_TEST(matcher.fed() == 2u);
}

BOOST_AUTO_TEST_CASE(in_order_skips_others_but_not_a_reordering) {
  InboxMatcher matcher{{expected("t", "1"), expected("t", "2")}, MessageOrder::in_order};
  matcher.feed(message("t", "2"));  // too early: skipped, so 2 is still needed after 1
  matcher.feed(message("t", "1"));
  matcher.feed(message("u", "x"));
  BOOST_TEST((matcher.state() == MatchState::open));
  BOOST_TEST(matcher.explain() ==
             "1 of 2 expected messages arrived; the first missing is topic=\"t\" payload=\"2\"; "
             "other messages received: topic=\"t\" payload=\"2\" qos=1 retain=0 dup=0, "
             "topic=\"u\" payload=\"x\" qos=1 retain=0 dup=0");
  matcher.feed(message("t", "2"));
  BOOST_TEST((matcher.state() == MatchState::met));
  BOOST_TEST(matcher.fed() == 4u);  // consumes what it skipped too
}

BOOST_AUTO_TEST_CASE(unordered_takes_any_order_and_each_message_once) {
  InboxMatcher matcher{{expected("t", "1"), expected("t", "1"), expected("t", "2")},
                       MessageOrder::unordered};
  matcher.feed(message("t", "2"));
  matcher.feed(message("t", "1"));
  BOOST_TEST((matcher.state() == MatchState::open));  // "1" is expected twice
  matcher.feed(message("t", "2"));                    // a duplicate of 2 does not stand in
  BOOST_TEST((matcher.state() == MatchState::open));
  matcher.feed(message("t", "1"));
  BOOST_TEST((matcher.state() == MatchState::met));
}

BOOST_AUTO_TEST_CASE(an_empty_list_is_met_at_once) {
  InboxMatcher matcher{{}, MessageOrder::exact};
  BOOST_TEST((matcher.state() == MatchState::met));
  BOOST_TEST(matcher.fed() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
