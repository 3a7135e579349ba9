#pragma once
// Every checker of the oracle, one factory per file. oracle.cpp runs them
// all; tests run them one at a time.

#include <memory>
#include <vector>

#include "oracle/checker.hpp"

namespace mqttsim::oracle {

std::unique_ptr<Checker> session_present_checker();  // session_present.cpp

// Every checker, in the order reports list them.
std::vector<std::unique_ptr<Checker>> all_checkers();

}  // namespace mqttsim::oracle
