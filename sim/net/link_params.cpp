#include "net/link_params.hpp"

namespace mqttsim::net {

std::string_view to_string(LinkParamsError error) {
  switch (error) {
    case LinkParamsError::latency_out_of_range:
      return "latency must be between 0 and 3600 s";
    case LinkParamsError::jitter_out_of_range:
      return "jitter must be between 0 and 3600 s";
    case LinkParamsError::loss_above_one_million:
      return "loss_ppm must be at most 1000000";
    case LinkParamsError::segment_bounds_invalid:
      return "segment sizes need 1 <= segment_bytes_min <= segment_bytes_max <= 65536";
    case LinkParamsError::rto_invalid:
      return "rto_initial must be positive and rto_max at least rto_initial";
    case LinkParamsError::max_retransmits_above_limit:
      return "max_retransmits must be at most 30";
  }
  return "?";
}

std::optional<LinkParamsError> validate(const LinkParams& params) {
  if (params.latency < Duration::zero() || params.latency > latency_limit) {
    return LinkParamsError::latency_out_of_range;
  }
  if (params.jitter < Duration::zero() || params.jitter > latency_limit) {
    return LinkParamsError::jitter_out_of_range;
  }
  if (params.loss_ppm > 1'000'000) return LinkParamsError::loss_above_one_million;
  if (params.segment_bytes_min == 0 || params.segment_bytes_min > params.segment_bytes_max ||
      params.segment_bytes_max > segment_bytes_limit) {
    return LinkParamsError::segment_bounds_invalid;
  }
  if (params.rto_initial <= Duration::zero() || params.rto_max < params.rto_initial) {
    return LinkParamsError::rto_invalid;
  }
  if (params.max_retransmits > max_retransmits_limit) {
    return LinkParamsError::max_retransmits_above_limit;
  }
  return std::nullopt;
}

std::string describe(const LinkParams& params) {
  return "latency_us=" + std::to_string(params.latency.count_us()) +
         " jitter_us=" + std::to_string(params.jitter.count_us()) +
         " bandwidth_bytes_per_s=" + std::to_string(params.bandwidth_bytes_per_s) +
         " loss_ppm=" + std::to_string(params.loss_ppm) +
         " rto_initial_us=" + std::to_string(params.rto_initial.count_us()) +
         " rto_max_us=" + std::to_string(params.rto_max.count_us()) +
         " max_retransmits=" + std::to_string(params.max_retransmits) +
         " segment_bytes=" + std::to_string(params.segment_bytes_min) + ".." +
         std::to_string(params.segment_bytes_max);
}

}  // namespace mqttsim::net
