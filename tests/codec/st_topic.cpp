// Topic names, topic filters and matching (§4.7 of both versions) and 5.0
// shared subscriptions (§4.8.2).

#include <boost/test/unit_test.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "codec/topic.hpp"

namespace mqttsim::codec {
namespace {

constexpr auto v3 = ProtocolVersion::v3_1_1;
constexpr auto v5 = ProtocolVersion::v5_0;

struct MatchCase {
  std::string_view filter;
  std::string_view name;
  bool matches;
};

struct ValidityCase {
  std::string text;
  ProtocolVersion version;
  std::optional<DecodeErrorKind> kind;  // nothing: valid
  std::string_view spec_id;
};

BOOST_AUTO_TEST_SUITE(st_topic)

BOOST_AUTO_TEST_CASE(matching_follows_the_spec_examples) {
  const std::vector<MatchCase> cases{
      // §4.7.1.2: "sport/tennis/player1/#"
      {"sport/tennis/player1/#", "sport/tennis/player1", true},
      {"sport/tennis/player1/#", "sport/tennis/player1/ranking", true},
      {"sport/tennis/player1/#", "sport/tennis/player1/score/wimbledon", true},
      {"sport/tennis/player1/#", "sport/tennis/player2", false},
      // "sport/#" also matches the singular "sport": '#' includes the parent.
      {"sport/#", "sport", true},
      {"sport/#", "sport/", true},
      {"sport/#", "sports", false},
      {"#", "sport/tennis", true},
      {"#", "/", true},
      // §4.7.1.3: '+'
      {"sport/tennis/+", "sport/tennis/player1", true},
      {"sport/tennis/+", "sport/tennis/player2", true},
      {"sport/tennis/+", "sport/tennis/player1/ranking", false},
      {"sport/+", "sport", false},
      {"sport/+", "sport/", true},
      {"+/+", "/finance", true},
      {"/+", "/finance", true},
      {"+", "/finance", false},
      {"+", "finance", true},
      {"+/tennis/#", "sport/tennis/player1", true},
      {"+/tennis/#", "sport/tennis", true},
      {"+/+/+", "a/b", false},
      {"a/+/c", "a//c", true},
      // Plain levels compare byte for byte, case included (MQTT-4.7.3-4).
      {"ACCOUNTS", "Accounts", false},
      {"a/b", "a/b", true},
      {"a/b", "a/b/", false},
      {"a/b/", "a/b", false},
      {"/finance", "finance", false},
      // MQTT-4.7.2-1: leading wildcards do not reach '$' topics.
      {"#", "$SYS/broker/uptime", false},
      {"+/monitor/Clients", "$SYS/monitor/Clients", false},
      {"$SYS/#", "$SYS/monitor/Clients", true},
      {"$SYS/monitor/+", "$SYS/monitor/Clients", true},
      {"$SYS/#", "$SYS", true},
      {"+", "$SYS", false},
      // A '$' later in the name is ordinary.
      {"+/x", "a$/x", true},
      {"a/#", "a/$x", true},
  };
  for (const MatchCase& c : cases) {
    BOOST_TEST(topic_matches(c.filter, c.name) == c.matches,
               "filter \"" << c.filter << "\" vs name \"" << c.name << "\"");
  }
}

BOOST_AUTO_TEST_CASE(topic_names_are_validated) {
  const std::vector<ValidityCase> cases{
      {"sport/tennis", v3, std::nullopt, ""},
      {"/finance", v5, std::nullopt, ""},
      {"$SYS/broker", v3, std::nullopt, ""},
      {"/", v3, std::nullopt, ""},
      {"caf\xC3\xA9", v5, std::nullopt, ""},
      {"\xEF\xBB\xBF"
       "bom",
       v5, std::nullopt, ""},  // U+FEFF is an ordinary character
      {"", v3, DecodeErrorKind::invalid_topic_name, "MQTT-4.7.3-1"},
      {"", v5, DecodeErrorKind::invalid_topic_name, "MQTT-4.7.3-1"},
      {"sport/+", v3, DecodeErrorKind::wildcard_in_topic_name, "MQTT-4.7.1-1"},
      {"sport/#", v5, DecodeErrorKind::wildcard_in_topic_name, "MQTT-4.7.0-1"},
      {"a#b", v3, DecodeErrorKind::wildcard_in_topic_name, "MQTT-4.7.1-1"},
      {std::string{"a\0b", 3}, v3, DecodeErrorKind::null_character, "MQTT-1.5.3-2"},
      {"a\xED\xA0\x80", v5, DecodeErrorKind::invalid_utf8, "MQTT-1.5.4-1"},
      {std::string(65'536, 'a'), v3, DecodeErrorKind::invalid_topic_name, "MQTT-4.7.3-3"},
  };
  for (const ValidityCase& c : cases) {
    BOOST_TEST_CONTEXT("name \"" << c.text.substr(0, 40) << "\" in " << to_string(c.version)) {
      const auto error = validate_topic_name(c.text, c.version);
      BOOST_TEST(error.has_value() == c.kind.has_value());
      if (error && c.kind) {
        BOOST_TEST(error->kind == *c.kind);
        BOOST_TEST(error->spec.id == c.spec_id);
        BOOST_TEST((error->spec.version == c.version));
      }
    }
  }
  BOOST_TEST(!validate_topic_name(std::string(65'535, 'a'), v5).has_value());
}

BOOST_AUTO_TEST_CASE(topic_filters_are_validated) {
  const std::vector<ValidityCase> cases{
      {"sport/tennis/player1/#", v3, std::nullopt, ""},
      {"sport/#", v5, std::nullopt, ""},
      {"#", v3, std::nullopt, ""},
      {"+", v5, std::nullopt, ""},
      {"+/tennis/#", v3, std::nullopt, ""},
      {"+/+", v3, std::nullopt, ""},
      {"/+", v5, std::nullopt, ""},
      {"/finance", v5, std::nullopt, ""},
      {"sport/+/player1", v3, std::nullopt, ""},
      {"$SYS/#", v3, std::nullopt, ""},
      {"//", v5, std::nullopt, ""},
      {"", v3, DecodeErrorKind::invalid_topic_filter, "MQTT-4.7.3-1"},
      {"", v5, DecodeErrorKind::invalid_topic_filter, "MQTT-4.7.3-1"},
      {"sport/tennis#", v3, DecodeErrorKind::invalid_topic_filter, "MQTT-4.7.1-2"},
      {"sport/tennis/#/ranking", v3, DecodeErrorKind::invalid_topic_filter, "MQTT-4.7.1-2"},
      {"sport/tennis#", v5, DecodeErrorKind::invalid_topic_filter, "MQTT-4.7.1-1"},
      {"#/", v5, DecodeErrorKind::invalid_topic_filter, "MQTT-4.7.1-1"},
      {"##", v3, DecodeErrorKind::invalid_topic_filter, "MQTT-4.7.1-2"},
      {"sport+", v3, DecodeErrorKind::invalid_topic_filter, "MQTT-4.7.1-3"},
      {"sport/+tennis", v5, DecodeErrorKind::invalid_topic_filter, "MQTT-4.7.1-2"},
      {"++", v5, DecodeErrorKind::invalid_topic_filter, "MQTT-4.7.1-2"},
      {std::string{"a/\0", 3}, v5, DecodeErrorKind::null_character, "MQTT-1.5.4-2"},
      {"a/\xC0\x80", v3, DecodeErrorKind::invalid_utf8, "MQTT-1.5.3-1"},  // over-long U+0000
  };
  for (const ValidityCase& c : cases) {
    BOOST_TEST_CONTEXT("filter \"" << c.text << "\" in " << to_string(c.version)) {
      const auto error = validate_topic_filter(c.text, c.version);
      BOOST_TEST(error.has_value() == c.kind.has_value());
      if (error && c.kind) {
        BOOST_TEST(error->kind == *c.kind);
        BOOST_TEST(error->spec.id == c.spec_id);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(shared_subscriptions_are_validated_in_5_0_only) {
  const std::vector<ValidityCase> cases{
      {"$share/group/sport/#", v5, std::nullopt, ""},
      {"$share/g/+", v5, std::nullopt, ""},
      {"$share/g//", v5, std::nullopt, ""},
      {"$share/g/$SYS/#", v5, std::nullopt, ""},
      {"$share//sport", v5, DecodeErrorKind::invalid_topic_filter, "MQTT-4.8.2-1"},
      {"$share/", v5, DecodeErrorKind::invalid_topic_filter, "MQTT-4.8.2-1"},
      {"$share/group", v5, DecodeErrorKind::invalid_topic_filter, "MQTT-4.8.2-2"},
      {"$share/group/", v5, DecodeErrorKind::invalid_topic_filter, "MQTT-4.8.2-2"},
      {"$share/gr+oup/x", v5, DecodeErrorKind::invalid_topic_filter, "MQTT-4.8.2-2"},
      {"$share/#/x", v5, DecodeErrorKind::invalid_topic_filter, "MQTT-4.8.2-2"},
      {"$share/g/a#", v5, DecodeErrorKind::invalid_topic_filter, "MQTT-4.7.1-1"},
      {"$share/g/a+", v5, DecodeErrorKind::invalid_topic_filter, "MQTT-4.7.1-2"},
      // Not shared subscriptions: "$share" must be followed by '/'.
      {"$share", v5, std::nullopt, ""},
      {"$shared/x", v5, std::nullopt, ""},
      // 3.1.1 has no shared subscriptions; these are ordinary filters.
      {"$share//sport", v3, std::nullopt, ""},
      {"$share/group", v3, std::nullopt, ""},
  };
  for (const ValidityCase& c : cases) {
    BOOST_TEST_CONTEXT("filter \"" << c.text << "\" in " << to_string(c.version)) {
      const auto error = validate_topic_filter(c.text, c.version);
      BOOST_TEST(error.has_value() == c.kind.has_value());
      if (error && c.kind) {
        BOOST_TEST(error->kind == *c.kind);
        BOOST_TEST(error->spec.id == c.spec_id);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(shared_subscriptions_split_into_share_name_and_filter) {
  const auto split = split_shared_subscription("$share/consumer1/sport/tennis/+");
  BOOST_TEST_REQUIRE(split.has_value());
  BOOST_TEST(split->share_name == "consumer1");
  BOOST_TEST(split->topic_filter == "sport/tennis/+");
  BOOST_TEST(topic_matches(split->topic_filter, "sport/tennis/player1"));

  const auto with_empty_levels = split_shared_subscription("$share/g//");
  BOOST_TEST_REQUIRE(with_empty_levels.has_value());
  BOOST_TEST(with_empty_levels->share_name == "g");
  BOOST_TEST(with_empty_levels->topic_filter == "/");

  BOOST_TEST(!split_shared_subscription("sport/tennis").has_value());
  BOOST_TEST(!split_shared_subscription("$share//x").has_value());
  BOOST_TEST(!split_shared_subscription("$share/g").has_value());
  BOOST_TEST(!split_shared_subscription("$share/g/a#").has_value());

  BOOST_TEST(is_shared_subscription("$share/g/x"));
  BOOST_TEST(is_shared_subscription("$share/"));
  BOOST_TEST(!is_shared_subscription("$share"));
  BOOST_TEST(!is_shared_subscription("$SYS/share/x"));
}

BOOST_AUTO_TEST_CASE(error_offsets_point_into_the_string) {
  const auto hash = validate_topic_filter("a/b#", v3);
  BOOST_TEST_REQUIRE(hash.has_value());
  BOOST_TEST(hash->offset == 3U);
  const auto plus = validate_topic_filter("$share/g/x/y+", v5);
  BOOST_TEST_REQUIRE(plus.has_value());
  BOOST_TEST(plus->offset == 12U);
  const auto wildcard = validate_topic_name("ab/+", v5);
  BOOST_TEST_REQUIRE(wildcard.has_value());
  BOOST_TEST(wildcard->offset == 3U);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mqttsim::codec
