// The scenario header (name, spec, protocol, seed, network, broker,
// clients) and the list of steps. The step kinds are in steps.cpp and
// expectations.cpp.

#include "scenario/scenario_loader.hpp"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "scenario/profile_loader.hpp"
#include "scenario/steps.hpp"
#include "scenario/units.hpp"

namespace mqttsim::scenario {
namespace {

// "MQTT-3.1.2-4": MQTT-, two to four dot-separated numbers, -, a number.
bool is_spec_id(std::string_view id) {
  constexpr std::string_view prefix = "MQTT-";
  if (id.substr(0, prefix.size()) != prefix) return false;
  id.remove_prefix(prefix.size());
  const std::size_t dash = id.rfind('-');
  if (dash == std::string_view::npos) return false;
  const auto all_digits = [](std::string_view part) {
    return !part.empty() && part.size() <= 3 &&
           part.find_first_not_of("0123456789") == std::string_view::npos;
  };
  if (!all_digits(id.substr(dash + 1))) return false;
  std::string_view section = id.substr(0, dash);
  int parts = 0;
  while (true) {
    const std::size_t dot = section.find('.');
    if (!all_digits(section.substr(0, dot))) return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    section.remove_prefix(dot + 1);
  }
  return parts >= 2 && parts <= 4;
}

// "MQTT-3.1.2-4" (the scenario's protocol) or "MQTT-3.1.2-4 (5.0)".
SpecTag read_spec_tag(ScenarioReader& in, const YAML::Node& node) {
  std::string text = in.yaml().read_string(node, "a spec id");
  SpecTag tag{in.scenario().protocol, text};
  const std::size_t space = text.find(' ');
  if (space != std::string::npos) {
    const std::string qualifier = text.substr(space + 1);
    if (qualifier == "(3.1.1)") {
      tag.version = ProtocolVersion::v3_1_1;
    } else if (qualifier == "(5.0)") {
      tag.version = ProtocolVersion::v5_0;
    } else {
      in.fail(node,
              "spec id '" + text + "': the version goes in parentheses, '(3.1.1)' or '(5.0)'");
    }
    tag.id = text.substr(0, space);
  }
  if (!is_spec_id(tag.id)) {
    in.fail(node, "'" + tag.id +
                      "' is not a normative id; write it as in the standard, e.g. "
                      "MQTT-3.1.2-4, optionally followed by (3.1.1) or (5.0)");
  }
  return tag;
}

// The keys of a `network:` block, applied on top of `link`.
Link read_link(ScenarioReader& in, const YAML::Node& node, Link link) {
  const YamlReader& yaml = in.yaml();
  yaml.check_keys(node,
                  {"latency", "jitter", "bandwidth_bytes_per_s", "loss", "rto_initial", "rto_max",
                   "max_retransmits", "segment_bytes"},
                  "a network block");
  if (node["latency"]) link.latency = in.read_duration(node["latency"], "latency");
  if (node["jitter"]) link.jitter = in.read_duration(node["jitter"], "jitter");
  if (node["bandwidth_bytes_per_s"]) {
    link.bandwidth_bytes_per_s = yaml.read_unsigned(node["bandwidth_bytes_per_s"],
                                                    "bandwidth_bytes_per_s", 1'000'000'000'000);
  }
  if (node["loss"]) link.loss_ppm = in.read_loss_ppm(node["loss"], "loss");
  if (node["rto_initial"]) link.rto_initial = in.read_duration(node["rto_initial"], "rto_initial");
  if (node["rto_max"]) link.rto_max = in.read_duration(node["rto_max"], "rto_max");
  if (node["max_retransmits"]) {
    link.max_retransmits = static_cast<std::uint32_t>(
        yaml.read_unsigned(node["max_retransmits"], "max_retransmits", link_max_retransmits_limit));
  }
  if (const YAML::Node segment = node["segment_bytes"]) {
    // 1460, or [min, max] for segment sizes drawn from a range.
    const auto size = [&](const YAML::Node& value) {
      const auto bytes = static_cast<std::uint32_t>(
          yaml.read_unsigned(value, "segment_bytes", link_segment_bytes_limit));
      if (bytes == 0) in.fail(value, "a segment holds at least 1 byte");
      return bytes;
    };
    if (segment.IsSequence()) {
      if (segment.size() != 2) in.fail(segment, "segment_bytes is one size or [min, max]");
      link.segment_bytes_min = size(segment[0]);
      link.segment_bytes_max = size(segment[1]);
      if (link.segment_bytes_min > link.segment_bytes_max) {
        in.fail(segment, "segment_bytes [min, max] has min above max");
      }
    } else {
      link.segment_bytes_min = link.segment_bytes_max = size(segment);
    }
  }
  if (link.latency > link_latency_limit) in.fail(node["latency"], "latency is at most 1h");
  if (link.jitter > link_latency_limit) in.fail(node["jitter"], "jitter is at most 1h");
  if (link.rto_initial == Duration::zero())
    in.fail(node["rto_initial"], "rto_initial must be longer than 0s");
  if (link.rto_max < link.rto_initial) {
    in.fail(node["rto_max"] ? node["rto_max"] : node["rto_initial"],
            "rto_max (" + to_string(link.rto_max) + ") is shorter than rto_initial (" +
                to_string(link.rto_initial) + ")");
  }
  return link;
}

Broker read_broker(ScenarioReader& in, const YAML::Node& node) {
  const YamlReader& yaml = in.yaml();
  yaml.check_keys(node, {"profile", "store"}, "the broker block");
  Broker broker;
  if (const YAML::Node store = node["store"]) {
    broker.store = yaml.read_choice(store, "store", {"volatile", "durable"}) == 0
                       ? BrokerStore::volatile_memory
                       : BrokerStore::durable;
  }
  const YAML::Node profile = node["profile"];
  if (!profile) return broker;
  if (profile.IsMap()) {
    broker.profile = read_profile(profile, yaml);
    return broker;
  }
  const std::string name = yaml.read_string(profile, "profile");
  if (name == "spec") return broker;
  // A profile file, relative to the scenario's folder.
  const std::filesystem::path path = std::filesystem::path{yaml.file()}.parent_path() / name;
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    in.fail(profile,
            "no profile file '" + path.string() +
                "' (give 'spec', a file relative to this scenario, or the options inline)");
  }
  broker.profile = load_profile(path.string());
  return broker;
}

// A population's members: `client` (the declaration's options) once per
// member, named NAME[i], with "{i}" in the client id and credentials
// replaced by i.
void add_population(ScenarioReader& in, const YAML::Node& options, const Client& client) {
  Scenario& scenario = in.scenario();
  const YAML::Node count = options["count"];
  const std::uint64_t room = clients_max - std::min(clients_max, scenario.clients.size());
  if (room == 0) in.fail(count, "at most " + std::to_string(clients_max) + " clients in all");
  const auto members = static_cast<std::uint32_t>(in.yaml().read_unsigned(count, "count", room));
  if (members == 0) in.fail(count, "a population needs a count of at least 1");
  if (!options["client_id"]) {
    // The default: NAME-{i}.
  } else if (client.client_id.find("{i}") == std::string::npos) {
    in.fail(options["client_id"],
            "the client_id of a population needs {i} (the member's number): with one id for "
            "all, each member would take the others' session over");
  }
  const std::string pattern = options["client_id"] ? client.client_id : client.name + "-{i}";
  scenario.populations.push_back(
      {.name = client.name, .count = members, .client_id = pattern, .where = client.where});
  for (std::uint32_t i = 0; i < members; ++i) {
    Client member = client;
    member.name = member_name(client.name, i);
    member.client_id = expand_member(pattern, i);
    if (member.username) member.username = expand_member(*member.username, i);
    if (member.password) member.password = expand_member(*member.password, i);
    scenario.clients.push_back(std::move(member));
  }
}

void read_clients(ScenarioReader& in, const YAML::Node& node) {
  const YamlReader& yaml = in.yaml();
  yaml.expect_map(node, "clients");
  if (node.size() == 0) in.fail(node, "clients needs at least one client");
  if (node.size() > clients_max)
    in.fail(node, "at most " + std::to_string(clients_max) + " clients");
  Scenario& scenario = in.scenario();
  for (const auto& entry : node) {
    Client client;
    client.name = yaml.read_string(entry.first, "a client name");
    if (client.name.empty() || client.name.find_first_not_of(
                                   "abcdefghijklmnopqrstuvwxyz"
                                   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != std::string::npos) {
      in.fail(entry.first,
              "client name '" + client.name + "' may use letters, digits, '_' and '-' only");
    }
    if (scenario.find_client(client.name) || in.read_members(entry.first))
      in.fail(entry.first, "client '" + client.name + "' is declared twice");
    if (client.name == "all") in.fail(entry.first, "'all' is reserved (heal: all)");
    const YAML::Mark mark = entry.first.Mark();
    client.where = {mark.line + 1, mark.column + 1};
    client.client_id = client.name;
    client.protocol = scenario.protocol;
    client.link = scenario.network;
    const YAML::Node options = entry.second;
    if (!options.IsNull()) {
      yaml.check_keys(options,
                      {"count", "client_id", "protocol", "username", "password", "network"},
                      "client '" + client.name + "'");
      if (options["client_id"])
        client.client_id = yaml.read_string(options["client_id"], "client_id");
      if (options["protocol"]) client.protocol = in.read_protocol(options["protocol"]);
      if (options["username"]) client.username = yaml.read_string(options["username"], "username");
      if (options["password"]) client.password = yaml.read_string(options["password"], "password");
      if (options["network"]) client.link = read_link(in, options["network"], client.link);
      if (options["count"]) {
        add_population(in, options, client);
        continue;
      }
    }
    if (scenario.clients.size() >= clients_max)
      in.fail(entry.first, "at most " + std::to_string(clients_max) + " clients in all");
    scenario.clients.push_back(std::move(client));
  }
}

// The earliest a step's successor can start, relative to the step's start:
// what the step takes at the least.
Duration minimum_length(const StepAction& action) {
  if (const auto* wait = std::get_if<WaitStep>(&action)) return wait->duration;
  if (const auto* none = std::get_if<ExpectNoMessagesStep>(&action)) return none->within;
  return Duration::zero();
}

std::optional<Duration> burst_length(const StepAction& action) {
  const auto* publish = std::get_if<PublishStep>(&action);
  if (!publish || publish->interval == Duration::zero()) return Duration::zero();
  const std::int64_t gaps = publish->count - 1;
  if (gaps > duration_limit.count_us() / publish->interval.count_us()) return std::nullopt;
  return publish->interval * gaps;
}

void read_header_and_steps(ScenarioReader& in, const YAML::Node& root) {
  const YamlReader& yaml = in.yaml();
  Scenario& scenario = in.scenario();
  if (!root.IsMap())
    in.fail(root, "a scenario is a mapping with name:, protocol:, clients: and steps:");
  yaml.check_keys(root,
                  {"name", "description", "spec", "protocol", "seed", "workload", "network",
                   "broker", "clients", "steps"},
                  "the scenario");
  for (const char* key : {"name", "protocol", "clients", "steps"}) {
    if (!root[key]) in.fail(root, std::string{"a scenario needs "} + key + ":");
  }
  scenario.name = yaml.read_string(root["name"], "name");
  if (scenario.name.empty()) in.fail(root["name"], "name must not be empty");
  if (root["description"])
    scenario.description = yaml.read_string(root["description"], "description");
  scenario.protocol = in.read_protocol(root["protocol"]);
  if (const YAML::Node spec = root["spec"]) {
    if (!spec.IsSequence())
      in.fail(spec, "spec must be a list of normative ids, e.g. [MQTT-3.1.2-4]");
    for (const auto& id : spec) scenario.spec.push_back(read_spec_tag(in, id));
  }
  if (root["seed"]) scenario.seed = yaml.read_unsigned(root["seed"], "seed", UINT64_MAX);
  if (root["workload"]) scenario.workload = yaml.read_bool(root["workload"], "workload");
  if (root["network"]) scenario.network = read_link(in, root["network"], Link{});
  if (root["broker"]) scenario.broker = read_broker(in, root["broker"]);
  read_clients(in, root["clients"]);
  in.index_clients();
  read_steps(in, root["steps"]);
}

// yaml-cpp parses nested collections recursively; bound the input first so
// a hostile file cannot exhaust the stack. Brackets are counted wherever
// they appear (even in strings), which over-estimates: harmless at this bound.
void check_bounds(const YamlReader& yaml, const std::string& text) {
  if (text.size() > scenario_text_bytes_max) {
    throw LoadError(yaml.file(), 1, 1,
                    "the file is larger than " + std::to_string(scenario_text_bytes_max) +
                        " bytes; split the scenario");
  }
  std::size_t depth = 0;
  int line = 1;
  int column = 1;
  for (const char c : text) {
    if (c == '[' || c == '{') {
      if (++depth > scenario_nesting_max) {
        throw LoadError(yaml.file(), line, column,
                        "brackets nested deeper than " + std::to_string(scenario_nesting_max) +
                            " levels; a scenario never needs that");
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
    if (c == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
}

}  // namespace

namespace {

// The first string in `node` (recursively) that holds "{i}", if one does.
std::optional<YAML::Node> member_number_in(const YAML::Node& node) {
  if (node.IsScalar()) {
    if (node.Scalar().find("{i}") != std::string::npos) return node;
    return std::nullopt;
  }
  for (const auto& item : node) {
    if (node.IsMap()) {
      if (auto found = member_number_in(item.second)) return found;
    } else if (auto found = member_number_in(item)) {
      return found;
    }
  }
  return std::nullopt;
}

// Whether a step of this kind may run in the background (`spread:`): an
// action, not an expectation nor a step on the whole world.
bool spreadable(const StepAction& action) {
  return std::holds_alternative<ConnectStep>(action) ||
         std::holds_alternative<SubscribeStep>(action) ||
         std::holds_alternative<UnsubscribeStep>(action) ||
         std::holds_alternative<PublishStep>(action) ||
         std::holds_alternative<DisconnectStep>(action) ||
         std::holds_alternative<DropStep>(action) || std::holds_alternative<HalfOpenStep>(action) ||
         std::holds_alternative<CrashStep>(action);
}

// What a spread step would expect of an answer it does not wait for.
std::optional<std::string> awaited_answer(const StepAction& action) {
  if (const auto* connect = std::get_if<ConnectStep>(&action)) {
    if (connect->expect_code != 0 || connect->expect_session_present) return "an expected CONNACK";
  }
  if (const auto* subscribe = std::get_if<SubscribeStep>(&action)) {
    if (subscribe->expect_codes) return "expected SUBACK codes";
  }
  if (const auto* publish = std::get_if<PublishStep>(&action)) {
    // Its whole burst is handed over at once: nothing paces it.
    if (publish->count > 1 && publish->interval > Duration::zero()) return "an interval";
  }
  return std::nullopt;
}

const StepKind& step_kind_of(ScenarioReader& in, const YAML::Node& node) {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> all;
    for (const StepKind& kind : step_kinds()) all.push_back(kind.name);
    return all;
  }();
  in.yaml().expect_map(node, "a step");
  if (node.size() == 0)
    in.fail(node, "an empty step; give it a kind (connect: CLIENT, wait: 1s, ...)");
  const StepKind* kind = nullptr;
  for (const auto& entry : node) {
    if (!entry.first.IsScalar()) in.fail(entry.first, "a step's keys are plain words");
    for (const StepKind& candidate : step_kinds()) {
      if (entry.first.Scalar() != candidate.name) continue;
      if (kind) {
        in.fail(entry.first, "one step does one thing: it has both '" + std::string{kind->name} +
                                 "' and '" + std::string{candidate.name} + "' (make two steps)");
      }
      kind = &candidate;
    }
  }
  if (!kind) {
    const YAML::Node first = node.begin()->first;
    const std::string_view closest = YamlReader::closest_match(first.Scalar(), names);
    std::string message =
        "a step needs a kind: one of connect, subscribe, unsubscribe, publish, "
        "disconnect, drop, half_open, crash, partition, heal, broker_restart, "
        "wait, expect, faults";
    if (!closest.empty())
      message = "unknown step kind '" + first.Scalar() + "' (did you mean '" +
                std::string{closest} + "'?)";
    in.fail(first, message);
  }
  return *kind;
}

// Reads one step (for one member, when `member` is set) and appends it;
// `earliest` is when the steps so far end at the earliest.
void read_step(ScenarioReader& in, const YAML::Node& node, const StepKind& kind, bool first_member,
               std::optional<Duration> spread, TimePoint& earliest) {
  Step step;
  step.action = kind.read(in, node);
  const YAML::Mark mark = node.Mark();
  step.where = {mark.line + 1, mark.column + 1};
  step.spread = spread;
  if (const YAML::Node at = node["at"]; at && first_member) {
    const TimePoint time = TimePoint::origin() + in.read_duration(at, "at");
    if (time < earliest) {
      in.fail(at, "at: " + to_string(time - TimePoint::origin()) +
                      " goes back in time: the steps before it end at " +
                      to_string(earliest - TimePoint::origin()) + " at the earliest");
    }
    step.at = time;
    earliest = time;
  }
  const std::optional<Duration> burst = burst_length(step.action);
  const Duration length =
      spread ? Duration::zero() : minimum_length(step.action) + burst.value_or(Duration::zero());
  if (!burst || length > duration_limit - (earliest - TimePoint::origin())) {
    in.fail(node, "the scenario would run longer than 4294967295s of virtual time");
  }
  earliest += length;
  if (in.scenario().steps.size() >= steps_max) {
    in.fail(node, "the scenario expands to more than " + std::to_string(steps_max) +
                      " steps (a step on a population is one per member)");
  }
  in.scenario().steps.push_back(std::move(step));
}

}  // namespace

void read_steps(ScenarioReader& in, const YAML::Node& steps) {
  if (!steps.IsSequence() || steps.size() == 0) {
    in.fail(steps, "steps must be a list with at least one step (- connect: CLIENT, ...)");
  }
  TimePoint earliest = TimePoint::origin();
  for (YAML::Node node : steps) {
    const StepKind& kind = step_kind_of(in, node);
    // A step on a population runs once per member; `spread` and `for_each`
    // are read here, and taken out so the kind's reader sees its own keys.
    std::optional<Duration> spread;
    YAML::Node spread_node = node["spread"];
    if (spread_node) {
      spread = in.read_duration(spread_node, "spread");
      if (*spread <= Duration::zero()) in.fail(spread_node, "spread must be longer than 0s");
    }
    std::optional<ScenarioReader::Members> for_each;
    const YAML::Node for_each_node = node["for_each"];
    if (for_each_node) {
      for_each = in.read_members(for_each_node);
      if (!for_each) {
        in.fail(for_each_node, "for_each names a population (or a slice, NAME[a..b]), not '" +
                                   in.yaml().read_string(for_each_node, "for_each") + "'");
      }
    }
    // Steps on one client may address a population; partition and heal
    // read a population's name as the list of its members.
    static const std::set<std::string_view> one_client = {
        "connect", "subscribe", "unsubscribe", "publish", "disconnect",
        "drop",    "half_open", "crash",       "expect",  "send_raw"};
    const YAML::Node actor = node[std::string{kind.name}];
    const auto addressed = one_client.contains(kind.name) ? in.read_members(actor) : std::nullopt;
    if (addressed && for_each) {
      in.fail(for_each_node, "the step already addresses population '" +
                                 addressed->population->name +
                                 "'; for_each is for a step of another client");
    }
    const auto members = addressed ? addressed : for_each;
    if (!members) {
      if (spread) {
        in.fail(spread_node,
                "spread runs the members of a population step at random moments; this step "
                "addresses no population (address one, or use for_each:)");
      }
      if (const auto marker = member_number_in(node)) {
        in.fail(*marker,
                "{i} stands for the number of a population's member, and this step addresses "
                "no population (address one, or use for_each:)");
      }
      read_step(in, node, kind, true, std::nullopt, earliest);
      continue;
    }
    if (spread_node) node.remove("spread");
    if (for_each_node) node.remove("for_each");
    const std::string addressed_name = addressed ? actor.Scalar() : std::string{};
    for (std::uint32_t i = members->first; i <= members->last; ++i) {
      in.set_member(i, addressed_name);
      try {
        read_step(in, node, kind, i == members->first, spread, earliest);
      } catch (const LoadError& error) {
        in.set_member(std::nullopt);
        throw LoadError(
            error.file(), error.line(), error.column(),
            "for member " + member_name(members->population->name, i) + ": " + error.message());
      }
      in.set_member(std::nullopt);
      const StepAction& action = in.scenario().steps.back().action;
      if (spread && !spreadable(action)) {
        in.fail(spread_node,
                "spread is for actions (connect, subscribe, unsubscribe, publish, "
                "disconnect, drop, half_open, crash); a " +
                    std::string{step_kind(action)} + " step waits where it is");
      }
      if (const auto answer = spread ? awaited_answer(action) : std::nullopt) {
        in.fail(spread_node,
                "a spread step runs in the background and waits for nothing, so it cannot "
                "have " +
                    *answer + "; drop spread, or that option");
      }
    }
  }
}

Scenario load_scenario_text(const std::string& text, const std::string& name_for_errors) {
  const YamlReader yaml{name_for_errors};
  check_bounds(yaml, text);
  const YAML::Node root = yaml.load_text(text);
  Scenario scenario;
  scenario.file = name_for_errors;
  ScenarioReader in{yaml, scenario};
  read_header_and_steps(in, root);
  return scenario;
}

Scenario load_scenario_file(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in) throw LoadError(path, 0, 0, "cannot open the file (does it exist, is it readable?)");
  std::ostringstream text;
  text << in.rdbuf();
  return load_scenario_text(text.str(), path);
}

}  // namespace mqttsim::scenario
