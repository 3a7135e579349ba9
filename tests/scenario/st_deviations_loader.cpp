// The known-deviations file: read as written, errors located.
#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "scenario/deviations_loader.hpp"
#include "scenario/load_error.hpp"

using namespace mqttsim::scenario;

namespace {

std::string write(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream{path} << text;
  return path.string();
}

std::string error_of(const std::string& text) {
  const std::string path = write("mqttsim-deviations-bad.yaml", text);
  try {
    load_known_deviations(path);
  } catch (const LoadError& error) {
    return std::string{error.what()}.substr(path.size());
  }
  return "loaded";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_deviations_loader)

BOOST_AUTO_TEST_CASE(entries_are_read_with_their_location) {
  const std::string path = write("mqttsim-deviations.yaml", R"(broker: mosquitto 2.0.11
deviations:
  - scenario: scenarios/retained/a.yaml
    check: retained
    spec: MQTT-3.3.1-6 (3.1.1)
    evidence: sent the older retained payload; seen with mosquitto_sub -v
)");
  const KnownDeviations file = load_known_deviations(path);
  BOOST_TEST(file.broker == "mosquitto 2.0.11");
  BOOST_TEST_REQUIRE(file.deviations.size() == 1u);
  BOOST_TEST(file.deviations[0].spec == "MQTT-3.3.1-6 (3.1.1)");
  BOOST_TEST(file.deviations[0].where == path + ":3:5");
  BOOST_TEST(!file.deviations[0].intermittent());
}

BOOST_AUTO_TEST_CASE(an_intermittent_entry_names_the_rate_it_was_seen_at) {
  const std::string path = write("mqttsim-intermittent.yaml", R"(broker: mosquitto 2.0.11
deviations:
  - scenario: scenarios/faults/a.yaml
    check: dup-flag
    spec: MQTT-3.3.1-3 (5.0)
    evidence: DUP=1 on a first send when a reset falls beside the write
    intermittent: 3 of 20 runs
)");
  const DeviationEntry entry = load_known_deviations(path).deviations.at(0);
  BOOST_TEST(entry.intermittent());
  BOOST_TEST(entry.intermittent_rate == "3 of 20 runs");
}

BOOST_AUTO_TEST_CASE(intermittent_without_a_rate_is_refused_where_it_stands) {
  const std::string entry =
      "broker: x\ndeviations:\n  - scenario: a\n    check: b\n    spec: MQTT-3.3.1-6 (3.1.1)\n"
      "    evidence: long enough evidence text here\n    intermittent: ";
  for (const std::string rate : {"true", "0 of 20 runs", "20 of 20 runs", "3 of 20", "often"}) {
    const std::string error = error_of(entry + rate + "\n");
    BOOST_TEST(error.find(":7:19: intermittent names the rate it was seen at") != std::string::npos,
               rate + ": " + error);
  }
}

BOOST_AUTO_TEST_CASE(a_broker_without_deviations_is_fine) {
  BOOST_TEST(load_known_deviations(write("mqttsim-none.yaml", "broker: x\ndeviations: []\n"))
                 .deviations.empty());
}

BOOST_AUTO_TEST_CASE(mistakes_are_located) {
  BOOST_TEST(
      error_of("broker: x\ndeviations:\n  - scenario: a\n    check: b\n    spec: MQTT-3.3.1-6\n"
               "    evidence: long enough evidence text here\n") ==
      ":5:11: spec must be an id with its version, such as MQTT-3.3.1-9 (3.1.1)");
  BOOST_TEST(error_of("broker: x\ndeviations:\n  - scenario: a\n    check: b\n") ==
             ":3:5: a deviation needs spec:");
  BOOST_TEST(
      error_of("broker: x\ndeviations:\n  - scenario: a\n    check: b\n    spec: MQTT-3.3.1-6 "
               "(3.1.1)\n    evidence: short\n") ==
      ":6:15: evidence must say what was observed and how it was verified by hand");
  BOOST_TEST(error_of("broker: x\nextra: 1\n").find(":2:1: unknown key") == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
