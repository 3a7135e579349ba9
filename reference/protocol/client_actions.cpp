#include "protocol/client_actions.hpp"

namespace mqttsim::protocol {

std::string_view to_string(CloseReason reason) {
  switch (reason) {
    case CloseReason::client_disconnected:
      return "client_disconnected";
    case CloseReason::connack_refused:
      return "connack_refused";
    case CloseReason::connack_timeout:
      return "connack_timeout";
    case CloseReason::keep_alive_timeout:
      return "keep_alive_timeout";
    case CloseReason::server_disconnected:
      return "server_disconnected";
    case CloseReason::malformed_packet:
      return "malformed_packet";
    case CloseReason::protocol_violation:
      return "protocol_violation";
  }
  return "unknown";
}

std::string_view to_string(PublishOutcome outcome) {
  switch (outcome) {
    case PublishOutcome::sent:
      return "sent";
    case PublishOutcome::acknowledged:
      return "acknowledged";
    case PublishOutcome::rejected:
      return "rejected";
    case PublishOutcome::session_lost:
      return "session_lost";
    case PublishOutcome::too_large:
      return "too_large";
    case PublishOutcome::not_allowed:
      return "not_allowed";
  }
  return "unknown";
}

std::string_view to_string(ClientError error) {
  switch (error) {
    case ClientError::queue_full:
      return "queue_full";
    case ClientError::not_connected:
      return "not_connected";
    case ClientError::already_connected:
      return "already_connected";
    case ClientError::no_packet_id:
      return "no_packet_id";
    case ClientError::invalid_packet:
      return "invalid_packet";
    case ClientError::qos_not_supported:
      return "qos_not_supported";
    case ClientError::retain_not_supported:
      return "retain_not_supported";
  }
  return "unknown";
}

}  // namespace mqttsim::protocol
