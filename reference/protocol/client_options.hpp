#pragma once
// What a client asks for when it connects, and the client's own limits.
// The CONNECT packet is built from these (ClientSession::connect_packet).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "codec/packet.hpp"

namespace mqttsim::protocol {

struct ClientOptions {
  std::string client_id;
  ProtocolVersion version = ProtocolVersion::v3_1_1;
  // 3.1.1 Clean Session, 5.0 Clean Start. With it set the client discards its
  // own session state before every CONNECT (3.1.1 MQTT-3.1.2-6, 5.0
  // MQTT-3.1.2-4).
  bool clean_start = true;
  std::uint16_t keep_alive_s = 60;  // 0 turns keep-alive off
  // 5.0 Session Expiry Interval sent in CONNECT (absent means 0).
  std::optional<std::uint32_t> session_expiry_interval_s;
  std::optional<codec::Will> will;
  std::optional<std::string> username;
  std::optional<codec::Bytes> password;
  // 5.0 Receive Maximum: QoS 1/2 PUBLISHes the server may have in flight to
  // us (absent from CONNECT when 65,535, the protocol's default).
  std::uint16_t receive_maximum = 65'535;
  // 5.0 Maximum Packet Size we accept; 0 means the protocol's maximum. Also
  // bounds what the packet reader buffers, in both versions.
  std::uint32_t maximum_packet_size_bytes = 0;
  // 5.0 Topic Alias Maximum we offer: the server may then name topics by
  // aliases 1..this (5.0 MQTT-3.3.2-10: we accept every one); 0 (the
  // default) leaves it out of CONNECT and the server may send none
  // (MQTT-3.1.2-27).
  std::uint16_t topic_alias_maximum = 0;
  // Further 5.0 CONNECT properties (user properties, request problem
  // information, ...). The fields above win over the same property here.
  codec::Properties connect_properties;

  // --- the client's own bounds (not on the wire) ---
  // Application publishes waiting to be sent (offline, or the window is
  // full). publish() beyond this fails with ClientError::queue_full.
  std::size_t max_queued_publishes = 1'000;
  // Outbound QoS 1/2 messages in flight at once, whatever the server allows
  // (3.1.1 has no Receive Maximum); never more than 65,535 packet ids.
  std::uint16_t max_inflight = 65'535;
};

}  // namespace mqttsim::protocol
