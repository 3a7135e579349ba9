#pragma once
// One seed of `mqttsim explore`: the scenario the generator makes from it,
// written as the file it would be saved as, read back, and played against
// the reference broker in simulated time. Playing the read-back text (not
// the generated model) is what makes a saved failing seed replay to the
// same trace hash under `mqttsim run FILE`.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "explore/generator.hpp"
#include "explore/reductions.hpp"
#include "explore/shrink.hpp"
#include "runner/run_result.hpp"

namespace mqttsim::explore {

struct ExploredSeed {
  std::string file;             // the path the scenario would be saved as
  std::string yaml;             // its text
  scenario::Scenario scenario;  // as read back from the text
  runner::RunResult result;
};

// `file` names the scenario in its trace (the step notes carry it), so it
// must be the path the file is saved and replayed under. Throws
// std::invalid_argument when the generated scenario cannot be written as a
// file that loads back the same (a generator bug). `interceptor`: tests
// only, a deliberately broken reference broker.
ExploredSeed explore_seed(std::uint64_t seed, const GeneratorOptions& options,
                          const std::string& file,
                          std::shared_ptr<runner::PacketInterceptor> interceptor = nullptr);

// A deliberately broken reference broker, made afresh for each run (tests
// only: a broken broker may keep state from one run to the next).
using BrokenBroker = std::function<std::shared_ptr<runner::PacketInterceptor>()>;

// `scenario` saved as `file`, read back and played with `seed`: what
// explore_seed does with a generated scenario, for any scenario. Throws as
// explore_seed does, and scenario::LoadError for one the loader refuses.
ExploredSeed play_as_file(const scenario::Scenario& scenario, std::uint64_t seed,
                          const std::string& file,
                          std::shared_ptr<runner::PacketInterceptor> interceptor = nullptr);

struct ShrunkSeed {
  FindingKey kept;  // what every candidate had to go on failing with
  ScenarioSize before;
  ScenarioSize after;
  std::size_t tried = 0;
  bool budget_ran_out = false;
  ExploredSeed shrunk;  // as saved under its own file name, and played
};

// Shrinks a failing seed (shrink.hpp) in simulation, keeping `keep` (by
// default its first finding); each candidate is played as the file
// `shrunk_file` it would be saved as, so the result replays to the same
// trace. Throws std::invalid_argument when the seed has no such finding.
ShrunkSeed shrink_seed(const ExploredSeed& failing, std::uint64_t seed,
                       const std::string& shrunk_file, std::size_t budget,
                       const BrokenBroker& broken = {},
                       std::optional<FindingKey> keep = std::nullopt);

// The findings of a failing seed, as saved beside its scenario file: the
// reproducer, then each failed step, client violation and oracle violation
// with its check, spec ids and trace range.
std::string findings_text(const ExploredSeed& explored, std::uint64_t seed);

// The findings of a shrunk seed, the same way, after the sizes before and
// after and the finding that was kept.
std::string findings_text(const ShrunkSeed& shrunk, std::uint64_t seed);

}  // namespace mqttsim::explore
