#pragma once
// The conformance report of `mqttsim check --report F.md`: for a broker,
// every normative statement (Server and Both) of each version the run
// exercised, whether it passed or failed (with the evidence and the
// reproducer), and which were not exercised. Markdown, for people.

#include <string>
#include <vector>

#include "reports/run_report.hpp"

namespace mqttsim::reports {

// One statement of the catalogue (reference/spec/*.tsv), as the CLI hands it in.
struct StatementInfo {
  std::string version;  // "3.1.1" or "5.0"
  std::string id;       // "MQTT-3.2.2-2"
  std::string area;
  std::string summary;
};

struct ConformanceContext {
  std::string broker;          // "127.0.0.1:1883"
  std::string broker_version;  // as the broker announced it; "" when it did not
  std::string transport;       // "TCP", "TLS"
  std::string profile;         // the profile's name
  double run_time_s = 0;       // wall time of the whole run
};

std::string to_conformance_markdown(const RunReport& report, const ConformanceContext& context,
                                    const std::vector<StatementInfo>& statements);

}  // namespace mqttsim::reports
