#pragma once
// Internal to the broker: one network connection and what the broker knows
// of it. Unlike the session, none of this survives the connection.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "base/time.hpp"
#include "broker/broker.hpp"
#include "codec/packet_reader.hpp"

namespace mqttsim::broker {

struct Broker::Connection {
  Connection(ConnectionId id_, std::string peer_, std::uint32_t max_packet_size_bytes,
             TimePoint now)
      : id{id_},
        peer{std::move(peer_)},
        reader{codec::PacketReader::for_server(max_packet_size_bytes)},
        opened_at{now},
        last_received_at{now} {}

  ConnectionId id;
  std::string peer;
  codec::PacketReader reader;

  bool connected = false;  // CONNECT accepted, CONNACK sent
  ProtocolVersion version = ProtocolVersion::v3_1_1;
  std::string client_id;
  // The session it is attached to, while `connected`: a session never ends
  // while a connection is attached, and a takeover closes the old one.
  SessionOrdinal session = 0;

  TimePoint opened_at;
  TimePoint last_received_at;
  std::uint16_t keep_alive_s = 0;  // the value in force (5.0: the server's, if it set one)
  std::optional<TimePoint> deadline_hint;  // its live hint (Broker::deadline_hints_)

  // 5.0 limits the client declared in CONNECT.
  std::uint16_t receive_maximum = 65535;
  std::uint32_t maximum_packet_size_bytes = 0;  // 0: no limit declared
  // 5.0 inbound topic aliases (§3.3.2.3.4): per connection, never per session.
  std::map<std::uint16_t, std::string> topic_aliases;
};

}  // namespace mqttsim::broker
