// Good scenario files load into exactly the model they describe.

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>

#include "net/link_params.hpp"
#include "scenario/scenario_loader.hpp"

using namespace mqttsim;
using namespace mqttsim::scenario;
using codec::QoS;

namespace {

template <class T>
const T& step_as(const Scenario& s, std::size_t index) {
  BOOST_REQUIRE_LT(index, s.steps.size());
  const T* step = std::get_if<T>(&s.steps[index].action);
  BOOST_REQUIRE_MESSAGE(step != nullptr,
                        "step " << index << " is a " << step_kind(s.steps[index].action));
  return *step;
}

// Every header field and every option of the acting steps.
constexpr const char* full_text = R"yaml(name: everything
description: one of each
spec: [MQTT-3.1.2-4, "MQTT-3.1.2-5 (3.1.1)", MQTT-4.8-1]
protocol: 5.0
seed: 18446744073709551615
network:
  latency: 20ms
  jitter: 1.5ms
  bandwidth_bytes_per_s: 125000
  loss: 0.5%
  rto_initial: 250ms
  rto_max: 30s
  max_retransmits: 5
  segment_bytes: [16, 512]
broker:
  profile: {max_queued_messages: 100, queue_drop_policy: drop_oldest}
  store: durable
clients:
  sub:
    client_id: sub-1
    username: alice
    password: secret
    network: {latency: 100ms, loss: 2500ppm}
  old: {protocol: 3.1.1}
  pub:
steps:
  - connect: sub
    clean_start: false
    session_expiry: never
    keep_alive: 30s
    receive_maximum: 10
    maximum_packet_size: 2048
    topic_alias_maximum: 4
    request_problem_information: false
    will: {topic: st/sub, payload: gone, qos: 2, retain: true, delay: 5s, message_expiry: 1m, user_properties: {k: v}}
    username: bob
    password: pw
    expect_session_present: false
  - connect: old
    clean_session: false
    expect_code: 0
  - connect: pub
    expect_code: 0x00
  - subscribe: sub
    filters:
      - {filter: "a/#", qos: 2, no_local: true, retain_as_published: true, retain_handling: 2}
      - {filter: b/+}
    subscription_identifier: 7
    user_properties: {x: y, a: b}
    expect_codes: [granted_qos_2, 0x00]
  - subscribe: old
    filter: a/b
    qos: 1
    expect_codes: [0x80]
  - unsubscribe: sub
    filters: [b/+]
    user_properties: {u: v}
  - publish: pub
    at: 1s
    topic: a/b
    qos: 1
    retain: true
    payload: "m{n}-{n}"
    count: 3
    first: 10
    interval: 10ms
    message_expiry: 1h
    content_type: text/plain
    response_topic: reply/pub
    correlation_data: abc
    payload_format: utf8
    user_properties: {p: q}
    topic_alias: 3
  - disconnect: sub
    reason: disconnect_with_will_message
    session_expiry: 1m
  - drop: pub
    client_notice_delay: 1ms
    broker_notice_delay: 2s
  - half_open: old
    noticed_by: broker
  - crash: old
    broker_notice_delay: 3s
  - partition: [sub, pub]
  - heal: all
  - heal: sub
  - broker_restart:
    down_for: 2s
  - broker_restart: volatile
  - wait: 250us
  - faults: 10m
    at: 1h
    clients: [sub]
    resets_per_hour: 6
    half_opens_per_hour: 2
    partitions_per_hour: 3
    reset_notice_delay_max: 50ms
    partition_min: 2s
    partition_max: 4s
    loss: 1%
)yaml";

}  // namespace

BOOST_AUTO_TEST_SUITE(st_loader)

BOOST_AUTO_TEST_CASE(header_and_clients) {
  const Scenario s = load_scenario_text(full_text, "full.yaml");
  BOOST_TEST(s.file == "full.yaml");
  BOOST_TEST(s.name == "everything");
  BOOST_TEST(s.description == "one of each");
  BOOST_REQUIRE_EQUAL(s.spec.size(), 3U);
  BOOST_TEST((s.spec[0] == SpecTag{ProtocolVersion::v5_0, "MQTT-3.1.2-4"}));
  BOOST_TEST((s.spec[1] == SpecTag{ProtocolVersion::v3_1_1, "MQTT-3.1.2-5"}));
  BOOST_TEST((s.spec[2] == SpecTag{ProtocolVersion::v5_0, "MQTT-4.8-1"}));
  BOOST_TEST((s.protocol == ProtocolVersion::v5_0));
  BOOST_TEST(s.seed.value() == UINT64_MAX);

  Link network;
  network.latency = Duration::from_ms(20);
  network.jitter = Duration::from_us(1'500);
  network.bandwidth_bytes_per_s = 125'000;
  network.loss_ppm = 5'000;
  network.rto_initial = Duration::from_ms(250);
  network.rto_max = Duration::from_s(30);
  network.max_retransmits = 5;
  network.segment_bytes_min = 16;
  network.segment_bytes_max = 512;
  BOOST_TEST((s.network == network));

  BOOST_TEST(s.broker.profile.max_queued_messages == 100U);
  BOOST_TEST((s.broker.profile.queue_drop_policy == QueueDropPolicy::drop_oldest));
  BOOST_TEST((s.broker.store == BrokerStore::durable));

  BOOST_REQUIRE_EQUAL(s.clients.size(), 3U);
  const Client& sub = s.clients[0];
  BOOST_TEST(sub.name == "sub");
  BOOST_TEST(sub.client_id == "sub-1");
  BOOST_TEST((sub.protocol == ProtocolVersion::v5_0));
  BOOST_TEST(sub.username.value() == "alice");
  BOOST_TEST(sub.password.value() == "secret");
  Link sub_link = network;  // the client's override on top of the scenario's network
  sub_link.latency = Duration::from_ms(100);
  sub_link.loss_ppm = 2'500;
  BOOST_TEST((sub.link == sub_link));
  BOOST_TEST(sub.where.line == 19);
  BOOST_TEST(sub.where.column == 3);
  BOOST_TEST(s.clients[1].client_id == "old");  // defaults to the name
  BOOST_TEST((s.clients[1].protocol == ProtocolVersion::v3_1_1));
  BOOST_TEST((s.clients[2].link == network));
  BOOST_TEST(!s.clients[2].username.has_value());
  BOOST_TEST(s.find_client("pub") == &s.clients[2]);
  BOOST_TEST(s.find_client("nobody") == nullptr);
}

BOOST_AUTO_TEST_CASE(a_workload_says_so_in_its_header) {
  const std::string body = "protocol: 3.1.1\nclients:\n  a:\nsteps:\n  - connect: a\n";
  BOOST_TEST(!load_scenario_text("name: claims\n" + body, "c.yaml").workload);
  BOOST_TEST(load_scenario_text("name: generated\nworkload: true\n" + body, "w.yaml").workload);
}

BOOST_AUTO_TEST_CASE(connect_subscribe_unsubscribe) {
  const Scenario s = load_scenario_text(full_text, "full.yaml");
  BOOST_REQUIRE_EQUAL(s.steps.size(), 18U);
  BOOST_TEST(s.steps[0].where.line == 27);
  BOOST_TEST(s.steps[0].where.column == 5);
  BOOST_TEST(!s.steps[0].at.has_value());

  const auto& c = step_as<ConnectStep>(s, 0);
  BOOST_TEST(c.client == "sub");
  BOOST_TEST(!c.clean_start);
  BOOST_TEST(c.session_expiry_s.value() == session_never_expires);
  BOOST_TEST(c.keep_alive_s == 30);
  BOOST_TEST(c.receive_maximum.value() == 10);
  BOOST_TEST(c.maximum_packet_size.value() == 2048U);
  BOOST_TEST(c.topic_alias_maximum.value() == 4U);
  BOOST_TEST(c.request_problem_information.value() == false);
  BOOST_REQUIRE(c.will.has_value());
  BOOST_TEST(c.will->topic == "st/sub");
  BOOST_TEST(c.will->payload == "gone");
  BOOST_TEST((c.will->qos == QoS::exactly_once));
  BOOST_TEST(c.will->retain);
  BOOST_TEST(c.will->delay_s.value() == 5U);
  BOOST_TEST(c.will->message_expiry_s.value() == 60U);
  BOOST_TEST((c.will->user_properties == std::vector<codec::UserProperty>{{"k", "v"}}));
  BOOST_TEST(c.username.value() == "bob");
  BOOST_TEST(c.password.value() == "pw");
  BOOST_TEST(c.expect_code == 0);
  BOOST_TEST(c.expect_session_present.value() == false);

  const auto& old = step_as<ConnectStep>(s, 1);
  BOOST_TEST(!old.clean_start);
  BOOST_TEST(!old.session_expiry_s.has_value());
  BOOST_TEST(old.keep_alive_s == 60);  // the default
  BOOST_TEST(!old.will.has_value());
  BOOST_TEST(!old.expect_session_present.has_value());
  BOOST_TEST(step_as<ConnectStep>(s, 2).clean_start);

  const auto& sub = step_as<SubscribeStep>(s, 3);
  BOOST_REQUIRE_EQUAL(sub.subscriptions.size(), 2U);
  BOOST_TEST(
      (sub.subscriptions[0] == codec::Subscription{"a/#", QoS::exactly_once, true, true, 2}));
  BOOST_TEST(
      (sub.subscriptions[1] == codec::Subscription{"b/+", QoS::at_most_once, false, false, 0}));
  BOOST_TEST(sub.subscription_identifier.value() == 7U);
  BOOST_TEST((sub.user_properties == std::vector<codec::UserProperty>{{"x", "y"}, {"a", "b"}}));
  BOOST_TEST((sub.expect_codes.value() == std::vector<std::uint8_t>{0x02, 0x00}));

  const auto& old_sub = step_as<SubscribeStep>(s, 4);
  BOOST_TEST(
      (old_sub.subscriptions == std::vector<codec::Subscription>{{"a/b", QoS::at_least_once}}));
  BOOST_TEST((old_sub.expect_codes.value() == std::vector<std::uint8_t>{0x80}));

  const auto& unsub = step_as<UnsubscribeStep>(s, 5);
  BOOST_TEST((unsub.topic_filters == std::vector<std::string>{"b/+"}));
  BOOST_TEST((unsub.user_properties == std::vector<codec::UserProperty>{{"u", "v"}}));
}

BOOST_AUTO_TEST_CASE(publish_and_the_other_steps) {
  const Scenario s = load_scenario_text(full_text, "full.yaml");
  const auto& p = step_as<PublishStep>(s, 6);
  BOOST_TEST((s.steps[6].at.value() == TimePoint::from_us(1'000'000)));
  BOOST_TEST(p.client == "pub");
  BOOST_TEST(p.topic == "a/b");
  BOOST_TEST((p.qos == QoS::at_least_once));
  BOOST_TEST(p.retain);
  BOOST_TEST(p.payload == "m{n}-{n}");
  BOOST_TEST(p.count == 3U);
  BOOST_TEST(p.first_number == 10U);
  BOOST_TEST((p.interval == Duration::from_ms(10)));
  BOOST_TEST(expand_payload(p.payload, p.first_number + 2) == "m12-12");
  codec::Properties props;
  props.message_expiry_interval = 3600;
  props.content_type = "text/plain";
  props.response_topic = "reply/pub";
  props.correlation_data = codec::Bytes{'a', 'b', 'c'};
  props.payload_format_indicator = 1;
  props.user_properties = {{"p", "q"}};
  props.topic_alias = 3;
  BOOST_TEST((p.properties == props));

  BOOST_TEST((step_as<DisconnectStep>(s, 7) == DisconnectStep{"sub", 0x04, 60}));
  BOOST_TEST(
      (step_as<DropStep>(s, 8) == DropStep{"pub", Duration::from_ms(1), Duration::from_s(2)}));
  BOOST_TEST((step_as<HalfOpenStep>(s, 9) == HalfOpenStep{"old", LinkEnd::broker}));
  BOOST_TEST((step_as<CrashStep>(s, 10) == CrashStep{"old", Duration::from_s(3)}));
  BOOST_TEST((step_as<PartitionStep>(s, 11).clients == std::set<std::string>{"pub", "sub"}));
  BOOST_TEST(step_as<HealStep>(s, 12).clients.empty());
  BOOST_TEST((step_as<HealStep>(s, 13).clients == std::set<std::string>{"sub"}));
  // A bare broker_restart keeps the header's store.
  BOOST_TEST((step_as<BrokerRestartStep>(s, 14) ==
              BrokerRestartStep{BrokerStore::durable, Duration::from_s(2)}));
  BOOST_TEST((step_as<BrokerRestartStep>(s, 15) ==
              BrokerRestartStep{BrokerStore::volatile_memory, Duration::zero()}));
  BOOST_TEST((step_as<WaitStep>(s, 16).duration == Duration::from_us(250)));

  const auto& f = step_as<FaultsStep>(s, 17);
  BOOST_TEST((s.steps[17].at.value() == TimePoint::from_us(3'600'000'000)));
  BOOST_TEST((f.duration == Duration::from_s(600)));
  BOOST_TEST((f.clients == std::set<std::string>{"sub"}));
  BOOST_TEST(f.resets_per_hour == 6U);
  BOOST_TEST(f.half_opens_per_hour == 2U);
  BOOST_TEST(f.partitions_per_hour == 3U);
  BOOST_TEST((f.reset_notice_delay_max == Duration::from_ms(50)));
  BOOST_TEST((f.partition_duration_min == Duration::from_s(2)));
  BOOST_TEST((f.partition_duration_max == Duration::from_s(4)));
  BOOST_TEST(f.loss_ppm.value() == 10'000U);
}

BOOST_AUTO_TEST_CASE(expectations) {
  const Scenario s = load_scenario_text(R"yaml(name: expectations
protocol: 5.0
clients: {a: , dev: , old: {protocol: 3.1.1}}
steps:
  - connect: a
  - connect: old
  - connect: dev
    will: {topic: status/dev, payload: bye, qos: 1}
  - expect: a
    messages:
      - {topic: t/1, payload: "x{n}", qos: 1, retain: false, dup: true, count: 4, first: 0}
      - {topic: t/2}
      - {will_of: dev, qos: 0, retain: true}
    order: unordered
    within: 1m
  - expect: a
    messages: [{topic: t/3}]
  - expect: old
    no_messages: true
    within: 2s
  - expect: a
    closed: {reason: session_taken_over}
  - expect: old
    closed: true
    within: 90s
)yaml",
                                        "expect.yaml");
  const auto& m = step_as<ExpectMessagesStep>(s, 3);
  BOOST_TEST(m.client == "a");
  BOOST_TEST((m.order == MessageOrder::unordered));
  BOOST_TEST((m.within == Duration::from_s(60)));
  BOOST_REQUIRE_EQUAL(m.messages.size(), 3U);
  BOOST_TEST(
      (m.messages[0] == MessageMatch{"t/1", "x{n}", QoS::at_least_once, false, true, 4, 0, {}}));
  BOOST_TEST((m.messages[1] == MessageMatch{"t/2", {}, {}, {}, {}, 1, 1, {}}));
  BOOST_TEST((m.messages[2] ==
              MessageMatch{"status/dev", "bye", QoS::at_most_once, true, {}, 1, 1, "dev"}));

  const auto& defaults = step_as<ExpectMessagesStep>(s, 4);
  BOOST_TEST((defaults.order == MessageOrder::exact));
  BOOST_TEST((defaults.within == default_expect_within));
  BOOST_TEST(
      (step_as<ExpectNoMessagesStep>(s, 5) == ExpectNoMessagesStep{"old", Duration::from_s(2)}));
  BOOST_TEST(
      (step_as<ExpectClosedStep>(s, 6) == ExpectClosedStep{"a", 0x8E, default_expect_within}));
  BOOST_TEST((step_as<ExpectClosedStep>(s, 7) ==
              ExpectClosedStep{"old", std::nullopt, Duration::from_s(90)}));
}

// 0x00 goes by the standard's per-packet names too.
BOOST_AUTO_TEST_CASE(zero_reason_code_names) {
  const Scenario s = load_scenario_text(R"yaml(
name: zero
protocol: 5.0
clients: {a: }
steps:
  - connect: a
  - subscribe: a
    filter: t
    expect_codes: [granted_qos_0]
  - disconnect: a
    reason: normal_disconnection
)yaml",
                                        "zero.yaml");
  BOOST_TEST(std::get<SubscribeStep>(s.steps[1].action).expect_codes->at(0) == 0);
  BOOST_TEST(std::get<DisconnectStep>(s.steps[2].action).reason_code.value() == 0);
}

BOOST_AUTO_TEST_CASE(raw_bytes) {
  const Scenario s = load_scenario_text(R"yaml(name: raw
protocol: 3.1.1
clients: {a: , intruder: }
steps:
  - connect: a
  - send_raw: a
    bytes: "30 0a 00 03 61 2F 23"
  - send_raw: intruder
    new_connection: true
    bytes: "10 0c 00044d515454 06"
  - send_raw: intruder
    bytes: c0 00
  - expect: intruder
    closed: {connack: unacceptable_protocol_version}
)yaml",
                                        "raw.yaml");
  BOOST_TEST((step_as<SendRawStep>(s, 1) ==
              SendRawStep{"a", {0x30, 0x0a, 0x00, 0x03, 0x61, 0x2f, 0x23}, false}));
  BOOST_TEST(
      (step_as<SendRawStep>(s, 2) ==
       SendRawStep{"intruder", {0x10, 0x0c, 0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x06}, true}));
  BOOST_TEST((step_as<SendRawStep>(s, 3).bytes == std::vector<std::uint8_t>{0xc0, 0x00}));
  BOOST_TEST((step_as<ExpectClosedStep>(s, 4) ==
              ExpectClosedStep{"intruder", std::nullopt, default_expect_within, 0x01}));
  BOOST_TEST(step_kind(s.steps[1].action) == "send_raw");
}

BOOST_AUTO_TEST_CASE(link_defaults_mirror_the_network) {
  // sim/scenario keeps its own copy of net::LinkParams so it does not depend
  // on the simulator; they must not drift apart.
  const Link link;
  const net::LinkParams params;
  BOOST_TEST((link.latency == params.latency));
  BOOST_TEST((link.jitter == params.jitter));
  BOOST_TEST(link.bandwidth_bytes_per_s == params.bandwidth_bytes_per_s);
  BOOST_TEST(link.loss_ppm == params.loss_ppm);
  BOOST_TEST((link.rto_initial == params.rto_initial));
  BOOST_TEST((link.rto_max == params.rto_max));
  BOOST_TEST(link.max_retransmits == params.max_retransmits);
  BOOST_TEST(link.segment_bytes_min == params.segment_bytes_min);
  BOOST_TEST(link.segment_bytes_max == params.segment_bytes_max);
  BOOST_TEST((link_latency_limit == net::latency_limit));
  BOOST_TEST(link_segment_bytes_limit == net::segment_bytes_limit);
  BOOST_TEST(link_max_retransmits_limit == net::max_retransmits_limit);
}

BOOST_AUTO_TEST_CASE(example_scenarios_load) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator{MQTTSIM_SCENARIOS_DIR}) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  BOOST_TEST(files.size() >= 4U);
  for (const auto& file : files) {
    BOOST_TEST_CONTEXT(file.string()) {
      const Scenario s = load_scenario_file(file.string());
      BOOST_TEST(!s.name.empty());
      BOOST_TEST(!s.spec.empty());  // every library scenario says what it is about
      BOOST_TEST(!s.steps.empty());
    }
  }
}

BOOST_AUTO_TEST_CASE(a_profile_file_is_found_next_to_the_scenario) {
  const auto folder = std::filesystem::temp_directory_path() / "mqttsim_st_loader_profile";
  std::filesystem::create_directories(folder);
  {
    std::ofstream profile{folder / "small.yaml"};
    profile << "name: small\nmax_queued_messages: 3\n";
    std::ofstream scenario{folder / "s.yaml"};
    scenario << "name: s\nprotocol: 3.1.1\nbroker: {profile: small.yaml}\nclients: {a: }\n"
                "steps: [{connect: a}]\n";
  }
  const Scenario s = load_scenario_file((folder / "s.yaml").string());
  BOOST_TEST(s.broker.profile.name == "small");
  BOOST_TEST(s.broker.profile.max_queued_messages == 3U);
  std::filesystem::remove_all(folder);
}

BOOST_AUTO_TEST_CASE(payload_patterns) {
  BOOST_TEST(expand_payload("m{n}", 1) == "m1");
  BOOST_TEST(expand_payload("{n}{n}", 42) == "4242");
  BOOST_TEST(expand_payload("no number", 7) == "no number");
  BOOST_TEST(expand_payload("{x} {n", 7) == "{x} {n");
  BOOST_TEST(expand_payload("", 7) == "");
}

BOOST_AUTO_TEST_SUITE_END()
