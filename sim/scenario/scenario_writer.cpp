// The header, the broker and the clients, in the loader's key names
// (scenario_loader.cpp, profile_loader.cpp); the steps (step_writer.cpp);
// then the text read back to prove that it says what the model says.

#include "scenario/scenario_writer.hpp"

#include <optional>
#include <stdexcept>

#include "scenario/load_error.hpp"
#include "scenario/scenario_loader.hpp"
#include "scenario/step_writer.hpp"
#include "scenario/yaml_writer.hpp"

namespace mqttsim::scenario {
namespace {

std::string_view protocol_word(ProtocolVersion version) {
  switch (version) {
    case ProtocolVersion::v3_1_1:
      return "3.1.1";
    case ProtocolVersion::v5_0:
      return "5.0";
  }
  throw_unnamed("protocol version", static_cast<int>(version));
}

// The profile's own names for its enums ("?" for a value outside them).
std::string_view profile_word(std::string_view word, std::string_view what, int value) {
  if (word == "?") throw_unnamed(what, value);
  return word;
}

// The keys of `link` that differ from `base`, the link it is applied on.
void write_link(YamlWriter& out, const Link& link, const Link& base) {
  if (link.latency != base.latency) out.duration_field("latency", link.latency);
  if (link.jitter != base.jitter) out.duration_field("jitter", link.jitter);
  if (link.bandwidth_bytes_per_s != base.bandwidth_bytes_per_s)
    out.number_field("bandwidth_bytes_per_s", link.bandwidth_bytes_per_s);
  if (link.loss_ppm != base.loss_ppm) out.loss_field("loss", link.loss_ppm);
  if (link.rto_initial != base.rto_initial) out.duration_field("rto_initial", link.rto_initial);
  if (link.rto_max != base.rto_max) out.duration_field("rto_max", link.rto_max);
  if (link.max_retransmits != base.max_retransmits)
    out.number_field("max_retransmits", link.max_retransmits);
  if (link.segment_bytes_min != base.segment_bytes_min ||
      link.segment_bytes_max != base.segment_bytes_max) {
    out.key("segment_bytes");
    if (link.segment_bytes_min == link.segment_bytes_max) {
      out.number(link.segment_bytes_min);
    } else {
      out.begin_flow_seq();
      out.number(link.segment_bytes_min);
      out.number(link.segment_bytes_max);
      out.end_seq();
    }
  }
}

void write_header(YamlWriter& out, const Scenario& scenario) {
  out.text_field("name", scenario.name);
  if (!scenario.description.empty()) out.text_field("description", scenario.description);
  if (!scenario.spec.empty()) {
    // Always with the version, so a tag stays right if `protocol:` changes.
    out.key("spec");
    out.begin_flow_seq();
    for (const SpecTag& tag : scenario.spec) {
      out.text(tag.id + " (" + std::string{protocol_word(tag.version)} + ")", "spec");
    }
    out.end_seq();
  }
  out.word_field("protocol", protocol_word(scenario.protocol));
  if (scenario.seed) out.number_field("seed", *scenario.seed);
  if (scenario.workload) out.bool_field("workload", true);
  if (scenario.network != Link{}) {
    out.key("network");
    out.begin_map();
    write_link(out, scenario.network, Link{});
    out.end_map();
  }
}

// The options of `profile` that differ from the plain standard, by the
// names read_profile reads, in its order.
void write_profile(YamlWriter& out, const Profile& profile) {
  const Profile spec;
  if (profile.name != spec.name) out.text_field("name", profile.name);
  if (profile.queue_qos0_offline != spec.queue_qos0_offline)
    out.bool_field("queue_qos0_offline", profile.queue_qos0_offline);
  if (profile.max_queued_messages != spec.max_queued_messages)
    out.number_field("max_queued_messages", profile.max_queued_messages);
  if (profile.queue_drop_policy != spec.queue_drop_policy) {
    out.word_field("queue_drop_policy",
                   profile_word(to_string(profile.queue_drop_policy), "queue_drop_policy",
                                static_cast<int>(profile.queue_drop_policy)));
  }
  if (profile.overlapping_subscriptions != spec.overlapping_subscriptions) {
    out.word_field(
        "overlapping_subscriptions",
        profile_word(to_string(profile.overlapping_subscriptions), "overlapping_subscriptions",
                     static_cast<int>(profile.overlapping_subscriptions)));
  }
  if (profile.qos2_forwarding != spec.qos2_forwarding) {
    out.word_field("qos2_forwarding",
                   profile_word(to_string(profile.qos2_forwarding), "qos2_forwarding",
                                static_cast<int>(profile.qos2_forwarding)));
  }
  if (profile.max_inflight != spec.max_inflight)
    out.number_field("max_inflight", profile.max_inflight);
  if (profile.in_session_retry_s != spec.in_session_retry_s)
    out.number_field("in_session_retry_s", profile.in_session_retry_s);
  if (profile.accept_empty_client_id_v311 != spec.accept_empty_client_id_v311)
    out.bool_field("accept_empty_client_id_v311", profile.accept_empty_client_id_v311);
  if (profile.will_on_takeover_v311 != spec.will_on_takeover_v311)
    out.bool_field("will_on_takeover_v311", profile.will_on_takeover_v311);
  if (profile.connect_timeout_s != spec.connect_timeout_s)
    out.number_field("connect_timeout_s", profile.connect_timeout_s);
  if (profile.server_keep_alive_s != spec.server_keep_alive_s)
    out.number_field("server_keep_alive_s", profile.server_keep_alive_s);
  if (profile.max_sessions != spec.max_sessions)
    out.number_field("max_sessions", profile.max_sessions);
  if (profile.max_packet_size != spec.max_packet_size)
    out.number_field("max_packet_size", profile.max_packet_size);
  if (profile.max_session_expiry_s)
    out.number_field("max_session_expiry_s", *profile.max_session_expiry_s);
  if (profile.maximum_qos != spec.maximum_qos) out.number_field("maximum_qos", profile.maximum_qos);
  if (profile.retain_available != spec.retain_available)
    out.bool_field("retain_available", profile.retain_available);
  if (profile.wildcard_subscription_available != spec.wildcard_subscription_available)
    out.bool_field("wildcard_subscription_available", profile.wildcard_subscription_available);
  if (profile.subscription_identifiers_available != spec.subscription_identifiers_available)
    out.bool_field("subscription_identifiers_available",
                   profile.subscription_identifiers_available);
  // The loader refuses `true` (the reference broker has no shared
  // subscriptions); written all the same, the read-back reports it.
  if (profile.shared_subscriptions_available != spec.shared_subscriptions_available)
    out.bool_field("shared_subscriptions_available", profile.shared_subscriptions_available);
  if (profile.topic_alias_maximum != spec.topic_alias_maximum)
    out.number_field("topic_alias_maximum", profile.topic_alias_maximum);
}

// Always written, profile and store: a saved scenario says which broker it
// ran against, and a profile read from a file is written inline so the
// scenario needs no other file.
void write_broker(YamlWriter& out, const Broker& broker) {
  out.key("broker");
  out.begin_map();
  out.key("profile");
  if (broker.profile == Profile{}) {
    out.word("spec");
  } else {
    out.begin_map();
    write_profile(out, broker.profile);
    out.end_map();
  }
  out.word_field("store", store_word(broker.store));
  out.end_map();
}

void write_clients(YamlWriter& out, const Scenario& scenario) {
  out.key("clients");
  out.begin_map();
  for (const Client& client : scenario.clients) {
    out.set_context("");
    out.text_key(client.name, "a client name");
    out.set_context("client '" + client.name + "': ");
    const bool own_link = client.link != scenario.network;
    if (client.client_id == client.name && client.protocol == scenario.protocol &&
        !client.username && !client.password && !own_link) {
      out.null();  // every default
      continue;
    }
    out.begin_map();
    if (client.client_id != client.name) out.text_field("client_id", client.client_id);
    if (client.protocol != scenario.protocol)
      out.word_field("protocol", protocol_word(client.protocol));
    if (client.username) out.text_field("username", *client.username);
    if (client.password) out.text_field("password", *client.password);
    if (own_link) {
      out.key("network");  // applied on top of the scenario's
      out.begin_flow_map();
      write_link(out, client.link, scenario.network);
      out.end_map();
    }
    out.end_map();
  }
  out.end_map();
  out.set_context("");
}

std::string write(const Scenario& scenario) {
  YamlWriter out;
  out.begin_map();
  write_header(out, scenario);
  write_broker(out, scenario.broker);
  write_clients(out, scenario);
  out.key("steps");
  out.begin_seq();
  for (std::size_t i = 0; i < scenario.steps.size(); ++i) {
    const Step& step = scenario.steps[i];
    out.set_context("steps[" + std::to_string(i) + "] (" + std::string{step_kind(step.action)} +
                    "): ");
    write_step(out, scenario, step);
  }
  out.end_seq();
  out.end_map();
  return out.finish();
}

// ------------------------------------------------------------ read-back

Scenario without_locations(Scenario scenario) {
  scenario.file.clear();
  for (Client& client : scenario.clients) client.where = {};
  for (Step& step : scenario.steps) step.where = {};
  return scenario;
}

// The first part of `b` that differs from `a`, named; nothing when equal.
std::optional<std::string> first_difference(const Scenario& a, const Scenario& b) {
  if (a.name != b.name) return "name";
  if (a.description != b.description) return "description";
  if (a.spec != b.spec) return "spec";
  if (a.protocol != b.protocol) return "protocol";
  if (a.seed != b.seed) return "seed";
  if (a.workload != b.workload) return "workload";
  if (a.network != b.network) return "network";
  if (a.broker != b.broker) return "broker";
  if (a.clients.size() != b.clients.size()) return "number of clients";
  for (std::size_t i = 0; i < a.clients.size(); ++i) {
    if (a.clients[i] != b.clients[i]) return "client '" + a.clients[i].name + "'";
  }
  if (a.steps.size() != b.steps.size()) return "number of steps";
  for (std::size_t i = 0; i < a.steps.size(); ++i) {
    if (a.steps[i] != b.steps[i]) {
      return "steps[" + std::to_string(i) + "] (" + std::string{step_kind(a.steps[i].action)} + ")";
    }
  }
  if (!(a == b)) return "header";  // a field added to Scenario but not named above
  return std::nullopt;
}

std::string line_of(const std::string& text, int line) {
  std::size_t begin = 0;
  for (int i = 1; i < line && begin != std::string::npos; ++i) {
    begin = text.find('\n', begin);
    if (begin != std::string::npos) ++begin;
  }
  if (begin == std::string::npos || begin >= text.size()) return {};
  return text.substr(begin, text.find('\n', begin) - begin);
}

// The writer follows the loader key by key, but only the loader knows every
// rule (topics, 5.0-only options, what earlier steps allow, `at:` order);
// reading the text back is what makes "the file says what the model says" a
// guarantee rather than a hope.
void check_reads_back(const Scenario& scenario, const std::string& text) {
  Scenario loaded;
  try {
    loaded = load_scenario_text(text, "<to_yaml>");
  } catch (const LoadError& error) {
    throw std::invalid_argument("the scenario cannot be written as a file the loader accepts: " +
                                std::string{error.what()} + " (in the line '" +
                                line_of(text, error.line()) + "')");
  }
  if (const auto part = first_difference(without_locations(scenario), without_locations(loaded))) {
    throw std::invalid_argument("the scenario cannot be written faithfully: its " + *part +
                                " would load back different");
  }
}

}  // namespace

std::string to_yaml(const Scenario& scenario) {
  // A population's members and their steps are expanded in the model; the
  // writer does not fold them back into one declaration and one step.
  if (!scenario.populations.empty()) {
    throw std::invalid_argument(
        "the scenario cannot be written faithfully: it declares "
        "population '" +
        scenario.populations.front().name + "'");
  }
  std::string text = write(scenario);
  check_reads_back(scenario, text);
  return text;
}

}  // namespace mqttsim::scenario
