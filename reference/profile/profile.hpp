#pragma once
// A profile names every choice the standards leave to the server ("MAY",
// "SHOULD", or a limit the standard does not fix). The reference broker obeys
// it and the oracle accepts exactly what it allows — so a profile can describe
// Mosquitto's documented choices, but never excuses a MUST.
//
// The default-constructed profile ("spec") is the plain standard: nothing
// optional switched on, no limits beyond the protocol's own.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mqttsim {

// What to drop when an offline queue is full (3.1.1 §4.5 / 5.0 §4.5 allow the
// server to limit what it stores; which message goes is a policy).
enum class QueueDropPolicy : std::uint8_t {
  drop_newest,  // the arriving message is not queued (Mosquitto's behaviour)
  drop_oldest,  // the oldest queued message makes room
};

// A message matching several subscriptions of one client: 3.1.1 MQTT-3.3.5-1
// and 5.0 MQTT-3.3.4-2 require delivery at the maximum granted QoS; a server
// MAY deliver further copies, one per matching subscription.
enum class OverlapDelivery : std::uint8_t {
  single_copy_max_qos,
  copy_per_subscription,
};

// When an inbound QoS 2 message is passed on to subscribers (3.1.1 §4.3.3
// Figure 4.3 and 5.0 §4.3.3 allow either point; both deliver exactly once).
enum class Qos2Forwarding : std::uint8_t {
  on_publish,  // store the packet id, forward at once, PUBREC
  on_pubrel,   // store the message, forward when PUBREL arrives
};

struct Profile {
  std::string name = "spec";

  // --- offline sessions ---
  // 3.1.1 §3.1.2.4 / 5.0 §4.1: QoS 0 messages MAY be queued for an offline
  // session.
  bool queue_qos0_offline = false;
  // Messages stored per session (offline queue plus messages waiting for the
  // in-flight window); 0 means no limit.
  std::uint32_t max_queued_messages = 0;
  QueueDropPolicy queue_drop_policy = QueueDropPolicy::drop_newest;

  // --- delivery ---
  OverlapDelivery overlapping_subscriptions = OverlapDelivery::single_copy_max_qos;
  Qos2Forwarding qos2_forwarding = Qos2Forwarding::on_publish;
  // Outbound QoS 1/2 messages in flight per client when the client sets no
  // limit (3.1.1 has none; 5.0 uses the client's Receive Maximum, capped by
  // this). 0 means no limit beyond 65535.
  std::uint16_t max_inflight = 0;
  // 3.1.1 only: resend an unacknowledged PUBLISH on the same connection after
  // this long (0 = never). 5.0 forbids it (MQTT-4.4.0-1), so it is ignored
  // there.
  std::uint32_t in_session_retry_s = 0;

  // --- connections ---
  // 3.1.1 MQTT-3.1.3-6: a server MAY accept a zero-length client id with
  // Clean Session 1 and assign one; if not, it answers 0x02 (MQTT-3.1.3-9).
  bool accept_empty_client_id_v311 = true;
  // 3.1.1: the will is published when a session is taken over (the old
  // connection is closed by the server without a DISCONNECT from the client).
  bool will_on_takeover_v311 = true;
  // A connection that sends no CONNECT within this long is closed (3.1.1 and
  // 5.0 §3.1.4 "SHOULD close ... within a reasonable amount of time");
  // 0 waits forever.
  std::uint32_t connect_timeout_s = 30;
  // 5.0 Server Keep Alive sent in CONNACK (0 = use the client's value).
  std::uint16_t server_keep_alive_s = 0;
  // Sessions (online or offline) the broker holds; 0 means no limit. A CONNECT
  // beyond it is refused (3.1.1: 0x03 server unavailable; 5.0: 0x97 quota exceeded).
  std::uint32_t max_sessions = 0;
  // Largest packet the broker accepts (5.0 Maximum Packet Size in CONNACK);
  // 0 means the protocol's maximum.
  std::uint32_t max_packet_size = 0;
  // 5.0: the largest Session Expiry Interval the broker honours (seconds);
  // a larger request is reduced and announced in CONNACK.
  std::optional<std::uint32_t> max_session_expiry_s;

  // --- features a 5.0 server announces in CONNACK ---
  std::uint8_t maximum_qos = 2;
  bool retain_available = true;
  bool wildcard_subscription_available = true;
  bool subscription_identifiers_available = true;
  bool shared_subscriptions_available = false;
  std::uint16_t topic_alias_maximum = 10;

  bool operator==(const Profile&) const = default;
};

std::string_view to_string(QueueDropPolicy policy);
std::string_view to_string(OverlapDelivery delivery);
std::string_view to_string(Qos2Forwarding forwarding);

}  // namespace mqttsim
