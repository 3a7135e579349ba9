// The step kinds, key for key as read_connect, read_subscribe, ...,
// read_expect read them. Options equal to the loader's default (the step
// type's default member) are left out.

#include "scenario/step_writer.hpp"

#include <stdexcept>
#include <utility>

namespace mqttsim::scenario {
namespace {

std::string_view order_word(MessageOrder order) {
  switch (order) {
    case MessageOrder::exact:
      return "exact";
    case MessageOrder::in_order:
      return "in_order";
    case MessageOrder::unordered:
      return "unordered";
  }
  throw_unnamed("message order", static_cast<int>(order));
}

std::string_view link_end_word(LinkEnd end) {
  switch (end) {
    case LinkEnd::client:
      return "client";
    case LinkEnd::broker:
      return "broker";
  }
  throw_unnamed("link end", static_cast<int>(end));
}

// "30 0a 00 03": spaced for reading when that fits the loader's bound on
// the hex text, else packed ("300a0003") so up to 32 KiB still fit.
std::string hex_bytes(const std::vector<std::uint8_t>& bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  const bool spaced = bytes.size() * 3 <= raw_hex_chars_max + 1;
  std::string text;
  for (const std::uint8_t byte : bytes) {
    if (spaced && !text.empty()) text += ' ';
    text += digits[byte >> 4];
    text += digits[byte & 0xF];
  }
  return text;
}

// Throws for a PUBLISH property a publish step has no key for, by its name
// in the standard: read_publish reads only message_expiry, content_type,
// response_topic, correlation_data, payload_format, user_properties and
// topic_alias.
void check_publish_properties(const codec::Properties& properties, const std::string& what) {
  using codec::PropertyId;
  const std::pair<bool, PropertyId> unwritable[] = {
      {!properties.subscription_identifiers.empty(), PropertyId::subscription_identifier},
      {properties.session_expiry_interval.has_value(), PropertyId::session_expiry_interval},
      {properties.assigned_client_identifier.has_value(), PropertyId::assigned_client_identifier},
      {properties.server_keep_alive.has_value(), PropertyId::server_keep_alive},
      {properties.authentication_method.has_value(), PropertyId::authentication_method},
      {properties.authentication_data.has_value(), PropertyId::authentication_data},
      {properties.request_problem_information.has_value(), PropertyId::request_problem_information},
      {properties.will_delay_interval.has_value(), PropertyId::will_delay_interval},
      {properties.request_response_information.has_value(),
       PropertyId::request_response_information},
      {properties.response_information.has_value(), PropertyId::response_information},
      {properties.server_reference.has_value(), PropertyId::server_reference},
      {properties.reason_string.has_value(), PropertyId::reason_string},
      {properties.receive_maximum.has_value(), PropertyId::receive_maximum},
      {properties.topic_alias_maximum.has_value(), PropertyId::topic_alias_maximum},
      {properties.maximum_qos.has_value(), PropertyId::maximum_qos},
      {properties.retain_available.has_value(), PropertyId::retain_available},
      {properties.maximum_packet_size.has_value(), PropertyId::maximum_packet_size},
      {properties.wildcard_subscription_available.has_value(),
       PropertyId::wildcard_subscription_available},
      {properties.subscription_identifier_available.has_value(),
       PropertyId::subscription_identifier_available},
      {properties.shared_subscription_available.has_value(),
       PropertyId::shared_subscription_available},
  };
  for (const auto& [present, id] : unwritable) {
    if (present) {
      throw std::invalid_argument(what + ": a publish step has no key for the " +
                                  std::string{codec::to_string(id)} + " property");
    }
  }
  // A property added to codec::Properties after this list was written.
  codec::Properties rest = properties;
  rest.message_expiry_interval.reset();
  rest.content_type.reset();
  rest.response_topic.reset();
  rest.correlation_data.reset();
  rest.payload_format_indicator.reset();
  rest.user_properties.clear();
  rest.topic_alias.reset();
  if (!rest.empty()) {
    throw std::invalid_argument(what + ": a publish step has no key for one of its properties");
  }
}

class StepWriter {
 public:
  StepWriter(YamlWriter& out, const Scenario& scenario, const Step& step)
      : out_{out}, scenario_{scenario}, step_{step} {}

  void operator()(const ConnectStep& connect) {
    const ConnectStep defaults;
    kind_and_client("connect", connect.client);
    // Each version's own name for the flag, as the loader insists.
    if (connect.clean_start != defaults.clean_start) {
      out_.bool_field(is_v5(connect.client) ? "clean_start" : "clean_session", connect.clean_start);
    }
    if (connect.session_expiry_s) session_expiry_field(*connect.session_expiry_s);
    if (connect.keep_alive_s != defaults.keep_alive_s)
      out_.seconds_field("keep_alive", connect.keep_alive_s);
    if (connect.receive_maximum) out_.number_field("receive_maximum", *connect.receive_maximum);
    if (connect.maximum_packet_size)
      out_.number_field("maximum_packet_size", *connect.maximum_packet_size);
    if (connect.topic_alias_maximum)
      out_.number_field("topic_alias_maximum", *connect.topic_alias_maximum);
    if (connect.request_problem_information)
      out_.bool_field("request_problem_information", *connect.request_problem_information);
    if (connect.will) will(*connect.will);
    if (connect.username) out_.text_field("username", *connect.username);
    if (connect.password) out_.text_field("password", *connect.password);
    if (connect.expect_code != defaults.expect_code)
      out_.number_field("expect_code", connect.expect_code);
    if (connect.expect_session_present)
      out_.bool_field("expect_session_present", *connect.expect_session_present);
  }

  void operator()(const SubscribeStep& subscribe) {
    kind_and_client("subscribe", subscribe.client);
    // One subscription is written in the step itself (filter:, qos:, ...),
    // several as a filters: list; both load the same.
    if (subscribe.subscriptions.size() == 1) {
      subscription(subscribe.subscriptions.front());
    } else {
      out_.key("filters");
      out_.begin_seq();
      for (const codec::Subscription& entry : subscribe.subscriptions) {
        out_.begin_flow_map();
        subscription(entry);
        out_.end_map();
      }
      out_.end_seq();
    }
    if (subscribe.subscription_identifier)
      out_.number_field("subscription_identifier", *subscribe.subscription_identifier);
    user_properties(subscribe.user_properties);
    if (subscribe.expect_codes) {
      out_.key("expect_codes");
      out_.begin_flow_seq();
      for (const std::uint8_t code : *subscribe.expect_codes) out_.number(code);
      out_.end_seq();
    }
  }

  void operator()(const UnsubscribeStep& unsubscribe) {
    kind_and_client("unsubscribe", unsubscribe.client);
    if (unsubscribe.topic_filters.size() == 1) {
      out_.text_field("filter", unsubscribe.topic_filters.front());
    } else {
      out_.key("filters");
      out_.begin_flow_seq();
      for (const std::string& filter : unsubscribe.topic_filters) out_.text(filter, "filters");
      out_.end_seq();
    }
    user_properties(unsubscribe.user_properties);
  }

  void operator()(const PublishStep& publish) {
    const PublishStep defaults;
    kind_and_client("publish", publish.client);
    out_.text_field("topic", publish.topic);
    if (publish.qos != defaults.qos) qos_field("qos", publish.qos);
    if (publish.retain != defaults.retain) out_.bool_field("retain", publish.retain);
    if (publish.payload != defaults.payload) out_.text_field("payload", publish.payload);
    if (publish.count != defaults.count) out_.number_field("count", publish.count);
    if (publish.first_number != defaults.first_number)
      out_.number_field("first", publish.first_number);
    if (publish.interval != defaults.interval) out_.duration_field("interval", publish.interval);

    const codec::Properties& properties = publish.properties;
    check_publish_properties(properties, out_.what("properties"));
    if (properties.message_expiry_interval)
      out_.seconds_field("message_expiry", *properties.message_expiry_interval);
    if (properties.content_type) out_.text_field("content_type", *properties.content_type);
    if (properties.response_topic) out_.text_field("response_topic", *properties.response_topic);
    if (properties.correlation_data) {
      // Text in the language: binary correlation data fails the text check.
      const codec::Bytes& data = *properties.correlation_data;
      out_.text_field("correlation_data", std::string(data.begin(), data.end()));
    }
    if (const auto format = properties.payload_format_indicator) {
      if (*format > 1) throw_unnamed(out_.what("payload format indicator"), *format);
      out_.word_field("payload_format", *format == 0 ? "bytes" : "utf8");
    }
    user_properties(properties.user_properties);
    if (properties.topic_alias) out_.number_field("topic_alias", *properties.topic_alias);
  }

  void operator()(const DisconnectStep& disconnect) {
    kind_and_client("disconnect", disconnect.client);
    if (disconnect.reason_code) out_.number_field("reason", *disconnect.reason_code);
    if (disconnect.session_expiry_s) session_expiry_field(*disconnect.session_expiry_s);
  }

  void operator()(const DropStep& drop) {
    const DropStep defaults;
    kind_and_client("drop", drop.client);
    if (drop.client_notice_delay != defaults.client_notice_delay)
      out_.duration_field("client_notice_delay", drop.client_notice_delay);
    if (drop.broker_notice_delay != defaults.broker_notice_delay)
      out_.duration_field("broker_notice_delay", drop.broker_notice_delay);
  }

  void operator()(const HalfOpenStep& half_open) {
    kind_and_client("half_open", half_open.client);
    if (half_open.noticed_by != HalfOpenStep{}.noticed_by)
      out_.word_field("noticed_by", link_end_word(half_open.noticed_by));
  }

  void operator()(const CrashStep& crash) {
    kind_and_client("crash", crash.client);
    if (crash.broker_notice_delay != CrashStep{}.broker_notice_delay)
      out_.duration_field("broker_notice_delay", crash.broker_notice_delay);
  }

  void operator()(const PartitionStep& partition) {
    out_.key("partition");
    client_set(partition.clients, "partition");
    at();
  }

  void operator()(const HealStep& heal) {
    out_.key("heal");
    if (heal.clients.empty()) {
      out_.word("all");
    } else {
      client_set(heal.clients, "heal");
    }
    at();
  }

  void operator()(const BrokerRestartStep& restart) {
    // The store is always written: a bare `broker_restart:` means the
    // header's store, and naming it keeps the step readable on its own.
    out_.key("broker_restart");
    out_.word(store_word(restart.store));
    at();
    if (restart.down_for != BrokerRestartStep{}.down_for)
      out_.duration_field("down_for", restart.down_for);
  }

  void operator()(const WaitStep& wait) {
    out_.duration_field("wait", wait.duration);
    at();
  }

  void operator()(const ExpectMessagesStep& expect) {
    kind_and_client("expect", expect.client);
    out_.key("messages");
    out_.begin_seq();
    for (const MessageMatch& match : expect.messages) message(match);
    out_.end_seq();
    if (expect.order != ExpectMessagesStep{}.order)
      out_.word_field("order", order_word(expect.order));
    within(expect.within);
  }

  void operator()(const ExpectNoMessagesStep& expect) {
    kind_and_client("expect", expect.client);
    out_.bool_field("no_messages", true);
    within(expect.within);
  }

  void operator()(const ExpectClosedStep& expect) {
    kind_and_client("expect", expect.client);
    out_.key("closed");
    if (!expect.reason_code && !expect.connack_code) {
      out_.boolean(true);
    } else {
      out_.begin_flow_map();
      if (expect.reason_code) out_.number_field("reason", *expect.reason_code);
      if (expect.connack_code) out_.number_field("connack", *expect.connack_code);
      out_.end_map();
    }
    within(expect.within);
  }

  void operator()(const FaultsStep& faults) {
    const FaultsStep defaults;
    out_.duration_field("faults", faults.duration);
    at();
    if (!faults.clients.empty()) {
      out_.key("clients");
      client_set(faults.clients, "clients");
    }
    if (faults.resets_per_hour != defaults.resets_per_hour)
      out_.number_field("resets_per_hour", faults.resets_per_hour);
    if (faults.half_opens_per_hour != defaults.half_opens_per_hour)
      out_.number_field("half_opens_per_hour", faults.half_opens_per_hour);
    if (faults.partitions_per_hour != defaults.partitions_per_hour)
      out_.number_field("partitions_per_hour", faults.partitions_per_hour);
    if (faults.reset_notice_delay_max != defaults.reset_notice_delay_max)
      out_.duration_field("reset_notice_delay_max", faults.reset_notice_delay_max);
    if (faults.partition_duration_min != defaults.partition_duration_min)
      out_.duration_field("partition_min", faults.partition_duration_min);
    if (faults.partition_duration_max != defaults.partition_duration_max)
      out_.duration_field("partition_max", faults.partition_duration_max);
    if (faults.loss_ppm) out_.loss_field("loss", *faults.loss_ppm);
  }

  void operator()(const SendRawStep& raw) {
    kind_and_client("send_raw", raw.client);
    if (raw.new_connection != SendRawStep{}.new_connection)
      out_.bool_field("new_connection", raw.new_connection);
    out_.word_field("bytes", hex_bytes(raw.bytes));
  }

 private:
  // The step's kind key with its client, then its `at:` when it has one.
  void kind_and_client(std::string_view kind, const std::string& client) {
    out_.text_field(kind, client);
    at();
  }

  void at() {
    if (step_.at) out_.duration_field("at", *step_.at - TimePoint::origin());
  }

  // Which flag name the client's protocol calls for. A client the scenario
  // does not declare is written as given; the read-back names it.
  bool is_v5(const std::string& client) const {
    const Client* declared = scenario_.find_client(client);
    const ProtocolVersion protocol = declared ? declared->protocol : scenario_.protocol;
    return protocol == ProtocolVersion::v5_0;
  }

  void qos_field(std::string_view key, codec::QoS qos) {
    out_.number_field(key, static_cast<std::uint64_t>(qos));
  }

  // Session Expiry Interval: `never` for 0xFFFFFFFF, else whole seconds.
  void session_expiry_field(std::uint32_t seconds) {
    if (seconds == session_never_expires) {
      out_.word_field("session_expiry", "never");
    } else {
      out_.seconds_field("session_expiry", seconds);
    }
  }

  void will(const WillMessage& will) {
    const WillMessage defaults;
    out_.key("will");
    out_.begin_map();  // a block: its user properties are free-text keys
    out_.text_field("topic", will.topic);
    if (will.payload != defaults.payload) out_.text_field("payload", will.payload);
    if (will.qos != defaults.qos) qos_field("qos", will.qos);
    if (will.retain != defaults.retain) out_.bool_field("retain", will.retain);
    if (will.delay_s) out_.seconds_field("delay", *will.delay_s);
    if (will.message_expiry_s) out_.seconds_field("message_expiry", *will.message_expiry_s);
    user_properties(will.user_properties);
    out_.end_map();
  }

  void subscription(const codec::Subscription& subscription) {
    const codec::Subscription defaults;
    out_.text_field("filter", subscription.topic_filter);
    if (subscription.max_qos != defaults.max_qos) qos_field("qos", subscription.max_qos);
    if (subscription.no_local != defaults.no_local)
      out_.bool_field("no_local", subscription.no_local);
    if (subscription.retain_as_published != defaults.retain_as_published)
      out_.bool_field("retain_as_published", subscription.retain_as_published);
    if (subscription.retain_handling != defaults.retain_handling)
      out_.number_field("retain_handling", subscription.retain_handling);
  }

  void message(const MessageMatch& match) {
    const MessageMatch defaults;
    out_.begin_flow_map();
    if (match.will_of) {
      // The loader copies the topic and payload from that client's will;
      // the read-back checks that they are this match's.
      out_.text_field("will_of", *match.will_of);
    } else {
      out_.text_field("topic", match.topic);
      if (match.payload) out_.text_field("payload", *match.payload);
    }
    if (match.qos) qos_field("qos", *match.qos);
    if (match.retain) out_.bool_field("retain", *match.retain);
    if (match.dup) out_.bool_field("dup", *match.dup);
    if (match.count != defaults.count) out_.number_field("count", match.count);
    if (match.first_number != defaults.first_number) out_.number_field("first", match.first_number);
    out_.end_map();
  }

  void within(Duration within) {
    if (within != default_expect_within) out_.duration_field("within", within);
  }

  // One client as a name, several as a list (in the set's order).
  void client_set(const std::set<std::string>& clients, std::string_view field) {
    if (clients.size() == 1) {
      out_.text(*clients.begin(), field);
      return;
    }
    out_.begin_flow_seq();
    for (const std::string& client : clients) out_.text(client, field);
    out_.end_seq();
  }

  // In their order; a name may repeat (MQTT allows it, and yaml-cpp, so the
  // loader, keeps a mapping's entries as they are written).
  void user_properties(const std::vector<codec::UserProperty>& properties) {
    if (properties.empty()) return;
    out_.key("user_properties");
    out_.begin_map();
    for (const codec::UserProperty& property : properties) {
      out_.text_key(property.name, "a user property name");
      out_.text(property.value, "user property '" + property.name + "'");
    }
    out_.end_map();
  }

  YamlWriter& out_;
  const Scenario& scenario_;
  const Step& step_;
};

}  // namespace

[[noreturn]] void throw_unnamed(std::string_view what, int value) {
  throw std::invalid_argument(std::string{what} + " " + std::to_string(value) +
                              " has no name in the scenario language");
}

std::string_view store_word(BrokerStore store) {
  switch (store) {
    case BrokerStore::volatile_memory:
      return "volatile";
    case BrokerStore::durable:
      return "durable";
  }
  throw_unnamed("broker store", static_cast<int>(store));
}

void write_step(YamlWriter& out, const Scenario& scenario, const Step& step) {
  out.begin_map();
  std::visit(StepWriter{out, scenario, step}, step.action);
  out.end_map();
}

}  // namespace mqttsim::scenario
