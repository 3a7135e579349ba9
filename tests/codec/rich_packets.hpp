#pragma once
// Valid packets of every type for both versions, with rich field values
// (every property a packet may carry, user properties, wills). Shared by
// the round-trip and the truncation tests.

#include <string>
#include <utility>
#include <vector>

#include "codec/codec.hpp"
#include "codec_test_support.hpp"

namespace mqttsim::codec::test {

inline constexpr auto kV5 = ProtocolVersion::v5_0;

inline std::vector<UserProperty> user_properties() {
  // Repeated names are legal and their order is kept (§3.3.2.3.7).
  return {{"region", "eu-west"}, {"trace", "7f3a"}, {"region", "eu-north \xC3\xA9"}};
}

// Properties with a few fields set by `set`.
template <class Set>
inline Properties props(Set set) {
  Properties p;
  set(p);
  return p;
}

inline Properties connect_properties() {
  Properties p;
  p.session_expiry_interval = 3600;
  p.receive_maximum = 20;
  p.maximum_packet_size = 1'048'576;
  p.topic_alias_maximum = 10;
  p.request_response_information = 1;
  p.request_problem_information = 0;
  p.user_properties = user_properties();
  p.authentication_method = "SCRAM-SHA-1";
  p.authentication_data = bytes_of("client-first");
  return p;
}

inline Properties will_properties() {
  Properties p;
  p.payload_format_indicator = 1;
  p.message_expiry_interval = 120;
  p.content_type = "text/plain";
  p.response_topic = "replies/sensor-1";
  p.correlation_data = Bytes{0x00, 0xFF, 0x10};
  p.will_delay_interval = 30;
  p.user_properties = user_properties();
  return p;
}

inline Properties connack_properties() {
  Properties p;
  p.session_expiry_interval = 7200;
  p.assigned_client_identifier = "auto-7f3a";
  p.server_keep_alive = 45;
  p.authentication_method = "SCRAM-SHA-1";
  p.authentication_data = bytes_of("server-final");
  p.response_information = "responses/";
  p.server_reference = "other.example:1883";
  p.reason_string = "welcome";
  p.receive_maximum = 100;
  p.topic_alias_maximum = 5;
  p.maximum_qos = 1;
  p.retain_available = 0;
  p.user_properties = user_properties();
  p.maximum_packet_size = 65'536;
  p.wildcard_subscription_available = 1;
  p.subscription_identifier_available = 1;
  p.shared_subscription_available = 0;
  return p;
}

inline Properties publish_properties() {
  Properties p;
  p.payload_format_indicator = 0;
  p.message_expiry_interval = 60;
  p.content_type = "application/json";
  p.response_topic = "replies/client-9";
  p.correlation_data = Bytes{1, 2, 3, 4};
  p.subscription_identifiers = {7, 268'435'455};  // several, as a server sends them
  p.topic_alias = 3;
  p.user_properties = user_properties();
  return p;
}

inline Properties reason_properties() {
  Properties p;
  p.reason_string = "because";
  p.user_properties = user_properties();
  return p;
}

inline std::vector<Packet> packets_3_1_1() {
  std::vector<Packet> packets;
  Connect minimal;
  minimal.client_id = "c1";
  packets.push_back(minimal);

  Connect full;
  full.clean_start = false;
  full.keep_alive_s = 65'535;
  full.client_id = "sensor-\xE2\x82\xAC";  // a 3-byte UTF-8 character
  full.will = Will{"status/sensor", bytes_of("offline"), QoS::exactly_once, true, {}};
  full.username = "alice";
  full.password = Bytes{0x00, 0x01, 0xFE, 0xFF};
  packets.push_back(full);

  Connect empty_id;
  empty_id.client_id = "";
  empty_id.username = "";
  empty_id.keep_alive_s = 0;
  packets.push_back(empty_id);

  packets.push_back(Connack{true, 0, {}});
  packets.push_back(Connack{false, 5, {}});

  packets.push_back(Publish{false, QoS::at_most_once, false, "a/b", 0, {}, {}});
  packets.push_back(Publish{true, QoS::at_least_once, true, "sport/tennis", 1, {}, bytes_of("x")});
  Publish big;
  big.qos = QoS::exactly_once;
  big.topic = "big/payload";
  big.packet_id = 65'535;
  big.payload = Bytes(20'000, 0xAB);  // remaining length needs 3 bytes
  packets.push_back(big);

  packets.push_back(Puback{42, ReasonCode::success, {}});
  packets.push_back(Pubrec{43, ReasonCode::success, {}});
  packets.push_back(Pubrel{44, ReasonCode::success, {}});
  packets.push_back(Pubcomp{45, ReasonCode::success, {}});

  Subscribe subscribe;
  subscribe.packet_id = 10;
  subscribe.subscriptions = {{"sport/#", QoS::at_most_once},
                             {"+/tennis/+", QoS::at_least_once},
                             {"$SYS/broker", QoS::exactly_once},
                             // "$share" means nothing special in 3.1.1.
                             {"$share/x", QoS::at_most_once}};
  packets.push_back(subscribe);
  packets.push_back(Suback{10, {}, {0x00, 0x01, 0x02, 0x80}});
  packets.push_back(Unsubscribe{11, {}, {"sport/#", "a"}});
  packets.push_back(Unsuback{11, {}, {}});
  packets.push_back(Pingreq{});
  packets.push_back(Pingresp{});
  packets.push_back(Disconnect{});
  return packets;
}

inline std::vector<Packet> packets_5_0() {
  std::vector<Packet> packets;
  Connect minimal;
  minimal.version = kV5;
  minimal.client_id = "c1";
  packets.push_back(minimal);

  Connect full;
  full.version = kV5;
  full.clean_start = false;
  full.keep_alive_s = 30;
  full.client_id = "sensor-1";
  full.properties = connect_properties();
  full.will =
      Will{"status/sensor-1", bytes_of("gone"), QoS::at_least_once, true, will_properties()};
  full.username = "bob";
  full.password = bytes_of("secret");
  packets.push_back(full);

  Connect password_only;  // legal in 5.0 (not in 3.1.1)
  password_only.version = kV5;
  password_only.client_id = "p";
  password_only.password = bytes_of("token");
  packets.push_back(password_only);

  packets.push_back(Connack{true, 0x00, connack_properties()});
  packets.push_back(
      Connack{false, 0x9C, props([](Properties& p) { p.server_reference = "b.example"; })});
  packets.push_back(Connack{false, 0x00, {}});

  packets.push_back(Publish{false, QoS::at_most_once, false, "a/b", 0, {}, {}});
  packets.push_back(Publish{true, QoS::exactly_once, true, "t/\xF0\x9F\x98\x80", 9,
                            publish_properties(), bytes_of("{\"v\":1}")});
  // An empty topic name is legal with a Topic Alias.
  packets.push_back(Publish{false, QoS::at_least_once, false, "", 77,
                            props([](Properties& p) { p.topic_alias = 3; }), bytes_of("aliased")});

  packets.push_back(Puback{1, ReasonCode::success, {}});
  packets.push_back(Puback{2, ReasonCode::no_matching_subscribers, {}});
  packets.push_back(Puback{3, ReasonCode::quota_exceeded, reason_properties()});
  packets.push_back(Pubrec{4, ReasonCode::success, reason_properties()});
  packets.push_back(Pubrec{5, ReasonCode::payload_format_invalid, {}});
  packets.push_back(Pubrel{6, ReasonCode::success, {}});
  packets.push_back(Pubrel{7, ReasonCode::packet_identifier_not_found, reason_properties()});
  packets.push_back(Pubcomp{8, ReasonCode::success, {}});
  packets.push_back(Pubcomp{9, ReasonCode::packet_identifier_not_found, {}});

  Subscribe subscribe;
  subscribe.packet_id = 20;
  subscribe.properties.subscription_identifiers = {268'435'455};
  subscribe.properties.user_properties = user_properties();
  subscribe.subscriptions = {
      {"sport/#", QoS::at_most_once, false, false, 0},
      {"+/tennis/+", QoS::at_least_once, true, true, 1},
      {"$share/group/sensors/+", QoS::exactly_once, false, true, 2},
      {"/finance", QoS::exactly_once, true, false, 2},
  };
  packets.push_back(subscribe);
  packets.push_back(Suback{20, reason_properties(), {0x00, 0x01, 0x02, 0x80, 0x9E, 0xA2}});
  packets.push_back(Unsubscribe{21,
                                props([](Properties& p) { p.user_properties = user_properties(); }),
                                {"sport/#", "$share/group/sensors/+"}});
  packets.push_back(Unsuback{
      21, reason_properties(), {ReasonCode::success, ReasonCode::no_subscription_existed}});
  packets.push_back(Pingreq{});
  packets.push_back(Pingresp{});
  packets.push_back(Disconnect{});
  packets.push_back(Disconnect{ReasonCode::disconnect_with_will_message, {}});
  Properties disconnect_properties = reason_properties();
  disconnect_properties.session_expiry_interval = 0;
  disconnect_properties.server_reference = "c.example";
  packets.push_back(Disconnect{ReasonCode::server_moved, disconnect_properties});
  packets.push_back(Auth{});
  Properties auth_properties = reason_properties();
  auth_properties.authentication_method = "SCRAM-SHA-1";
  auth_properties.authentication_data = bytes_of("client-final");
  packets.push_back(Auth{ReasonCode::continue_authentication, auth_properties});
  packets.push_back(Auth{ReasonCode::re_authenticate, {}});
  return packets;
}

}  // namespace mqttsim::codec::test
