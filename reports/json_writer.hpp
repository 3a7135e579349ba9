#pragma once
// The JSON report (`--json F`), the machine-readable half of the CLI contract
// in DESIGN.md. Pretty-printed with a two-space indent (the layout of
// Python's json.dumps(indent=2)), keys in a fixed order, every key present
// even when empty (but timestamp and hostname), a trailing newline;
// byte-identical for equal reports. The layout (keys beyond the contract are
// marked +):
//
//   {
//     "tool": "mqttsim run",
//     "timestamp": "...", "hostname": "...",       + only when set
//     "summary": {"passed", "failed", "errors", "skipped", "total"+},
//     "scenarios": [
//       {"file", "name", "status", "seed", "trace_hash",
//        "simulated_time_s"+, "wall_time_s"+,
//        "violations": [{"check", "spec": [...], "message", "location"+}],
//        "error"+, "skip_reason"+, "reproducer"+}
//     ]
//   }
//
// `seed` is a JSON number holding the full uint64. Parsers that read numbers
// as doubles (JavaScript) lose precision above 2^53; a seed is an identifier,
// so such readers should take it from the reproducer command instead.
// Times are exact decimal seconds (seconds_text.hpp); a wall time that is not
// a finite number is null. Strings are escaped by json_string.hpp, so the
// output is valid JSON and valid UTF-8 whatever bytes the report holds.

#include <string>

#include "reports/run_report.hpp"

namespace mqttsim::reports {

std::string to_json(const RunReport& report);

}  // namespace mqttsim::reports
