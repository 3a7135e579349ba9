#include "scenario/deviations_loader.hpp"

#include <regex>

#include "scenario/yaml_reader.hpp"

namespace mqttsim::scenario {

KnownDeviations load_known_deviations(const std::string& path) {
  const YamlReader yaml{path};
  const YAML::Node root = yaml.load_file();
  yaml.expect_map(root, "a known-deviations file");
  yaml.check_keys(root, {"broker", "deviations"}, "a known-deviations file");
  KnownDeviations file;
  if (!root["broker"]) yaml.fail(root, "give broker: (name and version of the broker)");
  file.broker = yaml.read_string(root["broker"], "broker");
  const YAML::Node list = root["deviations"];
  if (!list) return file;  // a broker with no known deviation
  if (!list.IsSequence() && !list.IsNull()) yaml.fail(list, "deviations must be a list");
  // "MQTT-3.3.1-9 (3.1.1)": an id names a statement only with its version.
  static const std::regex spec_form{R"(MQTT-[0-9]+(\.[0-9]+)*-[0-9]+ \((3\.1\.1|5\.0)\))"};
  for (const YAML::Node& entry : list) {
    yaml.expect_map(entry, "a deviation");
    yaml.check_keys(entry, {"scenario", "check", "spec", "evidence", "intermittent"},
                    "a deviation");
    for (const char* key : {"scenario", "check", "spec", "evidence"}) {
      if (!entry[key]) yaml.fail(entry, std::string{"a deviation needs "} + key + ":");
    }
    DeviationEntry deviation{.scenario = yaml.read_string(entry["scenario"], "scenario"),
                             .check = yaml.read_string(entry["check"], "check"),
                             .spec = yaml.read_string(entry["spec"], "spec"),
                             .evidence = yaml.read_string(entry["evidence"], "evidence")};
    if (const YAML::Node intermittent = entry["intermittent"]) {
      // The rate it was seen at, so that a reader can weigh it and a later
      // run of scripts/repeat-check can be compared with it.
      static const std::regex rate_form{R"(([0-9]+) of ([0-9]+) runs)"};
      const std::string rate = intermittent.IsScalar() ? intermittent.Scalar() : "";
      std::smatch counts;
      if (!std::regex_match(rate, counts, rate_form) || std::stoul(counts[1]) == 0 ||
          counts[1].length() > 6 || counts[2].length() > 6 ||
          std::stoul(counts[1]) >= std::stoul(counts[2])) {
        yaml.fail(intermittent,
                  "intermittent names the rate it was seen at, such as \"3 of 20 runs\" "
                  "(scripts/repeat-check --runs 20), fewer than all");
      }
      deviation.intermittent_rate = rate;
    }
    if (!std::regex_match(deviation.spec, spec_form)) {
      yaml.fail(entry["spec"], "spec must be an id with its version, such as MQTT-3.3.1-9 (3.1.1)");
    }
    if (deviation.evidence.size() < 20) {
      yaml.fail(entry["evidence"],
                "evidence must say what was observed and how it was verified by hand");
    }
    const YAML::Mark mark = entry.Mark();
    deviation.where =
        path + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
    file.deviations.push_back(std::move(deviation));
  }
  return file;
}

}  // namespace mqttsim::scenario
