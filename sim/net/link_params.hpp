#pragma once
// The behaviour of one simulated link. Defaults come from the scenario; a
// client may override them for its own connections.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/time.hpp"

namespace mqttsim::net {

struct LinkParams {
  // One-way delay of every segment, plus a uniform extra in [0, jitter].
  // Jitter never reorders a stream: a segment never arrives before an earlier one.
  Duration latency = Duration::from_ms(5);
  Duration jitter = Duration::zero();
  // Serialisation delay of each segment at this rate; 0 is unlimited.
  std::uint64_t bandwidth_bytes_per_s = 0;
  // Chance that one transmission of a segment is lost. A lost segment is
  // retransmitted after the RTO, which doubles each time up to rto_max; the
  // segments behind it wait (head-of-line blocking). When max_retransmits
  // retransmissions of one segment went unanswered for one more RTO, the
  // sender gives up and resets (closes with `timeout`).
  std::uint32_t loss_ppm = 0;
  Duration rto_initial = Duration::from_ms(200);
  Duration rto_max = Duration::from_s(60);
  std::uint32_t max_retransmits = 8;
  // Each write is cut into segments of a uniformly drawn size in [min, max]
  // (the last one may be shorter), so framers see partial packets.
  std::uint32_t segment_bytes_min = 1460;
  std::uint32_t segment_bytes_max = 1460;

  bool operator==(const LinkParams&) const = default;
};

// Limits on the parameters (TigerBeetle style: every loop they drive stays bounded).
inline constexpr std::uint32_t segment_bytes_limit = 65'536;
inline constexpr std::uint32_t max_retransmits_limit = 30;
inline constexpr Duration latency_limit = Duration::from_s(3'600);

enum class LinkParamsError : std::uint8_t {
  latency_out_of_range,  // negative or above latency_limit
  jitter_out_of_range,   // negative or above latency_limit
  loss_above_one_million,
  segment_bounds_invalid,  // min 0, min > max, or max above segment_bytes_limit
  rto_invalid,             // rto_initial <= 0 or rto_max < rto_initial
  max_retransmits_above_limit,
};

std::string_view to_string(LinkParamsError error);
std::optional<LinkParamsError> validate(const LinkParams& params);

// "latency_us=5000 jitter_us=0 ..." for the trace.
std::string describe(const LinkParams& params);

}  // namespace mqttsim::net
