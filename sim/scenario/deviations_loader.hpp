#pragma once
// The known-deviations file of an external broker
// (reports/known-deviations/<broker>.yaml): findings of `mqttsim check` the
// team verified by hand, which CI then expects (see reports/known_deviations.hpp).
//
//   broker: mosquitto 2.0.11 (Debian 12)
//   deviations:
//     - scenario: scenarios/retained/retained-on-new-subscription.yaml
//       check: retained
//       spec: MQTT-3.3.1-6 (3.1.1)
//       evidence: >
//         what the broker sent, and the command that showed it by hand
//       intermittent: 3 of 20 runs   # only for one that timing decides

#include <string>
#include <vector>

namespace mqttsim::scenario {

struct DeviationEntry {
  std::string scenario;  // relative to the folder `mqttsim check` runs in
  std::string check;
  std::string spec;  // "MQTT-x.y.z-n (3.1.1)" or "(5.0)": the version is required
  std::string evidence;
  std::string where;  // file:line:column of the entry
  // `intermittent: 3 of 20 runs`: timing decides whether it shows; the rate
  // it showed at in repeated runs (scripts/repeat-check). Empty: always.
  std::string intermittent_rate;
  bool intermittent() const { return !intermittent_rate.empty(); }
};

struct KnownDeviations {
  std::string broker;
  std::vector<DeviationEntry> deviations;
};

// Reads and checks the file (located LoadErrors: unknown keys, a spec id
// without its version, a missing evidence).
KnownDeviations load_known_deviations(const std::string& path);

}  // namespace mqttsim::scenario
