#include "seed_explorer.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <stdexcept>

#include "explore/explore_seed.hpp"
#include "output_files.hpp"
#include "reports/json_reader.hpp"
#include "reports/json_writer.hpp"
#include "runner/scenario_player.hpp"
#include "scenario/scenario_loader.hpp"
#include "scenario/scenario_writer.hpp"
#include "scenario_outcome.hpp"
#include "trace/trace.hpp"

namespace mqttsim::cli {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The first line of an encoded SeedReport; then a line with the length of
// the shrink summary, the summary, and the full JSON report of the seed.
constexpr std::string_view written_line = "files written\n";
constexpr std::string_view not_written_line = "files not written\n";

// The finding a shrink keeps, from a report entry: its first finding's
// check and first statement.
explore::FindingKey key_of(const reports::Finding& finding) {
  return {.check = finding.check, .spec = finding.spec.empty() ? "" : finding.spec.front()};
}

bool has_finding(const reports::ScenarioReport& entry, const explore::FindingKey& key) {
  for (const reports::Finding& f : entry.findings) {
    if (f.check != key.check) continue;
    if (key.spec.empty() ? f.spec.empty()
                         : std::find(f.spec.begin(), f.spec.end(), key.spec) != f.spec.end()) {
      return true;
    }
  }
  return false;
}

// A broker-found seed's findings, as saved beside its file.
std::string findings_text(const reports::ScenarioReport& entry, const std::string& against) {
  std::string text = "mqttsim explore seed " + std::to_string(entry.seed) + " against " +
                     against + ", trace " + entry.trace_hash + "\nreproduce: " +
                     entry.reproducer + "\nreference broker: " + entry.reference_replay + "\n";
  for (const reports::Finding& f : entry.findings) {
    text += "\n" + f.check + ": " + f.message + "\n";
    if (!f.location.empty()) text += "  at " + f.location + "\n";
    for (const std::string& spec : f.spec) text += "  spec: " + spec + "\n";
    if (!f.excerpt.empty()) text += f.excerpt + "\n";
  }
  return text;
}

std::string shrink_summary(double took_s, std::size_t tried, bool budget_ran_out,
                           const explore::FindingKey& kept, const explore::ScenarioSize& before,
                           const explore::ScenarioSize& after, const std::string& replay) {
  char head[160];
  std::snprintf(head, sizeof head, "  shrunk in %.2f s (%zu candidates%s), keeping ", took_s, tried,
                budget_ran_out ? ", budget spent" : "");
  return head + explore::to_string(kept) + ":\n    from " + explore::to_string(before) +
         "\n    to   " + explore::to_string(after) + "\n  replay: " + replay + "\n";
}

}  // namespace

std::string encode_seed_report(const SeedReport& report) {
  reports::RunReport one;
  one.scenarios.push_back(report.entry);
  return std::string{report.files_written ? written_line : not_written_line} +
         std::to_string(report.shrink_summary.size()) + "\n" + report.shrink_summary +
         reports::to_json(one, reports::JsonDetail::full);
}

SeedReport decode_seed_report(const std::string& text) {
  SeedReport report;
  std::string_view rest = text;
  if (rest.starts_with(written_line)) {
    rest.remove_prefix(written_line.size());
  } else if (rest.starts_with(not_written_line)) {
    rest.remove_prefix(not_written_line.size());
    report.files_written = false;
  } else {
    throw std::runtime_error{"a worker's seed report does not start with its files line"};
  }
  const std::size_t end_of_length = rest.find('\n');
  std::size_t length = 0;
  const char* digits_end = rest.data() + (end_of_length == std::string_view::npos ? 0 : end_of_length);
  const auto [parsed_to, error] = std::from_chars(rest.data(), digits_end, length);
  if (end_of_length == std::string_view::npos || error != std::errc{} || parsed_to != digits_end ||
      length > rest.size() - end_of_length - 1) {
    throw std::runtime_error{"a worker's seed report has no valid shrink summary length"};
  }
  rest.remove_prefix(end_of_length + 1);
  report.shrink_summary = std::string{rest.substr(0, length)};
  rest.remove_prefix(length);
  auto read = reports::read_json_report(rest, "a worker's seed report");
  if (!read) throw std::runtime_error{to_string(read.error())};
  if (read->scenarios.size() != 1) {
    throw std::runtime_error{"a worker's seed report holds " +
                             std::to_string(read->scenarios.size()) + " scenarios, not 1"};
  }
  report.entry = std::move(read->scenarios.front());
  return report;
}

explore::GeneratorOptions broker_generator(const ExploreSettings& settings, std::uint64_t seed) {
  explore::GeneratorOptions options = settings.generator;
  options.topic_root = "s" + std::to_string(seed) + "/";
  if (settings.check) {
    options.short_intervals = settings.check->time_scale_per_mille == runner::TimeScale::real_time;
    options.broker_restarts = !settings.check->restart_command.empty();
  }
  return options;
}

SeedExplorer::SeedExplorer(const ExploreSettings& settings, std::string client_prefix)
    : settings_{settings} {
  if (settings.broker) {
    checker_ = std::make_unique<ScenarioChecker>(*settings.check, settings.broker->profile,
                                                 settings.broker->target, std::move(client_prefix));
  }
}

fs::path SeedExplorer::saved_path(std::uint64_t seed, const char* extension) const {
  return settings_.out / ("explore-seed-" + std::to_string(seed) + extension);
}

bool SeedExplorer::save(const fs::path& file, const std::string& text) {
  std::error_code ignored;
  fs::create_directories(settings_.out, ignored);
  return write_output_file("explore", file, text);
}

SeedReport SeedExplorer::explore(std::uint64_t seed) {
  return checker_ ? on_broker(seed) : in_simulation(seed);
}

SeedReport SeedExplorer::in_simulation(std::uint64_t seed) {
  const auto started = Clock::now();
  const fs::path file = saved_path(seed, ".yaml");
  SeedReport out;
  reports::ScenarioReport& entry = out.entry;
  entry = {.file = file.string(),
           .name = "explore seed " + std::to_string(seed),
           .status = reports::Status::passed,
           .seed = seed};
  explore::ExploredSeed explored;
  try {
    explored = explore::explore_seed(seed, settings_.generator, file.string());
  } catch (const std::exception& error) {
    // A generator that writes what the language cannot say is our bug.
    entry.status = reports::Status::error;
    entry.error = std::string{"the generated scenario cannot be saved: "} + error.what();
    return out;
  }
  const runner::RunResult& result = explored.result;
  entry.trace_hash = trace::hash_hex(trace::hash(result.trace));
  entry.simulated_time = result.end_time - TimePoint::origin();
  add_findings(entry, explored.scenario, result);
  if (result.aborted) {
    entry.findings.push_back({.check = "event-budget", .message = result.abort_reason});
  }
  add_judged(entry, explored.scenario, result);
  entry.wall_time_s = seconds_since(started);
  if (entry.findings.empty()) return out;
  entry.status = reports::Status::failed;
  entry.reproducer = "mqttsim run " + file.string();
  out.files_written = save(file, explored.yaml) &&
                      save(saved_path(seed, ".txt"), explore::findings_text(explored, seed));
  if (!settings_.shrink) return out;
  const auto shrinking = Clock::now();
  const fs::path shrunk_file = saved_path(seed, ".shrunk.yaml");
  const explore::ShrunkSeed shrunk =
      explore::shrink_seed(explored, seed, shrunk_file.string(), settings_.shrink_budget);
  out.shrink_summary = shrink_summary(seconds_since(shrinking), shrunk.tried,
                                      shrunk.budget_ran_out, shrunk.kept, shrunk.before,
                                      shrunk.after, "mqttsim run " + shrunk_file.string());
  out.files_written = save(shrunk_file, shrunk.shrunk.yaml) &&
                      save(saved_path(seed, ".shrunk.txt"), explore::findings_text(shrunk, seed)) &&
                      out.files_written;
  return out;
}

SeedReport SeedExplorer::on_broker(std::uint64_t seed) {
  const fs::path file = saved_path(seed, ".yaml");
  SeedReport out;
  out.entry = {.file = file.string(),
               .name = "explore seed " + std::to_string(seed),
               .status = reports::Status::error,
               .seed = seed};
  std::string yaml;
  scenario::Scenario loaded;
  try {
    yaml = scenario::to_yaml(explore::generate(seed, broker_generator(settings_, seed)));
    loaded = scenario::load_scenario_text(yaml, file.string());
  } catch (const std::exception& error) {
    out.entry.error = std::string{"the generated scenario cannot be saved: "} + error.what();
    return out;
  }
  // The preflight: the reference broker under the broker's profile (the
  // generator's) must pass it, or the seed cannot tell anything about the
  // broker under test.
  const runner::RunResult reference = runner::run_scenario(loaded, {.seed = seed});
  if (!reference.passed()) {
    out.entry.status = reports::Status::skipped;
    out.entry.skip_reason =
        "the reference broker fails it too in simulation under this profile, so it says nothing "
        "about the broker (saved as " + file.string() + "; mqttsim run " + file.string() +
        "): " + first_problem(reference);
    out.files_written = save(file, yaml);
    return out;
  }
  const std::string replay = "passes (simulation, seed " + std::to_string(seed) +
                             ") under the same profile: a deviation of the broker under test";
  const auto check = [&](const scenario::Scenario& scenario, const runner::RunResult& simulated) {
    const PlannedScenario planned{.file = scenario.file,
                                  .loaded = scenario,
                                  .seed = seed,
                                  .length = simulated.end_time - TimePoint::origin(),
                                  .reference_replay = replay};
    return checker_->check(planned);
  };
  CheckedScenario checked = check(loaded, reference);
  out.entry = std::move(checked.entry);
  out.files_written = checked.trace_written;
  if (out.entry.status != reports::Status::failed) return out;
  const std::string against = to_string(settings_.check->broker);
  out.files_written = save(file, yaml) &&
                      save(saved_path(seed, ".txt"), findings_text(out.entry, against)) &&
                      out.files_written;
  if (!settings_.shrink || out.entry.findings.empty()) return out;

  // Shrinking against the broker: a candidate counts when the reference
  // broker passes it and the broker under test fails it the same way.
  const auto shrinking = Clock::now();
  const fs::path shrunk_file = saved_path(seed, ".shrunk.yaml");
  const explore::FindingKey kept = key_of(out.entry.findings.front());
  reports::ScenarioReport last = out.entry;
  std::string last_yaml;
  const explore::StillFails still_fails = [&](const scenario::Scenario& candidate) {
    try {
      std::string text = scenario::to_yaml(candidate);
      const scenario::Scenario read = scenario::load_scenario_text(text, shrunk_file.string());
      const runner::RunResult simulated = runner::run_scenario(read, {.seed = seed});
      if (!simulated.passed()) return false;
      CheckedScenario got = check(read, simulated);
      if (!has_finding(got.entry, kept)) return false;
      last = std::move(got.entry);
      last_yaml = std::move(text);
      return true;
    } catch (const std::exception&) {
      return false;  // a candidate the language cannot say, or the loader refuses
    }
  };
  scenario::Scenario start = loaded;
  start.name += ", shrunk";
  const explore::ShrinkResult shrunk = explore::shrink(start, still_fails, settings_.shrink_budget);
  if (last_yaml.empty()) last_yaml = scenario::to_yaml(shrunk.scenario);  // nothing smaller failed
  out.shrink_summary = shrink_summary(
      seconds_since(shrinking), shrunk.tried, shrunk.budget_ran_out, kept,
      explore::size_of(loaded), explore::size_of(shrunk.scenario),
      reproducer(*settings_.check, seed, shrunk_file.string()));
  out.files_written = save(shrunk_file, last_yaml) &&
                      save(saved_path(seed, ".shrunk.txt"), findings_text(last, against)) &&
                      out.files_written;
  return out;
}

}  // namespace mqttsim::cli
