#pragma once
// The workload generator of `mqttsim explore`: one seed makes one Scenario,
// in the landed model, with no hand-written expectation. The oracle alone
// judges its trace.
//
// A generated scenario has four phases:
//   1. set-up: every client connects (persistent or clean; some with a will)
//      and subscribes to overlapping filters on purpose (`#`, `+` at each
//      level, exact names, a `$` topic);
//   2. the fault window: a random workload (publish bursts, unsubscribes
//      and re-subscribes, graceful disconnects and reconnects, clean-session
//      toggles, takeovers by a second device) with the seed's swarm of
//      faults written out between its actions as explicit steps (`drop`,
//      `half_open`, `partition` and its `heal`, `crash`, `broker_restart`),
//      and a `faults` step for the window's packet loss;
//   3. the liveness phase: faults stop, partitions heal, and every client
//      reconnects (a persistent one resumes its session, a clean one
//      subscribes again, as it does after every clean connect);
//   4. a quiet wait, so that from then on the no-loss check holds with
//      nothing pending.
//
// Swarm faults (as in swarm testing: each seed switches on a random subset
// of fault kinds, so that kinds which mask each other are also tried
// apart). Each kind is on with probability 1/2 and, when on, gets a rate
// drawn within its level's range; the window (20 s - 60 s) then holds the
// rate's expected number of that fault, each at a drawn action, on a
// drawn client:
//
//   kind                 light            heavy
//   loss                 0.1 % - 3 %      1 % - 30 %
//   resets               6 - 120 /h       60 - 1200 /h
//   half-open links      6 - 60 /h        60 - 600 /h
//   partitions           6 - 60 /h        60 - 600 /h
//     each lasting       1 s - 5 s        1 s - 20 s
//   segmentation         segments of 1 - 64 bytes up to 1460
//   slow links           one client at 100 ms - 800 ms latency, jitter
//   client crashes       1 - 2            1 - 4
//   broker restarts      1                1 - 2 (durable or volatile)
//
// Writing each fault as a step (rather than a rate the runner draws from)
// is what lets a failing seed be read, edited and shrunk fault by fault.
//
// Determinism (DESIGN.md): every draw comes from kernel::Rng sub-streams
// derived from the seed by name, one per part of the scenario, so a change
// to how one part draws does not shift the others.

#include <cstdint>
#include <string>

#include "profile/profile.hpp"
#include "scenario/scenario.hpp"

namespace mqttsim::explore {

enum class ProtocolMix : std::uint8_t { mixed, v3_1_1, v5_0 };
enum class FaultLevel : std::uint8_t { none, light, heavy };

// The generator's knobs; the defaults are the widest ranges.
struct GeneratorOptions {
  // Clients drawn per scenario; a second device that takes one's session
  // over (about one persistent client in five gets one) comes on top.
  std::uint32_t clients_min = 2;
  std::uint32_t clients_max = 20;
  ProtocolMix protocol = ProtocolMix::mixed;
  FaultLevel faults = FaultLevel::light;
  Profile profile;  // the broker's choices where the standard says MAY
  // Whether to rely on MQTT intervals that run out during the scenario: a
  // brief 5.0 Session Expiry, Will Delay and Message Expiry, and half-open
  // links (found by keep-alive). A real broker played at a --time-scale
  // other than 1 cannot honour them (explore --broker turns them off); the
  // draws are made either way, so the clients and their set-up are the same.
  bool short_intervals = true;
  // Whether to restart the broker (a real broker needs --restart-command).
  bool broker_restarts = true;
  // Put before every topic and filter ("s17/": t/a/x becomes s17/t/a/x, `#`
  // becomes s17/#, $s/a becomes $s/s17/a). explore --broker gives each seed
  // its own, so that seeds played side by side on one broker never meet.
  // Empty: the topics as listed in generator.cpp.
  std::string topic_root;
};

// The most clients a generated scenario may have (--clients).
inline constexpr std::uint32_t generated_clients_limit = 50;

// The scenario seed `seed` makes: the same seed and options, the same
// scenario, on every machine.
scenario::Scenario generate(std::uint64_t seed, const GeneratorOptions& options);

std::string_view to_string(ProtocolMix mix);   // "mixed", "3.1.1", "5.0"
std::string_view to_string(FaultLevel level);  // "none", "light", "heavy"

}  // namespace mqttsim::explore
