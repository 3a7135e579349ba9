#include "scenario/profile_loader.hpp"

namespace mqttsim::scenario {

Profile load_profile(std::string_view name_or_path) {
  if (name_or_path == "spec") return Profile{};
  const YamlReader reader{std::string{name_or_path}};
  const YAML::Node root = reader.load_file();
  Profile profile = read_profile(root, reader);
  if (!root["name"]) profile.name = std::string{name_or_path};
  return profile;
}

Profile read_profile(const YAML::Node& map, const YamlReader& reader, Profile base) {
  reader.check_keys(map,
                    {"name",
                     "queue_qos0_offline",
                     "max_queued_messages",
                     "queue_drop_policy",
                     "overlapping_subscriptions",
                     "qos2_forwarding",
                     "max_inflight",
                     "in_session_retry_s",
                     "accept_empty_client_id_v311",
                     "will_on_takeover_v311",
                     "connect_timeout_s",
                     "server_keep_alive_s",
                     "max_sessions",
                     "max_packet_size",
                     "max_session_expiry_s",
                     "maximum_qos",
                     "retain_available",
                     "wildcard_subscription_available",
                     "subscription_identifiers_available",
                     "shared_subscriptions_available",
                     "topic_alias_maximum"},
                    "a profile");
  Profile p = std::move(base);
  for (const auto& entry : map) {
    const std::string key = entry.first.Scalar();
    const YAML::Node& value = entry.second;
    const auto u16 = [&] {
      return static_cast<std::uint16_t>(reader.read_unsigned(value, key, 65535));
    };
    const auto u32 = [&] {
      return static_cast<std::uint32_t>(reader.read_unsigned(value, key, 0xFFFF'FFFF));
    };
    if (key == "name")
      p.name = reader.read_string(value, key);
    else if (key == "queue_qos0_offline")
      p.queue_qos0_offline = reader.read_bool(value, key);
    else if (key == "max_queued_messages")
      p.max_queued_messages = u32();
    else if (key == "queue_drop_policy")
      p.queue_drop_policy = static_cast<QueueDropPolicy>(
          reader.read_choice(value, key, {"drop_newest", "drop_oldest"}));
    else if (key == "overlapping_subscriptions")
      p.overlapping_subscriptions = static_cast<OverlapDelivery>(
          reader.read_choice(value, key, {"single_copy_max_qos", "copy_per_subscription"}));
    else if (key == "qos2_forwarding")
      p.qos2_forwarding =
          static_cast<Qos2Forwarding>(reader.read_choice(value, key, {"on_publish", "on_pubrel"}));
    else if (key == "max_inflight")
      p.max_inflight = u16();
    else if (key == "in_session_retry_s")
      p.in_session_retry_s = u32();
    else if (key == "accept_empty_client_id_v311")
      p.accept_empty_client_id_v311 = reader.read_bool(value, key);
    else if (key == "will_on_takeover_v311")
      p.will_on_takeover_v311 = reader.read_bool(value, key);
    else if (key == "connect_timeout_s")
      p.connect_timeout_s = u32();
    else if (key == "server_keep_alive_s")
      p.server_keep_alive_s = u16();
    else if (key == "max_sessions")
      p.max_sessions = u32();
    else if (key == "max_packet_size")
      p.max_packet_size = u32();
    else if (key == "max_session_expiry_s")
      p.max_session_expiry_s = u32();
    else if (key == "maximum_qos")
      p.maximum_qos = static_cast<std::uint8_t>(reader.read_unsigned(value, key, 2));
    else if (key == "retain_available")
      p.retain_available = reader.read_bool(value, key);
    else if (key == "wildcard_subscription_available")
      p.wildcard_subscription_available = reader.read_bool(value, key);
    else if (key == "subscription_identifiers_available")
      p.subscription_identifiers_available = reader.read_bool(value, key);
    else if (key == "shared_subscriptions_available") {
      if (reader.read_bool(value, key)) {
        reader.fail(value, "shared subscriptions are not implemented by the reference broker yet");
      }
      p.shared_subscriptions_available = false;
    } else if (key == "topic_alias_maximum")
      p.topic_alias_maximum = u16();
  }
  return p;
}

}  // namespace mqttsim::scenario
