// Writes reports for check_reports.py to parse with Python's own JSON and XML
// parsers (and xmllint to validate against junit.xsd):
//
//   write_samples DIR COUNT
//
//   DIR/sample.json, DIR/sample.xml        sample_report.hpp, rendered
//   DIR/fuzz-NNN.json, DIR/fuzz-NNN.xml    COUNT reports full of pseudo-random bytes
//   DIR/fuzz-NNN.strings                   the strings put into fuzz-NNN, in the
//                                          order check_reports.py reads them, each
//                                          as a 4-byte little-endian length + bytes
//
// The bytes come from a fixed 64-bit LCG, so every run writes the same files.
// The files are saved with write_file_atomically, which is exercised too.

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "reports/atomic_file.hpp"
#include "reports/json_writer.hpp"
#include "reports/junit_writer.hpp"
#include "reports/sample_report.hpp"

namespace fs = std::filesystem;
using namespace mqttsim::reports;

namespace {

// Knuth's MMIX LCG; the high bits are the good ones.
class Lcg {
 public:
  explicit Lcg(std::uint64_t seed) : state_{seed} {}
  std::uint64_t next() {
    state_ = state_ * 6364136223846793005u + 1442695040888963407u;
    return state_;
  }
  std::uint32_t below(std::uint32_t bound) {
    return static_cast<std::uint32_t>((next() >> 32) % bound);
  }

 private:
  std::uint64_t state_;
};

// Pieces that stress the escapers: valid multi-byte characters, characters
// XML cannot carry, ill-formed UTF-8 of every kind, markup.
constexpr std::string_view fragments[] = {
    "\xc3\xa9",
    "\xe2\x82\xac",
    "\xf0\x9f\x98\x80",
    "\xef\xbf\xbe",
    "\xef\xbf\xbf",
    "\xed\xa0\x80",
    "\xf4\x90\x80\x80",
    "\xc0\xaf",
    "\xe2\x82",
    "\xf0\x9f\x98",
    "]]>",
    "\r\n",
    "&amp;",
    "\xe2\x80\xa8",
    "\\u0000",
};
constexpr std::string_view markup = "<>&\"'\\/";

std::string random_text(Lcg& lcg) {
  std::string text;
  const std::uint32_t pieces = lcg.below(24);
  for (std::uint32_t i = 0; i < pieces; ++i) {
    switch (lcg.below(5)) {
      case 0:
        text.push_back(static_cast<char>(0x20 + lcg.below(0x5F)));  // printable ASCII
        break;
      case 1:
        text.push_back(static_cast<char>(lcg.below(0x20)));  // a control character
        break;
      case 2:
        text.push_back(static_cast<char>(0x80 + lcg.below(0x80)));  // any high byte
        break;
      case 3:
        text += fragments[lcg.below(std::size(fragments))];
        break;
      default:
        text.push_back(markup[lcg.below(markup.size())]);
        break;
    }
  }
  return text;
}

// Every string put into the report, recorded in order for check_reports.py.
class Recorder {
 public:
  explicit Recorder(Lcg& lcg) : lcg_{lcg} {}
  std::string text(std::string prefix = "") { return record(prefix + random_text(lcg_)); }
  std::string record(std::string text) {
    const auto size = static_cast<std::uint32_t>(text.size());
    for (int shift = 0; shift < 32; shift += 8) {
      strings_.push_back(static_cast<char>((size >> shift) & 0xFF));
    }
    strings_ += text;
    return text;
  }
  const std::string& strings() const { return strings_; }

 private:
  Lcg& lcg_;
  std::string strings_;
};

// tool; then per scenario: seed (decimal), simulated_time in us (decimal),
// file, name, trace_hash, reproducer, error, skip_reason, check, spec,
// message, location.
RunReport random_report(Lcg& lcg, Recorder& recorder) {
  RunReport report;
  report.tool = recorder.text();
  const Status statuses[] = {Status::passed, Status::failed, Status::error, Status::skipped};
  for (std::size_t i = 0; i < std::size(statuses); ++i) {
    ScenarioReport scenario;
    scenario.status = statuses[i];
    scenario.seed = lcg.next();
    recorder.record(std::to_string(scenario.seed));
    const auto simulated_us = static_cast<std::int64_t>(lcg.next() >> 24);  // < 2^40 us
    scenario.simulated_time = mqttsim::Duration::from_us(simulated_us);
    recorder.record(std::to_string(simulated_us));
    scenario.wall_time_s = static_cast<double>(lcg.below(1000)) / 1000;
    scenario.file = recorder.text();
    // A distinct, non-empty name, so no JUnit name gets a seed suffix.
    scenario.name = recorder.text("s" + std::to_string(i) + "-");
    scenario.trace_hash = recorder.text();
    scenario.reproducer = recorder.text();
    scenario.error = recorder.text();
    scenario.skip_reason = recorder.text();
    Finding finding;
    finding.check = recorder.text();
    finding.spec.push_back(recorder.text());
    finding.message = recorder.text();
    finding.location = recorder.text();
    scenario.findings.push_back(finding);
    report.scenarios.push_back(scenario);
  }
  return report;
}

bool save(const fs::path& path, std::string_view content) {
  if (const auto error = write_file_atomically(path, content)) {
    std::fprintf(stderr, "write_samples: %s\n", to_string(*error).c_str());
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: write_samples DIR COUNT\n");
    return 2;
  }
  const fs::path folder = argv[1];
  const int count = std::atoi(argv[2]);
  std::error_code ignored;
  fs::remove_all(folder, ignored);  // no stale files from an earlier COUNT

  const RunReport sample = test::sample_report();
  bool ok = save(folder / "sample.json", to_json(sample)) &&
            save(folder / "sample.xml", to_junit_xml(sample));
  Lcg lcg{0x6d717474'73696d00u};  // "mqttsim"
  for (int i = 0; ok && i < count; ++i) {
    Recorder recorder{lcg};
    const RunReport report = random_report(lcg, recorder);
    char stem[32];
    std::snprintf(stem, sizeof stem, "fuzz-%03d", i);
    ok = save(folder / (std::string{stem} + ".json"), to_json(report)) &&
         save(folder / (std::string{stem} + ".xml"), to_junit_xml(report)) &&
         save(folder / (std::string{stem} + ".strings"), recorder.strings());
  }
  return ok ? 0 : 1;
}
