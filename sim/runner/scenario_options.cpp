#include "runner/scenario_options.hpp"

namespace mqttsim::runner {

namespace {

codec::Bytes to_bytes(const std::string& text) { return codec::Bytes(text.begin(), text.end()); }

codec::Will will_of(const scenario::WillMessage& will) {
  codec::Will out{.topic = will.topic,
                  .payload = to_bytes(will.payload),
                  .qos = will.qos,
                  .retain = will.retain};
  out.properties.will_delay_interval = will.delay_s;
  out.properties.message_expiry_interval = will.message_expiry_s;
  out.properties.user_properties = will.user_properties;
  return out;
}

}  // namespace

net::LinkParams link_params(const scenario::Link& link) {
  return {.latency = link.latency,
          .jitter = link.jitter,
          .bandwidth_bytes_per_s = link.bandwidth_bytes_per_s,
          .loss_ppm = link.loss_ppm,
          .rto_initial = link.rto_initial,
          .rto_max = link.rto_max,
          .max_retransmits = link.max_retransmits,
          .segment_bytes_min = link.segment_bytes_min,
          .segment_bytes_max = link.segment_bytes_max};
}

protocol::ClientOptions client_options(const scenario::Client& client) {
  protocol::ClientOptions options;
  options.client_id = client.client_id;
  options.version = client.protocol;
  options.username = client.username;
  if (client.password) options.password = to_bytes(*client.password);
  return options;
}

protocol::ClientOptions client_options(const scenario::Client& client,
                                       const scenario::ConnectStep& step) {
  protocol::ClientOptions options = client_options(client);
  options.clean_start = step.clean_start;
  options.keep_alive_s = step.keep_alive_s;
  if (client.protocol == ProtocolVersion::v5_0) {
    options.session_expiry_interval_s = step.session_expiry_s;
    if (step.receive_maximum) options.receive_maximum = *step.receive_maximum;
    options.maximum_packet_size_bytes = step.maximum_packet_size.value_or(0);
    options.topic_alias_maximum = step.topic_alias_maximum.value_or(0);
    if (step.request_problem_information) {
      options.connect_properties.request_problem_information =
          *step.request_problem_information ? 1 : 0;
    }
  }
  if (step.will) options.will = will_of(*step.will);
  if (step.username) options.username = step.username;
  if (step.password) options.password = to_bytes(*step.password);
  return options;
}

}  // namespace mqttsim::runner
