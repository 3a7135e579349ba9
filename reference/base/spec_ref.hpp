#pragma once
// A pointer into the MQTT standards: which version, and which normative
// statement ("MQTT-3.3.1-4") or, for the unnumbered rules, which section
// ("§2.2.2.2"). The same id means different things in 3.1.1 and 5.0, so an id
// is never used without its version (see ../shared/spec/README.md).

#include <cstdint>
#include <string>
#include <string_view>

namespace mqttsim {

enum class ProtocolVersion : std::uint8_t {
  v3_1_1 = 4,  // the protocol level byte of CONNECT
  v5_0 = 5,
};

std::string_view to_string(ProtocolVersion version);  // "3.1.1" or "5.0"

struct SpecRef {
  ProtocolVersion version;
  std::string_view id;  // "MQTT-3.3.1-4" or "§2.2.2.2"; static storage

  bool operator==(const SpecRef&) const = default;
};

// "MQTT-3.3.1-4 (3.1.1)"
std::string to_string(const SpecRef& ref);

}  // namespace mqttsim
