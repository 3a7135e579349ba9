#pragma once
// A reference broker with scripted clients over a fake link, for the broker's
// behaviour tests. Everything is explicit: the test says what each client
// sends and when time passes; the harness carries the broker's outputs to
// the clients' packet readers at once. No sleeps, no real time.

#include <boost/test/unit_test.hpp>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "broker/broker.hpp"
#include "codec/codec.hpp"
#include "codec/packet_reader.hpp"

namespace mqttsim {
inline std::ostream& operator<<(std::ostream& out, ProtocolVersion version) {
  return out << to_string(version);
}
namespace codec {
inline std::ostream& operator<<(std::ostream& out, QoS qos) { return out << static_cast<int>(qos); }
}  // namespace codec
}  // namespace mqttsim

namespace mqttsim::testing {

using mqttsim::Profile;

using namespace mqttsim::codec;
using broker::Broker;
using broker::ConnectionId;

inline const std::vector<ProtocolVersion> both_versions{ProtocolVersion::v3_1_1,
                                                        ProtocolVersion::v5_0};

inline Bytes bytes_of(std::string_view text) { return Bytes(text.begin(), text.end()); }
inline std::string text_of(const Bytes& bytes) { return std::string(bytes.begin(), bytes.end()); }

class BrokerHarness {
 public:
  explicit BrokerHarness(Profile profile = {}, bool durable = false,
                         const broker::Authenticator* authenticator = nullptr)
      : profile_{std::move(profile)},
        store_{durable ? std::unique_ptr<broker::SessionStore>{new broker::DurableStore}
                       : std::unique_ptr<broker::SessionStore>{new broker::VolatileStore}},
        authenticator_{authenticator ? authenticator : &allow_everyone_} {
    broker_ = std::make_unique<Broker>(profile_, *store_, *authenticator_, now_);
  }

  // Opens a network connection for `name` (closing nothing: a second
  // connection for a connected name is a takeover) and sends `connect`.
  // Returns the CONNACK, if the broker sent one.
  std::optional<Connack> connect(const std::string& name, Connect connect) {
    Client& client = clients_[name];
    client.version = connect.version;
    client.connection = broker_->accept(name, now_);
    client.reader.emplace(PacketReader::for_client(connect.version));
    client.open = true;
    client.inbox.clear();
    send(name, connect);
    if (client.inbox.empty()) return std::nullopt;
    auto* connack = std::get_if<Connack>(&client.inbox.front());
    if (connack == nullptr) return std::nullopt;
    Connack result = *connack;
    client.inbox.erase(client.inbox.begin());
    return result;
  }

  // A CONNECT with the usual fields, for brevity.
  static Connect connect_packet(ProtocolVersion version, std::string client_id, bool clean_start,
                                std::uint16_t keep_alive_s = 0) {
    Connect connect;
    connect.version = version;
    connect.client_id = std::move(client_id);
    connect.clean_start = clean_start;
    connect.keep_alive_s = keep_alive_s;
    if (version == ProtocolVersion::v5_0 && !clean_start) {
      // A persistent 5.0 session: Clean Start 0 plus an expiry.
      connect.properties.session_expiry_interval = 0xFFFF'FFFF;
    }
    return connect;
  }

  void send(const std::string& name, const Packet& packet) {
    Client& client = clients_.at(name);
    BOOST_REQUIRE_MESSAGE(client.open, name << " is not connected");
    send_bytes(name, encode(packet, client.version));
  }

  void send_bytes(const std::string& name, const Bytes& bytes) {
    Client& client = clients_.at(name);
    broker_->receive(client.connection, bytes, now_);
    pump();
  }

  // Every packet `name` received since the last call.
  std::vector<Packet> take(const std::string& name) {
    return std::exchange(clients_.at(name).inbox, {});
  }

  std::vector<Publish> take_publishes(const std::string& name) {
    std::vector<Publish> publishes;
    for (Packet& packet : take(name)) {
      if (auto* publish = std::get_if<Publish>(&packet)) publishes.push_back(std::move(*publish));
    }
    return publishes;
  }

  bool open(const std::string& name) const { return clients_.at(name).open; }

  // The network connection breaks under `name` (no DISCONNECT).
  void drop(const std::string& name) {
    Client& client = clients_.at(name);
    client.open = false;
    broker_->connection_lost(client.connection, now_);
    pump();
  }

  // Time passes: every broker deadline up to `until` is handled at its own time.
  void advance(Duration by) { advance_to(now_ + by); }
  void advance_to(TimePoint until) {
    for (int guard = 0; guard < 100'000; ++guard) {
      const auto deadline = broker_->next_deadline();
      if (!deadline || *deadline > until) break;
      now_ = std::max(now_, *deadline);
      broker_->advance(now_);
      pump();
    }
    now_ = until;
  }

  // The broker process stops and starts again with the same store.
  void restart() {
    broker_.reset();
    for (auto& [name, client] : clients_) client.open = false;
    broker_ = std::make_unique<Broker>(profile_, *store_, *authenticator_, now_);
    pump();
  }

  // Acknowledges every QoS 1/2 PUBLISH and PUBREL `name` has received, in
  // order, as a well-behaved client would; returns the messages.
  std::vector<Publish> receive_and_ack(const std::string& name) {
    std::vector<Publish> received;
    for (int round = 0; round < 1000; ++round) {
      std::vector<Packet> packets = take(name);
      if (packets.empty()) break;
      for (Packet& packet : packets) {
        if (auto* publish = std::get_if<Publish>(&packet)) {
          if (publish->qos == QoS::at_least_once)
            send(name, Puback{.packet_id = publish->packet_id});
          if (publish->qos == QoS::exactly_once)
            send(name, Pubrec{.packet_id = publish->packet_id});
          received.push_back(std::move(*publish));
        } else if (auto* pubrel = std::get_if<Pubrel>(&packet)) {
          send(name, Pubcomp{.packet_id = pubrel->packet_id});
        }
      }
    }
    return received;
  }

  // Publishes from a connected client and completes the QoS flow.
  void publish(const std::string& name, std::string topic, std::string payload, QoS qos,
               bool retain = false) {
    const std::uint16_t packet_id = qos == QoS::at_most_once ? 0 : next_packet_id_++;
    send(name, Publish{.dup = false,
                       .qos = qos,
                       .retain = retain,
                       .topic = std::move(topic),
                       .packet_id = packet_id,
                       .properties = {},
                       .payload = bytes_of(payload)});
    if (qos == QoS::exactly_once) send(name, Pubrel{.packet_id = packet_id});
    // The publisher's acknowledgements are not what these tests look at.
    std::vector<Packet> rest;
    for (Packet& packet : take(name)) {
      const PacketType type = type_of(packet);
      if (type != PacketType::puback && type != PacketType::pubrec && type != PacketType::pubcomp) {
        rest.push_back(std::move(packet));
      }
    }
    clients_.at(name).inbox = std::move(rest);
  }

  void subscribe(const std::string& name, std::string filter, QoS qos,
                 std::uint8_t retain_handling = 0, bool retain_as_published = false) {
    send(name, Subscribe{.packet_id = next_packet_id_++,
                         .properties = {},
                         .subscriptions = {Subscription{.topic_filter = std::move(filter),
                                                        .max_qos = qos,
                                                        .no_local = false,
                                                        .retain_as_published = retain_as_published,
                                                        .retain_handling = retain_handling}}});
    auto packets = take(name);
    BOOST_REQUIRE(!packets.empty());
    BOOST_REQUIRE(std::holds_alternative<Suback>(packets.front()));
    packets.erase(packets.begin());
    clients_.at(name).inbox = std::move(packets);  // retained messages stay
  }

  Broker& broker() { return *broker_; }
  TimePoint now() const { return now_; }
  const std::vector<broker::Note>& notes() const { return notes_; }
  std::size_t count_notes(broker::NoteKind kind) const {
    return static_cast<std::size_t>(std::count_if(
        notes_.begin(), notes_.end(), [kind](const broker::Note& n) { return n.kind == kind; }));
  }
  bool exercised(std::string_view id, ProtocolVersion version) const {
    return broker_->exercised(SpecRef{version, id});
  }

 private:
  struct Client {
    ProtocolVersion version = ProtocolVersion::v3_1_1;
    ConnectionId connection = 0;
    std::optional<PacketReader> reader;
    std::vector<Packet> inbox;
    bool open = false;
  };

  Client* client_of(ConnectionId connection) {
    for (auto& [name, client] : clients_) {
      if (client.connection == connection && client.open) return &client;
    }
    return nullptr;
  }

  void pump() {
    for (broker::Output& output : broker_->take_outputs()) {
      if (auto* send = std::get_if<broker::SendBytes>(&output)) {
        Client* client = client_of(send->connection);
        if (client == nullptr) continue;  // the link is gone: bytes vanish
        client->reader->feed(send->bytes);
        for (auto result = client->reader->next(); !result.need_more();
             result = client->reader->next()) {
          if (result.has_error()) {
            BOOST_FAIL("broker sent bytes that do not decode: " << to_string(result.error().error));
          }
          client->inbox.push_back(std::move(result.item().packet));
        }
      } else if (auto* close = std::get_if<broker::CloseConnection>(&output)) {
        if (Client* client = client_of(close->connection)) client->open = false;
      } else {
        notes_.push_back(std::get<broker::Note>(output));
      }
    }
  }

  Profile profile_;
  std::unique_ptr<broker::SessionStore> store_;
  broker::AllowEveryone allow_everyone_;
  const broker::Authenticator* authenticator_;
  std::unique_ptr<Broker> broker_;
  std::map<std::string, Client> clients_;
  std::vector<broker::Note> notes_;
  TimePoint now_ = TimePoint::origin();
  std::uint16_t next_packet_id_ = 1;
};

}  // namespace mqttsim::testing
