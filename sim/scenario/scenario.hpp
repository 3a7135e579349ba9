#pragma once
// A scenario: who connects to which broker over what network, and the steps
// to play with what each client must observe. Plain values only (no YAML, no
// simulator types), so the simulated runner and the TCP runner read the same
// thing. The loader resolves every default and reference (client names,
// link overrides, `will_of`), so a runner never guesses. The language is
// documented in scenarios/README.md.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "base/spec_ref.hpp"
#include "base/time.hpp"
#include "codec/packet.hpp"
#include "codec/properties.hpp"
#include "profile/profile.hpp"

namespace mqttsim::scenario {

// Where a step or a client was written in the file (1-based), so a runner
// can point a failed expectation back at its source.
struct SourceLocation {
  int line = 0;
  int column = 0;
  bool operator==(const SourceLocation&) const = default;
};

// A normative statement the scenario is about. Unlike SpecRef the id is
// owned: it comes from the file.
struct SpecTag {
  ProtocolVersion version = ProtocolVersion::v3_1_1;
  std::string id;  // "MQTT-3.1.2-4"
  bool operator==(const SpecTag&) const = default;
};

// The behaviour of a client's links. Mirrors net::LinkParams field for
// field, with the same defaults (tests/scenario/st_loader.cpp checks they
// agree), so sim/scenario needs nothing from the simulator. The loader has
// already applied the scenario's `network:` and the client's own override.
struct Link {
  Duration latency = Duration::from_ms(5);
  Duration jitter = Duration::zero();
  std::uint64_t bandwidth_bytes_per_s = 0;  // 0: unlimited
  std::uint32_t loss_ppm = 0;
  Duration rto_initial = Duration::from_ms(200);
  Duration rto_max = Duration::from_s(60);
  std::uint32_t max_retransmits = 8;
  std::uint32_t segment_bytes_min = 1460;
  std::uint32_t segment_bytes_max = 1460;
  bool operator==(const Link&) const = default;
};

// The limits net::validate enforces, checked at load time so a scenario
// that loads is one the network accepts.
inline constexpr Duration link_latency_limit = Duration::from_s(3'600);
inline constexpr std::uint32_t link_segment_bytes_limit = 65'536;
inline constexpr std::uint32_t link_max_retransmits_limit = 30;

// How the broker keeps its state across a `broker_restart`.
enum class BrokerStore : std::uint8_t {
  volatile_memory,  // `volatile`: a restart loses every session and retained message
  durable,          // `durable`: sessions, queues and retained messages survive
};

struct Broker {
  Profile profile;
  BrokerStore store = BrokerStore::volatile_memory;
  bool operator==(const Broker&) const = default;
};

struct Client {
  std::string name;       // how steps refer to it
  std::string client_id;  // on the wire; defaults to the name
  ProtocolVersion protocol = ProtocolVersion::v3_1_1;
  std::optional<std::string> username;
  std::optional<std::string> password;
  Link link;
  SourceLocation where;
  bool operator==(const Client&) const = default;
};

// ---------------------------------------------------------------- steps

struct WillMessage {
  std::string topic;
  std::string payload;
  codec::QoS qos = codec::QoS::at_most_once;
  bool retain = false;
  std::optional<std::uint32_t> delay_s;              // 5.0 Will Delay Interval
  std::optional<std::uint32_t> message_expiry_s;     // 5.0 Message Expiry Interval
  std::vector<codec::UserProperty> user_properties;  // 5.0
  bool operator==(const WillMessage&) const = default;
};

// Session Expiry Interval "never" (5.0 §3.1.2.11.2).
inline constexpr std::uint32_t session_never_expires = 0xFFFF'FFFF;

struct ConnectStep {
  std::string client;
  bool clean_start = true;                        // 3.1.1 Clean Session
  std::optional<std::uint32_t> session_expiry_s;  // 5.0 only; absent means 0
  std::uint16_t keep_alive_s = 60;
  std::optional<std::uint16_t> receive_maximum;  // 5.0 only
  // 5.0 only: the largest packet the client accepts (bytes), and the Topic
  // Alias Maximum it offers the server; absent means none in CONNECT.
  std::optional<std::uint32_t> maximum_packet_size;
  std::optional<std::uint16_t> topic_alias_maximum;
  // 5.0 only: Request Problem Information (absent means 1: reasons welcome).
  std::optional<bool> request_problem_information;
  std::optional<WillMessage> will;
  // Override the client's credentials for this connection.
  std::optional<std::string> username;
  std::optional<std::string> password;
  // CONNACK: the return code (3.1.1) or reason code (5.0) the broker must
  // send (0 = accepted), and Session Present when given.
  std::uint8_t expect_code = 0;
  std::optional<bool> expect_session_present;
  bool operator==(const ConnectStep&) const = default;
};

struct SubscribeStep {
  std::string client;
  std::vector<codec::Subscription> subscriptions;
  std::optional<std::uint32_t> subscription_identifier;  // 5.0 only
  std::vector<codec::UserProperty> user_properties;      // 5.0 only
  // SUBACK codes the broker must answer, one per subscription, when given.
  std::optional<std::vector<std::uint8_t>> expect_codes;
  bool operator==(const SubscribeStep&) const = default;
};

struct UnsubscribeStep {
  std::string client;
  std::vector<std::string> topic_filters;
  std::vector<codec::UserProperty> user_properties;  // 5.0 only
  bool operator==(const UnsubscribeStep&) const = default;
};

// Publishes `count` messages, numbered first_number, first_number + 1, ...;
// "{n}" in the payload is replaced by the number (see expand_payload).
struct PublishStep {
  std::string client;
  std::string topic;
  codec::QoS qos = codec::QoS::at_most_once;
  bool retain = false;
  std::string payload;  // a pattern; "{n}" is the message's number
  std::uint32_t count = 1;
  std::uint32_t first_number = 1;
  Duration interval = Duration::zero();  // between two messages of a burst
  // 5.0 PUBLISH properties (message expiry, content type, response topic,
  // correlation data, payload format, user properties, and a Topic Alias the
  // client then uses: the first PUBLISH on a connection sets it, later ones
  // send an empty topic).
  codec::Properties properties;
  bool operator==(const PublishStep&) const = default;
};

// A graceful DISCONNECT.
struct DisconnectStep {
  std::string client;
  std::optional<std::uint8_t> reason_code;        // 5.0 only
  std::optional<std::uint32_t> session_expiry_s;  // 5.0 only
  bool operator==(const DisconnectStep&) const = default;
};

// The connection is reset; each end learns of it after its own delay.
struct DropStep {
  std::string client;
  Duration client_notice_delay = Duration::zero();
  Duration broker_notice_delay = Duration::zero();
  bool operator==(const DropStep&) const = default;
};

enum class LinkEnd : std::uint8_t { client, broker };

// The link dies silently: `noticed_by` learns at once, the other end keeps
// writing into the void until keep-alive or retransmissions give up.
struct HalfOpenStep {
  std::string client;
  LinkEnd noticed_by = LinkEnd::client;
  bool operator==(const HalfOpenStep&) const = default;
};

// The client device crashes: its connection is reset (the broker learns
// after `broker_notice_delay`) and it loses its own session state (packet
// ids, in-flight messages, QoS 2 state) before its next connect.
struct CrashStep {
  std::string client;
  Duration broker_notice_delay = Duration::zero();
  bool operator==(const CrashStep&) const = default;
};

struct PartitionStep {
  std::set<std::string> clients;
  bool operator==(const PartitionStep&) const = default;
};

// Empty `clients` heals every partition.
struct HealStep {
  std::set<std::string> clients;
  bool operator==(const HealStep&) const = default;
};

struct BrokerRestartStep {
  BrokerStore store = BrokerStore::volatile_memory;  // the header's store unless overridden
  Duration down_for = Duration::zero();              // connects are refused meanwhile
  bool operator==(const BrokerRestartStep&) const = default;
};

struct WaitStep {
  Duration duration;
  bool operator==(const WaitStep&) const = default;
};

// One expected application message. Unset fields match anything. `count`
// expands like a publish burst: "{n}" in the payload runs from first_number.
struct MessageMatch {
  std::string topic;
  std::optional<std::string> payload;
  std::optional<codec::QoS> qos;
  std::optional<bool> retain;
  std::optional<bool> dup;
  std::uint32_t count = 1;
  std::uint32_t first_number = 1;
  // Set when written as `will_of: CLIENT`: the will that client's latest
  // connect declared (its topic and payload are copied here; the QoS and
  // RETAIN delivered depend on the subscription, so they are left to `qos`
  // and `retain`).
  std::optional<std::string> will_of;
  bool operator==(const MessageMatch&) const = default;
};

enum class MessageOrder : std::uint8_t {
  exact,      // the next messages received are exactly these, in this order
  in_order,   // these, in this order; other messages may come between
  unordered,  // these, in any order; other messages may come between
};

// Every expectation's window opens when the step starts and lasts `within`.
inline constexpr Duration default_expect_within = Duration::from_s(5);

struct ExpectMessagesStep {
  std::string client;
  std::vector<MessageMatch> messages;
  MessageOrder order = MessageOrder::exact;
  Duration within = default_expect_within;
  bool operator==(const ExpectMessagesStep&) const = default;
};

// No message (not consumed by an earlier expect) arrives during the window.
struct ExpectNoMessagesStep {
  std::string client;
  Duration within = default_expect_within;
  bool operator==(const ExpectNoMessagesStep&) const = default;
};

// The client's connection is closed (by the broker or the network) within
// the window; for 5.0, optionally with this DISCONNECT reason code from the
// broker; optionally after a CONNACK with this return / reason code on that
// connection (a refused CONNECT, typically one sent by send_raw).
struct ExpectClosedStep {
  std::string client;
  std::optional<std::uint8_t> reason_code;
  Duration within = default_expect_within;
  std::optional<std::uint8_t> connack_code;
  bool operator==(const ExpectClosedStep&) const = default;
};

// The most hex text a send_raw step may hold (two digits a byte, spaces
// allowed): bounds what a fuzzed scenario can make the loader allocate.
inline constexpr std::size_t raw_hex_chars_max = 64 * 1024;

// Bytes written as they are to the client's connection, bypassing its
// session: how a scenario sends the broker what no well-behaved client
// would (malformed packets, forbidden sequences). With `new_connection` the
// client first gives up any open connection and opens a *raw* one: the
// bytes are its very first, the session sends no CONNECT and never drives
// it; what the broker answers is recorded and ends the connection as for
// any other (`expect ... closed`).
struct SendRawStep {
  std::string client;
  std::vector<std::uint8_t> bytes;  // at least one
  bool new_connection = false;
  bool operator==(const SendRawStep&) const = default;
};

// Random faults over [step start, step start + duration); the step itself
// takes no time. See net::FaultRates.
struct FaultsStep {
  Duration duration;
  std::set<std::string> clients;  // empty: every client
  std::uint32_t resets_per_hour = 0;
  std::uint32_t half_opens_per_hour = 0;
  std::uint32_t partitions_per_hour = 0;
  Duration reset_notice_delay_max = Duration::from_ms(100);
  Duration partition_duration_min = Duration::from_s(1);
  Duration partition_duration_max = Duration::from_s(10);
  // Replaces the links' loss rate during the window, when given.
  std::optional<std::uint32_t> loss_ppm;
  bool operator==(const FaultsStep&) const = default;
};

using StepAction = std::variant<ConnectStep, SubscribeStep, UnsubscribeStep, PublishStep,
                                DisconnectStep, DropStep, HalfOpenStep, CrashStep, PartitionStep,
                                HealStep, BrokerRestartStep, WaitStep, ExpectMessagesStep,
                                ExpectNoMessagesStep, ExpectClosedStep, FaultsStep, SendRawStep>;

struct Step {
  // Absolute virtual time (from the start of the run) at which the step
  // starts; without it, the step starts when the previous one is done.
  std::optional<TimePoint> at;
  StepAction action;
  SourceLocation where;
  // A population member's step written with `spread: D`: it takes no time;
  // its action runs in the background at a moment drawn from the run's
  // seed in [start, start + D), and its answers are not awaited.
  std::optional<Duration> spread;
  bool operator==(const Step&) const = default;
};

// Many clients declared as one (`clients: sensors: {count: 1000}`). The
// loader declares each member as a Client named "NAME[i]" (i from 0) whose
// client id is the pattern with "{i}" replaced by i, and expands each step
// that addresses the population (or a slice, "NAME[a..b]", or names it in
// `for_each:`) into one step per member, with "{i}" in its strings
// replaced by the member's number.
struct Population {
  std::string name;
  std::uint32_t count = 0;
  std::string client_id;  // the pattern, with "{i}"
  SourceLocation where;
  bool operator==(const Population&) const = default;
};

// "NAME[i]": the Client name of member i of a population.
std::string member_name(std::string_view population, std::uint32_t index);

// `text` with every "{i}" replaced by `index`.
std::string expand_member(std::string_view text, std::uint32_t index);

struct Scenario {
  std::string file;  // as given to the loader, for messages
  std::string name;
  std::string description;
  std::vector<SpecTag> spec;
  ProtocolVersion protocol = ProtocolVersion::v3_1_1;
  std::optional<std::uint64_t> seed;  // the run's --seed wins over it
  // `workload: true` (what `mqttsim explore` writes): the steps are a
  // generated workload, not claims. A step the faults made impossible (a
  // subscribe while the link is down, a connect refused during a restart)
  // is noted in the trace instead of failing the run; the oracle alone
  // judges it.
  bool workload = false;
  Link network;  // the defaults each client starts from
  Broker broker;
  std::vector<Client> clients;  // in the file's order; a population's members in its place
  std::vector<Population> populations;
  std::vector<Step> steps;

  const Client* find_client(std::string_view name) const;
  bool operator==(const Scenario&) const = default;
};

// Whether any step judges the run (an expect, or a connect or subscribe
// with an expected code or session present): a scenario's spec tags count
// as exercised only then.
bool has_expectations(const Scenario& scenario);

// The step kind as written in YAML ("connect", "expect", ...).
std::string_view step_kind(const StepAction& action);

// The one client a step acts on, or nullptr for a step that names none or
// several (partition, heal, faults, broker_restart, wait).
const std::string* acting_client(const StepAction& action);

// `pattern` with every "{n}" replaced by `number`.
std::string expand_payload(std::string_view pattern, std::uint32_t number);

}  // namespace mqttsim::scenario
