#include "profile/profile.hpp"

namespace mqttsim {

std::string_view to_string(QueueDropPolicy policy) {
  switch (policy) {
    case QueueDropPolicy::drop_newest:
      return "drop_newest";
    case QueueDropPolicy::drop_oldest:
      return "drop_oldest";
  }
  return "?";
}

std::string_view to_string(OverlapDelivery delivery) {
  switch (delivery) {
    case OverlapDelivery::single_copy_max_qos:
      return "single_copy_max_qos";
    case OverlapDelivery::copy_per_subscription:
      return "copy_per_subscription";
  }
  return "?";
}

std::string_view to_string(Qos2Forwarding forwarding) {
  switch (forwarding) {
    case Qos2Forwarding::on_publish:
      return "on_publish";
    case Qos2Forwarding::on_pubrel:
      return "on_pubrel";
  }
  return "?";
}

}  // namespace mqttsim
