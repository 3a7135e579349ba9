#!/usr/bin/env bash
# End-to-end test of `mqttsim run`: one line per run with seed and trace
# hash, exit 0/1/2, a failure printed with its location and a reproducer
# that reproduces it, --seeds, --check-determinism, --trace-dir, --trace, and
# the JSON and JUnit files (read back with Python's parsers).
# Usage: run.sh PATH/TO/mqttsim PATH/TO/scenarios
set -uo pipefail
mqttsim=${1:?usage: run.sh PATH/TO/mqttsim PATH/TO/scenarios}
scenarios=${2:?usage: run.sh PATH/TO/mqttsim PATH/TO/scenarios}
failures=0
fail() { failures=$((failures + 1)); printf 'FAIL: %s\n' "$*"; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

good="$scratch/lib/good.yaml"
mkdir -p "$scratch/lib"
cp "$scenarios/sessions/persistent-session-queues-qos1.yaml" "$good"

# A passing scenario: exit 0, a PASS line with seed and hash, a summary.
out=$("$mqttsim" run "$good" 2>"$scratch/err")
status=$?
[[ $status == 0 ]] || fail "good scenario: exit $status: $out $(cat "$scratch/err")"
grep -qE "^PASS $good - .* \[seed 1, [0-9]+\.[0-9]{3}s simulated, trace [0-9a-f]{16}\]$" <<<"$out" ||
  fail "good scenario: no PASS line: $out"
grep -qE '^1 passed, 0 failed, 0 errors \(1 runs, ' <<<"$out" || fail "no summary: $out"
hash=$(sed -n 's/.*trace \([0-9a-f]\{16\}\)\]$/\1/p' <<<"$out")

# The same seed gives the same hash; --check-determinism agrees.
again=$("$mqttsim" run --check-determinism "$good" | sed -n 's/.*trace \([0-9a-f]\{16\}\)\]$/\1/p')
[[ "$again" == "$hash" ]] || fail "same seed, different hash: $hash vs $again"

# --seeds runs each seed.
out=$("$mqttsim" run --seeds 5..7 "$good")
[[ $(grep -c '^PASS ' <<<"$out") == 3 ]] || fail "--seeds 5..7: $out"
grep -q '\[seed 7,' <<<"$out" || fail "--seeds 5..7 lacks seed 7: $out"

# A failing scenario: exit 1, the step's location, the spec ids, a reproducer
# that fails the same way with the same hash.
sed 's/count: 10, qos: 1/count: 11, qos: 1/' "$good" >"$scratch/lib/bad.yaml"
out=$("$mqttsim" run --seed 3 "$scratch/lib/bad.yaml")
status=$?
[[ $status == 1 ]] || fail "failing scenario: exit $status: $out"
line=$(grep -n 'count: 11' "$scratch/lib/bad.yaml" | cut -d: -f1)  # the expect step is two lines up
grep -qF "  $scratch/lib/bad.yaml:$((line - 2)):5: step 8 (expect): within 5s, dashboard did not get what was expected: 10 of 11" <<<"$out" ||
  fail "failing scenario: no located failure: $out"
grep -qF '  spec: MQTT-3.1.2-4 (3.1.1), MQTT-3.1.2-5 (3.1.1), ' <<<"$out" || fail "no spec ids: $out"
reproducer=$(sed -n 's/^  reproduce: //p' <<<"$out")
[[ "$reproducer" == "mqttsim run --seed 3 $scratch/lib/bad.yaml" ]] || fail "reproducer: $reproducer"
first=$(grep '^FAIL' <<<"$out")
second=$("$mqttsim" ${reproducer#mqttsim } | grep '^FAIL')
[[ "$first" == "$second" ]] || fail "the reproducer differs: $first / $second"

# Reports and traces: written, parseable, consistent with the run.
printf 'name: [broken\n' >"$scratch/lib/broken.yaml"
out=$("$mqttsim" run --json "$scratch/out/report.json" --junit "$scratch/out/junit.xml" \
  --trace-dir "$scratch/traces" "$scratch/lib" 2>"$scratch/err")
status=$?
[[ $status == 2 ]] || fail "a broken file among good ones: exit $status, expected 2"
grep -qF "ERROR $scratch/lib/broken.yaml:" <<<"$out" || fail "broken file not reported: $out"
grep -qF "PASS $good" <<<"$out" || fail "the good file did not run beside the broken one: $out"
python3 - "$scratch/out/report.json" "$scratch/out/junit.xml" <<'PY' || fail "reports do not read back"
import json, sys, xml.etree.ElementTree as ET
report = json.load(open(sys.argv[1]))
assert report["summary"] == {"passed": 1, "failed": 1, "errors": 1, "skipped": 0, "total": 3}, report["summary"]
statuses = sorted(s["status"] for s in report["scenarios"])
assert statuses == ["error", "failed", "passed"], statuses
failed = [s for s in report["scenarios"] if s["status"] == "failed"][0]
assert failed["violations"][0]["check"] == "expect", failed
assert len(failed["trace_hash"]) == 16, failed
suites = ET.parse(sys.argv[2]).getroot()
assert suites.get("tests") == "3" and suites.get("failures") == "1" and suites.get("errors") == "1"
assert len(suites.findall(".//testcase/failure")) == 1 and len(suites.findall(".//testcase/error")) == 1
PY
traces=$(ls "$scratch/traces" | wc -l)
[[ $traces == 2 ]] || fail "--trace-dir: $traces traces, expected 2 (the broken file never ran)"
grep -q 'actor="scenario"' "$scratch/traces/"*good.seed-1.trace 2>/dev/null ||
  grep -q 'scenario' "$scratch/traces/"*good.seed-1.trace || fail "trace file lacks the steps"

# --trace judged: the same verdict and failure from a smaller trace (its own
# hash); --trace none: no trace, no oracle verdict, and the output and the
# JSON say so; a broken file still fails on its steps.
out=$("$mqttsim" run --trace judged --trace-dir "$scratch/judged" "$good")
[[ $? == 0 ]] || fail "--trace judged: $out"
grep -qE "^PASS $good - .* judged trace [0-9a-f]{16}\]$" <<<"$out" || fail "--trace judged: $out"
judged_hash=$(sed -n 's/.*trace \([0-9a-f]\{16\}\)\]$/\1/p' <<<"$out")
[[ "$judged_hash" != "$hash" ]] || fail "--trace judged kept the whole trace (same hash $hash)"
grep -q 'actor="dashboard"' "$scratch/judged/"*.trace && fail "--trace judged kept a client's events"
grep -q 'actor="broker"' "$scratch/judged/"*.trace || fail "--trace judged lost the broker's events"
out=$("$mqttsim" run --trace none --seed 3 --json "$scratch/none.json" "$scratch/lib/bad.yaml")
[[ $? == 1 ]] || fail "--trace none on a failing scenario: exit not 1: $out"
grep -qE "^FAIL $scratch/lib/bad.yaml - .* \[seed 3, [0-9.]+s simulated, no trace\]$" <<<"$out" ||
  fail "--trace none: no FAIL line without a hash: $out"
grep -qF "no oracle verdict: --trace none" <<<"$out" || fail "--trace none does not say so: $out"
grep -qF "reproduce: mqttsim run --seed 3 --trace none $scratch/lib/bad.yaml" <<<"$out" ||
  fail "--trace none: reproducer: $out"
python3 - "$scratch/none.json" <<'PY' || fail "--trace none: JSON does not say so"
import json, sys
report = json.load(open(sys.argv[1]))
assert report["trace"] == "none", report
assert report["scenarios"][0]["trace_hash"] == "", report
PY
# A population of more than 1,000 clients keeps the judged trace unless told.
population="$scenarios/populations/thousand-sensors-keep-commands-while-offline.yaml"
out=$("$mqttsim" run "$population")
grep -qE '^PASS .* judged trace [0-9a-f]{16}\]$' <<<"$out" || fail "population: not judged by default: $out"
out=$("$mqttsim" run --trace full "$population")
grep -qE '^PASS .*, trace [0-9a-f]{16}\]$' <<<"$out" || fail "population --trace full: $out"
"$mqttsim" run --trace some "$good" >/dev/null 2>"$scratch/err"
[[ $? == 2 ]] || fail "--trace some: expected exit 2"
grep -qF -- "--trace takes full, judged or none, not 'some'" "$scratch/err" || fail "--trace some: $(cat "$scratch/err")"
"$mqttsim" run --trace none --check-determinism "$good" >/dev/null 2>"$scratch/err"
[[ $? == 2 ]] || fail "--trace none --check-determinism: expected exit 2"

# Usage errors: exit 2.
"$mqttsim" run >/dev/null 2>&1
[[ $? == 2 ]] || fail "no path: expected exit 2"
"$mqttsim" run --seeds 9..1 "$good" >/dev/null 2>"$scratch/err"
[[ $? == 2 ]] || fail "--seeds 9..1: expected exit 2"
"$mqttsim" run --seed x "$good" >/dev/null 2>&1
[[ $? == 2 ]] || fail "--seed x: expected exit 2"
"$mqttsim" run "$scratch/nowhere" >/dev/null 2>"$scratch/err"
[[ $? == 2 ]] || fail "missing path: expected exit 2"

echo "cli run: $failures failed"
((failures == 0))
