#pragma once
// Broken brokers for the message-flow checkers (ordering, no-loss,
// duplicates, qos, dup-flag, packet-ids): each rewrites what the reference
// broker sends, keeping what it needs in its capture.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string_view>

#include "broken_broker.hpp"
#include "codec/codec.hpp"

namespace mqttsim::testing {

// Connections whose CONNACK said Session Present 1: a session resumed with
// whatever was queued for it.
struct Resumed {
  std::set<net::ConnectionId> connections;
  void see(net::ConnectionId connection, const codec::Packet& packet) {
    if (const auto* ack = std::get_if<codec::Connack>(&packet); ack && ack->session_present) {
      connections.insert(connection);
    }
  }
};

// The note a harness outside a real broker writes first (mqttsim check):
// a trace that starts with it is judged as seen from outside.
inline trace::TraceEvent observed_from_outside_note() {
  return {.kind = trace::EventKind::note,
          .actor = "scenario",
          .detail = "broker 127.0.0.1:1883, time scale 1000/1000",
          .mark = trace::Mark::observed_from_outside};
}

// The broker's first PUBLISH of `payload` in a played trace: the connection
// it went on and its packet id (nullopt: never sent).
struct SentPublish {
  trace::ConnectionId connection = 0;
  std::uint16_t packet_id = 0;
};
inline std::optional<SentPublish> first_sent(const trace::Trace& played, std::string_view payload) {
  for (const trace::TraceEvent& event : played.events()) {
    if (event.actor != "broker" || event.kind != trace::EventKind::packet ||
        event.direction != trace::Direction::broker_to_client) {
      continue;
    }
    const auto packet = codec::decode(event.bytes, *event.protocol);
    const auto* publish = packet ? std::get_if<codec::Publish>(&*packet) : nullptr;
    if (publish && std::string_view{reinterpret_cast<const char*>(publish->payload.data()),
                                    publish->payload.size()} == payload) {
      return SentPublish{event.connection, publish->packet_id};
    }
  }
  return std::nullopt;
}

// The connection on which the broker first sent a PUBLISH of `payload` (0: none).
inline trace::ConnectionId first_sent_on(const trace::Trace& played, std::string_view payload) {
  const auto sent = first_sent(played, payload);
  return sent ? sent->connection : 0;
}

// On each connection the first two packets `which` picks go out swapped.
// `which` sees every packet the broker sends, in order.
inline std::shared_ptr<runner::PacketInterceptor> swap_first_two(
    std::function<bool(net::ConnectionId, const codec::Packet&)> which) {
  struct State {
    std::map<net::ConnectionId, codec::Packet> held;
    std::set<net::ConnectionId> done;
  };
  auto state = std::make_shared<State>();
  return std::make_shared<OutboundBreak>([state, which](net::ConnectionId c, codec::Packet packet) {
    if (!which(c, packet) || state->done.contains(c)) return one(std::move(packet));
    const auto held = state->held.find(c);
    if (held == state->held.end()) {
      state->held.emplace(c, std::move(packet));
      return Packets{};
    }
    Packets out = one(std::move(packet));
    out.push_back(std::move(held->second));
    state->held.erase(held);
    state->done.insert(c);
    return out;
  });
}

// The first two PUBLISHes sent to a resumed session go out swapped.
inline std::shared_ptr<runner::PacketInterceptor> swap_first_two_queued() {
  auto resumed = std::make_shared<Resumed>();
  return swap_first_two([resumed](net::ConnectionId c, const codec::Packet& packet) {
    resumed->see(c, packet);
    return std::holds_alternative<codec::Publish>(packet) && resumed->connections.contains(c);
  });
}

// The first PUBLISH sent to a resumed session is never sent.
inline std::shared_ptr<runner::PacketInterceptor> drop_first_queued() {
  struct State {
    Resumed resumed;
    std::set<net::ConnectionId> done;
  };
  auto state = std::make_shared<State>();
  return std::make_shared<OutboundBreak>([state](net::ConnectionId c, codec::Packet packet) {
    state->resumed.see(c, packet);
    if (std::holds_alternative<codec::Publish>(packet) && state->resumed.connections.contains(c) &&
        state->done.insert(c).second) {
      return Packets{};
    }
    return one(std::move(packet));
  });
}

// Every PUBLISH matching `which` goes out as `rewrite` makes it.
inline std::shared_ptr<runner::PacketInterceptor> rewrite_publishes(
    std::function<void(codec::Publish&)> rewrite) {
  return std::make_shared<OutboundBreak>([rewrite](net::ConnectionId, codec::Packet packet) {
    if (auto* publish = std::get_if<codec::Publish>(&packet)) rewrite(*publish);
    return one(std::move(packet));
  });
}

// Every PUBLISH `which` picks is never sent.
inline std::shared_ptr<runner::PacketInterceptor> never_send_publishes(
    std::function<bool(const codec::Publish&)> which) {
  return std::make_shared<OutboundBreak>([which](net::ConnectionId, codec::Packet packet) {
    const auto* publish = std::get_if<codec::Publish>(&packet);
    return publish != nullptr && which(*publish) ? Packets{} : one(std::move(packet));
  });
}

// Every QoS 1/2 PUBLISH is followed by a second copy under another packet id.
inline std::shared_ptr<runner::PacketInterceptor> send_each_twice(codec::QoS qos) {
  return std::make_shared<OutboundBreak>([qos](net::ConnectionId, codec::Packet packet) {
    Packets out = one(packet);
    if (auto* publish = std::get_if<codec::Publish>(&packet); publish && publish->qos == qos) {
      publish->packet_id = static_cast<std::uint16_t>(publish->packet_id + 30000);
      publish->dup = false;
      out.push_back(std::move(packet));
    }
    return out;
  });
}

// When the client's PUBREC releases a QoS 2 PUBLISH, the broker's PUBREL
// is followed by the same message again under a fresh packet id: the
// message is delivered twice.
inline std::shared_ptr<runner::PacketInterceptor> qos2_again_after_pubrel() {
  auto sent =
      std::make_shared<std::map<std::pair<net::ConnectionId, std::uint16_t>, codec::Publish>>();
  return std::make_shared<OutboundBreak>([sent](net::ConnectionId c, codec::Packet packet) {
    if (const auto* publish = std::get_if<codec::Publish>(&packet);
        publish && publish->qos == codec::QoS::exactly_once) {
      sent->insert_or_assign({c, publish->packet_id}, *publish);
    }
    Packets out = one(packet);
    if (const auto* rel = std::get_if<codec::Pubrel>(&packet)) {
      const auto found = sent->find({c, rel->packet_id});
      if (found != sent->end()) {
        codec::Publish again = found->second;
        again.packet_id = static_cast<std::uint16_t>(again.packet_id + 30000);
        again.dup = false;
        out.push_back(std::move(again));
        sent->erase(found);
      }
    }
    return out;
  });
}

// Every QoS 2 PUBLISH is followed at once by its PUBREL, before the
// client's PUBREC.
inline std::shared_ptr<runner::PacketInterceptor> pubrel_before_pubrec() {
  return std::make_shared<OutboundBreak>([](net::ConnectionId, codec::Packet packet) {
    Packets out = one(packet);
    if (const auto* publish = std::get_if<codec::Publish>(&packet);
        publish && publish->qos == codec::QoS::exactly_once && !publish->dup) {
      out.push_back(codec::Pubrel{.packet_id = publish->packet_id});
    }
    return out;
  });
}

// Clean session ignored: the broker reads every CONNECT of `client_id` as
// Clean Session 0 (so it keeps and resumes the session) but answers
// Session Present 0, as if it had started a new one.
class CleanSessionIgnored final : public runner::PacketInterceptor {
 public:
  explicit CleanSessionIgnored(std::string client_id) : client_id_{std::move(client_id)} {}
  std::vector<codec::Packet> to_broker(net::ConnectionId, codec::Packet packet,
                                       ProtocolVersion) override {
    if (auto* connect = std::get_if<codec::Connect>(&packet);
        connect && connect->client_id == client_id_) {
      connect->clean_start = false;
    }
    return one(std::move(packet));
  }
  std::vector<codec::Packet> from_broker(net::ConnectionId, codec::Packet packet,
                                         ProtocolVersion) override {
    if (auto* ack = std::get_if<codec::Connack>(&packet)) ack->session_present = false;
    return one(std::move(packet));
  }

 private:
  std::string client_id_;
};

}  // namespace mqttsim::testing
