#include "reports/known_deviations.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <filesystem>

namespace mqttsim::reports {

namespace {

std::string normal(const std::string& file) {
  return std::filesystem::path{file}.lexically_normal().generic_string();
}

// An entry's scenario names one file, or with `*` any number of files
// (fnmatch, `*` crossing `/` too): generated seeds are many files.
bool names(const KnownDeviation& deviation, const ScenarioReport& scenario) {
  if (deviation.scenario.find('*') == std::string::npos) {
    return normal(deviation.scenario) == normal(scenario.file);
  }
  return fnmatch(normal(deviation.scenario).c_str(), normal(scenario.file).c_str(), 0) == 0;
}

bool explains(const KnownDeviation& deviation, const ScenarioReport& scenario,
              const Finding& finding) {
  return names(deviation, scenario) && deviation.check == finding.check &&
         std::find(finding.spec.begin(), finding.spec.end(), deviation.spec) != finding.spec.end();
}

}  // namespace

DeviationOutcome apply_known_deviations(RunReport& report,
                                        const std::vector<KnownDeviation>& deviations) {
  DeviationOutcome outcome;
  std::vector<bool> seen(deviations.size(), false);
  std::vector<bool> ran(deviations.size(), false);
  for (ScenarioReport& scenario : report.scenarios) {
    for (std::size_t i = 0; i < deviations.size(); ++i) {
      if (names(deviations[i], scenario) &&
          (scenario.status == Status::passed || scenario.status == Status::failed)) {
        ran[i] = true;
      }
    }
    if (scenario.status == Status::error) {
      outcome.unexpected.push_back(scenario.file + ": error: " + scenario.error);
      continue;
    }
    for (Finding& finding : scenario.findings) {
      std::vector<std::string> broken;  // the ids the matching entries name
      for (std::size_t i = 0; i < deviations.size(); ++i) {
        if (!explains(deviations[i], scenario, finding)) continue;
        finding.known_deviation = true;
        seen[i] = true;
        if (std::find(broken.begin(), broken.end(), deviations[i].spec) == broken.end())
          broken.push_back(deviations[i].spec);
      }
      // A failed expectation carries every id its scenario claims; the entry
      // says which of them the broker breaks, and reports name only those.
      if (finding.known_deviation) finding.spec = std::move(broken);
      if (finding.known_deviation) {
        ++outcome.matched;
      } else {
        outcome.unexpected.push_back(scenario.file + ": " + finding.check + ": " + finding.message);
      }
    }
  }
  for (std::size_t i = 0; i < deviations.size(); ++i) {
    if (!ran[i] || seen[i]) continue;
    const KnownDeviation& d = deviations[i];
    const std::string entry = d.where + ": " + d.scenario + " " + d.check + " " + d.spec;
    if (d.intermittent()) {
      outcome.absent_intermittent.push_back(entry + " (seen in " + d.intermittent_rate + ")");
    } else {
      outcome.vanished.push_back(entry);
    }
  }
  return outcome;
}

}  // namespace mqttsim::reports
