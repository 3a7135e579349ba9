#!/usr/bin/env bash
# `mqttsim explore` in worker processes and under interrupts: --jobs 1 and
# --jobs 3 report the same seeds with the same verdicts and trace hashes;
# SIGINT stops a long run between seeds with exit 130, a summary, and a JSON
# report marked interrupted that lists only seeds it explored; broker
# options without --broker are usage errors.
# Usage: explore_jobs.sh PATH/TO/mqttsim
set -uo pipefail
mqttsim=${1:?usage: explore_jobs.sh PATH/TO/mqttsim}
failures=0
fail() { failures=$((failures + 1)); printf 'FAIL: %s\n' "$*"; }
scratch=$(mktemp -d)
explorer=
cleanup() { [[ -n "$explorer" ]] && kill "$explorer" 2>/dev/null; rm -rf "$scratch"; }
trap cleanup EXIT
cd "$scratch" || exit 1

# The same seeds, one worker or three: the same report but for wall times.
for jobs in 1 3; do
  "$mqttsim" explore --seeds 1..40 --faults heavy --jobs "$jobs" --out found \
    --json "jobs-$jobs.json" >"jobs-$jobs.out" || fail "--jobs $jobs: exit $?: $(cat "jobs-$jobs.out")"
done
grep -qF ', 3 workers, ' jobs-3.out || fail "the headline does not say 3 workers: $(head -1 jobs-3.out)"
python3 - jobs-1.json jobs-3.json <<'PY' || fail "--jobs 1 and --jobs 3 differ"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for report in (a, b):
    for s in report["scenarios"]:
        s["wall_time_s"] = 0
assert a == b
assert len(a["scenarios"]) == 40
PY

# SIGINT: read the run's output until it says it has explored its first
# hundred seeds (its plain progress line), then interrupt it.
exec {run_out}< <(exec "$mqttsim" explore --seeds 1..100000 --jobs 2 --out found --json interrupted.json 2>&1)
explorer=$!
seen=
while read -r -t 60 -u "$run_out" line; do
  printf '%s\n' "$line" >>run.out
  if [[ $line == "explored 100/"* ]]; then seen=1; break; fi
done
[[ -n $seen ]] || fail "no progress line after 100 seeds: $(tail -3 run.out)"
kill -INT "$explorer"
cat <&"$run_out" >>run.out
wait "$explorer"
status=$?
explorer=
[[ $status == 130 ]] || fail "SIGINT: exit $status, expected 130: $(tail -3 run.out)"
grep -qE '^interrupted by SIGINT: [0-9]+ seeds not run$' run.out || fail "no interrupt line: $(tail -3 run.out)"
grep -qE '^[0-9]+ passed, 0 failed, 0 errors, 0 skipped \([0-9]+ seeds, ' run.out || fail "no summary: $(tail -3 run.out)"
python3 - interrupted.json <<'PY' || fail "the interrupted report"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["interrupted"] is True
seeds = [s["seed"] for s in r["scenarios"]]
assert 100 <= len(seeds) < 100000, len(seeds)
assert seeds == sorted(set(seeds)), "seeds out of order or repeated"
assert seeds[:100] == list(range(1, 101))
PY

# Broker options need --broker.
for bad in "--time-scale 20" "--known-deviations x.yaml" "--tls" "--restart-cmd true"; do
  # shellcheck disable=SC2086
  "$mqttsim" explore --seeds 1 $bad >/dev/null 2>err.txt
  [[ $? == 2 ]] || fail "explore $bad without --broker: expected exit 2"
  grep -qF "needs --broker" err.txt || fail "explore $bad: $(cat err.txt)"
done
"$mqttsim" explore --seeds 1 --jobs 0 >/dev/null 2>err.txt
[[ $? == 2 ]] || fail "--jobs 0: expected exit 2"

if ((failures > 0)); then
  echo "$failures failed"
  exit 1
fi
echo "explore_jobs: all passed"
