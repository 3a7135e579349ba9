// The one-line packet printer: exact, deterministic text for traces and the CLI.

#include <boost/test/unit_test.hpp>
#include <string>

#include "codec/print.hpp"
#include "codec/sample_packets.hpp"

using namespace mqttsim::codec;
using mqttsim::ProtocolVersion;
using mqttsim::codec::test::bytes_of;
using mqttsim::codec::test::with;

namespace {

constexpr auto v311 = ProtocolVersion::v3_1_1;
constexpr auto v50 = ProtocolVersion::v5_0;

PrintOptions limit(std::size_t bytes) {
  PrintOptions options;
  options.max_payload_bytes = bytes;
  return options;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_print)

BOOST_AUTO_TEST_CASE(publish_shows_flags_id_topic_and_text_payload) {
  const auto publish = with<Publish>([](Publish& p) {
    p.qos = QoS::at_least_once;
    p.topic = "t/a";
    p.packet_id = 7;
    p.payload = bytes_of("hello");
  });
  BOOST_TEST(describe(publish, v311) ==
             R"(PUBLISH dup=0 qos=1 retain=0 id=7 topic="t/a" payload="hello" (5 bytes))");
}

BOOST_AUTO_TEST_CASE(qos0_publish_has_no_id_and_binary_payload_prints_as_hex) {
  const auto publish = with<Publish>([](Publish& p) {
    p.retain = true;
    p.topic = "bin";
    p.payload = Bytes{0x00, 0xFF, 0x10, 0x80};
  });
  BOOST_TEST(describe(publish, v311) ==
             "PUBLISH dup=0 qos=0 retain=1 topic=\"bin\" payload=0x00ff1080 (4 bytes)");
}

BOOST_AUTO_TEST_CASE(version_3_1_1_hides_fields_that_exist_only_in_5_0) {
  const auto publish = with<Publish>([](Publish& p) {
    p.dup = true;
    p.qos = QoS::exactly_once;
    p.topic = "t";
    p.packet_id = 9;
    p.properties.topic_alias = 3;
    p.payload = bytes_of("x");
  });
  BOOST_TEST(describe(publish, v311) ==
             R"(PUBLISH dup=1 qos=2 retain=0 id=9 topic="t" payload="x" (1 byte))");
  BOOST_TEST(
      describe(publish, v50) ==
      R"(PUBLISH dup=1 qos=2 retain=0 id=9 topic="t" props{topic_alias=3} payload="x" (1 byte))");
}

BOOST_AUTO_TEST_CASE(long_payloads_are_cut_after_the_limit_without_splitting_a_character) {
  BOOST_TEST(describe_payload(Bytes(20, 'a'), limit(8)) == R"("aaaaaaaa"... (20 bytes))");
  BOOST_TEST(describe_payload(Bytes(8, 'a'), limit(8)) == R"("aaaaaaaa" (8 bytes))");
  BOOST_TEST(describe_payload(Bytes(20, 0x01), limit(8)) == "0x0101010101010101... (20 bytes)");
  // "üüü" is six bytes, two per character: a 3-byte limit keeps one.
  BOOST_TEST(describe_payload(bytes_of("\xC3\xBC\xC3\xBC\xC3\xBC"), limit(3)) ==
             "\"\xC3\xBC\"... (6 bytes)");
  BOOST_TEST(describe_payload(Bytes{}) == R"("" (0 bytes))");
  BOOST_TEST(describe_payload(Bytes(100, 'z')) ==  // the default limit is 64 bytes
             "\"" + std::string(64, 'z') + "\"... (100 bytes)");
}

BOOST_AUTO_TEST_CASE(text_payloads_escape_line_breaks_and_control_bytes_force_hex) {
  BOOST_TEST(describe_payload(bytes_of("a\nb\t\"c\"")) == R"("a\nb\t\"c\"" (7 bytes))");
  BOOST_TEST(describe_payload(bytes_of("a\x01")) == "0x6101 (2 bytes)");     // C0 control
  BOOST_TEST(describe_payload(bytes_of("\xC2\x85")) == "0xc285 (2 bytes)");  // C1 control (NEL)
  BOOST_TEST(describe_payload(bytes_of("\xC3\x28")) == "0xc328 (2 bytes)");  // not UTF-8
  BOOST_TEST(describe_payload(bytes_of("\xED\xA0\x80")) == "0xeda080 (3 bytes)");  // surrogate
  BOOST_TEST(describe_payload(bytes_of("\xC0\xAF")) == "0xc0af (2 bytes)");        // overlong '/'
}

BOOST_AUTO_TEST_CASE(strings_are_quoted_with_escapes) {
  BOOST_TEST(quote("a\"b\\c\nd\x01") == R"("a\"b\\c\nd\u0001")");
  BOOST_TEST(quote("caf\xC3\xA9") == "\"caf\xC3\xA9\"");  // printable UTF-8 stays as is
  BOOST_TEST(quote("\xFF") == R"("\xff")");               // a byte that is not UTF-8
}

BOOST_AUTO_TEST_CASE(connect_in_both_versions) {
  const auto full_311 = with<Connect>([](Connect& p) {
    p.clean_start = false;
    p.keep_alive_s = 30;
    p.client_id = "client-1";
    p.will = with<Will>([](Will& w) {
      w.topic = "will/t";
      w.payload = bytes_of("bye");
      w.qos = QoS::at_least_once;
      w.retain = true;
    });
    p.username = "user";
    p.password = bytes_of("pw");
  });
  // A CONNECT prints by its own version, whatever the caller passes.
  BOOST_TEST(describe(full_311, v50) ==
             R"(CONNECT v3.1.1 client_id="client-1" clean_session=0 keep_alive=30s )"
             R"(will{topic="will/t" qos=1 retain=1 payload="bye" (3 bytes)} username="user" )"
             R"(password=(2 bytes))");

  const auto minimal_50 = with<Connect>([](Connect& p) {
    p.version = ProtocolVersion::v5_0;
    p.client_id = "c1";
    p.will = with<Will>([](Will& w) {
      w.topic = "w";
      w.properties.will_delay_interval = 5;
    });
    p.properties.session_expiry_interval = 60;
    p.properties.user_properties = {{"a", "b"}};
  });
  BOOST_TEST(describe(minimal_50, v50) ==
             R"(CONNECT v5.0 client_id="c1" clean_start=1 keep_alive=60s )"
             R"(will{topic="w" qos=0 retain=0 payload="" (0 bytes) props{will_delay_interval=5}} )"
             R"(props{session_expiry_interval=60, user[a=b]})");
}

BOOST_AUTO_TEST_CASE(connack_code_is_a_return_code_in_3_1_1_and_a_reason_code_in_5_0) {
  BOOST_TEST(describe(with<Connack>([](Connack& p) { p.session_present = true; }), v311) ==
             "CONNACK session_present=1 return_code=0x00 (accepted)");
  BOOST_TEST(describe(with<Connack>([](Connack& p) { p.code = 0x05; }), v311) ==
             "CONNACK session_present=0 return_code=0x05 (not_authorized)");
  const auto refused = with<Connack>([](Connack& p) {
    p.code = 0x87;
    p.properties.reason_string = "no";
  });
  BOOST_TEST(describe(refused, v50) ==
             R"(CONNACK session_present=0 reason=0x87 (not_authorized) props{reason_string="no"})");
  // A code outside the 5.0 table prints as its value alone.
  BOOST_TEST(describe(with<Connack>([](Connack& p) { p.code = 0x42; }), v50) ==
             "CONNACK session_present=0 reason=0x42");
}

BOOST_AUTO_TEST_CASE(acknowledgements) {
  const auto puback = with<Puback>([](Puback& p) {
    p.packet_id = 7;
    p.reason_code = ReasonCode::no_matching_subscribers;
    p.properties.reason_string = "nobody";
  });
  BOOST_TEST(describe(puback, v311) == "PUBACK id=7");
  BOOST_TEST(describe(puback, v50) ==
             R"(PUBACK id=7 reason=0x10 (no_matching_subscribers) props{reason_string="nobody"})");
  BOOST_TEST(describe(with<Pubrel>([](Pubrel& p) { p.packet_id = 8; }), v50) ==
             "PUBREL id=8 reason=0x00 (success)");
  BOOST_TEST(describe(with<Pubrec>([](Pubrec& p) { p.packet_id = 1; }), v311) == "PUBREC id=1");
  BOOST_TEST(describe(with<Pubcomp>([](Pubcomp& p) { p.packet_id = 65535; }), v311) ==
             "PUBCOMP id=65535");
}

BOOST_AUTO_TEST_CASE(subscriptions) {
  const auto subscribe = with<Subscribe>([](Subscribe& p) {
    p.packet_id = 3;
    p.properties.subscription_identifiers = {5};
    p.subscriptions.push_back(Subscription{"a/+", QoS::at_least_once, true, false, 0});
    p.subscriptions.push_back(Subscription{"b/#", QoS::exactly_once, false, true, 2});
  });
  BOOST_TEST(describe(subscribe, v50) ==
             R"(SUBSCRIBE id=3 filters["a/+" qos=1 no_local=1, "b/#" qos=2 retain_as_published=1 )"
             R"(retain_handling=2] props{subscription_identifier=5})");
  BOOST_TEST(describe(subscribe, v311) == R"(SUBSCRIBE id=3 filters["a/+" qos=1, "b/#" qos=2])");

  auto suback = with<Suback>([](Suback& p) {
    p.packet_id = 3;
    p.reason_codes = {0x01, 0x80};
  });
  BOOST_TEST(describe(suback, v311) == "SUBACK id=3 return_codes[0x01, 0x80]");
  suback.reason_codes = {0x00, 0x87};
  BOOST_TEST(describe(suback, v50) == "SUBACK id=3 reasons[0x00 (success), 0x87 (not_authorized)]");

  const auto unsubscribe = with<Unsubscribe>([](Unsubscribe& p) {
    p.packet_id = 4;
    p.topic_filters = {"a/+", "b/#"};
  });
  BOOST_TEST(describe(unsubscribe, v311) == R"(UNSUBSCRIBE id=4 filters["a/+", "b/#"])");
  const auto unsuback = with<Unsuback>([](Unsuback& p) {
    p.packet_id = 4;
    p.reason_codes = {ReasonCode::success, ReasonCode::no_subscription_existed};
  });
  BOOST_TEST(describe(unsuback, v311) == "UNSUBACK id=4");
  BOOST_TEST(describe(unsuback, v50) ==
             "UNSUBACK id=4 reasons[0x00 (success), 0x11 (no_subscription_existed)]");
}

BOOST_AUTO_TEST_CASE(packets_without_fields_and_5_0_control_packets) {
  BOOST_TEST(describe(Pingreq{}, v311) == "PINGREQ");
  BOOST_TEST(describe(Pingresp{}, v50) == "PINGRESP");
  BOOST_TEST(describe(Disconnect{}, v311) == "DISCONNECT");
  const auto with_will = with<Disconnect>([](Disconnect& p) {
    p.reason_code = ReasonCode::disconnect_with_will_message;
    p.properties.session_expiry_interval = 0;
    p.properties.reason_string = "bye";
  });
  BOOST_TEST(describe(with_will, v50) ==
             R"(DISCONNECT reason=0x04 (disconnect_with_will_message) )"
             R"(props{session_expiry_interval=0, reason_string="bye"})");
  const auto auth = with<Auth>([](Auth& p) {
    p.reason_code = ReasonCode::continue_authentication;
    p.properties.authentication_method = "SCRAM-SHA-1";
    p.properties.authentication_data = bytes_of("n,,");
  });
  BOOST_TEST(describe(auth, v50) ==
             R"(AUTH reason=0x18 (continue_authentication) )"
             R"(props{authentication_method="SCRAM-SHA-1", authentication_data="n,," (3 bytes)})");
}

BOOST_AUTO_TEST_CASE(properties_print_in_identifier_order_and_quote_user_pairs_when_needed) {
  const auto properties = with<Properties>([](Properties& p) {
    p.maximum_packet_size = 1024;  // set first, printed late: identifier 0x27
    p.user_properties = {{"unit", "C"}, {"a b", "x]"}};
    p.subscription_identifiers = {1, 300};
    p.correlation_data = Bytes{0x01, 0x02};
    p.content_type = "text/plain";
    p.message_expiry_interval = 30;
    p.payload_format_indicator = 1;
  });
  BOOST_TEST(describe(properties) ==
             R"(props{payload_format_indicator=1, message_expiry_interval=30, )"
             R"(content_type="text/plain", correlation_data=0x0102 (2 bytes), )"
             R"(subscription_identifier=1, subscription_identifier=300, user[unit=C], )"
             R"(user["a b"="x]"], maximum_packet_size=1024})");
  BOOST_TEST(describe(Properties{}).empty());
}

BOOST_AUTO_TEST_SUITE_END()
