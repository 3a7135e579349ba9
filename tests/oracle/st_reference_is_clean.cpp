// The oracle's other half of its regression suite: the correct reference
// broker is reported by no checker, on every scenario of the library, with
// each scenario's own seed and ten more.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>

#include "broken_broker.hpp"

using namespace mqttsim;
using namespace mqttsim::testing;

BOOST_AUTO_TEST_SUITE(st_reference_is_clean)

BOOST_AUTO_TEST_CASE(no_checker_reports_the_reference_broker_on_the_library) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator{MQTTSIM_SCENARIOS_DIR}) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml")
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  BOOST_TEST_REQUIRE(files.size() >= 5u);
  std::size_t runs = 0;
  for (const auto& file : files) {
    const scenario::Scenario loaded = scenario::load_scenario_file(file.string());
    std::vector<std::uint64_t> seeds{loaded.seed.value_or(1)};
    for (std::uint64_t seed = 1; seed <= 10; ++seed) seeds.push_back(seed);
    for (const std::uint64_t seed : seeds) {
      const runner::RunResult result = runner::run_scenario(loaded, {.seed = seed});
      ++runs;
      for (const oracle::Violation& v : result.verdict.violations) {
        BOOST_ERROR(file.string() << " seed " << seed << ": " << v.check << ": " << v.message
                                  << "\n"
                                  << v.excerpt);
      }
    }
  }
  BOOST_TEST_MESSAGE(runs << " runs judged");
}

BOOST_AUTO_TEST_SUITE_END()
