// SUBSCRIBE (§3.8), SUBACK (§3.9), UNSUBSCRIBE (§3.10) and UNSUBACK (§3.11)
// of both versions.

#include <string>

#include "codec/decode_parts.hpp"
#include "codec/property_codec.hpp"
#include "codec/topic.hpp"

namespace mqttsim::codec::detail {

using wire::by_version;
using wire::Reader;

namespace {

std::string read_topic_filter(Reader& in) {
  const std::size_t text_offset = in.offset() + 2;
  std::string filter = in.utf8_string("topic filter");
  if (in.failed()) return filter;
  if (auto error = check_topic_filter_structure(filter, in.version())) {
    fail_protocol(in, error->kind, error->spec.id,
                  std::string{in.packet_name()} + ' ' + error->message,
                  text_offset + error->offset);
  }
  return filter;
}

void fail_empty_list(Reader& in, std::string_view spec_3_1_1, std::string_view spec_5_0) {
  fail_protocol(
      in, DecodeErrorKind::empty_subscription_list, by_version(in.version(), spec_3_1_1, spec_5_0),
      std::string{in.packet_name()} + " has no topic filter; it needs at least one", in.offset());
}

// The Requested QoS byte of 3.1.1 (§3.8.3.1): bits 7-2 reserved.
void read_options_3_1_1(Reader& in, Subscription& sub, std::uint8_t options, std::size_t offset) {
  if ((options & 0xFCU) != 0) {
    in.fail(DecodeErrorKind::invalid_subscription_options, "MQTT-3.8.3-4",
            "SUBSCRIBE requested QoS byte " + std::to_string(options) + " for \"" +
                sub.topic_filter + "\" has reserved bits set",
            offset);
    return;
  }
  if (options == 3) {
    in.fail(DecodeErrorKind::invalid_qos, "MQTT-3.8.3-4",
            "SUBSCRIBE requests QoS 3 for \"" + sub.topic_filter + "\"", offset);
    return;
  }
  sub.max_qos = static_cast<QoS>(options);
}

// The Subscription Options byte of 5.0 (§3.8.3.1).
void read_options_5_0(Reader& in, Subscription& sub, std::uint8_t options, std::size_t offset) {
  const std::string filter = "\"" + sub.topic_filter + "\"";
  if ((options & 0xC0U) != 0) {
    in.fail(DecodeErrorKind::invalid_subscription_options, "MQTT-3.8.3-5",
            "SUBSCRIBE options byte " + std::to_string(options) + " for " + filter +
                " has reserved bits 6-7 set",
            offset);
    return;
  }
  const auto qos = static_cast<std::uint8_t>(options & 0x03U);
  sub.no_local = (options & 0x04U) != 0;
  sub.retain_as_published = (options & 0x08U) != 0;
  sub.retain_handling = static_cast<std::uint8_t>((options >> 4U) & 0x03U);
  if (qos == 3) {
    // "It is a Protocol Error if the Maximum QoS field has the value 3."
    fail_protocol(in, DecodeErrorKind::invalid_qos, "§3.8.3.1",
                  "SUBSCRIBE requests QoS 3 for " + filter, offset);
    return;
  }
  sub.max_qos = static_cast<QoS>(qos);
  if (sub.retain_handling == 3) {
    // "It is a Protocol Error to send a Retain Handling value of 3."
    fail_protocol(in, DecodeErrorKind::invalid_subscription_options, "§3.8.3.1",
                  "SUBSCRIBE has Retain Handling 3 for " + filter, offset);
    return;
  }
  if (sub.no_local && is_shared_subscription(sub.topic_filter)) {
    fail_protocol(in, DecodeErrorKind::invalid_subscription_options, "MQTT-3.8.3-4",
                  "SUBSCRIBE sets No Local on the shared subscription " + filter, offset);
  }
}

}  // namespace

// §3.8: SUBSCRIBE.
Subscribe read_subscribe(Reader& in) {
  const bool v5 = in.version() == ProtocolVersion::v5_0;
  Subscribe s;
  s.packet_id = read_packet_id(in, "MQTT-2.3.1-1", "MQTT-2.2.1-3");
  if (v5) s.properties = wire::read_properties(in, PropertyContext::subscribe);
  if (in.failed()) return s;
  if (in.at_end()) fail_empty_list(in, "MQTT-3.8.3-3", "MQTT-3.8.3-2");
  while (!in.at_end()) {
    Subscription sub;
    sub.topic_filter = read_topic_filter(in);
    const std::size_t options_offset = in.offset();
    const std::uint8_t options = in.u8(v5 ? "subscription options" : "requested QoS");
    if (in.failed()) break;
    if (v5) {
      read_options_5_0(in, sub, options, options_offset);
    } else {
      read_options_3_1_1(in, sub, options, options_offset);
    }
    s.subscriptions.push_back(std::move(sub));
  }
  return s;
}

// §3.9: SUBACK. One code per filter of the SUBSCRIBE.
Suback read_suback(Reader& in) {
  const bool v5 = in.version() == ProtocolVersion::v5_0;
  Suback s;
  s.packet_id = read_packet_id(in, "MQTT-2.3.1-7", "MQTT-2.2.1-6");
  if (v5) s.properties = wire::read_properties(in, PropertyContext::suback);
  const std::size_t codes_offset = in.offset();
  const wire::ByteView codes = in.take_rest();
  for (std::size_t i = 0; i < codes.size(); ++i) {
    const std::uint8_t code = codes[i];
    const bool allowed =
        v5 ? is_allowed_reason_code(code, PacketType::suback) : (code <= 2 || code == 0x80);
    if (!allowed) {
      fail_protocol(in, DecodeErrorKind::invalid_reason_code,
                    by_version(in.version(), "MQTT-3.9.3-2", "§3.9.3"),
                    "SUBACK may not carry " + std::string{v5 ? "reason" : "return"} + " code " +
                        std::to_string(code),
                    codes_offset + i);
      break;
    }
  }
  s.reason_codes.assign(codes.begin(), codes.end());
  return s;
}

// §3.10: UNSUBSCRIBE.
Unsubscribe read_unsubscribe(Reader& in) {
  Unsubscribe u;
  u.packet_id = read_packet_id(in, "MQTT-2.3.1-1", "MQTT-2.2.1-3");
  if (in.version() == ProtocolVersion::v5_0) {
    u.properties = wire::read_properties(in, PropertyContext::unsubscribe);
  }
  if (in.failed()) return u;
  if (in.at_end()) fail_empty_list(in, "MQTT-3.10.3-2", "MQTT-3.10.3-2");
  while (!in.at_end()) u.topic_filters.push_back(read_topic_filter(in));
  return u;
}

// §3.11: UNSUBACK. 3.1.1 has only the packet identifier.
Unsuback read_unsuback(Reader& in) {
  Unsuback u;
  u.packet_id = read_packet_id(in, "MQTT-2.3.1-7", "MQTT-2.2.1-6");
  if (in.version() != ProtocolVersion::v5_0) {
    expect_end(in);
    return u;
  }
  u.properties = wire::read_properties(in, PropertyContext::unsuback);
  while (!in.at_end()) {
    const std::size_t offset = in.offset();
    const std::uint8_t code = in.u8("reason code");
    if (!is_allowed_reason_code(code, PacketType::unsuback)) {
      fail_protocol(in, DecodeErrorKind::invalid_reason_code, "MQTT-3.11.3-2",
                    "UNSUBACK may not carry reason code " + std::to_string(code), offset);
      break;
    }
    u.reason_codes.push_back(static_cast<ReasonCode>(code));
  }
  return u;
}

}  // namespace mqttsim::codec::detail
