#pragma once
// Valid packets of every type in both versions, with every field that the
// version has set at least once. Shared by the stream tests, the fuzz
// corpus generator and the benchmark, so they agree on what "valid" means.

#include <string>
#include <utility>
#include <vector>

#include "codec/packet.hpp"
#include "codec_test_support.hpp"

namespace mqttsim::codec::test {

struct SamplePacket {
  std::string name;  // "publish_qos1_dup": a file name stem, unique per version
  ProtocolVersion version;
  Packet packet;
};

// A default-constructed T with a few fields set by `set`.
template <class T, class Set>
T with(Set set) {
  T value{};
  set(value);
  return value;
}

inline std::vector<SamplePacket> sample_packets_v3_1_1() {
  constexpr auto v = ProtocolVersion::v3_1_1;
  std::vector<SamplePacket> s;
  s.push_back({"connect_minimal", v, with<Connect>([](Connect& p) { p.client_id = "c1"; })});
  s.push_back({"connect_full", v, with<Connect>([](Connect& p) {
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
               })});
  s.push_back({"connack", v, with<Connack>([](Connack& p) { p.session_present = true; })});
  s.push_back({"connack_refused", v, with<Connack>([](Connack& p) { p.code = 5; })});
  s.push_back({"publish_qos0", v, with<Publish>([](Publish& p) {
                 p.topic = "t/a";
                 p.payload = bytes_of("hello");
               })});
  s.push_back({"publish_qos1_dup", v, with<Publish>([](Publish& p) {
                 p.dup = true;
                 p.qos = QoS::at_least_once;
                 p.topic = "sensors/7/temp";
                 p.packet_id = 7;
                 p.payload = bytes_of("21.5");
               })});
  s.push_back({"publish_qos2_retain_binary", v, with<Publish>([](Publish& p) {
                 p.qos = QoS::exactly_once;
                 p.retain = true;
                 p.topic = "bin";
                 p.packet_id = 65535;
                 p.payload = Bytes{0x00, 0xFF, 0x10, 0x80};
               })});
  s.push_back({"puback", v, with<Puback>([](Puback& p) { p.packet_id = 7; })});
  s.push_back({"pubrec", v, with<Pubrec>([](Pubrec& p) { p.packet_id = 8; })});
  s.push_back({"pubrel", v, with<Pubrel>([](Pubrel& p) { p.packet_id = 8; })});
  s.push_back({"pubcomp", v, with<Pubcomp>([](Pubcomp& p) { p.packet_id = 8; })});
  s.push_back(
      {"subscribe", v, with<Subscribe>([](Subscribe& p) {
         p.packet_id = 3;
         p.subscriptions.push_back(Subscription{"a/+", QoS::at_least_once, false, false, 0});
         p.subscriptions.push_back(Subscription{"b/#", QoS::exactly_once, false, false, 0});
       })});
  s.push_back({"suback", v, with<Suback>([](Suback& p) {
                 p.packet_id = 3;
                 p.reason_codes = {0x01, 0x80};
               })});
  s.push_back({"unsubscribe", v, with<Unsubscribe>([](Unsubscribe& p) {
                 p.packet_id = 4;
                 p.topic_filters = {"a/+", "b/#"};
               })});
  s.push_back({"unsuback", v, with<Unsuback>([](Unsuback& p) { p.packet_id = 4; })});
  s.push_back({"pingreq", v, Pingreq{}});
  s.push_back({"pingresp", v, Pingresp{}});
  s.push_back({"disconnect", v, Disconnect{}});
  return s;
}

inline std::vector<SamplePacket> sample_packets_v5_0() {
  constexpr auto v = ProtocolVersion::v5_0;
  std::vector<SamplePacket> s;
  s.push_back({"connect_minimal", v, with<Connect>([](Connect& p) {
                 p.version = ProtocolVersion::v5_0;
                 p.client_id = "c1";
               })});
  s.push_back({"connect_full", v, with<Connect>([](Connect& p) {
                 p.version = ProtocolVersion::v5_0;
                 p.clean_start = false;
                 p.keep_alive_s = 30;
                 p.client_id = "client-1";
                 p.will = with<Will>([](Will& w) {
                   w.topic = "will/t";
                   w.payload = bytes_of("bye");
                   w.qos = QoS::exactly_once;
                   w.retain = true;
                   w.properties.payload_format_indicator = 1;
                   w.properties.message_expiry_interval = 10;
                   w.properties.content_type = "text/plain";
                   w.properties.response_topic = "reply/t";
                   w.properties.correlation_data = bytes_of("corr");
                   w.properties.will_delay_interval = 5;
                   w.properties.user_properties = {{"k", "v"}};
                 });
                 p.username = "user";
                 p.password = bytes_of("pw");
                 p.properties.session_expiry_interval = 3600;
                 p.properties.authentication_method = "PLAIN";
                 p.properties.authentication_data = bytes_of("data");
                 p.properties.request_problem_information = 0;
                 p.properties.request_response_information = 1;
                 p.properties.receive_maximum = 10;
                 p.properties.topic_alias_maximum = 5;
                 p.properties.user_properties = {{"a", "b"}, {"a", "c"}};
                 p.properties.maximum_packet_size = 1024;
               })});
  s.push_back({"connack_full", v, with<Connack>([](Connack& p) {
                 p.session_present = true;
                 p.properties.session_expiry_interval = 60;
                 p.properties.assigned_client_identifier = "auto-1";
                 p.properties.server_keep_alive = 20;
                 p.properties.response_information = "resp";
                 p.properties.server_reference = "other:1883";
                 p.properties.reason_string = "welcome";
                 p.properties.receive_maximum = 100;
                 p.properties.topic_alias_maximum = 8;
                 p.properties.maximum_qos = 1;
                 p.properties.retain_available = 0;
                 p.properties.user_properties = {{"x", "y"}};
                 p.properties.maximum_packet_size = 65536;
                 p.properties.wildcard_subscription_available = 1;
                 p.properties.subscription_identifier_available = 0;
                 p.properties.shared_subscription_available = 0;
               })});
  s.push_back({"connack_refused", v, with<Connack>([](Connack& p) { p.code = 0x87; })});
  s.push_back({"publish_qos0", v, with<Publish>([](Publish& p) {
                 p.topic = "t/a";
                 p.payload = bytes_of("hello");
               })});
  s.push_back({"publish_qos1_props", v, with<Publish>([](Publish& p) {
                 p.qos = QoS::at_least_once;
                 p.topic = "sensors/7/temp";
                 p.packet_id = 7;
                 p.properties.payload_format_indicator = 1;
                 p.properties.message_expiry_interval = 30;
                 p.properties.content_type = "text/plain";
                 p.properties.response_topic = "reply/7";
                 p.properties.correlation_data = Bytes{0x01, 0x02};
                 p.properties.subscription_identifiers = {1, 300};
                 p.properties.user_properties = {{"unit", "C"}};
                 p.payload = bytes_of("21.5");
               })});
  s.push_back({"publish_qos2_topic_alias", v, with<Publish>([](Publish& p) {
                 p.dup = true;
                 p.qos = QoS::exactly_once;
                 p.retain = true;
                 p.packet_id = 9;
                 p.properties.topic_alias = 3;  // and an empty topic name
                 p.payload = Bytes{0x00, 0xFF};
               })});
  s.push_back({"puback", v, with<Puback>([](Puback& p) { p.packet_id = 7; })});
  s.push_back({"puback_reason", v, with<Puback>([](Puback& p) {
                 p.packet_id = 7;
                 p.reason_code = ReasonCode::no_matching_subscribers;
                 p.properties.reason_string = "nobody";
               })});
  s.push_back({"pubrec_error", v, with<Pubrec>([](Pubrec& p) {
                 p.packet_id = 8;
                 p.reason_code = ReasonCode::quota_exceeded;
               })});
  s.push_back({"pubrel_not_found", v, with<Pubrel>([](Pubrel& p) {
                 p.packet_id = 8;
                 p.reason_code = ReasonCode::packet_identifier_not_found;
               })});
  s.push_back({"pubcomp", v, with<Pubcomp>([](Pubcomp& p) {
                 p.packet_id = 8;
                 p.properties.user_properties = {{"a", "b"}};
               })});
  s.push_back({"subscribe_options", v, with<Subscribe>([](Subscribe& p) {
                 p.packet_id = 3;
                 p.properties.subscription_identifiers = {5};
                 p.properties.user_properties = {{"a", "b"}};
                 p.subscriptions.push_back(Subscription{"a/+", QoS::at_least_once, true, false, 0});
                 p.subscriptions.push_back(Subscription{"b/#", QoS::exactly_once, false, true, 2});
               })});
  s.push_back({"suback", v, with<Suback>([](Suback& p) {
                 p.packet_id = 3;
                 p.properties.reason_string = "partly";
                 p.reason_codes = {0x00, 0x01, 0x02, 0x87};
               })});
  s.push_back({"unsubscribe", v, with<Unsubscribe>([](Unsubscribe& p) {
                 p.packet_id = 4;
                 p.properties.user_properties = {{"a", "b"}};
                 p.topic_filters = {"a/+", "b/#"};
               })});
  s.push_back({"unsuback", v, with<Unsuback>([](Unsuback& p) {
                 p.packet_id = 4;
                 p.reason_codes = {ReasonCode::success, ReasonCode::no_subscription_existed};
               })});
  s.push_back({"pingreq", v, Pingreq{}});
  s.push_back({"pingresp", v, Pingresp{}});
  s.push_back({"disconnect", v, Disconnect{}});
  s.push_back({"disconnect_with_will", v, with<Disconnect>([](Disconnect& p) {
                 p.reason_code = ReasonCode::disconnect_with_will_message;
                 p.properties.session_expiry_interval = 0;
                 p.properties.reason_string = "bye";
               })});
  s.push_back({"auth_continue", v, with<Auth>([](Auth& p) {
                 p.reason_code = ReasonCode::continue_authentication;
                 p.properties.authentication_method = "SCRAM-SHA-1";
                 p.properties.authentication_data = Bytes{0x6e, 0x2c, 0x2c};
               })});
  return s;
}

inline std::vector<SamplePacket> sample_packets() {
  auto samples = sample_packets_v3_1_1();
  for (auto& sample : sample_packets_v5_0()) samples.push_back(std::move(sample));
  return samples;
}

}  // namespace mqttsim::codec::test
