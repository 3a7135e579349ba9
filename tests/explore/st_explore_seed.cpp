// One explored seed end to end: the generated scenario is saved as text,
// and the saved file, loaded from disk, replays to the same trace hash and
// the same findings, for a passing seed and for one a planted bug fails.
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>

#include "explore/explore_seed.hpp"
#include "oracle/flow_breaks.hpp"
#include "runner/scenario_player.hpp"
#include "scenario/scenario_loader.hpp"
#include "trace/trace.hpp"

using namespace mqttsim;
using namespace mqttsim::testing;

namespace {

namespace fs = std::filesystem;

struct Scratch {
  fs::path dir = fs::temp_directory_path() / ("mqttsim-explore-" + std::to_string(::getpid()));
  Scratch() { fs::create_directories(dir); }
  ~Scratch() {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
};

void save(const fs::path& path, const std::string& text) {
  std::ofstream out{path, std::ios::binary};
  out << text;
}

std::vector<std::string> checks_of(const runner::RunResult& r) {
  std::vector<std::string> out;
  for (const auto& v : r.verdict.violations) out.push_back(v.check + ": " + v.message);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(st_explore_seed)

BOOST_AUTO_TEST_CASE(a_saved_seed_replays_to_the_same_trace_hash) {
  const Scratch scratch;
  for (const explore::FaultLevel level :
       {explore::FaultLevel::none, explore::FaultLevel::light, explore::FaultLevel::heavy}) {
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
      const fs::path file = scratch.dir / ("explore-seed-" + std::to_string(seed) + ".yaml");
      const auto explored = explore::explore_seed(seed, {.faults = level}, file.string());
      save(file, explored.yaml);
      const scenario::Scenario loaded = scenario::load_scenario_file(file.string());
      BOOST_TEST(loaded.workload);
      BOOST_TEST(loaded.seed.value_or(0) == seed);
      const auto replayed = runner::run_scenario(loaded, {.seed = *loaded.seed});
      BOOST_TEST(trace::hash(replayed.trace) == trace::hash(explored.result.trace),
                 "seed " << seed << " (" << explore::to_string(level) << ")");
    }
  }
}

BOOST_AUTO_TEST_CASE(a_failing_seed_replays_its_findings) {
  // A planted bug (DUP cleared on resends) fails seed 2; the saved file,
  // played against the same broken broker, fails the same way.
  const Scratch scratch;
  const fs::path file = scratch.dir / "explore-seed-2.yaml";
  const auto broken = [] { return rewrite_publishes([](codec::Publish& p) { p.dup = false; }); };
  const auto explored =
      explore::explore_seed(2, {.protocol = explore::ProtocolMix::v3_1_1}, file.string(), broken());
  BOOST_TEST_REQUIRE(!explored.result.verdict.violations.empty());
  save(file, explored.yaml);
  const auto replayed = runner::run_scenario(scenario::load_scenario_file(file.string()),
                                             {.seed = 2, .interceptor = broken()});
  BOOST_TEST(trace::hash(replayed.trace) == trace::hash(explored.result.trace));
  BOOST_TEST(checks_of(replayed) == checks_of(explored.result), boost::test_tools::per_element());
  const std::string findings = explore::findings_text(explored, 2);
  BOOST_TEST(findings.find("reproduce: mqttsim run " + file.string()) != std::string::npos,
             findings);
  BOOST_TEST(findings.find("dup-flag: the broker resent") != std::string::npos, findings);
  BOOST_TEST(findings.find("  spec: MQTT-3.3.1-1 (3.1.1)") != std::string::npos, findings);
  BOOST_TEST(findings.find("  trace events ") != std::string::npos, findings);
}

BOOST_AUTO_TEST_SUITE_END()
