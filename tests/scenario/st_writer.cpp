// The scenario writer: what to_yaml writes loads back as the model it was
// given (but for `file` and the `where` locations), and a model the language
// cannot express is refused rather than written as something else.

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <stdexcept>

#include "scenario/profile_loader.hpp"
#include "scenario/scenario_loader.hpp"
#include "scenario/scenario_writer.hpp"
#include "scenario/units.hpp"
#include "scenario/yaml_writer.hpp"

using namespace mqttsim;
using namespace mqttsim::scenario;
using codec::QoS;

namespace {

// ------------------------------------------------------------ comparing

// The model without what a file cannot carry over: where it was read from.
Scenario without_locations(Scenario s) {
  s.file.clear();
  for (Client& client : s.clients) client.where = {};
  for (Step& step : s.steps) step.where = {};
  return s;
}

// Part by part, so a failure says which part of which scenario differs.
void check_same(const Scenario& expected_in, const Scenario& actual_in, const std::string& label) {
  const Scenario expected = without_locations(expected_in);
  const Scenario actual = without_locations(actual_in);
  BOOST_TEST_CONTEXT(label) {
    BOOST_TEST(actual.name == expected.name);
    BOOST_TEST(actual.description == expected.description);
    BOOST_CHECK_MESSAGE(actual.spec == expected.spec, "spec differs");
    BOOST_CHECK_MESSAGE(actual.protocol == expected.protocol, "protocol differs");
    BOOST_CHECK_MESSAGE(actual.seed == expected.seed, "seed differs");
    BOOST_CHECK_MESSAGE(actual.network == expected.network, "network differs");
    BOOST_CHECK_MESSAGE(actual.broker.profile == expected.broker.profile, "profile differs");
    BOOST_CHECK_MESSAGE(actual.broker.store == expected.broker.store, "store differs");
    BOOST_REQUIRE_EQUAL(actual.clients.size(), expected.clients.size());
    for (std::size_t i = 0; i < expected.clients.size(); ++i) {
      BOOST_CHECK_MESSAGE(actual.clients[i] == expected.clients[i],
                          "client " << i << " ('" << expected.clients[i].name << "') differs");
    }
    BOOST_REQUIRE_EQUAL(actual.steps.size(), expected.steps.size());
    for (std::size_t i = 0; i < expected.steps.size(); ++i) {
      BOOST_CHECK_MESSAGE(
          actual.steps[i] == expected.steps[i],
          "step " << i << " (" << step_kind(expected.steps[i].action) << ") differs");
    }
  }
}

// Writes `s`, loads the text, compares; the text for further checks. A
// refusal or a load error is a failure of this check only, so a loop over
// many scenarios reports every one that fails.
std::string check_roundtrip(const Scenario& s, const std::string& label) {
  std::string text;
  try {
    text = to_yaml(s);
    const Scenario back = load_scenario_text(text, label);
    check_same(s, back, label);
    // Writing what was read gives the same text: nothing drifts when a saved
    // scenario is loaded and saved again.
    BOOST_TEST(to_yaml(back) == text);
  } catch (const std::exception& error) {
    BOOST_ERROR(label << ": " << error.what() << "\nwritten:\n" << text);
  }
  return text;
}

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// to_yaml's complaint, or "(written)" when it wrote the scenario.
std::string refusal(const Scenario& s) {
  try {
    to_yaml(s);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "(written)";
}

void check_refused(const Scenario& s, std::string_view because) {
  const std::string why = refusal(s);
  BOOST_CHECK_MESSAGE(contains(why, because),
                      "expected a refusal mentioning '" << because << "', got: " << why);
}

// ------------------------------------------------------------ building

Client client(std::string name, ProtocolVersion protocol, const Link& link) {
  Client c;
  c.client_id = name;
  c.name = std::move(name);
  c.protocol = protocol;
  c.link = link;
  return c;
}

Scenario new_scenario(ProtocolVersion protocol, std::initializer_list<const char*> clients) {
  Scenario s;
  s.name = "hand-made";
  s.protocol = protocol;
  for (const char* name : clients) s.clients.push_back(client(name, protocol, s.network));
  return s;
}

void add(Scenario& s, StepAction action, std::optional<TimePoint> at = std::nullopt) {
  s.steps.push_back(Step{at, std::move(action), {}});
}

ConnectStep connect(std::string client) {
  ConnectStep step;
  step.client = std::move(client);
  return step;
}

PublishStep publish(std::string client, std::string topic, std::string payload) {
  PublishStep step;
  step.client = std::move(client);
  step.topic = std::move(topic);
  step.payload = std::move(payload);
  return step;
}

TimePoint at_s(std::int64_t seconds) { return TimePoint::origin() + Duration::from_s(seconds); }

// A profile with every option moved off the plain standard (but shared
// subscriptions, which the loader refuses).
Profile every_option_profile() {
  Profile p;
  p.name = "every option";
  p.queue_qos0_offline = true;
  p.max_queued_messages = 1000;
  p.queue_drop_policy = QueueDropPolicy::drop_oldest;
  p.overlapping_subscriptions = OverlapDelivery::copy_per_subscription;
  p.qos2_forwarding = Qos2Forwarding::on_pubrel;
  p.max_inflight = 20;
  p.in_session_retry_s = 7;
  p.accept_empty_client_id_v311 = false;
  p.will_on_takeover_v311 = false;
  p.connect_timeout_s = 0;
  p.server_keep_alive_s = 30;
  p.max_sessions = 100;
  p.max_packet_size = 4096;
  p.max_session_expiry_s = 0;
  p.maximum_qos = 1;
  p.retain_available = false;
  p.wildcard_subscription_available = false;
  p.subscription_identifiers_available = false;
  p.topic_alias_maximum = 0;
  return p;
}

// Every header field and every step kind with every option.
Scenario everything() {
  Scenario s = new_scenario(ProtocolVersion::v5_0, {});
  s.name = "every field: written and read back";
  s.description = "all of it\n  including this second line";
  s.spec = {{ProtocolVersion::v5_0, "MQTT-3.1.2-4"}, {ProtocolVersion::v3_1_1, "MQTT-3.1.2-5"}};
  s.seed = UINT64_MAX;
  s.workload = true;
  s.network.latency = Duration::from_ms(1'500);
  s.network.jitter = Duration::from_us(250);
  s.network.bandwidth_bytes_per_s = 125'000;
  s.network.loss_ppm = 2'500;
  s.network.rto_initial = Duration::from_ms(250);
  s.network.rto_max = Duration::from_s(3);
  s.network.max_retransmits = 5;
  s.network.segment_bytes_min = 16;
  s.network.segment_bytes_max = 512;
  s.broker.profile = every_option_profile();
  s.broker.store = BrokerStore::durable;

  Client sub = client("sub", ProtocolVersion::v5_0, s.network);
  sub.client_id = "sub-1";
  sub.username = "alice";
  sub.password = "";
  sub.link.latency = Duration::from_ms(100);  // its own link, on top of the network
  sub.link.segment_bytes_min = sub.link.segment_bytes_max = 1'000;
  s.clients.push_back(sub);
  s.clients.push_back(client("old", ProtocolVersion::v3_1_1, s.network));
  s.clients.push_back(client("pub", ProtocolVersion::v5_0, s.network));
  Client dev = client("dev", ProtocolVersion::v5_0, s.network);
  dev.client_id = "";  // the broker assigns one
  s.clients.push_back(dev);
  s.clients.push_back(client("intruder", ProtocolVersion::v3_1_1, s.network));

  ConnectStep c0 = connect("sub");
  c0.clean_start = false;
  c0.session_expiry_s = session_never_expires;
  c0.keep_alive_s = 120;
  c0.receive_maximum = 10;
  c0.maximum_packet_size = 2'048;
  c0.topic_alias_maximum = 4;
  c0.request_problem_information = false;
  WillMessage will;
  will.topic = "status/sub";
  will.payload = "gone";
  will.qos = QoS::exactly_once;
  will.retain = true;
  will.delay_s = 5;
  will.message_expiry_s = 90;
  will.user_properties = {{"why", "lost"}, {"why", "again"}};  // MQTT lets a name repeat
  c0.will = will;
  c0.username = "bob";
  c0.password = "pw";
  c0.expect_session_present = false;
  add(s, c0);

  ConnectStep c1 = connect("old");
  c1.clean_start = false;
  c1.keep_alive_s = 0;
  c1.will = WillMessage{"status/old", "", QoS::at_least_once, false, {}, {}, {}};
  c1.expect_session_present = true;
  add(s, c1);
  add(s, connect("pub"));
  ConnectStep c3 = connect("dev");
  c3.session_expiry_s = 3'600;
  add(s, c3, at_s(1));
  ConnectStep refused = connect("intruder");
  refused.expect_code = 5;  // not authorized
  add(s, refused);

  SubscribeStep several;
  several.client = "sub";
  several.subscriptions = {{"a/#", QoS::exactly_once, true, true, 2},
                           {"b/+", QoS::at_most_once, false, false, 1},
                           {"$share/g/c", QoS::at_least_once, false, false, 0}};
  several.subscription_identifier = 268'435'455;
  several.user_properties = {{"x", "y"}, {"a", "b"}};
  several.expect_codes = std::vector<std::uint8_t>{2, 0, 0x9E};
  add(s, several);
  SubscribeStep one;
  one.client = "old";
  one.subscriptions = {{"a/b", QoS::at_least_once}};
  one.expect_codes = std::vector<std::uint8_t>{0x80};
  add(s, one);
  SubscribeStep plain;
  plain.client = "pub";
  plain.subscriptions = {{"c", QoS::at_most_once, false, true, 0}};
  add(s, plain);

  add(s, UnsubscribeStep{"sub", {"b/+", "$share/g/c"}, {{"u", "v"}}});
  add(s, UnsubscribeStep{"old", {"a/b"}, {}});

  PublishStep burst = publish("pub", "a/b", "m{n}");
  burst.qos = QoS::at_least_once;
  burst.retain = true;
  burst.count = 3;
  burst.first_number = 10;
  burst.interval = Duration::from_ms(10);
  burst.properties.message_expiry_interval = 3'600;
  burst.properties.content_type = "text/plain";
  burst.properties.response_topic = "reply/pub";
  burst.properties.correlation_data = codec::Bytes{'a', 'b', 'c'};
  burst.properties.payload_format_indicator = 1;
  burst.properties.user_properties = {{"p", "q"}};
  burst.properties.topic_alias = 3;
  add(s, burst, at_s(2));
  PublishStep bytes = publish("pub", "a/c", "");
  bytes.qos = QoS::exactly_once;
  bytes.properties.payload_format_indicator = 0;
  bytes.properties.message_expiry_interval = 0;
  add(s, bytes);
  add(s, publish("old", "old/t", "3.1.1 payload"));

  add(s, DisconnectStep{"dev", 0x04, 60});
  add(s, DisconnectStep{"dev", std::nullopt, std::nullopt});
  add(s, DisconnectStep{"sub", 0x00, session_never_expires});
  add(s, DropStep{"pub", Duration::from_ms(1), Duration::from_s(2)});
  add(s, DropStep{"pub", Duration::zero(), Duration::zero()});
  add(s, HalfOpenStep{"old", LinkEnd::broker});
  add(s, HalfOpenStep{"old", LinkEnd::client});
  add(s, CrashStep{"old", Duration::from_s(3)});
  add(s, CrashStep{"old", Duration::zero()});
  add(s, PartitionStep{{"sub", "pub"}});
  add(s, PartitionStep{{"dev"}});
  add(s, HealStep{});
  add(s, HealStep{{"sub"}});
  add(s, HealStep{{"pub", "dev"}});
  add(s, BrokerRestartStep{BrokerStore::durable, Duration::from_s(2)});
  add(s, BrokerRestartStep{BrokerStore::volatile_memory, Duration::zero()});
  add(s, WaitStep{Duration::from_us(250)});
  add(s, WaitStep{Duration::zero()});
  add(s,
      FaultsStep{Duration::from_s(600),
                 {"sub"},
                 6,
                 2,
                 3,
                 Duration::from_ms(50),
                 Duration::from_s(2),
                 Duration::from_s(4),
                 10'000},
      at_s(3'600));
  add(s, FaultsStep{Duration::from_s(1),
                    {},
                    0,
                    0,
                    0,
                    Duration::from_ms(100),
                    Duration::from_s(1),
                    Duration::from_s(10),
                    0});
  add(s, FaultsStep{Duration::from_ms(1),
                    {"old", "dev"},
                    1,
                    0,
                    0,
                    Duration::from_ms(100),
                    Duration::from_s(1),
                    Duration::from_s(10),
                    std::nullopt});

  ExpectMessagesStep messages;
  messages.client = "sub";
  messages.messages = {
      {"t/1", "x{n}", QoS::at_least_once, false, true, 4, 0, {}},
      {"t/2", {}, {}, {}, {}, 1, 1, {}},
      {"status/sub", "gone", QoS::at_most_once, true, {}, 1, 1, "sub"},  // sub's will
      {"status/old", "", {}, {}, false, 1, 1, "old"},
  };
  messages.order = MessageOrder::unordered;
  messages.within = Duration::from_s(60);
  add(s, messages);
  ExpectMessagesStep in_order;
  in_order.client = "old";
  in_order.messages = {{"t/3", "", QoS::at_most_once, {}, {}, 2, 4'294'967'294U, {}}};
  in_order.order = MessageOrder::in_order;
  add(s, in_order);
  add(s,
      ExpectMessagesStep{
          "pub", {{"t/4", {}, {}, {}, {}, 1, 1, {}}}, MessageOrder::exact, default_expect_within});
  add(s, ExpectNoMessagesStep{"old", Duration::from_s(2)});
  add(s, ExpectNoMessagesStep{"old", default_expect_within});
  add(s, ExpectClosedStep{"sub", 0x8E, default_expect_within, std::nullopt});
  add(s, ExpectClosedStep{"old", std::nullopt, Duration::from_s(90), std::nullopt});

  add(s, SendRawStep{"pub", {0x30, 0x0a, 0x00, 0x03, 0x61, 0x2f, 0x23}, false});
  add(s, SendRawStep{"intruder", {0x10, 0x00, 0xff}, true});
  add(s, SendRawStep{"intruder", {0xc0}, false});
  add(s, ExpectClosedStep{"intruder", std::nullopt, Duration::from_ms(1'500), 0x01});
  return s;
}

// Text YAML would misread unless written with care.
const std::vector<std::string>& awkward_texts() {
  static const std::vector<std::string> texts = {"on",
                                                 "off",
                                                 "yes",
                                                 "no",
                                                 "true",
                                                 "False",
                                                 "123",
                                                 "-1",
                                                 "0x10",
                                                 "1e3",
                                                 ".inf",
                                                 "",
                                                 " ",
                                                 " x ",
                                                 "  leading",
                                                 "trailing  ",
                                                 "a: b",
                                                 "a:",
                                                 "x:y",
                                                 "#1",
                                                 "a #b",
                                                 "m{n}",
                                                 "{n}",
                                                 "[a]",
                                                 "{a: b}",
                                                 "- x",
                                                 "-",
                                                 "? x",
                                                 ": x",
                                                 "&anchor",
                                                 "*alias",
                                                 "!tag",
                                                 "%directive",
                                                 "@x",
                                                 "`x",
                                                 "|x",
                                                 ">x",
                                                 "'single'",
                                                 "\"double\"",
                                                 "it's",
                                                 "a\\b",
                                                 "null",
                                                 "Null",
                                                 "NULL",
                                                 "~",
                                                 "---",
                                                 "...",
                                                 "<<",
                                                 "=",
                                                 "a,b",
                                                 "line\nbreak",
                                                 "trailing newline\n",
                                                 "\n",
                                                 "\r",
                                                 "a\r\nb",
                                                 "\t",
                                                 "tab\tin",
                                                 std::string("nul\0byte", 8),
                                                 "\x01\x1f\x7f",
                                                 "žluťoučký kůň 🐴",
                                                 "\xc2\x85 next line",
                                                 "\xe2\x80\xa8 line separator",
                                                 "\xef\xbb\xbf bom",
                                                 "\xf4\x8f\xbf\xbd last plane",
                                                 std::string(1'500, 'k') + ": long"};
  return texts;
}

std::string code_point_text(std::uint32_t cp) {
  std::string s;
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else if (cp < 0x800) {
    s += static_cast<char>(0xC0 | (cp >> 6));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    s += static_cast<char>(0xE0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (cp >> 18));
    s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_writer)

BOOST_AUTO_TEST_CASE(every_library_scenario_roundtrips) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator{MQTTSIM_SCENARIOS_DIR}) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  BOOST_REQUIRE(!files.empty());
  for (const auto& file : files) {
    const Scenario loaded = load_scenario_file(file.string());
    // A population is expanded in the model and not folded back
    // (st_populations.cpp checks the refusal).
    if (!loaded.populations.empty()) continue;
    check_roundtrip(loaded, file.string());
  }
}

// A profile file is written inline, so the saved scenario needs no file:
// the same values come back, name included.
BOOST_AUTO_TEST_CASE(a_profile_file_comes_back_as_its_values) {
  const std::string profile_path =
      std::string{MQTTSIM_SOURCE_DIR} + "/reference/profile/profiles/mosquitto-2.0.yaml";
  const Scenario s =
      load_scenario_text("name: p\nprotocol: 3.1.1\nbroker: {profile: " + profile_path +
                             "}\nclients: {a: }\nsteps: [{connect: a}]\n",
                         std::string{MQTTSIM_SCENARIOS_DIR} + "/virtual.yaml");
  BOOST_TEST((s.broker.profile == load_profile(profile_path)));
  BOOST_TEST(s.broker.profile.name == "mosquitto-2.0");
  const std::string text = check_roundtrip(s, "mosquitto profile");
  BOOST_TEST(!contains(text, "mosquitto-2.0.yaml"));
  BOOST_TEST(contains(text, "max_inflight: 20"));

  // A file without `name:` is named by its path; the name is kept too.
  const auto folder = std::filesystem::temp_directory_path() / "mqttsim_st_writer_profile";
  std::filesystem::create_directories(folder);
  {
    std::ofstream profile{folder / "small.yaml"};
    profile << "max_queued_messages: 3\nqueue_drop_policy: drop_oldest\n";
    std::ofstream scenario{folder / "s.yaml"};
    scenario << "name: s\nprotocol: 3.1.1\nbroker: {profile: small.yaml}\nclients: {a: }\n"
                "steps: [{connect: a}]\n";
  }
  const Scenario unnamed = load_scenario_file((folder / "s.yaml").string());
  std::filesystem::remove_all(folder);
  BOOST_TEST(unnamed.broker.profile.max_queued_messages == 3U);
  BOOST_TEST(contains(unnamed.broker.profile.name, "small.yaml"));
  check_roundtrip(unnamed, "unnamed profile file");
}

BOOST_AUTO_TEST_CASE(every_step_kind_and_option) {
  const Scenario s = everything();
  // The hand-made model is one the loader could have produced.
  std::set<std::string_view> kinds;
  for (const Step& step : s.steps) kinds.insert(step_kind(step.action));
  BOOST_TEST(kinds.size() == 15U);  // every kind step_kind names
  check_roundtrip(s, "everything");
}

// The spellings the language documents, as the writer chooses them.
BOOST_AUTO_TEST_CASE(values_are_written_exactly) {
  const std::string text = to_yaml(everything());
  for (const char* line : {"latency: 1500ms",
                           "jitter: 250us",
                           "rto_max: 3s",
                           "loss: 2500ppm",
                           "keep_alive: 2m",
                           "session_expiry: never",
                           "at: 1h",
                           "faults: 10m",
                           "loss: 10000ppm",
                           "wait: 0s",
                           "qos: 2",
                           "expect_codes: [2, 0, 158]",
                           "expect_code: 5",
                           "reason: 4",
                           "closed: {reason: 142}",
                           "closed: {connack: 1}",
                           "segment_bytes: [16, 512]",
                           "payload_format: bytes",
                           "payload_format: utf8",
                           "bytes: 30 0a 00 03 61 2f 23",
                           "broker_restart: durable",
                           "store: durable",
                           "queue_drop_policy: drop_oldest",
                           "max_session_expiry_s: 0",
                           "heal: all",
                           "partition: [pub, sub]",
                           "new_connection: true",
                           "order: unordered",
                           "within: 1500ms",
                           "description: \"all of it\\n  including this second line\""}) {
    BOOST_CHECK_MESSAGE(contains(text, line), "no '" << line << "' in:\n" << text);
  }
  // Each client's flag by its own protocol's name.
  BOOST_TEST(contains(text, "  - connect: sub\n    clean_start: false\n"));
  BOOST_TEST(contains(text, "  - connect: old\n    clean_session: false\n"));
  // Defaults are left out.
  BOOST_TEST(!contains(text, "clean_start: true"));
  BOOST_TEST(!contains(text, "no_local: false"));
  BOOST_TEST(!contains(text, "shared_subscriptions_available"));

  const Scenario plain = [] {
    Scenario s = new_scenario(ProtocolVersion::v3_1_1, {"a"});
    add(s, connect("a"));
    return s;
  }();
  const std::string minimal = check_roundtrip(plain, "minimal");
  BOOST_TEST(minimal ==
             "name: hand-made\nprotocol: 3.1.1\nbroker:\n  profile: spec\n  store: volatile\n"
             "clients:\n  a: ~\nsteps:\n  - connect: a\n");
}

BOOST_AUTO_TEST_CASE(durations_take_the_largest_exact_unit) {
  const std::pair<std::int64_t, const char*> cases[] = {
      {0, "0s"},
      {1, "1us"},
      {250, "250us"},
      {1'000, "1ms"},
      {1'500, "1500us"},
      {1'500'000, "1500ms"},
      {3'000'000, "3s"},
      {90'000'000, "90s"},
      {120'000'000, "2m"},
      {7'200'000'000, "2h"},
      {3'600'000'001, "3600000001us"},
      {duration_limit.count_us(), "4294967295s"},
  };
  for (const auto& [us, text] : cases) {
    const Duration d = Duration::from_us(us);
    BOOST_TEST(duration_text(d, "d") == text);
    BOOST_TEST((parse_duration(duration_text(d, "d")).value() == d));
  }
  BOOST_CHECK_THROW(duration_text(Duration::from_us(-1), "d"), std::invalid_argument);
}

// Text the emitter would write as plain YAML that reads back as something
// else (or nothing) comes back as the same characters, wherever text goes.
BOOST_AUTO_TEST_CASE(awkward_text_comes_back_as_written) {
  Scenario s = new_scenario(ProtocolVersion::v5_0, {"a", "b"});
  std::string all;
  for (const std::string& text : awkward_texts()) all += text;
  s.description = all;
  s.clients[0].client_id = "on";
  s.clients[0].username = "123";
  s.clients[0].password = "a: b";
  s.clients[1].client_id = " x ";
  s.clients[1].username = "";
  add(s, connect("a"));
  ConnectStep with_will = connect("b");
  with_will.will = WillMessage{"w", "#1", QoS::at_most_once, false, {}, {}, {{"", "m{n}"}}};
  add(s, with_will);
  for (const std::string& text : awkward_texts()) {
    PublishStep p = publish("a", "t", text);
    p.properties.content_type = text;
    p.properties.correlation_data = codec::Bytes(text.begin(), text.end());
    p.properties.user_properties = {{text, text}, {"v", text}};
    add(s, p);
  }
  ExpectMessagesStep expect;
  expect.client = "b";
  for (const std::string& text : awkward_texts()) {
    expect.messages.push_back({"t", text, {}, {}, {}, 1, 1, {}});
  }
  add(s, expect);
  check_roundtrip(s, "awkward text");
}

// Every ASCII character, alone and around others, and the code points at
// the edges of what YAML treats specially, as user property names and values.
BOOST_AUTO_TEST_CASE(every_ascii_character_and_unicode_edges) {
  std::vector<std::string> texts;
  for (int c = 0; c < 0x80; ++c) {
    const std::string ch(1, static_cast<char>(c));
    for (const std::string& text : {ch, "a" + ch + "b", ch + "a", "a" + ch, " " + ch + " "}) {
      texts.push_back(text);
    }
  }
  for (const std::uint32_t cp :
       {0x80U, 0x85U, 0x9FU, 0xA0U, 0xD7FFU, 0xE000U, 0x2028U, 0x2029U, 0xFDCFU, 0xFDF0U, 0xFEFFU,
        0xFFFDU, 0x10000U, 0x1FFFDU, 0x10FFFDU}) {
    const std::string ch = code_point_text(cp);
    for (const std::string& text : {ch, "a" + ch + "b", ch + " ", " " + ch, "\n" + ch}) {
      texts.push_back(text);
    }
  }
  Scenario s = new_scenario(ProtocolVersion::v5_0, {"a"});
  add(s, connect("a"));
  PublishStep p = publish("a", "t", "");
  for (const std::string& text : texts) p.properties.user_properties.push_back({text, text});
  add(s, p);
  check_roundtrip(s, "every character");
}

// send_raw's hex is bounded by characters: past what fits spaced, the
// bytes are written packed, so 32 KiB still fit.
BOOST_AUTO_TEST_CASE(long_raw_bytes_are_packed) {
  Scenario s = new_scenario(ProtocolVersion::v3_1_1, {"a"});
  std::vector<std::uint8_t> bytes(raw_hex_chars_max / 2);
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i * 7);
  add(s, SendRawStep{"a", bytes, true});
  const std::string text = check_roundtrip(s, "long send_raw");
  BOOST_TEST(contains(text, "bytes: 00070e15"));
}

BOOST_AUTO_TEST_CASE(what_the_language_cannot_express_is_refused) {
  const auto with_publish = [](const std::function<void(PublishStep&)>& change) {
    Scenario s = new_scenario(ProtocolVersion::v5_0, {"a"});
    add(s, connect("a"));
    PublishStep p = publish("a", "t", "x");
    change(p);
    add(s, p);
    return s;
  };
  // Text that is not Unicode, or that YAML cannot carry.
  check_refused(with_publish([](PublishStep& p) { p.payload = "bin\xff"; }),
                "steps[1] (publish): payload is not valid UTF-8");
  check_refused(with_publish([](PublishStep& p) { p.payload = "\xed\xa0\x80"; }),
                "not valid UTF-8");
  check_refused(with_publish([](PublishStep& p) { p.payload = "\xef\xbf\xbe"; }),
                "noncharacter U+FFFE");
  check_refused(with_publish([](PublishStep& p) { p.payload = "\xef\xb7\x90"; }),
                "noncharacter U+FDD0");
  check_refused(with_publish([](PublishStep& p) { p.payload = "x\xf0\x9f\xbf\xbe"; }),
                "noncharacter U+1FFFE (at byte 1)");
  check_refused(with_publish([](PublishStep& p) {
                  p.properties.correlation_data = codec::Bytes{0x00, 0x9C};
                }),
                "correlation_data is not valid UTF-8");
  // PUBLISH properties a publish step has no key for.
  check_refused(with_publish([](PublishStep& p) { p.properties.reason_string = "why"; }),
                "no key for the Reason String property");
  check_refused(with_publish([](PublishStep& p) { p.properties.subscription_identifiers = {1}; }),
                "no key for the Subscription Identifier property");
  check_refused(with_publish([](PublishStep& p) { p.properties.payload_format_indicator = 2; }),
                "payload format indicator 2 has no name");
  // Negative times.
  {
    Scenario s = new_scenario(ProtocolVersion::v3_1_1, {"a"});
    add(s, WaitStep{Duration::from_ms(-1)});
    check_refused(s, "steps[0] (wait): wait is negative");
    s.steps[0] = Step{TimePoint::from_us(-5), WaitStep{Duration::zero()}, {}};
    check_refused(s, "steps[0] (wait): at is negative");
  }
  // More than the loader's bound on hex text, even packed.
  {
    Scenario s = new_scenario(ProtocolVersion::v3_1_1, {"a"});
    add(s, SendRawStep{"a", std::vector<std::uint8_t>(raw_hex_chars_max / 2 + 1), true});
    check_refused(s, "at most 65536 are allowed");
  }
}

// What has a spelling but would not load back the same is refused too, with
// the loader's complaint or the part that would differ.
BOOST_AUTO_TEST_CASE(what_would_not_load_back_the_same_is_refused) {
  {
    Scenario s = new_scenario(ProtocolVersion::v3_1_1, {"a"});
    s.broker.profile.shared_subscriptions_available = true;
    add(s, connect("a"));
    check_refused(s, "shared subscriptions are not implemented");
  }
  {
    // A 5.0 option on a 3.1.1 client.
    Scenario s = new_scenario(ProtocolVersion::v3_1_1, {"a"});
    ConnectStep c = connect("a");
    c.session_expiry_s = 10;
    add(s, c);
    check_refused(s, "exists only in MQTT 5.0");
  }
  {
    // will_of stands for the will's topic and payload; these are not it.
    Scenario s = new_scenario(ProtocolVersion::v3_1_1, {"a", "b"});
    ConnectStep c = connect("a");
    c.will = WillMessage{"w", "bye", QoS::at_most_once, false, {}, {}, {}};
    add(s, c);
    add(s, connect("b"));
    add(s, ExpectMessagesStep{"b",
                              {{"w", "something else", {}, {}, {}, 1, 1, "a"}},
                              MessageOrder::exact,
                              default_expect_within});
    check_refused(s, "its steps[2] (expect) would load back different");
  }
  {
    Scenario s = new_scenario(ProtocolVersion::v3_1_1, {"a"});
    add(s, connect("a"));
    add(s, SubscribeStep{"a", {}, {}, {}, {}});
    check_refused(s, "filters must be a list");
  }
  {
    Scenario s = new_scenario(ProtocolVersion::v3_1_1, {"a"});
    add(s, connect("nobody"));
    check_refused(s, "unknown client 'nobody'");
  }
  {
    Scenario s = new_scenario(ProtocolVersion::v3_1_1, {"a"});
    add(s, WaitStep{Duration::from_s(10)});
    add(s, connect("a"), at_s(5));
    check_refused(s, "goes back in time");
  }
}

BOOST_AUTO_TEST_SUITE_END()
