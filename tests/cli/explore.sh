#!/usr/bin/env bash
# End-to-end test of `mqttsim explore`: the options and their errors (exit
# 2), a run of generated seeds against the reference broker (exit 0, a
# progress line and a summary), the JSON report read back with Python's
# parser, and the same seeds giving the same trace hashes twice.
# Usage: explore.sh PATH/TO/mqttsim
set -uo pipefail
mqttsim=${1:?usage: explore.sh PATH/TO/mqttsim}
failures=0
fail() { failures=$((failures + 1)); printf 'FAIL: %s\n' "$*"; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# Bad usage: exit 2 with a message naming the option.
for bad in "--seeds 0" "--seeds 5..2" "--clients 1..3" "--clients 2..51" "--protocol 4" \
  "--faults wild" "--profile $scratch/none.yaml" "--shrink-budget 0" "--shrink-budget x" "--nonsense"; do
  # shellcheck disable=SC2086
  "$mqttsim" explore $bad --out "$scratch/out" >"$scratch/out.txt" 2>"$scratch/err.txt"
  status=$?
  [[ $status == 2 ]] || fail "explore $bad: exit $status, expected 2"
  option=${bad%% *}
  grep -qF -- "${option#--}" "$scratch/err.txt" || fail "explore $bad: the error does not name ${option}: $(cat "$scratch/err.txt")"
done

# --help names every option.
help=$("$mqttsim" explore --help)
for option in --seeds --clients --protocol --faults --profile --shrink --shrink-budget --out --json --junit; do
  grep -qF -- "$option" <<<"$help" || fail "--help lacks $option"
done

# Generated seeds against the correct broker: nothing fails, nothing saved.
out=$("$mqttsim" explore --seeds 3..7 --clients 2..6 --faults heavy --out "$scratch/found" \
  --json "$scratch/a.json" --junit "$scratch/a.xml")
status=$?
[[ $status == 0 ]] || fail "explore 3..7: exit $status: $out"
grep -qF 'mqttsim explore: seeds 3..7, clients 2..6, protocol mixed, faults heavy, profile spec' <<<"$out" ||
  fail "no headline: $out"
grep -qE '^explored 5/5 seeds, [0-9.]+ seeds/s, 0 failing, ETA 0 s$' <<<"$out" || fail "no progress line: $out"
grep -qE '^5 passed, 0 failed, 0 errors, 0 skipped \(5 seeds, ' <<<"$out" || fail "no summary: $out"
[[ ! -e "$scratch/found" ]] || fail "a passing run saved files: $(ls "$scratch/found")"

# The JSON report: one entry per seed, each with its seed and trace hash;
# the same seeds again give the same hashes.
"$mqttsim" explore --seeds 3..7 --clients 2..6 --faults heavy --out "$scratch/found" \
  --json "$scratch/b.json" >/dev/null || fail "second run failed"
python3 - "$scratch/a.json" "$scratch/b.json" <<'PY' || fail "JSON report"
import json, sys
a, b = (json.load(open(path)) for path in sys.argv[1:])
assert a["tool"] == "mqttsim explore", a["tool"]
assert a["summary"] == {"passed": 5, "failed": 0, "errors": 0, "skipped": 0, "total": 5}, a["summary"]
assert [s["seed"] for s in a["scenarios"]] == [3, 4, 5, 6, 7]
assert all(len(s["trace_hash"]) == 16 for s in a["scenarios"])
assert [s["trace_hash"] for s in a["scenarios"]] == [s["trace_hash"] for s in b["scenarios"]]
PY
python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' "$scratch/a.xml" || fail "JUnit XML does not parse"

if ((failures > 0)); then
  echo "$failures failed"
  exit 1
fi
echo "cli/explore: all checks passed"
