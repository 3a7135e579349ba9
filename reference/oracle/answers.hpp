#pragma once
// What the broker's answers prove it had read. Seen from outside
// (trace::Mark::observed_from_outside), the trace orders each connection's
// packets as the broker read them, but not the packets of two connections:
// the broker may read a SUBSCRIBE the harness wrote to one socket before a
// PUBLISH written earlier to another. Only what the broker wrote back on a
// connection proves how far it had read that connection, since a broker
// reads each connection in order.

#include <cstddef>
#include <optional>
#include <vector>

#include "oracle/observation.hpp"

namespace mqttsim::oracle {

// The first packet the broker sent on `c` that answers the client packet
// at trace index `from` or a later client packet on `c`: by then it had
// read, and acted on, the packet at `from`. The answers: PUBACK and PUBREC
// to a PUBLISH, PUBREL to a PUBREC, PUBCOMP to a PUBREL, SUBACK, UNSUBACK
// and PINGRESP. Nullopt when the broker answered none of them.
std::optional<TraceIndex> answered_by(const ConnectionView& c, TraceIndex from);

// The connection among `candidates` that holds the packet at trace index
// `index`, if one does.
const ConnectionView* connection_holding(const Observation& seen,
                                         const std::vector<ConnectionIndex>& candidates,
                                         TraceIndex index);

}  // namespace mqttsim::oracle
