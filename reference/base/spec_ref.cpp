#include "base/spec_ref.hpp"

namespace mqttsim {

std::string_view to_string(ProtocolVersion version) {
  return version == ProtocolVersion::v5_0 ? "5.0" : "3.1.1";
}

std::string to_string(const SpecRef& ref) {
  std::string text{ref.id};
  text += " (";
  text += to_string(ref.version);
  text += ')';
  return text;
}

}  // namespace mqttsim
