#pragma once
// The broker's handle of a live session: a small number, given when the
// session is created or restored and taken back when it ends. The routing
// path names sessions by it, so a message fanning out to thousands of
// subscribers costs no client-id string copies or lookups.

#include <cstdint>

namespace mqttsim::broker {

using SessionOrdinal = std::uint32_t;

}  // namespace mqttsim::broker
