// libFuzzer target for the scenario loader: any text either loads into a
// Scenario or fails with a LoadError; nothing else may escape (no crash,
// no other exception, no hang, no leak). A loaded scenario must also be
// self-consistent: every step names a declared client and the `at` times
// never go backwards, as the loader promises the runner.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "scenario/scenario_loader.hpp"

namespace {

using namespace mqttsim::scenario;

[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "fuzz_scenario_loader: %s\n", what);
  std::abort();
}

void check(const Scenario& scenario) {
  if (scenario.clients.empty() || scenario.steps.empty()) die("loaded without clients or steps");
  mqttsim::TimePoint last = mqttsim::TimePoint::origin();
  for (const Step& step : scenario.steps) {
    if (const std::string* client = acting_client(step.action)) {
      if (!scenario.find_client(*client)) die("a step names an undeclared client");
    }
    if (step.at) {
      if (*step.at < last) die("at times go backwards");
      last = *step.at;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    check(load_scenario_text(text, "fuzz.yaml"));
  } catch (const LoadError&) {
    // A located error is the expected answer to bad input.
  }
  return 0;
}
