#!/usr/bin/env bash
# End-to-end test of `mqttsim merge` and `explore --shard`: the parts of a
# sharded explore run merged give the JSON and JUnit of the unsharded run
# (wall times aside); a run split by its files merges in the order given,
# with its failures (exit 1); overlapping parts, reports of different tools
# and broken reports are errors (exit 2) that name the file.
# Usage: merge.sh PATH/TO/mqttsim PATH/TO/scenarios
set -uo pipefail
mqttsim=${1:?usage: merge.sh PATH/TO/mqttsim PATH/TO/scenarios}
scenarios=${2:?usage: merge.sh PATH/TO/mqttsim PATH/TO/scenarios}
failures=0
fail() { failures=$((failures + 1)); printf 'FAIL: %s\n' "$*"; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$scratch" || exit 1

# Without wall times, which no two runs share.
same_json() {
  python3 - "$1" "$2" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for report in (a, b):
    for s in report["scenarios"]:
        s["wall_time_s"] = 0
sys.exit(0 if a == b else 1)
PY
}
same_junit() {
  diff <(sed 's/ time="[^"]*"//g' "$1") <(sed 's/ time="[^"]*"//g' "$2") >/dev/null
}

# --shard: bad values are usage errors.
for bad in 0/3 4/3 3 a/b 1/0; do
  "$mqttsim" explore --seeds 4 --shard "$bad" >/dev/null 2>"$scratch/err"
  [[ $? == 2 ]] || fail "--shard $bad: expected exit 2"
  grep -qF -- "--shard" "$scratch/err" || fail "--shard $bad: the error does not name it"
done

# Three shards of seeds 1..14, merged in any order, equal the whole run.
"$mqttsim" explore --seeds 1..14 --faults heavy --out found --json whole.json --junit whole.xml >/dev/null ||
  fail "the whole explore run failed"
for i in 1 2 3; do
  out=$("$mqttsim" explore --seeds 1..14 --faults heavy --shard "$i/3" --out found --json "part$i.json")
  [[ $? == 0 ]] || fail "shard $i/3 failed: $out"
  grep -qF "(shard $i/3: " <<<"$out" || fail "shard $i/3: no shard in the headline: $out"
done
python3 - part1.json part2.json part3.json <<'PY' || fail "shards do not split the seeds"
import json, sys
seeds = [sorted(s["seed"] for s in json.load(open(p))["scenarios"]) for p in sys.argv[1:]]
assert seeds == [[1, 4, 7, 10, 13], [2, 5, 8, 11, 14], [3, 6, 9, 12]], seeds
PY
out=$("$mqttsim" merge --json merged.json --junit merged.xml part3.json part1.json part2.json)
[[ $? == 0 ]] || fail "merge of the shards: exit $?: $out"
grep -qF "merged 3 reports of mqttsim explore: 14 passed, 0 failed, 0 errors, 0 skipped (14)" <<<"$out" ||
  fail "merge summary: $out"
same_json whole.json merged.json || fail "merged JSON differs from the whole run's"
same_junit whole.xml merged.xml || fail "merged JUnit differs from the whole run's"

# A run split by its files: a failing part makes the merge fail, in order.
good="$scenarios/sessions/persistent-session-queues-qos1.yaml"
sed 's/count: 10, qos: 1/count: 11, qos: 1/' "$good" >bad.yaml
"$mqttsim" run --json a.json "$good" >/dev/null
"$mqttsim" run --json b.json bad.yaml >/dev/null
"$mqttsim" run --json both.json "$good" bad.yaml >/dev/null
out=$("$mqttsim" merge --json ab.json a.json b.json)
status=$?
[[ $status == 1 ]] || fail "a failing part: exit $status, expected 1"
grep -qF "FAIL bad.yaml [seed 1, trace " <<<"$out" || fail "the failure is not printed: $out"
grep -qF "reproduce: mqttsim run --seed 1 bad.yaml" <<<"$out" || fail "no reproducer: $out"
same_json both.json ab.json || fail "merged run reports differ from the run of both files"

# Errors name what is wrong.
"$mqttsim" merge part1.json part1.json >/dev/null 2>err.txt
[[ $? == 2 ]] || fail "overlapping parts: expected exit 2"
grep -qF "seed 1 is in more than one report" err.txt || fail "overlap: $(cat err.txt)"
"$mqttsim" merge part1.json a.json >/dev/null 2>err.txt
[[ $? == 2 ]] || fail "different tools: expected exit 2"
grep -qF "a.json is a report of 'mqttsim run'" err.txt || fail "tools: $(cat err.txt)"
"$mqttsim" run --trace judged --json judged.json "$good" >/dev/null
"$mqttsim" merge judged.json b.json >/dev/null 2>err.txt
[[ $? == 2 ]] || fail "different trace levels: expected exit 2"
grep -qF "b.json kept the trace 'full', but judged.json kept it 'judged'" err.txt ||
  fail "trace levels: $(cat err.txt)"
printf '{"tool": "mqttsim run",' >torn.json
"$mqttsim" merge torn.json >/dev/null 2>err.txt
[[ $? == 2 ]] || fail "a torn report: expected exit 2"
grep -qF "torn.json" err.txt || fail "torn: the error does not name the file: $(cat err.txt)"
"$mqttsim" merge missing.json >/dev/null 2>err.txt
[[ $? == 2 ]] || fail "a missing report: expected exit 2"
"$mqttsim" merge >/dev/null 2>err.txt
[[ $? == 2 ]] || fail "no report: expected exit 2"

if ((failures > 0)); then
  echo "$failures failed"
  exit 1
fi
echo "merge: all passed"
