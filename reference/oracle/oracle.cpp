#include "oracle/oracle.hpp"

#include "oracle/checkers.hpp"
#include "oracle/message_flow.hpp"

namespace mqttsim::oracle {

std::vector<std::unique_ptr<Checker>> all_checkers() {
  std::vector<std::unique_ptr<Checker>> all;
  all.push_back(session_present_checker());
  all.push_back(ordering_checker());
  all.push_back(no_loss_checker());
  all.push_back(duplicates_checker());
  all.push_back(qos_checker());
  all.push_back(dup_flag_checker());
  all.push_back(packet_ids_checker());
  all.push_back(message_expiry_checker());
  all.push_back(forwarded_properties_checker());
  all.push_back(subscription_identifiers_checker());
  all.push_back(no_local_checker());
  all.push_back(receive_maximum_checker());
  all.push_back(topic_alias_checker());
  all.push_back(packet_size_checker());
  all.push_back(connack_properties_checker());
  all.push_back(bad_input_checker());
  all.push_back(retained_checker());
  all.push_back(wills_checker());
  all.push_back(keep_alive_checker());
  all.push_back(takeover_checker());
  all.push_back(wire_checker());
  all.push_back(subscribe_acks_checker());
  all.push_back(connect_accept_checker());
  all.push_back(qos_receiver_checker());
  all.push_back(topic_matching_checker());
  return all;
}

Verdict judge(const trace::Trace& trace, const Profile& profile) {
  const Observation seen = observe(trace);
  const Sessions held = sessions(seen);
  const Messages handled = messages(seen, held);
  const Flow flow = message_flow({seen, held, handled, profile});
  const Evidence evidence{seen, held, handled, profile, &flow};
  Verdict verdict;
  for (const auto& checker : all_checkers()) checker->judge(evidence, verdict);
  return verdict;
}

}  // namespace mqttsim::oracle
