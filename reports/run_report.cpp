#include "reports/run_report.hpp"

namespace mqttsim::reports {

std::string_view to_string(Status status) {
  switch (status) {
    case Status::passed:
      return "passed";
    case Status::failed:
      return "failed";
    case Status::error:
      return "error";
    case Status::skipped:
      return "skipped";
  }
  return "unknown";
}

Summary RunReport::summary() const {
  Summary counts;
  for (const ScenarioReport& scenario : scenarios) {
    switch (scenario.status) {
      case Status::passed:
        ++counts.passed;
        break;
      case Status::failed:
        ++counts.failed;
        break;
      case Status::error:
        ++counts.errors;
        break;
      case Status::skipped:
        ++counts.skipped;
        break;
    }
  }
  return counts;
}

}  // namespace mqttsim::reports
