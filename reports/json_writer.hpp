#pragma once
// The JSON report (`--json F`), the machine-readable half of the CLI contract
// in DESIGN.md. Pretty-printed with a two-space indent (the layout of
// Python's json.dumps(indent=2)), keys in a fixed order, every key present
// even when empty (but timestamp, hostname, interrupted and trace), a trailing newline;
// byte-identical for equal reports. The layout (keys beyond the contract are
// marked +):
//
//   {
//     "tool": "mqttsim run",
//     "timestamp": "...", "hostname": "...",       + only when set
//     "interrupted": true,                         + only when stopped early
//     "trace": "judged" | "none",                  + only under mqttsim run --trace;
//                                                    "none": no oracle verdict
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
//
// JsonDetail::full adds what the public report leaves out, so that
// json_reader.hpp reads back a RunReport equal to the one written (for a
// parent process collecting its workers' reports, or a later merge):
//
//   scenario  + "simulated_time_us" (exact), "judged": [...], "reference_replay"
//   finding   + "excerpt"
//
// and the wall time with every digit a double needs to read back the same
// (std::to_chars) rather than rounded to microseconds. A string that is not
// well-formed UTF-8 cannot be a JSON string without losing bytes, so it is
// written as {"hex": "..."} (two lowercase digits a byte) instead. A wall
// time that is not finite is null in both forms; it reads back as NaN.

#include <cstdint>
#include <string>

#include "reports/run_report.hpp"

namespace mqttsim::reports {

enum class JsonDetail : std::uint8_t {
  contract,  // the public report of the CLI contract, byte for byte as documented above
  full,      // everything in RunReport, for reading it back whole
};

std::string to_json(const RunReport& report, JsonDetail detail = JsonDetail::contract);

}  // namespace mqttsim::reports
