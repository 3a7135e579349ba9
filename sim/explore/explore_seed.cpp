#include "explore/explore_seed.hpp"

#include <stdexcept>

#include "runner/scenario_player.hpp"
#include "scenario/scenario_loader.hpp"
#include "scenario/scenario_writer.hpp"
#include "trace/trace.hpp"

namespace mqttsim::explore {

ExploredSeed play_as_file(const scenario::Scenario& scenario, std::uint64_t seed,
                          const std::string& file,
                          std::shared_ptr<runner::PacketInterceptor> interceptor) {
  ExploredSeed explored{.file = file};
  explored.yaml = scenario::to_yaml(scenario);
  explored.scenario = scenario::load_scenario_text(explored.yaml, file);
  explored.result = runner::run_scenario(explored.scenario,
                                         {.seed = seed, .interceptor = std::move(interceptor)});
  return explored;
}

ExploredSeed explore_seed(std::uint64_t seed, const GeneratorOptions& options,
                          const std::string& file,
                          std::shared_ptr<runner::PacketInterceptor> interceptor) {
  return play_as_file(generate(seed, options), seed, file, std::move(interceptor));
}

ShrunkSeed shrink_seed(const ExploredSeed& failing, std::uint64_t seed,
                       const std::string& shrunk_file, std::size_t budget,
                       const BrokenBroker& broken, std::optional<FindingKey> keep) {
  const std::optional<FindingKey> kept = keep ? keep : first_finding(failing.result);
  if (!kept || !has_finding(failing.result, *kept)) {
    throw std::invalid_argument("shrink_seed: seed " + std::to_string(seed) +
                                " does not have the finding to keep");
  }
  const StillFails still_fails = [&](const scenario::Scenario& candidate) {
    try {
      return has_finding(
          play_as_file(candidate, seed, shrunk_file, broken ? broken() : nullptr).result, *kept);
    } catch (const std::exception&) {
      return false;  // a candidate the language cannot say, or the loader refuses
    }
  };
  // Named as it will be saved before the first candidate, so that every
  // candidate is played exactly as the result will be replayed.
  scenario::Scenario start = failing.scenario;
  start.name += ", shrunk";
  ShrinkResult result = shrink(std::move(start), still_fails, budget);
  ShrunkSeed shrunk{.kept = *kept,
                    .before = size_of(failing.scenario),
                    .after = size_of(result.scenario),
                    .tried = result.tried,
                    .budget_ran_out = result.budget_ran_out};
  shrunk.shrunk = play_as_file(result.scenario, seed, shrunk_file, broken ? broken() : nullptr);
  return shrunk;
}

std::string findings_text(const ExploredSeed& explored, std::uint64_t seed) {
  const runner::RunResult& r = explored.result;
  std::string text = "mqttsim explore seed " + std::to_string(seed) + ", trace " +
                     trace::hash_hex(trace::hash(r.trace)) + "\nreproduce: mqttsim run " +
                     explored.file + "\n";
  for (const runner::StepFailure& f : r.failures) {
    text += "\n" + f.step_kind + ": " + f.message + "\n";
  }
  for (const oracle::Violation& v : r.verdict.violations) {
    text += "\n" + v.check + ": " + v.message + "\n  trace events " +
            std::to_string(v.first_event) + ".." + std::to_string(v.last_event) + "\n";
    for (const SpecRef& spec : v.spec) text += "  spec: " + to_string(spec) + "\n";
  }
  if (r.aborted) text += "\nevent-budget: " + r.abort_reason + "\n";
  return text;
}

std::string findings_text(const ShrunkSeed& shrunk, std::uint64_t seed) {
  return "shrunk from " + to_string(shrunk.before) + "\n          to " + to_string(shrunk.after) +
         " (" + std::to_string(shrunk.tried) + " candidates played" +
         (shrunk.budget_ran_out ? ", stopped by the budget" : ", a local minimum") +
         "), keeping " + to_string(shrunk.kept) + "\n" + findings_text(shrunk.shrunk, seed);
}

}  // namespace mqttsim::explore
