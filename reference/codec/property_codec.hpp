#pragma once
// Reading and writing a 5.0 property list: the Property Length followed by
// the properties (§2.2.2). Internal to the codec.

#include "codec/properties.hpp"
#include "codec/wire.hpp"

namespace mqttsim::codec::wire {

// Writes the property length and every property that is set, in ascending
// identifier order (the canonical order). Repeated properties keep their
// order. Writes whatever is set, allowed in that packet or not, so tests can
// build invalid packets on purpose.
void write_properties(const Properties& properties, Writer& out);

// Reads a property length and the properties it covers, and checks them:
// known identifiers (MQTT 5.0 §2.2.2.2), allowed in `context`, not repeated
// unless the spec allows it, and values in range.
Properties read_properties(Reader& in, PropertyContext context);

}  // namespace mqttsim::codec::wire
