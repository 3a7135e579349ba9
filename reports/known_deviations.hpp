#pragma once
// Known deviations of an external broker: findings the team verified by hand
// against the broker and listed in a checked-in file
// (reports/known-deviations/<broker>.yaml, read by sim/scenario's
// load_known_deviations). CI expects exactly those: a run passes when every
// failed finding is listed, and fails on a new one or on a listed deviation
// that no longer shows (the broker was fixed, or the scenario changed: the
// file must be updated either way).

#include <cstddef>
#include <string>
#include <vector>

#include "reports/run_report.hpp"

namespace mqttsim::reports {

struct KnownDeviation {
  // The scenario file, as the run names it (relative path); with `*`, a
  // pattern of files (`*` matches any text, `/` included), such as
  // "*/explore-seed-*.yaml" for every seed an explore run saved.
  std::string scenario;
  std::string check;     // the finding's check: "expect", "retained", ...
  std::string spec;      // one normative id with its version: "MQTT-3.3.1-9 (3.1.1)"
  std::string evidence;  // what was observed, and how it was verified by hand
  std::string where;     // file:line:column of the entry, for messages
  // It depends on timing the harness does not control: a run without it is
  // not a vanished deviation. The rate it was seen at ("3 of 20 runs");
  // empty for one that always shows.
  std::string intermittent_rate;
  bool intermittent() const { return !intermittent_rate.empty(); }
};

struct DeviationOutcome {
  // Failed findings no entry explains: "file: check: message".
  std::vector<std::string> unexpected;
  // Entries no failed finding matched: "where: scenario check spec".
  std::vector<std::string> vanished;
  // Intermittent entries that did not show this run (not a failure):
  // "where: scenario check spec (seen in 3 of 20 runs)".
  std::vector<std::string> absent_intermittent;
  std::size_t matched = 0;  // findings explained by an entry
  bool as_expected() const { return unexpected.empty() && vanished.empty(); }
};

// Marks each finding that a deviation explains (Finding::known_deviation)
// and says what is unexpected. A finding is explained by an entry with the
// same scenario file (compared after normalising "./" and "//"), the same
// check, and a spec id among the finding's. Scenarios that did not run
// (skipped, error) neither match nor make their entries vanish; errors are
// always unexpected. An explained finding is marked (known_deviation) and
// keeps only the spec ids its entries name.
DeviationOutcome apply_known_deviations(RunReport& report,
                                        const std::vector<KnownDeviation>& deviations);

}  // namespace mqttsim::reports
