// `mqttsim run --trace judged` keeps only what the oracle reads, so it must
// give the same verdicts as the full trace: the same violations (check,
// statements, message), remarks and statements judged, and the same step
// failures. Checked on every scenario of the library with the correct
// broker and with two broken ones, so that there are violations to compare.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <functional>
#include <sstream>

#include "flow_breaks.hpp"

using namespace mqttsim;
using namespace mqttsim::testing;

namespace {

std::vector<std::filesystem::path> library() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator{MQTTSIM_SCENARIOS_DIR}) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml")
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// What a run concluded, without the trace indices (which differ: the
// judged trace is shorter) or the trace itself.
std::string conclusions(const runner::RunResult& result) {
  std::ostringstream out;
  for (const auto& f : result.failures) out << "step " << f.step_index << ": " << f.message << "\n";
  for (const auto& v : result.verdict.violations) {
    out << "violation " << v.check << " [";
    for (const SpecRef& ref : v.spec) out << to_string(ref) << " ";
    out << "]: " << v.message << "\n";
  }
  for (const auto& r : result.verdict.remarks)
    out << "remark " << r.check << ": " << r.message << "\n";
  for (const auto& [version, id] : result.verdict.judged) {
    out << "judged " << id << " (" << to_string(version) << ")\n";
  }
  out << (result.aborted ? "aborted: " + result.abort_reason : "played") << "\n";
  return out.str();
}

// "judged: LINE / full: LINE" for the first line where the texts differ.
std::string first_different_line(const std::string& judged, const std::string& full) {
  std::istringstream a{judged};
  std::istringstream b{full};
  std::string x;
  std::string y;
  while (true) {
    const bool more_a = static_cast<bool>(std::getline(a, x));
    const bool more_b = static_cast<bool>(std::getline(b, y));
    if (!more_a && !more_b) return "";
    if (!more_a) x = "<end>";
    if (!more_b) y = "<end>";
    if (x != y) return "judged: " + x + "\nfull:   " + y;
  }
}

using Breakage = std::function<std::shared_ptr<runner::PacketInterceptor>()>;

}  // namespace

BOOST_AUTO_TEST_SUITE(st_trace_levels)

BOOST_AUTO_TEST_CASE(judged_gives_the_verdicts_of_full_on_the_whole_library) {
  const std::vector<std::pair<std::string, Breakage>> brokers{
      {"correct", [] { return std::shared_ptr<runner::PacketInterceptor>{}; }},
      {"QoS 1 sent twice", [] { return send_each_twice(codec::QoS::at_least_once); }},
      {"first queued dropped", [] { return drop_first_queued(); }},
  };
  const auto files = library();
  BOOST_TEST_REQUIRE(files.size() >= 100u);
  std::size_t violations = 0;
  std::size_t runs = 0;
  for (const auto& file : files) {
    const scenario::Scenario loaded = scenario::load_scenario_file(file.string());
    for (const auto& broker : brokers) {
      const std::string& name = broker.first;
      const Breakage& broken = broker.second;
      const auto play = [&](trace::Level level) {
        return runner::run_scenario(loaded, {.seed = loaded.seed.value_or(1),
                                             .interceptor = broken(),
                                             .stop_at_first_failure = false,
                                             .trace_level = level});
      };
      const runner::RunResult full = play(trace::Level::full);
      const runner::RunResult judged = play(trace::Level::judged);
      ++runs;
      violations += full.verdict.violations.size();
      BOOST_TEST(judged.judged);
      BOOST_TEST(judged.trace.size() < full.trace.size(), file.string());
      const std::string from_judged = conclusions(judged);
      const std::string from_full = conclusions(full);
      BOOST_TEST(from_judged == from_full, file.string()
                                               << " (" << name << ")\n"
                                               << first_different_line(from_judged, from_full));
    }
  }
  BOOST_TEST_MESSAGE(runs << " runs compared, " << violations << " violations among them");
  // The broken brokers must give the comparison something to compare.
  BOOST_TEST(violations >= 50u);
}

BOOST_AUTO_TEST_CASE(none_keeps_nothing_and_judges_nothing) {
  const scenario::Scenario loaded =
      scenario::load_scenario_file(library_file("sessions/persistent-session-queues-qos1.yaml"));
  const auto result =
      runner::run_scenario(loaded, {.seed = 1,
                                    .interceptor = send_each_twice(codec::QoS::at_least_once),
                                    .stop_at_first_failure = false,
                                    .trace_level = trace::Level::none});
  BOOST_TEST(result.trace.empty());
  BOOST_TEST(!result.judged);
  BOOST_TEST(result.verdict.violations.empty());
  BOOST_TEST(result.verdict.judged.empty());
  // The steps are still played and their own expectations judged.
  BOOST_TEST(result.steps_done + result.failures.size() >= loaded.steps.size());
}

BOOST_AUTO_TEST_SUITE_END()
