// Topic Aliases (5.0 §3.3.2.3.4). Toward the client: the broker uses no
// Topic Alias unless the client's CONNECT gave a Topic Alias Maximum above
// 0 (5.0 MQTT-3.1.2-27), and never one above it (MQTT-3.1.2-26,
// MQTT-3.3.2-11); alias 0 (MQTT-3.3.2-8) does not decode, so the wire
// checker reports it as a malformed packet. From the client: the broker accepts
// every alias from 1 to the Topic Alias Maximum of its CONNACK
// (MQTT-3.3.2-12), within the connection that set it: a PUBLISH that sets
// a mapping (topic and alias), or uses one this connection set (alias and
// an empty topic), is not answered at once with a DISCONNECT for a bad
// alias (0x94) or a protocol error (0x82), and the message is
// delivered under the topic the alias stands for (messages.cpp resolves
// aliases per connection, so a delivery under another topic shows up as an
// unmatched delivery with the same payload).

#include <map>

#include "codec/print.hpp"
#include "oracle/checkers.hpp"

namespace mqttsim::oracle {

namespace {

constexpr SpecRef v5_client_maximum{ProtocolVersion::v5_0, "MQTT-3.1.2-26"};
constexpr SpecRef v5_none_allowed{ProtocolVersion::v5_0, "MQTT-3.1.2-27"};
constexpr SpecRef v5_above_maximum{ProtocolVersion::v5_0, "MQTT-3.3.2-11"};
constexpr SpecRef v5_accepted{ProtocolVersion::v5_0, "MQTT-3.3.2-12"};

// Did any client publish this topic and payload (so that a delivery of it
// is no mistranslated alias)?
bool published(const Evidence& e, const codec::Publish& delivered) {
  for (const Publication& p : e.messages.publications) {
    if (p.publish.topic == delivered.topic && p.publish.payload == delivered.payload) return true;
  }
  return false;
}

class TopicAlias final : public Checker {
 public:
  std::string_view name() const override { return "topic-alias"; }

  void judge(const Evidence& e, Verdict& verdict) const override {
    for (const ConnectionIndex i : e.seen.connections.indices()) {
      const ConnectionView& c = e.seen.connections[i];
      if (c.version != ProtocolVersion::v5_0 || !c.accepted()) continue;
      judge_outbound(e, c, verdict);
      judge_inbound(e, i, verdict);
    }
  }

 private:
  static void judge_outbound(const Evidence& e, const ConnectionView& c, Verdict& verdict) {
    const std::uint16_t maximum = c.connect_packet()->properties.topic_alias_maximum.value_or(0);
    const std::string who = "client \"" + c.client_id() + "\"";
    for (const SeenPacket& seen : c.packets) {
      const auto* publish = std::get_if<codec::Publish>(&seen.packet);
      if (publish == nullptr || !seen.to_client()) continue;
      if (maximum == 0) {
        verdict.judge(v5_none_allowed);
      } else {
        verdict.judge(v5_client_maximum);
        verdict.judge(v5_above_maximum);
      }
      const auto alias = publish->properties.topic_alias;
      if (!alias) continue;
      const std::string head = "the broker sent " + who + " PUBLISH " + describe(*publish) +
                               " at " + at(seen.time) + " with Topic Alias " +
                               std::to_string(*alias);
      if (maximum == 0) {
        verdict.violations.push_back(
            violation(e, "topic-alias", {v5_none_allowed}, c.packets[*c.connect].index, seen.index,
                      head + ", though the client's CONNECT allowed no Topic Alias"));
      } else if (*alias > maximum) {
        verdict.violations.push_back(violation(
            e, "topic-alias", {v5_client_maximum, v5_above_maximum}, c.packets[*c.connect].index,
            seen.index,
            head + ", above the client's Topic Alias Maximum " + std::to_string(maximum)));
      }
    }
  }

  static void judge_inbound(const Evidence& e, ConnectionIndex connection, Verdict& verdict) {
    const ConnectionView& c = e.seen.connections[connection];
    const std::uint16_t maximum = c.connack_packet()->properties.topic_alias_maximum.value_or(0);
    std::map<std::uint16_t, std::string> mapped;  // set on this connection
    for (const PacketPosition k : c.packets.indices()) {
      const SeenPacket& seen = c.packets[k];
      const auto* publish = std::get_if<codec::Publish>(&seen.packet);
      if (publish == nullptr || !seen.from_client()) continue;
      const auto alias = publish->properties.topic_alias;
      if (!alias || *alias == 0 || *alias > maximum) continue;
      std::string topic = publish->topic;
      if (topic.empty()) {
        const auto found = mapped.find(*alias);
        if (found == mapped.end()) continue;  // no mapping here: the client's error
        topic = found->second;
      } else {
        mapped[*alias] = topic;
      }
      verdict.judge(v5_accepted);
      const std::string what = "client \"" + c.client_id() + "\" sent PUBLISH " +
                               codec::describe_payload(publish->payload) + " at " + at(seen.time) +
                               " with Topic Alias " + std::to_string(*alias) +
                               (publish->topic.empty() ? " (standing for " : " (setting it to ") +
                               codec::quote(topic) + "), within the broker's Topic Alias Maximum " +
                               std::to_string(maximum);
      // Refused: the broker's next packet, before the client sent anything
      // else, is a DISCONNECT for a bad alias or a protocol error.
      if (k.next() < c.packets.next_index() && c.packets[k.next()].to_client()) {
        const SeenPacket& next = c.packets[k.next()];
        const auto* d = std::get_if<codec::Disconnect>(&next.packet);
        if (d != nullptr && (d->reason_code == codec::ReasonCode::topic_alias_invalid ||
                             d->reason_code == codec::ReasonCode::protocol_error)) {
          verdict.violations.push_back(
              violation(e, "topic-alias", {v5_accepted}, seen.index, next.index,
                        what + ", and the broker answered DISCONNECT " +
                            std::string{codec::to_string(d->reason_code)}));
        }
      }
      // Delivered under another topic.
      for (const Delivery& d : e.messages.deliveries) {
        if (d.index <= seen.index || d.publication || d.publish().payload != publish->payload ||
            d.publish().topic == topic || published(e, d.publish()))
          continue;
        verdict.violations.push_back(violation(e, "topic-alias", {v5_accepted}, seen.index, d.index,
                                               what + ", and the broker delivered it to client \"" +
                                                   e.seen.connections[d.connection].client_id() +
                                                   "\" under topic " +
                                                   codec::quote(d.publish().topic)));
      }
    }
  }
};

}  // namespace

std::unique_ptr<Checker> topic_alias_checker() { return std::make_unique<TopicAlias>(); }

}  // namespace mqttsim::oracle
