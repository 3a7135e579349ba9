// Populations: one declaration for many clients, and steps that address
// all of them, a slice, or name them in for_each; each expands into one
// step per member with "{i}" read as the member's number. Broken
// population files give a LoadError located at the culprit.

#include <boost/test/unit_test.hpp>

#include "scenario/scenario_loader.hpp"
#include "scenario/scenario_writer.hpp"

using namespace mqttsim;
using namespace mqttsim::scenario;

namespace {

// Lines 1-7; cases append steps from line 8 on.
const std::string prelude =
    "name: t\n"                                      // 1
    "protocol: 3.1.1\n"                              // 2
    "clients:\n"                                     // 3
    "  hub:\n"                                       // 4
    "  sensors: {count: 4, client_id: \"s-{i}\"}\n"  // 5
    "  pumps: {count: 2}\n"                          // 6
    "steps:\n";                                      // 7

template <typename T>
std::vector<const T*> steps_of(const Scenario& s) {
  std::vector<const T*> found;
  for (const Step& step : s.steps) {
    if (const auto* action = std::get_if<T>(&step.action)) found.push_back(action);
  }
  return found;
}

void expect_error(const std::string& text, int line, int column, const std::string& message) {
  try {
    load_scenario_text(text, "p.yaml");
    BOOST_ERROR("loaded, expected: " << message);
  } catch (const LoadError& error) {
    BOOST_TEST(error.line() == line, error.what());
    BOOST_TEST(error.column() == column, error.what());
    BOOST_TEST(std::string{error.what()}.find(message) != std::string::npos, error.what());
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_populations)

BOOST_AUTO_TEST_CASE(a_population_declares_its_members) {
  const Scenario s = load_scenario_text(prelude + "  - connect: hub\n", "p.yaml");
  BOOST_TEST_REQUIRE(s.clients.size() == 7u);
  BOOST_TEST(s.clients[0].name == "hub");
  BOOST_TEST(s.clients[1].name == "sensors[0]");
  BOOST_TEST(s.clients[1].client_id == "s-0");
  BOOST_TEST(s.clients[4].name == "sensors[3]");
  BOOST_TEST(s.clients[4].client_id == "s-3");
  BOOST_TEST(s.clients[6].client_id == "pumps-1");  // the default pattern NAME-{i}
  BOOST_TEST(s.clients[4].where.line == 5);
  BOOST_TEST_REQUIRE(s.populations.size() == 2u);
  BOOST_TEST(s.populations[0].name == "sensors");
  BOOST_TEST(s.populations[0].count == 4u);
  BOOST_TEST(s.populations[0].client_id == "s-{i}");
}

BOOST_AUTO_TEST_CASE(a_step_on_a_population_runs_once_per_member) {
  const Scenario s = load_scenario_text(prelude +
                                            "  - connect: sensors\n"          // 8
                                            "    clean_session: false\n"      // 9
                                            "    at: 2s\n"                    // 10
                                            "  - subscribe: sensors[1..2]\n"  // 11
                                            "    filter: \"s/{i}/cmd\"\n"     // 12
                                            "    qos: 1\n"                    // 13
                                            "  - connect: hub\n"              // 14
                                            "  - publish: hub\n"              // 15
                                            "    for_each: sensors[2..3]\n"   // 16
                                            "    topic: \"s/{i}/cmd\"\n"      // 17
                                            "    payload: \"go {i} #{n}\"\n"  // 18
                                            "  - expect: sensors[2]\n"        // 19
                                            "    messages: [{topic: \"s/{i}/cmd\"}]\n",
                                        "p.yaml");
  const auto connects = steps_of<ConnectStep>(s);
  BOOST_TEST_REQUIRE(connects.size() == 5u);
  BOOST_TEST(connects[0]->client == "sensors[0]");
  BOOST_TEST(connects[3]->client == "sensors[3]");
  BOOST_TEST(!connects[3]->clean_start);
  // `at` belongs to the first member's step: the others follow it.
  BOOST_TEST(s.steps[0].at.has_value());
  BOOST_TEST(!s.steps[1].at.has_value());
  BOOST_TEST(s.steps[3].where.line == 8);
  const auto subscribes = steps_of<SubscribeStep>(s);
  BOOST_TEST_REQUIRE(subscribes.size() == 2u);
  BOOST_TEST(subscribes[0]->client == "sensors[1]");
  BOOST_TEST(subscribes[1]->subscriptions.front().topic_filter == "s/2/cmd");
  const auto publishes = steps_of<PublishStep>(s);
  BOOST_TEST_REQUIRE(publishes.size() == 2u);
  BOOST_TEST(publishes[0]->client == "hub");  // for_each: the hub acts, once per member
  BOOST_TEST(publishes[0]->topic == "s/2/cmd");
  BOOST_TEST(publishes[1]->payload == "go 3 #{n}");  // {n} stays for the burst
  const auto expects = steps_of<ExpectMessagesStep>(s);
  BOOST_TEST_REQUIRE(expects.size() == 1u);
  BOOST_TEST(expects[0]->client == "sensors[2]");
  BOOST_TEST(expects[0]->messages.front().topic == "s/2/cmd");
}

BOOST_AUTO_TEST_CASE(spread_marks_each_member_step) {
  const Scenario s = load_scenario_text(prelude +
                                            "  - connect: pumps\n"
                                            "    spread: 30s\n"
                                            "  - drop: pumps[1]\n",
                                        "p.yaml");
  BOOST_TEST_REQUIRE(s.steps.size() == 3u);
  BOOST_TEST((s.steps[0].spread == Duration::from_s(30)));
  BOOST_TEST((s.steps[1].spread == Duration::from_s(30)));
  BOOST_TEST(!s.steps[2].spread.has_value());
  BOOST_TEST(std::get<DropStep>(s.steps[2].action).client == "pumps[1]");
}

BOOST_AUTO_TEST_CASE(a_population_and_a_list_of_clients) {
  const Scenario s = load_scenario_text(prelude +
                                            "  - connect: sensors\n"
                                            "  - partition: [hub, \"sensors[0..1]\"]\n"
                                            "  - heal: pumps\n",
                                        "p.yaml");
  const auto partitions = steps_of<PartitionStep>(s);
  BOOST_TEST_REQUIRE(partitions.size() == 1u);
  BOOST_TEST((partitions[0]->clients == std::set<std::string>{"hub", "sensors[0]", "sensors[1]"}));
  BOOST_TEST(steps_of<HealStep>(s).front()->clients.size() == 2u);
}

BOOST_AUTO_TEST_CASE(the_writer_refuses_a_population) {
  const Scenario s = load_scenario_text(prelude + "  - connect: hub\n", "p.yaml");
  BOOST_CHECK_THROW(to_yaml(s), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(broken_populations_are_located) {
  const std::string head = "name: t\nprotocol: 3.1.1\nclients:\n";
  expect_error(head + "  s: {count: 0}\nsteps: [{connect: s}]\n", 4, 14,
               "a population needs a count of at least 1");
  expect_error(head + "  s: {count: 10001}\nsteps: [{connect: s}]\n", 4, 14,
               "count must be a whole number");
  expect_error(head + "  s: {count: 3, client_id: same}\nsteps: [{connect: s}]\n", 4, 28,
               "the client_id of a population needs {i}");
  expect_error(head + "  s: {count: 2}\n  s: \nsteps: [{connect: s}]\n", 5, 3,
               "client 's' is declared twice");
  expect_error(prelude + "  - connect: sensors[2..9]\n", 8, 14,
               "member 9 of population 'sensors', which has 4");
  expect_error(prelude + "  - connect: sensors[3..1]\n", 8, 14, "runs backwards");
  expect_error(prelude + "  - connect: sensors[x]\n", 8, 14, "sensors[FIRST..LAST] or sensors[N]");
  expect_error(prelude + "  - connect: hub\n    spread: 5s\n", 9, 13,
               "this step addresses no population");
  expect_error(prelude + "  - connect: hub\n  - publish: hub\n    topic: \"s/{i}\"\n", 10, 12,
               "{i} stands for the number of a population's member");
  expect_error(prelude +
                   "  - connect: sensors\n  - expect: sensors\n    spread: 5s\n"
                   "    messages: [{topic: t}]\n",
               10, 13, "spread is for actions");
  expect_error(
      prelude + "  - connect: sensors\n    spread: 5s\n    expect_session_present: false\n", 9, 13,
      "cannot have an expected CONNACK");
  expect_error(prelude + "  - connect: hub\n  - publish: hub\n    for_each: hub\n    topic: t\n",
               10, 15, "for_each names a population");
  expect_error(prelude + "  - connect: sensors\n    for_each: pumps\n", 9, 15,
               "the step already addresses population 'sensors'");
  expect_error(prelude + "  - connect: hub\n  - expect: hub\n    messages: [{will_of: pumps}]\n",
               10, 26, "'pumps' is a population");
  // A small file cannot make the loader build without bound.
  std::string many = head + "  s: {count: 10000}\nsteps:\n";
  for (int k = 0; k < 101; ++k) many += "  - connect: s\n";
  expect_error(many, 106, 5, "the scenario expands to more than 1000000 steps");
  // A member's own error says which member.
  expect_error(prelude + "  - connect: sensors\n  - subscribe: sensors\n    filter: \"a/{i}#\"\n",
               10, 13, "for member sensors[0]: ");
}

BOOST_AUTO_TEST_SUITE_END()
