// Byte vectors written by hand from the field layouts of the 3.1.1 and 5.0
// specifications (each byte commented), decoded and encoded. They pin the
// wire format independently of the encoder: a symmetric bug in encode and
// decode passes the round trip tests but not these.

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "codec/codec.hpp"
#include "codec/wire.hpp"
#include "codec_test_support.hpp"

namespace mqttsim::codec {
namespace {

using test::bytes_of;
using test::describe;
using test::hex;
using test::to_hex;

constexpr auto v3 = ProtocolVersion::v3_1_1;
constexpr auto v5 = ProtocolVersion::v5_0;

struct Vector {
  const char* name;
  ProtocolVersion version;
  Bytes bytes;
  Packet packet;
};

Connect connect_3_1_1_full() {
  Connect c;
  c.version = v3;
  c.clean_start = true;
  c.keep_alive_s = 60;
  c.client_id = "cid";
  c.will = Will{"w/t", bytes_of("by"), QoS::at_least_once, true, {}};
  c.username = "user";
  c.password = bytes_of("pw");
  return c;
}

Connect connect_5_0_full() {
  Connect c;
  c.version = v5;
  c.clean_start = true;
  c.keep_alive_s = 10;
  c.properties.session_expiry_interval = 120;
  c.client_id = "c";
  Will will;
  will.topic = "w";
  will.qos = QoS::exactly_once;
  will.retain = false;
  will.properties.payload_format_indicator = 1;
  will.properties.will_delay_interval = 5;
  c.will = will;
  c.username = "u";
  c.password = bytes_of("p");
  return c;
}

Connack connack_5_0() {
  Connack c;
  c.session_present = false;
  c.code = 0x00;
  c.properties.assigned_client_identifier = "id";
  c.properties.receive_maximum = 10;
  c.properties.maximum_qos = 1;
  return c;
}

Publish publish_5_0_qos1() {
  Publish p;
  p.qos = QoS::at_least_once;
  p.topic = "a/b";
  p.packet_id = 1;
  p.properties.payload_format_indicator = 1;
  p.properties.content_type = "text";
  p.properties.subscription_identifiers = {5};
  p.properties.topic_alias = 1;
  p.properties.user_properties = {{"k", "v"}};
  p.payload = bytes_of("hi");
  return p;
}

Subscribe subscribe_5_0() {
  Subscribe s;
  s.packet_id = 2;
  s.properties.subscription_identifiers = {7};
  s.subscriptions = {{"a/+", QoS::at_least_once, true, true, 2},
                     {"$share/g/t", QoS::at_most_once, false, false, 1}};
  return s;
}

std::vector<Vector> vectors() {
  std::vector<Vector> v;
  // ---- 3.1.1 (§3.1 - §3.14 of mqtt-v3.1.1-os) ----
  v.push_back({"3.1.1 CONNECT with will, user name and password", v3,
               hex("10 22"              // CONNECT, remaining length 34
                   "00 04 4d 51 54 54"  // protocol name "MQTT"
                   "04"                 // protocol level 4
                   "ee"                 // flags: user name, password, will retain,
                                        //   will QoS 1, will, clean session
                   "00 3c"              // keep alive 60 s
                   "00 03 63 69 64"     // client id "cid"
                   "00 03 77 2f 74"     // will topic "w/t"
                   "00 02 62 79"        // will message "by"
                   "00 04 75 73 65 72"  // user name "user"
                   "00 02 70 77"),      // password "pw"
               connect_3_1_1_full()});
  v.push_back({"3.1.1 CONNACK session present, accepted", v3,
               hex("20 02"  // CONNACK, remaining length 2
                   "01"     // session present
                   "00"),   // return code 0 (accepted)
               Connack{true, 0, {}}});
  v.push_back({"3.1.1 PUBLISH QoS 0", v3,
               hex("30 0a"             // PUBLISH, QoS 0, remaining length 10
                   "00 03 61 2f 62"    // topic "a/b" (no packet id at QoS 0)
                   "68 65 6c 6c 6f"),  // payload "hello"
               Publish{false, QoS::at_most_once, false, "a/b", 0, {}, bytes_of("hello")}});
  v.push_back({"3.1.1 PUBLISH QoS 1", v3,
               hex("32 0c"             // PUBLISH, QoS 1, remaining length 12
                   "00 03 61 2f 62"    // topic "a/b"
                   "00 0a"             // packet id 10
                   "68 65 6c 6c 6f"),  // payload "hello"
               Publish{false, QoS::at_least_once, false, "a/b", 10, {}, bytes_of("hello")}});
  v.push_back({"3.1.1 PUBLISH QoS 2, DUP, RETAIN", v3,
               hex("3d 07"     // PUBLISH, DUP=1 QoS=2 RETAIN=1, remaining 7
                   "00 01 78"  // topic "x"
                   "12 34"     // packet id 0x1234
                   "ff 00"),   // payload ff 00
               Publish{true, QoS::exactly_once, true, "x", 0x1234, {}, Bytes{0xFF, 0x00}}});
  v.push_back({"3.1.1 PUBACK", v3, hex("40 02 00 07"), Puback{7, ReasonCode::success, {}}});
  v.push_back({"3.1.1 PUBREC", v3, hex("50 02 00 07"), Pubrec{7, ReasonCode::success, {}}});
  v.push_back({"3.1.1 PUBREL", v3,
               hex("62 02"    // PUBREL with its fixed flags 0010
                   "00 07"),  // packet id 7
               Pubrel{7, ReasonCode::success, {}}});
  v.push_back({"3.1.1 PUBCOMP", v3, hex("70 02 00 07"), Pubcomp{7, ReasonCode::success, {}}});
  v.push_back({"3.1.1 SUBSCRIBE two filters", v3,
               hex("82 0e"                // SUBSCRIBE (flags 0010), remaining length 14
                   "00 01"                // packet id 1
                   "00 03 61 2f 62 01"    // "a/b", requested QoS 1
                   "00 03 63 2f 23 02"),  // "c/#", requested QoS 2
               Subscribe{1, {}, {{"a/b", QoS::at_least_once}, {"c/#", QoS::exactly_once}}}});
  v.push_back({"3.1.1 SUBACK granted 1 and failure", v3,
               hex("90 04"    // SUBACK, remaining length 4
                   "00 01"    // packet id 1
                   "01 80"),  // granted QoS 1, failure
               Suback{1, {}, {0x01, 0x80}}});
  v.push_back({"3.1.1 UNSUBSCRIBE", v3,
               hex("a2 07"             // UNSUBSCRIBE (flags 0010), remaining length 7
                   "00 03"             // packet id 3
                   "00 03 61 2f 62"),  // "a/b"
               Unsubscribe{3, {}, {"a/b"}}});
  v.push_back({"3.1.1 UNSUBACK", v3, hex("b0 02 00 03"), Unsuback{3, {}, {}}});
  v.push_back({"3.1.1 PINGREQ", v3, hex("c0 00"), Pingreq{}});
  v.push_back({"3.1.1 PINGRESP", v3, hex("d0 00"), Pingresp{}});
  v.push_back({"3.1.1 DISCONNECT", v3, hex("e0 00"), Disconnect{}});

  // ---- 5.0 (§3.1 - §3.15 of mqtt-v5.0-os) ----
  v.push_back({"5.0 CONNECT with properties, will properties, user name, password", v5,
               hex("10 26"              // CONNECT, remaining length 38
                   "00 04 4d 51 54 54"  // protocol name "MQTT"
                   "05"                 // protocol version 5
                   "d6"                 // flags: user name, password, will QoS 2, will,
                                        //   clean start
                   "00 0a"              // keep alive 10 s
                   "05"                 // property length 5
                   "11 00 00 00 78"     //   session expiry interval 120
                   "00 01 63"           // client id "c"
                   "07"                 // will property length 7
                   "01 01"              //   payload format indicator 1 (UTF-8)
                   "18 00 00 00 05"     //   will delay interval 5
                   "00 01 77"           // will topic "w"
                   "00 00"              // will payload (empty)
                   "00 01 75"           // user name "u"
                   "00 01 70"),         // password "p"
               connect_5_0_full()});
  v.push_back({"5.0 CONNACK with properties", v5,
               hex("20 0d"           // CONNACK, remaining length 13
                   "00"              // acknowledge flags: no session present
                   "00"              // reason code Success
                   "0a"              // property length 10
                   "12 00 02 69 64"  //   assigned client identifier "id"
                   "21 00 0a"        //   receive maximum 10
                   "24 01"),         //   maximum QoS 1
               connack_5_0()});
  v.push_back({"5.0 PUBLISH QoS 0 without properties", v5,
               hex("30 07"           // PUBLISH, QoS 0, remaining length 7
                   "00 03 61 2f 62"  // topic "a/b"
                   "00"              // property length 0
                   "68"),            // payload "h"
               Publish{false, QoS::at_most_once, false, "a/b", 0, {}, bytes_of("h")}});
  v.push_back({"5.0 PUBLISH QoS 1 with properties", v5,
               hex("32 1f"                 // PUBLISH, QoS 1, remaining length 31
                   "00 03 61 2f 62"        // topic "a/b"
                   "00 01"                 // packet id 1
                   "15"                    // property length 21
                   "01 01"                 //   payload format indicator 1
                   "03 00 04 74 65 78 74"  //   content type "text"
                   "0b 05"                 //   subscription identifier 5
                   "23 00 01"              //   topic alias 1
                   "26 00 01 6b 00 01 76"  //   user property "k" = "v"
                   "68 69"),               // payload "hi"
               publish_5_0_qos1()});
  v.push_back({"5.0 PUBLISH QoS 2", v5,
               hex("34 08"     // PUBLISH, QoS 2, remaining length 8
                   "00 01 78"  // topic "x"
                   "ff ff"     // packet id 65535
                   "00"        // property length 0
                   "01 02"),   // payload 01 02
               Publish{false, QoS::exactly_once, false, "x", 65535, {}, Bytes{1, 2}}});
  v.push_back({"5.0 PUBACK with reason code and reason string", v5,
               hex("40 09"             // PUBACK, remaining length 9
                   "00 07"             // packet id 7
                   "10"                // reason: no matching subscribers
                   "05"                // property length 5
                   "1f 00 02 6e 6f"),  //   reason string "no"
               Puback{7, ReasonCode::no_matching_subscribers, [] {
                        Properties p;
                        p.reason_string = "no";
                        return p;
                      }()}});
  v.push_back({"5.0 PUBREL short form", v5,
               hex("62 02"    // PUBREL, remaining length 2
                   "00 07"),  // packet id 7; Success and no properties implied
               Pubrel{7, ReasonCode::success, {}}});
  v.push_back({"5.0 PUBCOMP with reason code only", v5,
               hex("70 03"  // PUBCOMP, remaining length 3
                   "00 07"  // packet id 7
                   "92"),   // reason: packet identifier not found
               Pubcomp{7, ReasonCode::packet_identifier_not_found, {}}});
  v.push_back({"5.0 SUBSCRIBE with options and subscription identifier", v5,
               hex("82 18"           // SUBSCRIBE (flags 0010), remaining length 24
                   "00 02"           // packet id 2
                   "02"              // property length 2
                   "0b 07"           //   subscription identifier 7
                   "00 03 61 2f 2b"  // "a/+"
                   "2d"              //   retain handling 2, RAP, no local, QoS 1
                   "00 0a 24 73 68 61 72 65 2f 67 2f 74"  // "$share/g/t"
                   "10"),                                 //   retain handling 1, QoS 0
               subscribe_5_0()});
  v.push_back({"5.0 SUBACK", v5,
               hex("90 06"       // SUBACK, remaining length 6
                   "00 02"       // packet id 2
                   "00"          // property length 0
                   "01 00 a2"),  // granted QoS 1, granted QoS 0,
                                 //   wildcard subscriptions not supported
               Suback{2, {}, {0x01, 0x00, 0xA2}}});
  v.push_back({"5.0 UNSUBSCRIBE", v5,
               hex("a2 08"             // UNSUBSCRIBE (flags 0010), remaining length 8
                   "00 03"             // packet id 3
                   "00"                // property length 0
                   "00 03 61 2f 62"),  // "a/b"
               Unsubscribe{3, {}, {"a/b"}}});
  v.push_back({"5.0 UNSUBACK with reason string", v5,
               hex("b0 0a"           // UNSUBACK, remaining length 10
                   "00 03"           // packet id 3
                   "05"              // property length 5
                   "1f 00 02 6f 6b"  //   reason string "ok"
                   "00 11"),         // Success, no subscription existed
               Unsuback{3,
                        [] {
                          Properties p;
                          p.reason_string = "ok";
                          return p;
                        }(),
                        {ReasonCode::success, ReasonCode::no_subscription_existed}}});
  v.push_back({"5.0 DISCONNECT with will and session expiry", v5,
               hex("e0 07"             // DISCONNECT, remaining length 7
                   "04"                // reason: disconnect with will message
                   "05"                // property length 5
                   "11 00 00 00 00"),  //   session expiry interval 0
               Disconnect{ReasonCode::disconnect_with_will_message, [] {
                            Properties p;
                            p.session_expiry_interval = 0;
                            return p;
                          }()}});
  v.push_back({"5.0 AUTH continue", v5,
               hex("f0 0f"                    // AUTH, remaining length 15
                   "18"                       // reason: continue authentication
                   "0d"                       // property length 13
                   "15 00 05 53 43 52 41 4d"  // authentication method "SCRAM"
                   "16 00 02 01 02"),         //   authentication data 01 02
               Auth{ReasonCode::continue_authentication, [] {
                      Properties p;
                      p.authentication_method = "SCRAM";
                      p.authentication_data = Bytes{1, 2};
                      return p;
                    }()}});
  v.push_back({"5.0 PINGREQ", v5, hex("c0 00"), Pingreq{}});
  return v;
}

BOOST_AUTO_TEST_SUITE(st_vectors)

BOOST_AUTO_TEST_CASE(hand_written_vectors_decode_to_their_packets) {
  for (const Vector& vector : vectors()) {
    BOOST_TEST_CONTEXT(vector.name) {
      const auto decoded = decode(vector.bytes, vector.version);
      BOOST_TEST_REQUIRE(decoded.has_value(), describe(decoded));
      BOOST_TEST((*decoded == vector.packet));
    }
  }
}

BOOST_AUTO_TEST_CASE(packets_encode_to_the_hand_written_vectors) {
  for (const Vector& vector : vectors()) {
    BOOST_TEST_CONTEXT(vector.name) {
      const Bytes encoded = encode(vector.packet, vector.version);
      BOOST_TEST_INFO("encoded: " << to_hex(encoded));
      BOOST_TEST(encoded == vector.bytes, boost::test_tools::per_element());
    }
  }
}

BOOST_AUTO_TEST_CASE(remaining_length_uses_two_bytes_above_127) {
  // 200-byte payload: remaining length 2 + 1 + 200 = 203 = 0xCB = 0x4B | 0x80, 0x01.
  const Publish publish{false, QoS::at_most_once, false, "t", 0, {}, Bytes(200, 0x5A)};
  const Bytes bytes = encode(publish, v3);
  BOOST_TEST_REQUIRE(bytes.size() == 206U);
  BOOST_TEST(bytes[0] == 0x30);
  BOOST_TEST(bytes[1] == 0xCB);  // 203 % 128 = 75 = 0x4B, continuation bit set
  BOOST_TEST(bytes[2] == 0x01);  // 203 / 128 = 1
  const auto decoded = decode(bytes, v3);
  BOOST_TEST_REQUIRE(decoded.has_value(), describe(decoded));
  BOOST_TEST((*decoded == Packet{publish}));
}

BOOST_AUTO_TEST_CASE(variable_byte_integer_boundaries_follow_the_spec_table) {
  // §2.2.3 (3.1.1) / §1.5.5 (5.0): the smallest and largest value of each
  // encoded length.
  struct Case {
    std::uint32_t value;
    Bytes bytes;
  };
  const std::vector<Case> cases{
      {0, hex("00")},
      {127, hex("7f")},
      {128, hex("80 01")},
      {16'383, hex("ff 7f")},
      {16'384, hex("80 80 01")},
      {2'097'151, hex("ff ff 7f")},
      {2'097'152, hex("80 80 80 01")},
      {268'435'455, hex("ff ff ff 7f")},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT("value " << c.value) {
      Bytes out;
      wire::Writer writer{out};
      writer.variable_integer(c.value);
      BOOST_TEST(out == c.bytes, boost::test_tools::per_element());
      BOOST_TEST(wire::variable_integer_size(c.value) == c.bytes.size());
      wire::Reader reader{c.bytes, v5, "test"};
      BOOST_TEST(reader.variable_integer("value") == c.value);
      BOOST_TEST(!reader.failed());
      BOOST_TEST(reader.at_end());
    }
  }
}

BOOST_AUTO_TEST_CASE(spec_connect_variable_header_example) {
  // 3.1.1 §3.1.2.10 Figure 3.6: "00 04 'M' 'Q' 'T' 'T' 04 CE 00 0A": user
  // name, password, will QoS 1, will flag, clean session; keep alive 10.
  const Bytes bytes =
      hex("10 1e"                      // CONNECT, remaining length 30
          "00 04 4d 51 54 54 04"       // "MQTT", level 4
          "ce 00 0a"                   // flags CE, keep alive 10
          "00 01 61"                   // client id "a"
          "00 01 62"                   // will topic "b"
          "00 01 63"                   // will message "c"
          "00 01 64"                   // user name "d"
          "00 06 73 65 63 72 65 74");  // password "secret"
  const auto decoded = decode(bytes, v3);
  BOOST_TEST_REQUIRE(decoded.has_value(), describe(decoded));
  const Connect& connect = std::get<Connect>(*decoded);
  BOOST_TEST(connect.keep_alive_s == 10);
  BOOST_TEST(connect.clean_start);
  BOOST_TEST_REQUIRE(connect.will.has_value());
  BOOST_TEST((connect.will->qos == QoS::at_least_once));
  BOOST_TEST(!connect.will->retain);
  BOOST_TEST(connect.will->topic == "b");
  BOOST_TEST((connect.username == std::optional<std::string>{"d"}));
  BOOST_TEST((connect.password == std::optional<Bytes>{bytes_of("secret")}));
  BOOST_TEST(encode(*decoded, v3) == bytes, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace mqttsim::codec
