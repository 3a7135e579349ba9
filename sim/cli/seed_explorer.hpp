#pragma once
// One seed of `mqttsim explore`, as a worker (worker_pool.hpp) plays it:
// generated, saved as text and read back, then played
//   - in simulation, against the reference broker (sim/explore); or
//   - with --broker, against the broker under test in real time, after a
//     preflight on the reference broker under the broker's profile: a seed
//     the reference broker fails too says nothing about the broker and is
//     skipped, with the reason, and a finding on the broker is one the
//     reference broker does not have.
// A failing seed's files are written here (DIR/explore-seed-N.yaml and .txt,
// and with --shrink the .shrunk ones); what goes back to the parent is its
// report entry and the lines to print under it.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "broker_under_test.hpp"
#include "check_options.hpp"
#include "check_scenario.hpp"
#include "explore/generator.hpp"
#include "reports/run_report.hpp"

namespace mqttsim::cli {

struct ExploreSettings {
  explore::GeneratorOptions generator;
  std::filesystem::path out;  // where failing seeds are saved
  bool shrink = false;
  std::size_t shrink_budget = 0;
  // --broker: the options and the prepared broker; the generator is narrowed
  // to what the broker can be played (see broker_generator).
  std::optional<CheckOptions> check;
  std::optional<BrokerUnderTest> broker;
};

// What a worker sends back for one seed.
struct SeedReport {
  reports::ScenarioReport entry;
  std::string shrink_summary;  // lines printed under a shrunk failure
  bool files_written = true;   // false: some file could not be written (stderr said why)
};

// As bytes for the worker pool, and back (throws std::runtime_error when
// the text is not one).
std::string encode_seed_report(const SeedReport& report);
SeedReport decode_seed_report(const std::string& text);

// The generator's options for seed `seed` against a real broker: its own
// topic root ("s17/", so that seeds played side by side never meet), and
// nothing the time scale cannot stretch or the broker cannot do (no brief
// MQTT intervals unless the time scale is 1, no restarts without
// --restart-cmd).
explore::GeneratorOptions broker_generator(const ExploreSettings& settings, std::uint64_t seed);

// Plays seeds, one after the other, in one process (one per worker).
class SeedExplorer {
 public:
  // `client_prefix`: before every client id, with --broker (the run's
  // prefix and the worker's own).
  SeedExplorer(const ExploreSettings& settings, std::string client_prefix);

  SeedReport explore(std::uint64_t seed);

 private:
  std::filesystem::path saved_path(std::uint64_t seed, const char* extension) const;
  SeedReport in_simulation(std::uint64_t seed);
  SeedReport on_broker(std::uint64_t seed);
  bool save(const std::filesystem::path& file, const std::string& text);

  const ExploreSettings& settings_;
  std::unique_ptr<ScenarioChecker> checker_;  // with --broker
};

}  // namespace mqttsim::cli
