#pragma once
// Test fixtures for ClientSession.
//
// `Link` runs named ClientSessions against the real reference broker over a
// fake in-memory link: bytes move at once, in order, and the test controls
// time and faults (drop the connection, cut one direction, crash a client).
// run_for() steps to the earliest deadline of any client or the broker, in
// a bounded loop, quinn style. No sleeps, no real time.
//
// `ScriptedServer` is a hand-written server for the cases the reference
// broker never produces: the test feeds the exact packets (or bytes) a
// misbehaving server would send and reads back what the client did.

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "broker/broker.hpp"
#include "codec/codec.hpp"
#include "protocol/client_session.hpp"

namespace mqttsim {
inline std::ostream& operator<<(std::ostream& out, ProtocolVersion version) {
  return out << to_string(version);
}
namespace codec {
inline std::ostream& operator<<(std::ostream& out, QoS qos) { return out << static_cast<int>(qos); }
inline std::ostream& operator<<(std::ostream& out, ReasonCode code) {
  return out << "0x" << std::hex << static_cast<int>(code) << std::dec;
}
}  // namespace codec
namespace protocol {
inline std::ostream& operator<<(std::ostream& out, PublishOutcome outcome) {
  return out << to_string(outcome);
}
inline std::ostream& operator<<(std::ostream& out, CloseReason reason) {
  return out << to_string(reason);
}
inline std::ostream& operator<<(std::ostream& out, ClientError error) {
  return out << to_string(error);
}
}  // namespace protocol
}  // namespace mqttsim

namespace mqttsim::testing {

using namespace mqttsim::codec;
using namespace mqttsim::protocol;

inline const std::vector<ProtocolVersion> both_versions{ProtocolVersion::v3_1_1,
                                                        ProtocolVersion::v5_0};

inline Bytes bytes_of(std::string_view text) { return Bytes(text.begin(), text.end()); }
inline std::string text_of(const Bytes& bytes) { return std::string(bytes.begin(), bytes.end()); }

// Options for a client that keeps its session across connections.
inline ClientOptions persistent(ProtocolVersion version, std::string client_id,
                                std::uint16_t keep_alive_s = 0) {
  ClientOptions options;
  options.client_id = std::move(client_id);
  options.version = version;
  options.clean_start = false;
  options.keep_alive_s = keep_alive_s;
  if (version == ProtocolVersion::v5_0) options.session_expiry_interval_s = 3'600;
  return options;
}

// Every action of type T among `actions`, in order.
template <class T>
std::vector<T> all_of(const std::vector<Action>& actions) {
  std::vector<T> found;
  for (const Action& action : actions) {
    if (const T* item = std::get_if<T>(&action)) found.push_back(*item);
  }
  return found;
}

// The packets a list of actions sends, decoded.
inline std::vector<Packet> packets_sent(const std::vector<Action>& actions,
                                        ProtocolVersion version) {
  std::vector<Packet> packets;
  for (const SendBytes& send : all_of<SendBytes>(actions)) {
    auto packet = decode(send.bytes, version);
    BOOST_REQUIRE_MESSAGE(packet.has_value(), "the client sent bytes that do not decode");
    packets.push_back(std::move(*packet));
  }
  return packets;
}

template <class T>
std::vector<T> packets_of(const std::vector<Packet>& packets) {
  std::vector<T> found;
  for (const Packet& packet : packets) {
    if (const T* item = std::get_if<T>(&packet)) found.push_back(*item);
  }
  return found;
}

class Link {
 public:
  explicit Link(Profile profile = {}) : profile_{std::move(profile)} {
    broker_ = std::make_unique<broker::Broker>(profile_, store_, allow_everyone_, now_);
  }

  ClientSession& add(const std::string& name, ClientOptions options) {
    Client& client = clients_[name];
    client.session = std::make_unique<ClientSession>(std::move(options));
    return *client.session;
  }
  ClientSession& session(const std::string& name) { return *clients_.at(name).session; }

  // A new network connection: the client sends CONNECT.
  void open(const std::string& name) {
    Client& client = clients_.at(name);
    BOOST_REQUIRE_MESSAGE(!client.connected, name << " already has a connection");
    client.connection = broker_->accept(name, now_);
    client.connected = client.broker_open = true;
    client.uplink = client.downlink = true;
    BOOST_REQUIRE(!client.session->connection_opened(now_));
    pump();
  }

  // The connection breaks under both ends (a reset both see).
  void drop(const std::string& name) {
    Client& client = clients_.at(name);
    if (!client.connected) return;
    client.connected = false;
    if (std::exchange(client.broker_open, false)) broker_->connection_lost(client.connection, now_);
    client.session->connection_closed(now_);
    pump();
  }

  // Bytes in one direction vanish from now on; nobody is told (half-open).
  void cut_uplink(const std::string& name) { clients_.at(name).uplink = false; }
  void cut_downlink(const std::string& name) { clients_.at(name).downlink = false; }
  // The next packet of `type` the client sends is lost on the way.
  void lose_next_uplink(const std::string& name, PacketType type) {
    clients_.at(name).lose_next.push_back(type);
  }
  void blackhole(const std::string& name) {
    cut_uplink(name);
    cut_downlink(name);
  }

  // The client process dies and starts again with no state; the broker sees
  // the connection go.
  void crash(const std::string& name) {
    drop(name);
    Client& client = clients_.at(name);
    client.session = std::make_unique<ClientSession>(client.session->options());
  }

  // Time passes: every deadline up to now + `by` is handled at its own time.
  void run_for(Duration by) {
    const TimePoint until = now_ + by;
    for (int guard = 0; guard < 100'000; ++guard) {
      std::optional<TimePoint> next = broker_->next_deadline();
      for (auto& [name, client] : clients_) {
        const auto deadline = client.session->next_deadline();
        if (deadline && (!next || *deadline < *next)) next = deadline;
      }
      if (!next || *next > until) break;
      BOOST_REQUIRE(*next >= now_);  // time never goes backwards
      now_ = *next;
      broker_->advance(now_);
      for (auto& [name, client] : clients_) client.session->on_timer(now_);
      pump();
    }
    now_ = until;
  }

  // Carries every pending action and broker output until nothing moves.
  void pump() {
    for (int round = 0; round < 10'000; ++round) {
      bool moved = false;
      for (auto& [name, client] : clients_) {
        for (Action& action : client.session->take_actions()) {
          moved = true;
          carry(client, std::move(action));
        }
      }
      for (broker::Output& output : broker_->take_outputs()) {
        moved = true;
        if (auto* send = std::get_if<broker::SendBytes>(&output)) {
          Client* client = client_of(send->connection);
          if (client != nullptr && client->connected && client->downlink)
            client->session->on_bytes(send->bytes, now_);
        } else if (auto* close = std::get_if<broker::CloseConnection>(&output)) {
          if (Client* client = client_of(close->connection)) {
            client->broker_open = false;
            // Over a cut downlink the client never learns (a half-open link).
            if (client->downlink) {
              client->connected = false;
              client->session->connection_closed(now_);
            }
          }
        }
      }
      if (!moved) return;
    }
    BOOST_FAIL("the link did not settle");
  }

  // What the client told its application (everything but SendBytes) since
  // the last call.
  std::vector<Action> take_events(const std::string& name) {
    return std::exchange(clients_.at(name).events, {});
  }
  // Every packet the client sent since the last call (including ones a cut
  // link lost).
  std::vector<Packet> take_sent(const std::string& name) {
    return std::exchange(clients_.at(name).sent, {});
  }
  bool connected(const std::string& name) const { return clients_.at(name).connected; }

  broker::Broker& broker() { return *broker_; }
  TimePoint now() const { return now_; }

  template <class T>
  std::vector<T> events_of(const std::string& name) {
    return all_of<T>(take_events(name));
  }

 private:
  struct Client {
    std::unique_ptr<ClientSession> session;
    broker::ConnectionId connection = 0;
    bool connected = false;    // the client's end is open
    bool broker_open = false;  // the broker's end is open
    bool uplink = true;
    bool downlink = true;
    std::vector<Action> events;
    std::vector<Packet> sent;
    std::vector<PacketType> lose_next;
  };

  void carry(Client& client, Action&& action) {
    if (auto* send = std::get_if<SendBytes>(&action)) {
      auto packet = decode(send->bytes, client.session->options().version);
      BOOST_REQUIRE_MESSAGE(packet.has_value(), "the client sent bytes that do not decode");
      const auto lost = std::find(client.lose_next.begin(), client.lose_next.end(), send->type);
      client.sent.push_back(std::move(*packet));
      if (lost != client.lose_next.end()) {
        client.lose_next.erase(lost);
        return;
      }
      if (client.broker_open && client.uplink)
        broker_->receive(client.connection, send->bytes, now_);
      return;
    }
    if (std::holds_alternative<Close>(action)) {
      client.connected = false;
      if (std::exchange(client.broker_open, false)) {
        broker_->connection_lost(client.connection, now_);
      }
    }
    client.events.push_back(std::move(action));
  }

  Client* client_of(broker::ConnectionId connection) {
    for (auto& [name, client] : clients_) {
      if (client.connection == connection && (client.connected || client.broker_open)) {
        return &client;
      }
    }
    return nullptr;
  }

  Profile profile_;
  broker::VolatileStore store_;
  broker::AllowEveryone allow_everyone_;
  std::unique_ptr<broker::Broker> broker_;
  std::map<std::string, Client> clients_;
  TimePoint now_ = TimePoint::origin();
};

// A hand-written server: one ClientSession and the bytes a test makes up.
class ScriptedServer {
 public:
  explicit ScriptedServer(ClientOptions options) : session_{std::move(options)} {}

  ProtocolVersion version() const { return session_.options().version; }
  ClientSession& session() { return session_; }
  TimePoint now() const { return now_; }
  void advance(Duration by) {
    now_ += by;
    session_.on_timer(now_);
  }

  // Opens a connection and returns the CONNECT the client sent.
  Connect open() {
    BOOST_REQUIRE(!session_.connection_opened(now_));
    auto sent = packets_sent(take(), version());
    BOOST_REQUIRE_EQUAL(sent.size(), 1u);
    BOOST_REQUIRE(std::holds_alternative<Connect>(sent.front()));
    return std::get<Connect>(sent.front());
  }
  void close() { session_.connection_closed(now_); }

  void send(const Packet& packet) { send_bytes(encode(packet, version())); }
  void send_bytes(const Bytes& bytes) { session_.on_bytes(bytes, now_); }

  // Opens a connection and accepts it.
  void connect(bool session_present = false, Properties properties = {}) {
    open();
    send(Connack{.session_present = session_present, .code = 0, .properties = properties});
  }

  std::vector<Action> take() { return session_.take_actions(); }
  // The packets the client sent since the last call (other actions dropped).
  std::vector<Packet> take_packets() { return packets_sent(take(), version()); }

 private:
  ClientSession session_;
  TimePoint now_ = TimePoint::origin();
};

}  // namespace mqttsim::testing
