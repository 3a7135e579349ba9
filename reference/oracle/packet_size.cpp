// Maximum Packet Size toward the client (5.0 §3.1.2.11.4): the broker sends
// no packet larger than the Maximum Packet Size the client's CONNECT gave
// (5.0 MQTT-3.1.2-24). A Reason String or User Properties that would push a
// packet past it are left out (CONNACK MQTT-3.2.2-19/-20, PUBACK
// MQTT-3.4.2-2/-3, PUBREC MQTT-3.5.2-2/-3, PUBREL MQTT-3.6.2-2/-3, PUBCOMP
// MQTT-3.7.2-2/-3, SUBACK MQTT-3.9.2-1/-2, UNSUBACK MQTT-3.11.2-1/-2,
// DISCONNECT MQTT-3.14.2-3/-4, AUTH MQTT-3.15.2-2/-3): an oversized packet
// that carries them breaks those statements too, and each is judged for
// every packet of its type sent to a client that declared a maximum.
//
// A message too large for the client is dropped unsent and the broker acts
// as if it had been delivered (MQTT-3.1.2-25): it must not come later
// either, on a later connection of the same session (with a larger
// maximum). Judged for a message that arrived while the subscriber's
// connection was open with a stable matching subscription (see
// subscription_match.hpp) and whose smallest possible forwarded PUBLISH (QoS
// 0, no Subscription Identifier, no Topic Alias) exceeds that connection's
// maximum. Retained messages are left alone (a new subscription may fetch
// them again), and so are QoS 2 messages of a broker that forwards them at
// PUBREL (which may come when that connection is gone).

#include <array>

#include "oracle/checkers.hpp"
#include "oracle/subscription_match.hpp"

namespace mqttsim::oracle {

namespace {

constexpr SpecRef v5_too_large{ProtocolVersion::v5_0, "MQTT-3.1.2-24"};
constexpr SpecRef v5_as_delivered{ProtocolVersion::v5_0, "MQTT-3.1.2-25"};

// The statements on Reason String and User Property for each packet type.
struct Optional {
  codec::PacketType type;
  SpecRef reason_string;
  SpecRef user_properties;
};

constexpr std::array<Optional, 9> optional_parts{{
    {codec::PacketType::connack,
     {ProtocolVersion::v5_0, "MQTT-3.2.2-19"},
     {ProtocolVersion::v5_0, "MQTT-3.2.2-20"}},
    {codec::PacketType::puback,
     {ProtocolVersion::v5_0, "MQTT-3.4.2-2"},
     {ProtocolVersion::v5_0, "MQTT-3.4.2-3"}},
    {codec::PacketType::pubrec,
     {ProtocolVersion::v5_0, "MQTT-3.5.2-2"},
     {ProtocolVersion::v5_0, "MQTT-3.5.2-3"}},
    {codec::PacketType::pubrel,
     {ProtocolVersion::v5_0, "MQTT-3.6.2-2"},
     {ProtocolVersion::v5_0, "MQTT-3.6.2-3"}},
    {codec::PacketType::pubcomp,
     {ProtocolVersion::v5_0, "MQTT-3.7.2-2"},
     {ProtocolVersion::v5_0, "MQTT-3.7.2-3"}},
    {codec::PacketType::suback,
     {ProtocolVersion::v5_0, "MQTT-3.9.2-1"},
     {ProtocolVersion::v5_0, "MQTT-3.9.2-2"}},
    {codec::PacketType::unsuback,
     {ProtocolVersion::v5_0, "MQTT-3.11.2-1"},
     {ProtocolVersion::v5_0, "MQTT-3.11.2-2"}},
    {codec::PacketType::disconnect,
     {ProtocolVersion::v5_0, "MQTT-3.14.2-3"},
     {ProtocolVersion::v5_0, "MQTT-3.14.2-4"}},
    {codec::PacketType::auth,
     {ProtocolVersion::v5_0, "MQTT-3.15.2-2"},
     {ProtocolVersion::v5_0, "MQTT-3.15.2-3"}},
}};

const Optional* optional_parts_of(codec::PacketType type) {
  for (const Optional& o : optional_parts) {
    if (o.type == type) return &o;
  }
  return nullptr;
}

std::optional<std::uint32_t> maximum_of(const ConnectionView& c) {
  const codec::Connect* connect = c.connect_packet();
  if (c.version != ProtocolVersion::v5_0 || connect == nullptr) return std::nullopt;
  return connect->properties.maximum_packet_size;
}

class PacketSize final : public Checker {
 public:
  std::string_view name() const override { return "packet-size"; }

  void judge(const Evidence& e, Verdict& verdict) const override {
    for (const ConnectionView& c : e.seen.connections) {
      if (const auto maximum = maximum_of(c)) judge_sizes(e, c, *maximum, verdict);
    }
    judge_dropped(e, verdict);
  }

 private:
  static void judge_sizes(const Evidence& e, const ConnectionView& c, std::uint32_t maximum,
                          Verdict& verdict) {
    for (const SeenPacket& seen : c.packets) {
      if (!seen.to_client()) continue;
      verdict.judge(v5_too_large);
      const codec::PacketType type = codec::type_of(seen.packet);
      const Optional* parts = optional_parts_of(type);
      const codec::Properties* properties = codec::properties_of(seen.packet);
      if (parts != nullptr) {
        verdict.judge(parts->reason_string);
        verdict.judge(parts->user_properties);
      }
      const std::size_t size = e.seen.event(seen.index).bytes.size();
      if (size <= maximum) continue;
      std::vector<SpecRef> rules{v5_too_large};
      std::string carrying;
      if (parts != nullptr && properties != nullptr) {
        if (properties->reason_string) {
          rules.push_back(parts->reason_string);
          carrying += ", with a Reason String";
        }
        if (!properties->user_properties.empty()) {
          rules.push_back(parts->user_properties);
          carrying += ", with User Properties";
        }
      }
      verdict.violations.push_back(
          violation(e, "packet-size", rules, c.packets[*c.connect].index, seen.index,
                    "the broker sent client \"" + c.client_id() + "\" a " +
                        std::string{codec::to_string(type)} + " of " + std::to_string(size) +
                        " bytes at " + at(seen.time) + carrying + "; its CONNECT allowed at most " +
                        std::to_string(maximum) + " bytes"));
    }
  }

  // Messages too large for a connected subscriber must never reach its
  // session later.
  static void judge_dropped(const Evidence& e, Verdict& verdict) {
    // Only connections whose CONNECT set a Maximum Packet Size can drop a
    // message; most runs have none, and a population must not pay
    // publications times connections for them.
    std::vector<ConnectionIndex> limited;
    for (const ConnectionIndex ci : e.seen.connections.indices()) {
      const ConnectionView& c = e.seen.connections[ci];
      if (maximum_of(c) && e.sessions.epoch_of[ci] && c.accepted()) limited.push_back(ci);
    }
    if (limited.empty()) return;
    for (const PublicationIndex pi : e.messages.publications.indices()) {
      const Publication& p = e.messages.publications[pi];
      if (p.is_will || p.ambiguous || p.publish.retain) continue;
      // Forwarded at PUBREL, which may come after the connection closed.
      if (p.publish.qos == codec::QoS::exactly_once &&
          e.profile.qos2_forwarding == Qos2Forwarding::on_pubrel)
        continue;
      codec::Publish smallest = p.publish;
      smallest.qos = codec::QoS::at_most_once;
      smallest.dup = false;
      smallest.retain = false;
      smallest.packet_id = 0;
      smallest.properties.topic_alias.reset();
      smallest.properties.subscription_identifiers.clear();
      const std::size_t size = codec::encode(smallest, ProtocolVersion::v5_0).size();
      for (const ConnectionIndex ci : limited) {
        const ConnectionView& c = e.seen.connections[ci];
        const auto maximum = maximum_of(c);
        const auto epoch_index = e.sessions.epoch_of[ci];
        if (size <= *maximum) continue;
        const TraceIndex opened = c.packets[*c.connack].index;
        if (p.first_index <= opened || (c.closed_index && *c.closed_index <= p.first_index))
          continue;
        const SessionEpoch& epoch = e.sessions.epochs[*epoch_index];
        const MatchingSubscriptions matching =
            matching_subscriptions(epoch, p.publish.topic, p.first_index, p.first_index);
        if (!matching.stable || matching.spans.empty()) continue;
        bool forwarded = false;  // on some subscription (No Local keeps own messages back)
        for (const SubscriptionSpan* span : matching.spans) {
          forwarded = forwarded || !(span->request.no_local && p.publisher == epoch.client_id);
        }
        if (!forwarded) continue;
        // Sent on that connection all the same: MQTT-3.1.2-24 is broken, and
        // what follows are resends of a message in flight.
        bool sent_there = false;
        for (const Delivery& d : e.messages.deliveries) {
          sent_there = sent_there || (d.publication == pi && d.connection == ci);
        }
        if (sent_there) continue;
        verdict.judge(v5_as_delivered);
        for (const Delivery& d : e.messages.deliveries) {
          if (d.publication != pi || d.epoch != epoch_index) continue;
          verdict.violations.push_back(violation(
              e, "packet-size", {v5_as_delivered}, p.first_index, d.index,
              "message " + describe(p.publish) + " (at least " + std::to_string(size) +
                  " bytes) arrived at " + at(e.seen.event(p.first_index).time) +
                  " while client \"" + epoch.client_id + "\" was connected with Maximum Packet " +
                  "Size " + std::to_string(*maximum) +
                  ", so the broker had to drop it as if delivered; it was sent to that " +
                  "session at " + at(e.seen.event(d.index).time) + " all the same"));
        }
      }
    }
  }
};

}  // namespace

std::unique_ptr<Checker> packet_size_checker() { return std::make_unique<PacketSize>(); }

}  // namespace mqttsim::oracle
