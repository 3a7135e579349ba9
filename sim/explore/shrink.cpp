#include "explore/shrink.hpp"

#include "explore/reductions.hpp"

namespace mqttsim::explore {

namespace {

FindingKey key_of(const runner::StepFailure& failure) {
  return {.check = failure.step_kind,
          .spec = failure.spec.empty()
                      ? std::string{}
                      : failure.spec.front().id + " (" +
                            std::string{to_string(failure.spec.front().version)} + ")"};
}

FindingKey key_of(const oracle::Violation& violation) {
  return {.check = violation.check,
          .spec = violation.spec.empty() ? std::string{} : to_string(violation.spec.front())};
}

bool cites(const oracle::Violation& violation, const FindingKey& key) {
  if (violation.check != key.check) return false;
  if (key.spec.empty()) return violation.spec.empty();
  for (const SpecRef& spec : violation.spec) {
    if (to_string(spec) == key.spec) return true;
  }
  return false;
}

const FindingKey budget_key{.check = "event-budget"};

// One shrinking session: the smallest failing scenario so far, and the
// tries left.
class Shrinker {
 public:
  Shrinker(scenario::Scenario failing, const StillFails& still_fails, std::size_t budget)
      : current_{std::move(failing)}, still_fails_{still_fails}, budget_{budget} {}

  ShrinkResult run() {
    // Each pass may open the way for another (a client goes once the steps
    // that named it are gone), so go round until a whole round finds
    // nothing.
    bool shrank = true;
    while (shrank && !out_of_budget()) {
      shrank = remove_steps();
      shrank = remove_clients() || shrank;
      shrank = simplify_steps() || shrank;
      shrank = simplify_clients() || shrank;
    }
    return {.scenario = std::move(current_), .tried = tried_, .budget_ran_out = out_of_budget()};
  }

 private:
  bool out_of_budget() const { return tried_ >= budget_; }

  // Keeps `candidate` when it still fails.
  bool attempt(scenario::Scenario candidate) {
    if (out_of_budget()) return false;
    ++tried_;
    if (!still_fails_(candidate)) return false;
    current_ = std::move(candidate);
    return true;
  }

  // Delta debugging over the steps: chunks of half the steps, then of a
  // quarter, and so on down to single steps. Later steps go first, as they
  // depend on earlier ones and not the other way round.
  bool remove_steps() {
    bool shrank = false;
    for (std::size_t chunk = std::max<std::size_t>(current_.steps.size() / 2, 1); chunk >= 1;
         chunk /= 2) {
      std::size_t end = current_.steps.size();
      while (end > 0 && !out_of_budget()) {
        const std::size_t first = end >= chunk ? end - chunk : 0;
        if (attempt(without_steps(current_, first, end - first))) {
          shrank = true;
          end = std::min(first, current_.steps.size());
        } else {
          end = first;
        }
      }
    }
    return shrank;
  }

  bool remove_clients() {
    bool shrank = false;
    for (std::size_t i = current_.clients.size(); i-- > 0 && !out_of_budget();) {
      if (current_.clients.size() <= 1) break;
      shrank = attempt(without_client(current_, current_.clients[i].name)) || shrank;
    }
    return shrank;
  }

  bool simplify_steps() {
    bool shrank = false;
    for (std::size_t i = 0; i < current_.steps.size() && !out_of_budget(); ++i) {
      // A simpler form that fails replaces the step; try its own simpler
      // forms next (a burst of 8, then 4, then 1).
      bool again = true;
      while (again && !out_of_budget()) {
        again = false;
        for (scenario::Scenario& candidate : simpler_step(current_, i)) {
          if (attempt(std::move(candidate))) {
            again = shrank = true;
            break;
          }
        }
      }
    }
    return shrank;
  }

  bool simplify_clients() {
    bool shrank = false;
    for (std::size_t i = 0; i < current_.clients.size() && !out_of_budget(); ++i) {
      for (scenario::Scenario& candidate : simpler_client(current_, i)) {
        shrank = attempt(std::move(candidate)) || shrank;
      }
    }
    return shrank;
  }

  scenario::Scenario current_;
  const StillFails& still_fails_;
  std::size_t budget_;
  std::size_t tried_ = 0;
};

}  // namespace

std::optional<FindingKey> first_finding(const runner::RunResult& result) {
  if (!result.failures.empty()) return key_of(result.failures.front());
  if (!result.verdict.violations.empty()) return key_of(result.verdict.violations.front());
  if (result.aborted) return budget_key;
  return std::nullopt;
}

bool has_finding(const runner::RunResult& result, const FindingKey& key) {
  for (const runner::StepFailure& failure : result.failures) {
    if (key_of(failure) == key) return true;
  }
  for (const oracle::Violation& violation : result.verdict.violations) {
    if (cites(violation, key)) return true;
  }
  return result.aborted && key == budget_key;
}

std::string to_string(const FindingKey& key) {
  return key.spec.empty() ? key.check : key.check + " (" + key.spec + ")";
}

ShrinkResult shrink(scenario::Scenario failing, const StillFails& still_fails,
                    std::size_t budget) {
  return Shrinker{std::move(failing), still_fails, budget}.run();
}

}  // namespace mqttsim::explore
