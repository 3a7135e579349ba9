// expect: what a client must observe, within a window of virtual time.
// The semantics are documented in scenarios/README.md ("Expectations").

#include "scenario/steps.hpp"

namespace mqttsim::scenario {
namespace {

MessageMatch read_match(ScenarioReader& in, const YAML::Node& node, const Client& receiver) {
  const YamlReader& yaml = in.yaml();
  yaml.check_keys(node, {"topic", "payload", "qos", "retain", "dup", "count", "first", "will_of"},
                  "an expected message");
  MessageMatch match;
  if (const YAML::Node will_of = node["will_of"]) {
    for (const char* key : {"topic", "payload", "count", "first"}) {
      if (node[key]) {
        in.fail(node[key],
                std::string{"will_of takes the topic and payload from the will; leave out "} + key);
      }
    }
    const Client& sender = in.read_client(will_of, "will_of");
    const auto& will = in.history(sender.name).will;
    if (!will) {
      in.fail(will_of, "client '" + sender.name + "' declared no will in its latest connect step");
    }
    match.will_of = sender.name;
    match.topic = will->topic;
    match.payload = will->payload;
  } else {
    if (!node["topic"]) in.fail(node, "an expected message needs a topic (or will_of: CLIENT)");
    match.topic = in.read_topic_name(node["topic"], receiver.protocol);
    if (node["payload"]) match.payload = yaml.read_string(node["payload"], "payload");
  }
  if (node["qos"]) match.qos = in.read_qos(node["qos"], "qos");
  if (node["retain"]) match.retain = yaml.read_bool(node["retain"], "retain");
  if (node["dup"]) {
    match.dup = yaml.read_bool(node["dup"], "dup");
    if (*match.dup && match.qos == codec::QoS::at_most_once) {
      in.fail(node["dup"], "a QoS 0 message never has DUP set (MQTT-3.3.1-2)");
    }
  }
  if (const YAML::Node count = node["count"]) {
    match.count = static_cast<std::uint32_t>(yaml.read_unsigned(count, "count", burst_count_max));
    if (match.count == 0) in.fail(count, "count must be at least 1");
  }
  if (const YAML::Node first = node["first"]) {
    match.first_number = static_cast<std::uint32_t>(
        yaml.read_unsigned(first, "first", 0xFFFF'FFFF - match.count + 1));
  }
  return match;
}

}  // namespace

StepAction read_expect(ScenarioReader& in, const YAML::Node& step) {
  const YamlReader& yaml = in.yaml();
  yaml.check_keys(step, {"expect", "at", "messages", "order", "no_messages", "closed", "within"},
                  "an expect step");
  const Client& client = in.read_client(step["expect"], "expect");
  in.require_opened_before(step["expect"], client, "expect");
  const Duration within =
      step["within"] ? in.read_duration(step["within"], "within") : default_expect_within;
  if (within == Duration::zero()) in.fail(step["within"], "within must be longer than 0s");

  int forms = 0;
  for (const char* key : {"messages", "no_messages", "closed"}) forms += step[key] ? 1 : 0;
  if (forms != 1) {
    in.fail(step, "an expect step needs exactly one of messages:, no_messages: true, closed:");
  }
  if (step["order"] && !step["messages"]) in.fail(step["order"], "order applies to messages:");

  if (const YAML::Node list = step["messages"]) {
    if (!list.IsSequence() || list.size() == 0) {
      in.fail(list, "messages must be a list of expected messages ({topic, payload, qos, ...})");
    }
    ExpectMessagesStep expect;
    expect.client = client.name;
    expect.within = within;
    for (const auto& entry : list) expect.messages.push_back(read_match(in, entry, client));
    if (const YAML::Node order = step["order"]) {
      expect.order = static_cast<MessageOrder>(
          yaml.read_choice(order, "order", {"exact", "in_order", "unordered"}));
    }
    return expect;
  }
  if (const YAML::Node none = step["no_messages"]) {
    if (!yaml.read_bool(none, "no_messages")) {
      in.fail(none, "no_messages: false expects nothing; write no_messages: true or drop the step");
    }
    return ExpectNoMessagesStep{client.name, within};
  }
  const YAML::Node closed = step["closed"];
  ExpectClosedStep expect{client.name, std::nullopt, within};
  if (closed.IsMap()) {
    yaml.check_keys(closed, {"reason", "connack"}, "closed");
    if (const YAML::Node reason = closed["reason"]) {
      in.require_v5(reason, client, "a DISCONNECT reason from the broker");
      expect.reason_code =
          in.read_reason_code(reason, "reason", codec::PacketType::disconnect, client.protocol);
    }
    if (const YAML::Node connack = closed["connack"]) {
      expect.connack_code =
          in.read_reason_code(connack, "connack", codec::PacketType::connack, client.protocol);
    }
    if (expect.reason_code && expect.connack_code) {
      in.fail(closed,
              "a connection refused with CONNACK never gets a DISCONNECT (5.0 "
              "MQTT-3.14.0-1): give reason: or connack:, not both");
    }
  } else if (!yaml.read_bool(closed, "closed")) {
    in.fail(closed, "closed: false expects nothing; write closed: true or closed: {reason: ...}");
  }
  return expect;
}

}  // namespace mqttsim::scenario
