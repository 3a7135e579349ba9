// The steps that act: connect, subscribe, publish, the disconnects and
// faults, broker restarts and waits. Expectations are in expectations.cpp.

#include "scenario/steps.hpp"

#include "codec/topic.hpp"

namespace mqttsim::scenario {
namespace {

using codec::PacketType;

// 5.0 §3.8.3.1 / §3.3.2.3.8: Subscription Identifier 1 to 268,435,455.
constexpr std::uint32_t subscription_identifier_max = 268'435'455;

WillMessage read_will(ScenarioReader& in, const YAML::Node& node, const Client& client) {
  const YamlReader& yaml = in.yaml();
  yaml.check_keys(
      node, {"topic", "payload", "qos", "retain", "delay", "message_expiry", "user_properties"},
      "a will");
  if (!node["topic"]) in.fail(node, "a will needs a topic");
  WillMessage will;
  will.topic = in.read_topic_name(node["topic"], client.protocol);
  if (node["payload"]) will.payload = yaml.read_string(node["payload"], "payload");
  if (node["qos"]) will.qos = in.read_qos(node["qos"], "will qos");
  if (node["retain"]) will.retain = yaml.read_bool(node["retain"], "will retain");
  if (node["delay"]) {
    in.require_v5(node["delay"], client, "a will delay");
    will.delay_s = in.read_seconds(node["delay"], "will delay", 0xFFFF'FFFF);
  }
  if (node["message_expiry"]) {
    in.require_v5(node["message_expiry"], client, "a will message expiry");
    will.message_expiry_s = in.read_seconds(node["message_expiry"], "message_expiry", 0xFFFF'FFFF);
  }
  if (node["user_properties"]) {
    in.require_v5(node["user_properties"], client, "user_properties");
    will.user_properties = in.read_user_properties(node["user_properties"]);
  }
  return will;
}

std::uint32_t read_session_expiry(ScenarioReader& in, const YAML::Node& node) {
  if (node.IsScalar() && node.Scalar() == "never") return session_never_expires;
  return in.read_seconds(node, "session_expiry", session_never_expires - 1);
}

StepAction read_connect(ScenarioReader& in, const YAML::Node& step) {
  const YamlReader& yaml = in.yaml();
  yaml.check_keys(step,
                  {"connect", "at", "clean_session", "clean_start", "session_expiry", "keep_alive",
                   "receive_maximum", "maximum_packet_size", "topic_alias_maximum",
                   "request_problem_information", "will", "username", "password", "expect_code",
                   "expect_session_present"},
                  "a connect step");
  const Client& client = in.read_client(step["connect"], "connect");
  const bool v5 = client.protocol == ProtocolVersion::v5_0;
  ConnectStep connect;
  connect.client = client.name;
  // Each version's own name for the flag, so a reader knows which semantics apply.
  if (const YAML::Node flag = step["clean_session"]) {
    if (v5)
      in.fail(flag,
              "MQTT 5.0 calls this flag clean_start (client '" + client.name + "' speaks 5.0)");
    connect.clean_start = yaml.read_bool(flag, "clean_session");
  }
  if (const YAML::Node flag = step["clean_start"]) {
    if (!v5)
      in.fail(flag, "MQTT 3.1.1 calls this flag clean_session (client '" + client.name +
                        "' speaks 3.1.1)");
    connect.clean_start = yaml.read_bool(flag, "clean_start");
  }
  if (const YAML::Node expiry = step["session_expiry"]) {
    in.require_v5(expiry, client,
                  "session_expiry (3.1.1 keeps a session until clean_session: true)");
    connect.session_expiry_s = read_session_expiry(in, expiry);
  }
  if (const YAML::Node keep_alive = step["keep_alive"]) {
    connect.keep_alive_s =
        static_cast<std::uint16_t>(in.read_seconds(keep_alive, "keep_alive", 65'535));
  }
  if (const YAML::Node receive_maximum = step["receive_maximum"]) {
    in.require_v5(receive_maximum, client, "receive_maximum");
    const auto value = yaml.read_unsigned(receive_maximum, "receive_maximum", 65'535);
    if (value == 0)
      in.fail(receive_maximum, "receive_maximum must be at least 1 (5.0 §3.1.2.11.3)");
    connect.receive_maximum = static_cast<std::uint16_t>(value);
  }
  if (const YAML::Node size = step["maximum_packet_size"]) {
    in.require_v5(size, client, "maximum_packet_size");
    // 5.0 §3.1.2.11.4: 1 to 268,435,455 bytes (0 is a protocol error).
    const auto value = yaml.read_unsigned(size, "maximum_packet_size", 268'435'455);
    if (value == 0) in.fail(size, "maximum_packet_size must be at least 1 (5.0 §3.1.2.11.4)");
    connect.maximum_packet_size = static_cast<std::uint32_t>(value);
  }
  if (const YAML::Node aliases = step["topic_alias_maximum"]) {
    in.require_v5(aliases, client, "topic_alias_maximum");
    connect.topic_alias_maximum =
        static_cast<std::uint16_t>(yaml.read_unsigned(aliases, "topic_alias_maximum", 65'535));
  }
  if (const YAML::Node problems = step["request_problem_information"]) {
    in.require_v5(problems, client, "request_problem_information");
    connect.request_problem_information = yaml.read_bool(problems, "request_problem_information");
  }
  if (const YAML::Node will = step["will"]) connect.will = read_will(in, will, client);
  if (const YAML::Node username = step["username"])
    connect.username = yaml.read_string(username, "username");
  if (const YAML::Node password = step["password"])
    connect.password = yaml.read_string(password, "password");
  if (const YAML::Node code = step["expect_code"]) {
    connect.expect_code =
        in.read_reason_code(code, "expect_code", PacketType::connack, client.protocol);
  }
  if (const YAML::Node present = step["expect_session_present"]) {
    connect.expect_session_present = yaml.read_bool(present, "expect_session_present");
    if (*connect.expect_session_present && connect.clean_start) {
      in.fail(present,
              v5 ? "a clean_start connection never has a session present (MQTT-3.2.2-2, 5.0)"
                 : "a clean_session connection never has a session present (MQTT-3.2.2-1, 3.1.1)");
    }
    if (*connect.expect_session_present && connect.expect_code != 0) {
      in.fail(present, std::string{"a refused connection has session present 0 ("} +
                           (v5 ? "MQTT-3.2.2-6, 5.0" : "MQTT-3.2.2-4, 3.1.1") + ")");
    }
  }
  // Only an accepted connection changes what later steps may rely on.
  if (connect.expect_code == 0) {
    ScenarioReader::ClientHistory& history = in.history(client.name);
    history.connected = true;
    history.will = connect.will;
    history.session_expiry_s = connect.session_expiry_s.value_or(0);
  }
  return connect;
}

codec::Subscription read_subscription(ScenarioReader& in, const YAML::Node& node,
                                      const Client& client) {
  const YamlReader& yaml = in.yaml();
  codec::Subscription subscription;
  subscription.topic_filter = in.read_topic_filter(node["filter"], client.protocol);
  if (node["qos"]) subscription.max_qos = in.read_qos(node["qos"], "qos");
  if (const YAML::Node no_local = node["no_local"]) {
    in.require_v5(no_local, client, "no_local");
    subscription.no_local = yaml.read_bool(no_local, "no_local");
    if (subscription.no_local && codec::is_shared_subscription(subscription.topic_filter)) {
      in.fail(no_local,
              "no_local on a shared subscription is a protocol error (MQTT-3.8.3-4, 5.0)");
    }
  }
  if (const YAML::Node rap = node["retain_as_published"]) {
    in.require_v5(rap, client, "retain_as_published");
    subscription.retain_as_published = yaml.read_bool(rap, "retain_as_published");
  }
  if (const YAML::Node handling = node["retain_handling"]) {
    in.require_v5(handling, client, "retain_handling");
    if (handling.IsScalar() && handling.Scalar() == "3") {
      in.fail(handling,
              "retain_handling 3 is a protocol error (5.0 §3.8.3.1); use 0 send on "
              "subscribe, 1 only if new, or 2 never");
    }
    subscription.retain_handling =
        static_cast<std::uint8_t>(yaml.read_unsigned(handling, "retain_handling", 2));
  }
  return subscription;
}

StepAction read_subscribe(ScenarioReader& in, const YAML::Node& step) {
  const YamlReader& yaml = in.yaml();
  yaml.check_keys(
      step,
      {"subscribe", "at", "filter", "qos", "no_local", "retain_as_published", "retain_handling",
       "filters", "subscription_identifier", "user_properties", "expect_codes"},
      "a subscribe step");
  const Client& client = in.read_client(step["subscribe"], "subscribe");
  in.require_connected_before(step["subscribe"], client, "subscribe");
  SubscribeStep subscribe;
  subscribe.client = client.name;
  if (const YAML::Node list = step["filters"]) {
    for (const char* key :
         {"filter", "qos", "no_local", "retain_as_published", "retain_handling"}) {
      if (step[key])
        in.fail(step[key], std::string{"with filters: give "} + key + " in each entry");
    }
    if (!list.IsSequence() || list.size() == 0) {
      in.fail(list, "filters must be a list of {filter, qos, ...} entries");
    }
    for (const auto& entry : list) {
      yaml.check_keys(entry,
                      {"filter", "qos", "no_local", "retain_as_published", "retain_handling"},
                      "a filters entry");
      if (!entry["filter"]) in.fail(entry, "a filters entry needs a filter");
      subscribe.subscriptions.push_back(read_subscription(in, entry, client));
    }
  } else {
    if (!step["filter"]) in.fail(step, "a subscribe step needs filter: (or filters: for several)");
    subscribe.subscriptions.push_back(read_subscription(in, step, client));
  }
  if (const YAML::Node id = step["subscription_identifier"]) {
    in.require_v5(id, client, "subscription_identifier");
    const auto value =
        yaml.read_unsigned(id, "subscription_identifier", subscription_identifier_max);
    if (value == 0)
      in.fail(id, "subscription_identifier must be from 1 to 268435455 (5.0 §3.8.2.1.2)");
    subscribe.subscription_identifier = static_cast<std::uint32_t>(value);
  }
  if (const YAML::Node properties = step["user_properties"]) {
    in.require_v5(properties, client, "user_properties");
    subscribe.user_properties = in.read_user_properties(properties);
  }
  if (const YAML::Node codes = step["expect_codes"]) {
    if (!codes.IsSequence() || codes.size() != subscribe.subscriptions.size()) {
      in.fail(codes, "expect_codes must list one code per subscription (" +
                         std::to_string(subscribe.subscriptions.size()) + ")");
    }
    std::vector<std::uint8_t> expected;
    for (const auto& code : codes) {
      expected.push_back(
          in.read_reason_code(code, "expect_codes", PacketType::suback, client.protocol));
    }
    subscribe.expect_codes = std::move(expected);
  }
  return subscribe;
}

StepAction read_unsubscribe(ScenarioReader& in, const YAML::Node& step) {
  const YamlReader& yaml = in.yaml();
  yaml.check_keys(step, {"unsubscribe", "at", "filter", "filters", "user_properties"},
                  "an unsubscribe step");
  const Client& client = in.read_client(step["unsubscribe"], "unsubscribe");
  in.require_connected_before(step["unsubscribe"], client, "unsubscribe");
  UnsubscribeStep unsubscribe;
  unsubscribe.client = client.name;
  const YAML::Node one = step["filter"];
  const YAML::Node list = step["filters"];
  if (one && list) in.fail(list, "give filter: or filters:, not both");
  if (one) {
    unsubscribe.topic_filters.push_back(in.read_topic_filter(one, client.protocol));
  } else if (list) {
    if (!list.IsSequence() || list.size() == 0)
      in.fail(list, "filters must be a list of topic filters");
    for (const auto& filter : list)
      unsubscribe.topic_filters.push_back(in.read_topic_filter(filter, client.protocol));
  } else {
    in.fail(step, "an unsubscribe step needs filter: (or filters: for several)");
  }
  if (const YAML::Node properties = step["user_properties"]) {
    in.require_v5(properties, client, "user_properties");
    unsubscribe.user_properties = in.read_user_properties(properties);
  }
  return unsubscribe;
}

StepAction read_publish(ScenarioReader& in, const YAML::Node& step) {
  const YamlReader& yaml = in.yaml();
  yaml.check_keys(step,
                  {"publish", "at", "topic", "qos", "retain", "payload", "count", "first",
                   "interval", "message_expiry", "content_type", "response_topic",
                   "correlation_data", "payload_format", "user_properties", "topic_alias"},
                  "a publish step");
  const Client& client = in.read_client(step["publish"], "publish");
  in.require_connected_before(step["publish"], client, "publish");
  PublishStep publish;
  publish.client = client.name;
  if (!step["topic"]) in.fail(step, "a publish step needs a topic");
  publish.topic = in.read_topic_name(step["topic"], client.protocol);
  if (step["qos"]) publish.qos = in.read_qos(step["qos"], "qos");
  if (step["retain"]) publish.retain = yaml.read_bool(step["retain"], "retain");
  if (step["payload"]) publish.payload = yaml.read_string(step["payload"], "payload");
  if (const YAML::Node count = step["count"]) {
    publish.count = static_cast<std::uint32_t>(yaml.read_unsigned(count, "count", burst_count_max));
    if (publish.count == 0) in.fail(count, "count must be at least 1");
  }
  if (const YAML::Node first = step["first"]) {
    publish.first_number = static_cast<std::uint32_t>(
        yaml.read_unsigned(first, "first", 0xFFFF'FFFF - publish.count + 1));
  }
  if (const YAML::Node interval = step["interval"]) {
    if (publish.count < 2)
      in.fail(interval, "interval is the gap within a burst; it needs count: 2 or more");
    publish.interval = in.read_duration(interval, "interval");
  }
  codec::Properties& properties = publish.properties;
  if (const YAML::Node node = step["message_expiry"]) {
    in.require_v5(node, client, "message_expiry");
    properties.message_expiry_interval = in.read_seconds(node, "message_expiry", 0xFFFF'FFFF);
  }
  if (const YAML::Node node = step["content_type"]) {
    in.require_v5(node, client, "content_type");
    properties.content_type = yaml.read_string(node, "content_type");
  }
  if (const YAML::Node node = step["response_topic"]) {
    in.require_v5(node, client, "response_topic");
    properties.response_topic = in.read_topic_name(node, client.protocol);
  }
  if (const YAML::Node node = step["correlation_data"]) {
    in.require_v5(node, client, "correlation_data");
    const std::string data = yaml.read_string(node, "correlation_data");
    properties.correlation_data = codec::Bytes(data.begin(), data.end());
  }
  if (const YAML::Node node = step["payload_format"]) {
    in.require_v5(node, client, "payload_format");
    properties.payload_format_indicator =
        static_cast<std::uint8_t>(yaml.read_choice(node, "payload_format", {"bytes", "utf8"}));
  }
  if (const YAML::Node node = step["user_properties"]) {
    in.require_v5(node, client, "user_properties");
    properties.user_properties = in.read_user_properties(node);
  }
  if (const YAML::Node node = step["topic_alias"]) {
    in.require_v5(node, client, "topic_alias");
    const auto alias = yaml.read_unsigned(node, "topic_alias", 65'535);
    if (alias == 0) in.fail(node, "topic_alias must be at least 1 (MQTT-3.3.2-8, 5.0)");
    properties.topic_alias = static_cast<std::uint16_t>(alias);
  }
  return publish;
}

StepAction read_disconnect(ScenarioReader& in, const YAML::Node& step) {
  const YamlReader& yaml = in.yaml();
  yaml.check_keys(step, {"disconnect", "at", "reason", "session_expiry"}, "a disconnect step");
  const Client& client = in.read_client(step["disconnect"], "disconnect");
  in.require_connected_before(step["disconnect"], client, "disconnect");
  DisconnectStep disconnect;
  disconnect.client = client.name;
  if (const YAML::Node reason = step["reason"]) {
    in.require_v5(reason, client, "a disconnect reason");
    disconnect.reason_code =
        in.read_reason_code(reason, "reason", PacketType::disconnect, client.protocol);
  }
  if (const YAML::Node expiry = step["session_expiry"]) {
    in.require_v5(expiry, client, "session_expiry");
    disconnect.session_expiry_s = read_session_expiry(in, expiry);
    // 5.0 §3.14.2.2.2: a Session Expiry Interval of 0 in CONNECT cannot be
    // raised in DISCONNECT (it is a protocol error).
    if (*disconnect.session_expiry_s != 0 && in.history(client.name).session_expiry_s == 0) {
      in.fail(expiry,
              "the connect step gave no session_expiry, so DISCONNECT may not set one "
              "(protocol error, 5.0 §3.14.2.2.2); set session_expiry on the connect");
    }
  }
  return disconnect;
}

StepAction read_drop(ScenarioReader& in, const YAML::Node& step) {
  in.yaml().check_keys(step, {"drop", "at", "client_notice_delay", "broker_notice_delay"},
                       "a drop step");
  const Client& client = in.read_client(step["drop"], "drop");
  in.require_connected_before(step["drop"], client, "drop");
  DropStep drop;
  drop.client = client.name;
  if (step["client_notice_delay"])
    drop.client_notice_delay = in.read_duration(step["client_notice_delay"], "client_notice_delay");
  if (step["broker_notice_delay"])
    drop.broker_notice_delay = in.read_duration(step["broker_notice_delay"], "broker_notice_delay");
  return drop;
}

StepAction read_half_open(ScenarioReader& in, const YAML::Node& step) {
  in.yaml().check_keys(step, {"half_open", "at", "noticed_by"}, "a half_open step");
  const Client& client = in.read_client(step["half_open"], "half_open");
  in.require_connected_before(step["half_open"], client, "half_open");
  HalfOpenStep half_open;
  half_open.client = client.name;
  if (step["noticed_by"]) {
    half_open.noticed_by =
        in.yaml().read_choice(step["noticed_by"], "noticed_by", {"client", "broker"}) == 0
            ? LinkEnd::client
            : LinkEnd::broker;
  }
  return half_open;
}

StepAction read_crash(ScenarioReader& in, const YAML::Node& step) {
  in.yaml().check_keys(step, {"crash", "at", "broker_notice_delay"}, "a crash step");
  const Client& client = in.read_client(step["crash"], "crash");
  in.require_connected_before(step["crash"], client, "crash");
  CrashStep crash;
  crash.client = client.name;
  if (step["broker_notice_delay"])
    crash.broker_notice_delay =
        in.read_duration(step["broker_notice_delay"], "broker_notice_delay");
  return crash;
}

StepAction read_partition(ScenarioReader& in, const YAML::Node& step) {
  in.yaml().check_keys(step, {"partition", "at"}, "a partition step");
  return PartitionStep{in.read_client_set(step["partition"], "partition")};
}

StepAction read_heal(ScenarioReader& in, const YAML::Node& step) {
  in.yaml().check_keys(step, {"heal", "at"}, "a heal step");
  const YAML::Node clients = step["heal"];
  if (clients.IsScalar() && clients.Scalar() == "all") return HealStep{};
  return HealStep{in.read_client_set(clients, "heal")};
}

StepAction read_broker_restart(ScenarioReader& in, const YAML::Node& step) {
  in.yaml().check_keys(step, {"broker_restart", "at", "down_for"}, "a broker_restart step");
  BrokerRestartStep restart;
  restart.store = in.scenario().broker.store;
  const YAML::Node store = step["broker_restart"];
  if (!store.IsNull()) {
    restart.store = in.yaml().read_choice(store, "broker_restart", {"volatile", "durable"}) == 0
                        ? BrokerStore::volatile_memory
                        : BrokerStore::durable;
  }
  if (step["down_for"]) restart.down_for = in.read_duration(step["down_for"], "down_for");
  return restart;
}

StepAction read_wait(ScenarioReader& in, const YAML::Node& step) {
  in.yaml().check_keys(step, {"wait", "at"}, "a wait step");
  return WaitStep{in.read_duration(step["wait"], "wait")};
}

StepAction read_faults(ScenarioReader& in, const YAML::Node& step) {
  const YamlReader& yaml = in.yaml();
  yaml.check_keys(
      step,
      {"faults", "at", "clients", "resets_per_hour", "half_opens_per_hour", "partitions_per_hour",
       "reset_notice_delay_max", "partition_min", "partition_max", "loss"},
      "a faults step");
  FaultsStep faults;
  faults.duration = in.read_duration(step["faults"], "faults (the window's length)");
  if (faults.duration == Duration::zero())
    in.fail(step["faults"], "a faults window must last longer than 0s");
  if (step["clients"]) faults.clients = in.read_client_set(step["clients"], "clients");
  constexpr std::uint64_t rate_max = 3'600'000;  // one a millisecond
  const auto rate = [&](const char* key, std::uint32_t& out) {
    if (step[key]) out = static_cast<std::uint32_t>(yaml.read_unsigned(step[key], key, rate_max));
  };
  rate("resets_per_hour", faults.resets_per_hour);
  rate("half_opens_per_hour", faults.half_opens_per_hour);
  rate("partitions_per_hour", faults.partitions_per_hour);
  if (step["reset_notice_delay_max"])
    faults.reset_notice_delay_max =
        in.read_duration(step["reset_notice_delay_max"], "reset_notice_delay_max");
  if (step["partition_min"])
    faults.partition_duration_min = in.read_duration(step["partition_min"], "partition_min");
  if (step["partition_max"])
    faults.partition_duration_max = in.read_duration(step["partition_max"], "partition_max");
  if (faults.partition_duration_min > faults.partition_duration_max) {
    in.fail(step["partition_min"] ? step["partition_min"] : step["partition_max"],
            "partition_min (" + to_string(faults.partition_duration_min) +
                ") is longer than partition_max (" + to_string(faults.partition_duration_max) +
                ")");
  }
  if (step["loss"]) faults.loss_ppm = in.read_loss_ppm(step["loss"], "loss");
  if (faults.resets_per_hour == 0 && faults.half_opens_per_hour == 0 &&
      faults.partitions_per_hour == 0 && !faults.loss_ppm) {
    in.fail(step,
            "a faults step needs at least one of resets_per_hour, half_opens_per_hour, "
            "partitions_per_hour, loss");
  }
  return faults;
}

// "30 0a 00 03 61 2f 23": pairs of hex digits, spaces between bytes allowed.
std::vector<std::uint8_t> read_hex(ScenarioReader& in, const YAML::Node& node) {
  if (!node.IsScalar()) in.fail(node, "bytes must be hex text, e.g. \"30 0a 00 03 61 2f 23\"");
  const std::string& text = node.Scalar();
  if (text.size() > raw_hex_chars_max) {
    in.fail(node, "bytes holds " + std::to_string(text.size()) + " characters; at most " +
                      std::to_string(raw_hex_chars_max) + " are allowed");
  }
  const auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::vector<std::uint8_t> bytes;
  bytes.reserve(text.size() / 2);
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == ' ') {
      ++i;
      continue;
    }
    const int high = digit(text[i]);
    const int low = i + 1 < text.size() ? digit(text[i + 1]) : -1;
    if (high < 0 || low < 0) {
      in.fail(node, "bytes must be pairs of hex digits separated by spaces; character " +
                        std::to_string(i + 1) +
                        (high < 0 ? " is not a hex digit" : " starts a byte with one digit"));
    }
    bytes.push_back(static_cast<std::uint8_t>(high * 16 + low));
    i += 2;
  }
  if (bytes.empty()) in.fail(node, "bytes is empty; give at least one byte");
  return bytes;
}

StepAction read_send_raw(ScenarioReader& in, const YAML::Node& step) {
  in.yaml().check_keys(step, {"send_raw", "at", "bytes", "new_connection"}, "a send_raw step");
  const Client& client = in.read_client(step["send_raw"], "send_raw");
  SendRawStep raw;
  raw.client = client.name;
  if (const YAML::Node fresh = step["new_connection"]) {
    raw.new_connection = in.yaml().read_bool(fresh, "new_connection");
  }
  if (!raw.new_connection) {
    in.require_opened_before(step["send_raw"], client, "send_raw (without new_connection: true)");
  }
  if (!step["bytes"]) in.fail(step, "a send_raw step needs bytes: (hex, e.g. \"c0 00\")");
  raw.bytes = read_hex(in, step["bytes"]);
  if (raw.new_connection) {
    // The raw connection replaces the session's: later steps that need the
    // session connected need a connect step first.
    ScenarioReader::ClientHistory& history = in.history(client.name);
    history.connected = false;
    history.raw_connection = true;
  }
  return raw;
}

}  // namespace

const std::vector<StepKind>& step_kinds() {
  static const std::vector<StepKind> kinds = {
      {"connect", read_connect},
      {"subscribe", read_subscribe},
      {"unsubscribe", read_unsubscribe},
      {"publish", read_publish},
      {"disconnect", read_disconnect},
      {"drop", read_drop},
      {"half_open", read_half_open},
      {"crash", read_crash},
      {"partition", read_partition},
      {"heal", read_heal},
      {"broker_restart", read_broker_restart},
      {"wait", read_wait},
      {"expect", read_expect},
      {"faults", read_faults},
      {"send_raw", read_send_raw},
  };
  return kinds;
}

}  // namespace mqttsim::scenario
