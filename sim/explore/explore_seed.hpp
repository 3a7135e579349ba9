#pragma once
// One seed of `mqttsim explore`: the scenario the generator makes from it,
// written as the file it would be saved as, read back, and played against
// the reference broker in simulated time. Playing the read-back text (not
// the generated model) is what makes a saved failing seed replay to the
// same trace hash under `mqttsim run FILE`.

#include <cstdint>
#include <memory>
#include <string>

#include "explore/generator.hpp"
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

// The findings of a failing seed, as saved beside its scenario file: the
// reproducer, then each failed step, client violation and oracle violation
// with its check, spec ids and trace range.
std::string findings_text(const ExploredSeed& explored, std::uint64_t seed);

}  // namespace mqttsim::explore
