#include "scenario/scenario_reader.hpp"

#include <charconv>

#include "codec/reason_code.hpp"
#include "codec/topic.hpp"
#include "scenario/units.hpp"

namespace mqttsim::scenario {
namespace {

std::string version_name(ProtocolVersion version) { return std::string{to_string(version)}; }

// "0x8E", "142": the number, or nothing.
std::optional<std::uint64_t> parse_number(std::string_view text) {
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    text.remove_prefix(2);
    base = 16;
  }
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (text.empty() || error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string hex(std::uint64_t value) {
  static constexpr char digits[] = "0123456789ABCDEF";
  return std::string{"0x"} + digits[(value >> 4) & 0xF] + digits[value & 0xF];
}

}  // namespace

Duration ScenarioReader::read_duration(const YAML::Node& node, std::string_view what) const {
  if (!node.IsScalar()) fail(node, std::string{what} + " must be a duration such as 500ms or 3s");
  auto parsed = parse_duration(node.Scalar());
  if (!parsed) fail(node, std::string{what} + ": " + parsed.error());
  return *parsed;
}

std::uint32_t ScenarioReader::read_seconds(const YAML::Node& node, std::string_view what,
                                           std::uint32_t max_s) const {
  const Duration d = read_duration(node, what);
  const std::int64_t us = d.count_us();
  if (us % 1'000'000 != 0) {
    fail(node, std::string{what} + " is sent in whole seconds; " + to_string(d) +
                   " is not (write e.g. 2s)");
  }
  if (us / 1'000'000 > max_s) {
    fail(node, std::string{what} + " is at most " + std::to_string(max_s) + "s");
  }
  return static_cast<std::uint32_t>(us / 1'000'000);
}

codec::QoS ScenarioReader::read_qos(const YAML::Node& node, std::string_view what) const {
  if (node.IsScalar()) {
    const std::string& text = node.Scalar();
    if (text == "0") return codec::QoS::at_most_once;
    if (text == "1") return codec::QoS::at_least_once;
    if (text == "2") return codec::QoS::exactly_once;
  }
  fail(node, std::string{what} + " must be 0, 1 or 2 (QoS 3 does not exist: MQTT-3.3.1-4)");
}

std::uint32_t ScenarioReader::read_loss_ppm(const YAML::Node& node, std::string_view what) const {
  if (!node.IsScalar()) fail(node, std::string{what} + " must be a rate such as 1% or 2500ppm");
  auto parsed = parse_loss_ppm(node.Scalar());
  if (!parsed) fail(node, std::string{what} + ": " + parsed.error());
  return *parsed;
}

ProtocolVersion ScenarioReader::read_protocol(const YAML::Node& node) const {
  return reader_.read_choice(node, "protocol", {"3.1.1", "5.0"}) == 0 ? ProtocolVersion::v3_1_1
                                                                      : ProtocolVersion::v5_0;
}

std::string ScenarioReader::read_topic_name(const YAML::Node& node, ProtocolVersion version) const {
  std::string topic = reader_.read_string(node, "topic");
  if (const auto error = codec::validate_topic_name(topic, version)) {
    fail(node, "bad topic name '" + topic + "': " + codec::to_string(*error) +
                   " (wildcards belong in subscription filters)");
  }
  return topic;
}

std::string ScenarioReader::read_topic_filter(const YAML::Node& node,
                                              ProtocolVersion version) const {
  std::string filter = reader_.read_string(node, "filter");
  if (const auto error = codec::validate_topic_filter(filter, version)) {
    fail(node, "bad topic filter '" + filter + "': " + codec::to_string(*error));
  }
  return filter;
}

std::vector<codec::UserProperty> ScenarioReader::read_user_properties(
    const YAML::Node& node) const {
  reader_.expect_map(node, "user_properties");
  std::vector<codec::UserProperty> properties;
  for (const auto& entry : node) {
    properties.push_back({reader_.read_string(entry.first, "a user property name"),
                          reader_.read_string(entry.second, "a user property value")});
  }
  return properties;
}

std::uint8_t ScenarioReader::read_reason_code(const YAML::Node& node, std::string_view what,
                                              codec::PacketType packet,
                                              ProtocolVersion version) const {
  if (!node.IsScalar()) fail(node, std::string{what} + " must be a code number or name");
  const std::string& text = node.Scalar();
  std::optional<std::uint64_t> value = parse_number(text);
  const bool v5 = version == ProtocolVersion::v5_0;
  // Names: 5.0 reason codes, or the 3.1.1 CONNACK return codes (3.1.1
  // SUBACK codes are plain numbers: 0, 1, 2 or 0x80).
  const bool has_names = v5 || packet == codec::PacketType::connack;
  if (!value && has_names) {
    for (unsigned code = 0; code < 256 && !value; ++code) {
      const auto byte = static_cast<std::uint8_t>(code);
      const std::string_view name =
          v5 ? (codec::is_reason_code(byte) ? codec::to_string(static_cast<codec::ReasonCode>(byte))
                                            : std::string_view{})
             : codec::to_string(static_cast<codec::ConnectReturnCode>(byte));
      if (!name.empty() && name == text) value = code;
    }
  }
  // 0x00 has one name in the codec ("success") and others in the standard's
  // tables: the name for DISCONNECT and for SUBACK are accepted there too.
  if (!value && v5 &&
      ((text == "normal_disconnection" && packet == codec::PacketType::disconnect) ||
       (text == "granted_qos_0" && packet == codec::PacketType::suback))) {
    value = 0;
  }
  if (!value) {
    fail(node, std::string{what} + ": '" + text + "' is not a " + version_name(version) + " " +
                   std::string{codec::to_string(packet)} + " code" +
                   (has_names ? " name (write a number such as 0x87 or a name such as "
                                "not_authorized)"
                              : " (write a number: 0, 1, 2 or 0x80)"));
  }
  bool allowed = false;
  if (*value <= 0xFF) {
    const auto byte = static_cast<std::uint8_t>(*value);
    if (v5) {
      allowed = codec::is_allowed_reason_code(byte, packet);
    } else if (packet == codec::PacketType::connack) {
      allowed = byte <= 5;  // §3.2.2.3 Table 3.1
    } else if (packet == codec::PacketType::suback) {
      allowed = byte <= 2 || byte == 0x80;  // §3.9.3
    }
  }
  if (!allowed) {
    fail(node, std::string{what} + ": " + (*value <= 0xFF ? hex(*value) : text) +
                   " is not a code a " + version_name(version) + " " +
                   std::string{codec::to_string(packet)} + " may carry");
  }
  return static_cast<std::uint8_t>(*value);
}

void ScenarioReader::index_clients() {
  client_index_.clear();
  for (std::size_t i = 0; i < scenario_.clients.size(); ++i) {
    client_index_.emplace(scenario_.clients[i].name, i);
  }
}

const Client* ScenarioReader::find_client(std::string_view name) const {
  if (client_index_.empty()) return scenario_.find_client(name);
  const auto found = client_index_.find(name);
  return found == client_index_.end() ? nullptr : &scenario_.clients[found->second];
}

const Client& ScenarioReader::read_client(const YAML::Node& node, std::string_view what) const {
  const std::string name = reader_.read_string(node, what);
  if (member_ && name == addressed_) {
    const auto members = read_members(node);
    if (const Client* member = find_client(member_name(members->population->name, *member_))) {
      return *member;
    }
  }
  if (const Client* client = find_client(name)) return *client;
  if (const auto members = read_members(node)) {
    fail(node, "'" + name + "' is a population: " + std::string{what} +
                   " takes one client here; name one member (" +
                   member_name(members->population->name, members->first) +
                   "), or write the step for each member (for_each: " + name + ")");
  }
  std::vector<std::string_view> names;
  for (const Client& client : scenario_.clients) {
    if (client.name.find('[') == std::string::npos) names.push_back(client.name);
  }
  for (const Population& population : scenario_.populations) names.push_back(population.name);
  const std::string_view closest = YamlReader::closest_match(name, names);
  std::string message = "unknown client '" + name + "'";
  if (!closest.empty()) message += " (did you mean '" + std::string{closest} + "'?)";
  fail(node, message + "; declare it under clients:");
}

std::set<std::string> ScenarioReader::read_client_set(const YAML::Node& node,
                                                      std::string_view what) const {
  std::set<std::string> names;
  const auto add = [&](const YAML::Node& item) {
    if (!member_) {
      if (const auto members = read_members(item)) {
        for (std::uint32_t i = members->first; i <= members->last; ++i) {
          if (!names.insert(member_name(members->population->name, i)).second) {
            fail(item,
                 "client '" + member_name(members->population->name, i) + "' is listed twice");
          }
        }
        return;
      }
    }
    if (!names.insert(read_client(item, what).name).second) {
      fail(item, "client '" + item.Scalar() + "' is listed twice");
    }
  };
  if (node.IsSequence()) {
    if (node.size() == 0) fail(node, std::string{what} + " needs at least one client");
    for (const auto& item : node) add(item);
  } else {
    add(node);
  }
  return names;
}

std::optional<ScenarioReader::Members> ScenarioReader::read_members(const YAML::Node& node) const {
  if (!node.IsScalar()) return std::nullopt;
  const std::string& text = node.Scalar();
  const std::size_t bracket = text.find('[');
  const std::string_view name = std::string_view{text}.substr(0, bracket);
  const Population* population = nullptr;
  for (const Population& p : scenario_.populations) {
    if (p.name == name) population = &p;
  }
  if (population == nullptr) return std::nullopt;
  Members members{population, 0, population->count - 1};
  if (bracket == std::string::npos) return members;
  const std::string usage = "a slice of population '" + population->name + "' is " +
                            population->name + "[FIRST..LAST] or " + population->name +
                            "[N], with numbers from 0 to " + std::to_string(population->count - 1);
  if (text.back() != ']') fail(node, usage);
  const std::string inside = text.substr(bracket + 1, text.size() - bracket - 2);
  const auto number = [&](std::string_view digits) -> std::uint32_t {
    if (digits.empty() || digits.size() > 9 ||
        digits.find_first_not_of("0123456789") != std::string_view::npos) {
      fail(node, usage);
    }
    const std::uint32_t value = static_cast<std::uint32_t>(std::stoul(std::string{digits}));
    if (value >= population->count) {
      fail(node, "member " + std::to_string(value) + " of population '" + population->name +
                     "', which has " + std::to_string(population->count) + " (numbered from 0 to " +
                     std::to_string(population->count - 1) + ")");
    }
    return value;
  };
  const std::size_t dots = inside.find("..");
  if (dots == std::string::npos) {
    members.first = members.last = number(inside);
  } else {
    members.first = number(std::string_view{inside}.substr(0, dots));
    members.last = number(std::string_view{inside}.substr(dots + 2));
    if (members.first > members.last) {
      fail(node, "slice " + text + " runs backwards; write " + population->name + "[" +
                     std::to_string(members.last) + ".." + std::to_string(members.first) + "]");
    }
  }
  return members;
}

void ScenarioReader::require_v5(const YAML::Node& at, const Client& client,
                                std::string_view what) const {
  if (client.protocol == ProtocolVersion::v5_0) return;
  fail(at, std::string{what} + " exists only in MQTT 5.0, and client '" + client.name +
               "' speaks 3.1.1 (set protocol: 5.0 on the client or the scenario)");
}

void ScenarioReader::require_connected_before(const YAML::Node& at, const Client& client,
                                              std::string_view what) const {
  const auto found = history_.find(client.name);
  if (found != history_.end() && found->second.connected) return;
  fail(at, std::string{what} + " on client '" + client.name +
               "', which no earlier step connects (add a connect step before it)");
}

void ScenarioReader::require_opened_before(const YAML::Node& at, const Client& client,
                                           std::string_view what) const {
  const auto found = history_.find(client.name);
  if (found != history_.end() && (found->second.connected || found->second.raw_connection)) return;
  fail(at, std::string{what} + " on client '" + client.name +
               "', which no earlier step connects (add a connect step, or a send_raw step "
               "with new_connection: true, before it)");
}

}  // namespace mqttsim::scenario
