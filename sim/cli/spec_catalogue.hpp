#pragma once
// The normative statements of MQTT 3.1.1 and 5.0 (reference/spec/*.tsv,
// compiled into the binary), for `mqttsim coverage`.

#include <string>
#include <vector>

#include "base/spec_ref.hpp"

namespace mqttsim::cli {

struct Statement {
  ProtocolVersion version = ProtocolVersion::v3_1_1;
  std::string id;       // "MQTT-3.1.2-4"
  std::string section;  // "3.1.2 Variable header"
  std::string actor;    // "Server", "Client" or "Both"
  std::string level;    // "MUST", "MUST NOT", ...
  std::string area;     // "session", "retain", ...
  std::string summary;
};

// Every statement of `version`, in the file's order.
const std::vector<Statement>& statements(ProtocolVersion version);

}  // namespace mqttsim::cli
