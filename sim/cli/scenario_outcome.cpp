#include "scenario_outcome.hpp"

#include <cstdio>
#include <map>

#include "oracle/violation.hpp"

namespace mqttsim::cli {

std::string location(const scenario::Scenario& loaded, scenario::SourceLocation where) {
  return loaded.file + ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
}

std::string seconds(Duration d) {
  const std::int64_t us = d.count_us();
  char text[32];
  std::snprintf(text, sizeof text, "%lld.%03llds", static_cast<long long>(us / 1'000'000),
                static_cast<long long>((us % 1'000'000) / 1'000));
  return text;
}

void add_findings(reports::ScenarioReport& entry, const scenario::Scenario& loaded,
                  const runner::RunResult& result) {
  for (const runner::StepFailure& failure : result.failures) {
    std::vector<std::string> spec;
    for (const scenario::SpecTag& tag : failure.spec) {
      spec.push_back(tag.id + " (" + std::string{to_string(tag.version)} + ")");
    }
    if (failure.step_kind == "client") {
      entry.findings.push_back({.check = "client",
                                .spec = std::move(spec),
                                .message = failure.message,
                                .location = location(loaded, failure.where)});
      continue;
    }
    entry.findings.push_back({.check = failure.step_kind == "expect" ? "expect" : "step",
                              .spec = std::move(spec),
                              .message = "step " + std::to_string(failure.step_index + 1) + " (" +
                                         failure.step_kind + "): " + failure.message,
                              .location = location(loaded, failure.where)});
  }
  for (const oracle::Violation& violation : result.verdict.violations) {
    std::vector<std::string> spec;
    for (const SpecRef& ref : violation.spec) spec.push_back(to_string(ref));
    entry.findings.push_back({.check = violation.check,
                              .spec = std::move(spec),
                              .message = violation.message + " (trace events " +
                                         std::to_string(violation.first_event) + ".." +
                                         std::to_string(violation.last_event) + ")",
                              .excerpt = violation.excerpt});
  }
  for (const oracle::Remark& remark : result.verdict.remarks) {
    entry.remarks.push_back({.check = remark.check, .message = remark.message});
  }
}

void print_remarks(const reports::ScenarioReport& entry) {
  constexpr std::size_t shown_per_check = 3;
  std::map<std::string, std::size_t> seen_per_check;
  for (const reports::Remark& remark : entry.remarks) {
    if (++seen_per_check[remark.check] > shown_per_check) continue;
    std::printf("  remark: %s: %s\n", remark.check.c_str(), remark.message.c_str());
  }
  for (const auto& [check, seen] : seen_per_check) {
    if (seen <= shown_per_check) continue;
    std::printf("  ... %zu more %s remarks (--json lists them all)\n", seen - shown_per_check,
                check.c_str());
  }
}

void add_judged(reports::ScenarioReport& entry, const scenario::Scenario& loaded,
                const runner::RunResult& result) {
  for (const auto& [version, id] : result.verdict.judged) {
    entry.judged.push_back(id + " (" + std::string{to_string(version)} + ")");
  }
  if (scenario::has_expectations(loaded)) {
    for (const scenario::SpecTag& tag : loaded.spec) {
      entry.judged.push_back(tag.id + " (" + std::string{to_string(tag.version)} + ")");
    }
  }
}

void print_findings(const reports::ScenarioReport& entry) {
  // A broker that loses a queue breaks one rule hundreds of times; the first
  // few of each check say what happened, the reports keep every one.
  constexpr std::size_t shown_per_check = 3;
  std::map<std::string, std::size_t> seen_per_check;
  for (const reports::Finding& finding : entry.findings) {
    if (++seen_per_check[finding.check] > shown_per_check) continue;
    const bool from_step = finding.check == "expect" || finding.check == "step";
    std::printf("  %s%s%s%s\n", finding.location.c_str(), finding.location.empty() ? "" : ": ",
                from_step ? "" : (finding.check + ": ").c_str(), finding.message.c_str());
    if (!finding.spec.empty()) {
      std::string ids;
      for (const std::string& id : finding.spec) ids += (ids.empty() ? "" : ", ") + id;
      std::printf("  spec: %s\n", ids.c_str());
    }
    std::printf("%s", finding.excerpt.c_str());
  }
  for (const auto& [check, seen] : seen_per_check) {
    if (seen <= shown_per_check) continue;
    std::printf("  ... %zu more %s findings (--json and --junit list them all)\n",
                seen - shown_per_check, check.c_str());
  }
  if (entry.status == reports::Status::failed) {
    std::printf("  reproduce: %s\n", entry.reproducer.c_str());
  }
  std::fflush(stdout);
}

}  // namespace mqttsim::cli
