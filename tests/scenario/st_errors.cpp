// Broken scenarios: each gives a LoadError at the exact line and column of
// the culprit, with a message that says what is wrong.

#include <boost/test/unit_test.hpp>

#include "scenario/scenario_loader.hpp"

using namespace mqttsim::scenario;

namespace {

// Lines 1-8; cases append steps from line 9 on. Client `a` speaks 5.0,
// `b` speaks 3.1.1, `c` is declared but never connected.
const std::string prelude =
    "name: t\n"                                 // 1
    "protocol: 5.0\n"                           // 2
    "clients:\n"                                // 3
    "  a:\n"                                    // 4
    "  b: {protocol: 3.1.1, client_id: bee}\n"  // 5
    "  c:\n"                                    // 6
    "steps:\n"                                  // 7
    "  - connect: a\n"                          // 8
    "  - connect: b\n";                         // 9

struct BrokenCase {
  const char* what;
  std::string text;
  int line;
  int column;
  const char* message;  // a substring of the error
};

std::vector<BrokenCase> broken_cases() {
  return {
      // --- the file and the header ---
      {"not YAML", "name: [t\n", 2, 1, "not valid YAML"},
      {"not a mapping", "- a\n- b\n", 1, 1, "a scenario is a mapping"},
      {"missing steps", "name: t\nprotocol: 5.0\nclients: {a: }\n", 1, 1,
       "a scenario needs steps:"},
      {"misspelt header key", "name: t\nprotocl: 5.0\n", 2, 1, "did you mean 'protocol'?"},
      {"duplicate header key", "name: t\nname: u\n", 2, 1, "'name' is given twice"},
      {"bad protocol", "name: t\nprotocol: 5\nclients: {a: }\nsteps: [{connect: a}]\n", 2, 11,
       "protocol must be one of: 3.1.1, 5.0"},
      {"bad spec id",
       "name: t\nprotocol: 5.0\nspec: [MQTT-3.1.2]\nclients: {a: }\nsteps: [{connect: a}]\n", 3, 8,
       "'MQTT-3.1.2' is not a normative id"},
      {"bad spec version",
       "name: t\nprotocol: 5.0\nspec: [MQTT-3.1.2-4 (5)]\nclients: {a: }\nsteps: [{connect: a}]\n",
       3, 8, "the version goes in parentheses"},
      {"seed not a number",
       "name: t\nprotocol: 5.0\nseed: -1\nclients: {a: }\nsteps: [{connect: a}]\n", 3, 7,
       "seed must be a whole number"},
      {"network bad duration",
       "name: t\nprotocol: 5.0\nnetwork: {latency: 20}\nclients: {a: }\nsteps: [{connect: a}]\n", 3,
       20, "latency: '20' has no unit"},
      {"network bad loss",
       "name: t\nprotocol: 5.0\nnetwork: {loss: 120%}\nclients: {a: }\nsteps: [{connect: a}]\n", 3,
       17, "is above 100%"},
      {"rto_max below rto_initial",
       "name: t\nprotocol: 5.0\nnetwork: {rto_initial: 2s, rto_max: 1s}\nclients: {a: }\nsteps: "
       "[{connect: a}]\n",
       3, 37, "rto_max (1.000000s) is shorter than rto_initial"},
      {"segment range upside down",
       "name: t\nprotocol: 5.0\nnetwork: {segment_bytes: [100, 10]}\nclients: {a: }\nsteps: "
       "[{connect: a}]\n",
       3, 26, "min above max"},
      {"unknown profile option",
       "name: t\nprotocol: 5.0\nbroker: {profile: {max_queue: 3}}\nclients: {a: }\nsteps: "
       "[{connect: a}]\n",
       3, 20, "unknown key 'max_queue' in a profile"},
      {"missing profile file",
       "name: t\nprotocol: 5.0\nbroker: {profile: nowhere.yaml}\nclients: {a: }\nsteps: [{connect: "
       "a}]\n",
       3, 19, "no profile file"},
      {"bad store",
       "name: t\nprotocol: 5.0\nbroker: {store: disk}\nclients: {a: }\nsteps: [{connect: a}]\n", 3,
       17, "store must be one of: volatile, durable"},
      {"bad client name", "name: t\nprotocol: 5.0\nclients: {a b: }\nsteps: [{connect: a}]\n", 3,
       11, "may use letters, digits"},
      {"misspelt client option",
       "name: t\nprotocol: 5.0\nclients: {a: {clientid: x}}\nsteps: [{connect: a}]\n", 3, 15,
       "did you mean 'client_id'?"},
      {"no steps", "name: t\nprotocol: 5.0\nclients: {a: }\nsteps: []\n", 4, 8,
       "at least one step"},

      // --- steps ---
      {"unknown step kind", prelude + "  - conect: a\n", 10, 5,
       "unknown step kind 'conect' (did you mean 'connect'?)"},
      {"two kinds in one step", prelude + "  - wait: 1s\n    publish: a\n", 11, 5,
       "one step does one thing"},
      {"undeclared client", prelude + "  - connect: aa\n", 10, 14, "unknown client 'aa'"},
      {"misspelt option", prelude + "  - connect: a\n    clean_strat: true\n", 11, 5,
       "did you mean 'clean_start'?"},
      {"clean_session on 5.0", prelude + "  - connect: a\n    clean_session: false\n", 11, 20,
       "MQTT 5.0 calls this flag clean_start"},
      {"session expiry on 3.1.1", prelude + "  - connect: b\n    session_expiry: 10s\n", 11, 21,
       "exists only in MQTT 5.0"},
      {"session expiry in fractions", prelude + "  - connect: a\n    session_expiry: 1.5s\n", 11,
       21, "whole seconds"},
      {"keep alive too long", prelude + "  - connect: a\n    keep_alive: 20h\n", 11, 17,
       "keep_alive is at most 65535s"},
      {"will without topic", prelude + "  - connect: a\n    will: {qos: 1, retain: true}\n", 11, 11,
       "a will needs a topic"},
      {"will qos 3", prelude + "  - connect: a\n    will: {topic: x, qos: 3}\n", 11, 27,
       "must be 0, 1 or 2"},
      {"will delay on 3.1.1", prelude + "  - connect: b\n    will: {topic: x, delay: 5s}\n", 11, 29,
       "exists only in MQTT 5.0"},
      {"will topic with wildcard", prelude + "  - connect: a\n    will: {topic: x/#}\n", 11, 19,
       "bad topic name 'x/#'"},
      {"session present with clean start",
       prelude + "  - connect: a\n    expect_session_present: true\n", 11, 29,
       "never has a session present (MQTT-3.2.2-2, 5.0)"},
      {"3.1.1 return code out of table", prelude + "  - connect: b\n    expect_code: 0x87\n", 11,
       18, "not a code a 3.1.1 CONNACK may carry"},
      {"unknown reason name", prelude + "  - connect: a\n    expect_code: nope\n", 11, 18,
       "'nope' is not a 5.0 CONNACK code name"},
      {"3.1.1 SUBACK codes have no names",
       prelude + "  - subscribe: b\n    filter: x\n    expect_codes: [accepted]\n", 12, 20,
       "not a 3.1.1 SUBACK code (write a number: 0, 1, 2 or 0x80)"},
      {"receive maximum 0", prelude + "  - connect: a\n    receive_maximum: 0\n", 11, 22,
       "receive_maximum must be at least 1"},
      {"maximum packet size 0", prelude + "  - connect: a\n    maximum_packet_size: 0\n", 11, 26,
       "maximum_packet_size must be at least 1"},
      {"topic alias maximum on 3.1.1", prelude + "  - connect: b\n    topic_alias_maximum: 4\n", 11,
       26, "exists only in MQTT 5.0"},
      {"topic alias 0",
       prelude + "  - connect: a\n  - publish: a\n    topic: x\n    topic_alias: 0\n", 13, 18,
       "topic_alias must be at least 1"},
      {"subscribe before connect", prelude + "  - subscribe: c\n    filter: x\n", 10, 16,
       "which no earlier step connects"},
      {"subscribe qos 3", prelude + "  - subscribe: a\n    filter: x\n    qos: 3\n", 12, 10,
       "must be 0, 1 or 2"},
      {"bad filter", prelude + "  - subscribe: a\n    filter: a/#/b\n", 11, 13,
       "bad topic filter 'a/#/b'"},
      {"retain handling 3", prelude + "  - subscribe: a\n    filter: x\n    retain_handling: 3\n",
       12, 22, "retain_handling 3 is a protocol error"},
      {"no_local on 3.1.1", prelude + "  - subscribe: b\n    filter: x\n    no_local: true\n", 12,
       15, "no_local exists only in MQTT 5.0"},
      {"no_local on a shared subscription",
       prelude + "  - subscribe: a\n    filter: $share/g/x\n    no_local: true\n", 12, 15,
       "MQTT-3.8.3-4"},
      {"subscription identifier 0",
       prelude + "  - subscribe: a\n    filter: x\n    subscription_identifier: 0\n", 12, 30,
       "from 1 to 268435455"},
      {"expect_codes count",
       prelude + "  - subscribe: a\n    filter: x\n    expect_codes: [0, 1]\n", 12, 19,
       "one code per subscription (1)"},
      {"filter and filters",
       prelude + "  - subscribe: a\n    filter: x\n    filters: [{filter: y}]\n", 11, 13,
       "with filters: give filter in each entry"},
      {"publish without topic", prelude + "  - publish: a\n    payload: x\n", 10, 5,
       "needs a topic"},
      {"publish to a filter", prelude + "  - publish: a\n    topic: a/+\n", 11, 12,
       "bad topic name 'a/+'"},
      {"publish count 0", prelude + "  - publish: a\n    topic: x\n    count: 0\n", 12, 12,
       "count must be at least 1"},
      {"interval without burst", prelude + "  - publish: a\n    topic: x\n    interval: 1s\n", 12,
       15, "needs count: 2 or more"},
      {"publish property on 3.1.1",
       prelude + "  - publish: b\n    topic: x\n    message_expiry: 10s\n", 12, 21,
       "exists only in MQTT 5.0"},
      {"disconnect raises zero expiry", prelude + "  - disconnect: a\n    session_expiry: 1m\n", 11,
       21, "§3.14.2.2.2"},
      {"disconnect reason on 3.1.1", prelude + "  - disconnect: b\n    reason: 0\n", 11, 13,
       "exists only in MQTT 5.0"},
      {"disconnect reason not allowed", prelude + "  - disconnect: a\n    reason: 0x01\n", 11, 13,
       "not a code a 5.0 DISCONNECT may carry"},
      {"half_open bad end", prelude + "  - half_open: a\n    noticed_by: both\n", 11, 17,
       "noticed_by must be one of: client, broker"},
      {"partition twice", prelude + "  - partition: [a, a]\n", 10, 20, "listed twice"},
      {"broker_restart bad store", prelude + "  - broker_restart: disk\n", 10, 21,
       "must be one of: volatile, durable"},
      {"time goes backwards", prelude + "  - wait: 10s\n  - publish: a\n    at: 5s\n    topic: x\n",
       12, 9, "goes back in time"},
      {"expect before connect", prelude + "  - expect: c\n    no_messages: true\n", 10, 13,
       "which no earlier step connects"},
      {"expect two forms", prelude + "  - expect: a\n    no_messages: true\n    closed: true\n", 10,
       5, "exactly one of messages:, no_messages: true, closed:"},
      {"expect bad order",
       prelude + "  - expect: a\n    messages: [{topic: x}]\n    order: sorted\n", 12, 12,
       "order must be one of: exact, in_order, unordered"},
      {"expect will without will", prelude + "  - expect: a\n    messages: [{will_of: b}]\n", 11,
       26, "declared no will"},
      {"a refused connect does not count as connected",
       prelude + "  - connect: c\n    expect_code: not_authorized\n  - publish: c\n    topic: x\n",
       12, 14, "which no earlier step connects"},
      {"expect dup on qos 0",
       prelude + "  - expect: a\n    messages: [{topic: x, qos: 0, dup: true}]\n", 11, 40,
       "MQTT-3.3.1-2"},
      {"expect closed reason on 3.1.1", prelude + "  - expect: b\n    closed: {reason: 0x8E}\n", 11,
       22, "exists only in MQTT 5.0"},
      {"expect within 0", prelude + "  - expect: a\n    no_messages: true\n    within: 0s\n", 12,
       13, "within must be longer than 0s"},
      {"faults with nothing to do", prelude + "  - faults: 1m\n", 10, 5, "needs at least one of"},
      {"faults partition range",
       prelude + "  - faults: 1m\n    partitions_per_hour: 1\n    partition_min: 5s\n    "
                 "partition_max: 1s\n",
       12, 20, "partition_min (5.000000s) is longer than partition_max"},
      {"a step that is not a mapping", prelude + "  - wait\n", 10, 5, "a step must be a mapping"},
      {"send_raw odd hex", prelude + "  - send_raw: a\n    bytes: \"c0 0\"\n", 11, 12,
       "character 4 starts a byte with one digit"},
      {"send_raw not hex", prelude + "  - send_raw: a\n    bytes: \"c0 zz\"\n", 11, 12,
       "character 4 is not a hex digit"},
      {"send_raw empty", prelude + "  - send_raw: a\n    bytes: \"  \"\n", 11, 12,
       "bytes is empty"},
      {"send_raw without bytes", prelude + "  - send_raw: a\n", 10, 5, "needs bytes:"},
      {"send_raw on a client never connected", prelude + "  - send_raw: c\n    bytes: c000\n", 10,
       15, "with new_connection: true, before it"},
      {"a raw connection is not a session",
       prelude + "  - send_raw: c\n    new_connection: true\n    bytes: c000\n  - publish: c\n"
                 "    topic: x\n",
       13, 14, "which no earlier step connects"},
      {"expect closed with reason and connack",
       prelude + "  - expect: a\n    closed: {reason: 0x81, connack: 0x81}\n", 11, 13,
       "give reason: or connack:, not both"},
  };
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_errors)

BOOST_AUTO_TEST_CASE(every_broken_scenario_fails_where_it_is_broken) {
  const auto cases = broken_cases();
  BOOST_TEST(cases.size() >= 30U);
  for (const BrokenCase& c : cases) {
    BOOST_TEST_CONTEXT(c.what) {
      try {
        (void)load_scenario_text(c.text, "broken.yaml");
        BOOST_ERROR("loaded without an error");
      } catch (const LoadError& error) {
        BOOST_TEST(error.file() == "broken.yaml");
        BOOST_TEST(error.line() == c.line, "line " << error.line() << ": " << error.what());
        BOOST_TEST(error.column() == c.column, "column " << error.column() << ": " << error.what());
        BOOST_TEST(std::string{error.what()}.find(c.message) != std::string::npos,
                   "message: " << error.what());
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(the_prelude_itself_is_valid) {
  BOOST_TEST(load_scenario_text(prelude, "prelude.yaml").steps.size() == 2U);
}

BOOST_AUTO_TEST_CASE(a_missing_file_is_a_load_error) {
  try {
    (void)load_scenario_file("/nonexistent/scenario.yaml");
    BOOST_ERROR("loaded a missing file");
  } catch (const LoadError& error) {
    BOOST_TEST(std::string{error.what()}.find("/nonexistent/scenario.yaml:0:0: cannot open") == 0U);
  }
}

BOOST_AUTO_TEST_CASE(hostile_input_is_bounded) {
  const std::string deep = "name: " + std::string(100, '[') + "\n";
  try {
    (void)load_scenario_text(deep, "deep.yaml");
    BOOST_ERROR("loaded deep nesting");
  } catch (const LoadError& error) {
    BOOST_TEST(error.line() == 1);
    BOOST_TEST(error.column() == 71);  // the 65th bracket
    BOOST_TEST(std::string{error.what()}.find("nested deeper than 64") != std::string::npos);
  }
  // Block nesting has no brackets; yaml-cpp's own depth guard stops it.
  std::string dashes;
  for (int i = 0; i < 3000; ++i) dashes += "- ";
  try {
    (void)load_scenario_text(dashes + "x\n", "dashes.yaml");
    BOOST_ERROR("loaded deep block nesting");
  } catch (const LoadError& error) {
    BOOST_TEST(std::string{error.what()}.find("collections nested") != std::string::npos);
  }
  // A send_raw step holds at most 64 KiB of hex.
  const std::string raw_step = "  - send_raw: a\n    new_connection: true\n    bytes: ";
  BOOST_CHECK_NO_THROW(
      (void)load_scenario_text(prelude + raw_step + std::string(64 * 1024, 'a') + "\n", "ok.yaml"));
  try {
    (void)load_scenario_text(prelude + raw_step + std::string(64 * 1024 + 2, 'a') + "\n",
                             "long.yaml");
    BOOST_ERROR("loaded more than 64 KiB of hex");
  } catch (const LoadError& error) {
    BOOST_TEST(std::string{error.what()}.find("at most 65536 are allowed") != std::string::npos);
  }
  const std::string huge(2 << 20, ' ');
  BOOST_CHECK_THROW((void)load_scenario_text(huge, "huge.yaml"), LoadError);
}

BOOST_AUTO_TEST_SUITE_END()
