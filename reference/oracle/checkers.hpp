#pragma once
// Every checker of the oracle, one factory per file. oracle.cpp runs them
// all; tests run them one at a time.

#include <memory>
#include <vector>

#include "oracle/checker.hpp"

namespace mqttsim::oracle {

std::unique_ptr<Checker> session_present_checker();  // session_present.cpp
std::unique_ptr<Checker> ordering_checker();         // ordering.cpp
std::unique_ptr<Checker> no_loss_checker();          // no_loss.cpp
std::unique_ptr<Checker> duplicates_checker();       // duplicates.cpp
std::unique_ptr<Checker> qos_checker();              // qos.cpp
std::unique_ptr<Checker> dup_flag_checker();         // dup_flag.cpp
std::unique_ptr<Checker> packet_ids_checker();       // packet_ids.cpp

// Every checker, in the order reports list them.
std::vector<std::unique_ptr<Checker>> all_checkers();

}  // namespace mqttsim::oracle
