#include "explore/explore_seed.hpp"

#include "runner/scenario_player.hpp"
#include "scenario/scenario_loader.hpp"
#include "scenario/scenario_writer.hpp"
#include "trace/trace.hpp"

namespace mqttsim::explore {

ExploredSeed explore_seed(std::uint64_t seed, const GeneratorOptions& options,
                          const std::string& file,
                          std::shared_ptr<runner::PacketInterceptor> interceptor) {
  ExploredSeed explored{.file = file};
  explored.yaml = scenario::to_yaml(generate(seed, options));
  explored.scenario = scenario::load_scenario_text(explored.yaml, file);
  explored.result = runner::run_scenario(explored.scenario,
                                         {.seed = seed, .interceptor = std::move(interceptor)});
  return explored;
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

}  // namespace mqttsim::explore
