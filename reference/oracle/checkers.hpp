#pragma once
// Every checker of the oracle, one factory per file. oracle.cpp runs them
// all; tests run them one at a time.

#include <memory>
#include <vector>

#include "oracle/checker.hpp"

namespace mqttsim::oracle {

std::unique_ptr<Checker> session_present_checker();           // session_present.cpp
std::unique_ptr<Checker> ordering_checker();                  // ordering.cpp
std::unique_ptr<Checker> no_loss_checker();                   // no_loss.cpp
std::unique_ptr<Checker> duplicates_checker();                // duplicates.cpp
std::unique_ptr<Checker> qos_checker();                       // qos.cpp
std::unique_ptr<Checker> dup_flag_checker();                  // dup_flag.cpp
std::unique_ptr<Checker> packet_ids_checker();                // packet_ids.cpp
std::unique_ptr<Checker> message_expiry_checker();            // message_expiry.cpp
std::unique_ptr<Checker> forwarded_properties_checker();      // forwarded_properties.cpp
std::unique_ptr<Checker> subscription_identifiers_checker();  // subscription_identifiers.cpp
std::unique_ptr<Checker> no_local_checker();                  // no_local.cpp
std::unique_ptr<Checker> receive_maximum_checker();           // receive_maximum.cpp
std::unique_ptr<Checker> topic_alias_checker();               // topic_alias.cpp
std::unique_ptr<Checker> packet_size_checker();               // packet_size.cpp
std::unique_ptr<Checker> connack_properties_checker();        // connack_properties.cpp
std::unique_ptr<Checker> bad_input_checker();                 // bad_input.cpp
std::unique_ptr<Checker> retained_checker();                  // retained.cpp
std::unique_ptr<Checker> wills_checker();                     // wills.cpp
std::unique_ptr<Checker> keep_alive_checker();                // keep_alive.cpp
std::unique_ptr<Checker> takeover_checker();                  // takeover.cpp
std::unique_ptr<Checker> wire_checker();                      // wire.cpp
std::unique_ptr<Checker> subscribe_acks_checker();            // subscribe_acks.cpp
std::unique_ptr<Checker> connect_accept_checker();            // connect_accept.cpp
std::unique_ptr<Checker> qos_receiver_checker();              // qos_receiver.cpp
std::unique_ptr<Checker> topic_matching_checker();            // topic_matching.cpp

// Every checker, in the order reports list them.
std::vector<std::unique_ptr<Checker>> all_checkers();

}  // namespace mqttsim::oracle
