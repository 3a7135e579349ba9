#pragma once
// Network faults: what can be injected now, scheduled at a time, or drawn at
// random rates over a window. Faults name clients, not connection ids, since
// a scenario cannot know ids in advance: a fault hits every live connection
// of the named client.

#include <cstdint>
#include <set>
#include <string>
#include <variant>

#include "base/time.hpp"

namespace mqttsim::net {

enum class End : std::uint8_t { client, broker };

// Both ends learn of the reset, each after its own delay; bytes in flight
// are lost, possibly mid-packet.
struct ResetFault {
  std::string client;
  Duration client_notice_delay = Duration::zero();
  Duration broker_notice_delay = Duration::zero();
};

// `learner` learns of a reset at once; the other end does not, and its
// writes vanish until its application gives up (keep-alive) or its
// retransmissions run out.
struct HalfOpenFault {
  std::string client;
  End learner = End::broker;
};

// Segments of these clients' connections are dropped until healed.
struct PartitionFault {
  std::set<std::string> clients;
};
// Ends the partition of these clients; an empty set heals everyone.
struct HealFault {
  std::set<std::string> clients;
};
// While the broker is down, connection attempts are refused.
struct BrokerUpFault {
  bool up = true;
};

using Fault = std::variant<ResetFault, HalfOpenFault, PartitionFault, HealFault, BrokerUpFault>;

struct ScheduledFault {
  TimePoint at;
  Fault fault;
};

// Random faults over a window. Inter-arrival times are uniform on
// [0, 2 * mean] with mean = 1 hour / rate (integers only, no exponential);
// each fault picks its target among the connections live when it fires.
struct FaultRates {
  std::uint32_t resets_per_hour = 0;
  std::uint32_t half_opens_per_hour = 0;
  std::uint32_t partitions_per_hour = 0;
  Duration reset_notice_delay_max = Duration::from_ms(100);
  Duration partition_duration_min = Duration::from_s(1);
  Duration partition_duration_max = Duration::from_s(10);
  // Only connections of these clients are hit; empty: every client.
  std::set<std::string> clients;
};

// TigerBeetle style: a window may schedule at most this many random faults
// of each kind.
inline constexpr std::uint64_t random_faults_per_kind_max = 100'000;

}  // namespace mqttsim::net
