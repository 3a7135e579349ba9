#!/usr/bin/env bash
# `mqttsim check --jobs 2` against `mqttsim serve` (started here on a free
# port) finds what `--jobs 1` finds: the same verdicts in the same order, the
# same findings (check, spec ids, location, message with the run's client id
# prefix taken out; nothing that depends on the trace), the same exit code.
# The scenarios include two that share a topic root (one worker must play
# them one after the other), one sending raw bytes (played alone first),
# two with empty client ids (left unprefixed), a failing one and a skipped
# one. Also: --jobs above 1 without --client-prefix, and a bad J, exit 2.
# Usage: check_jobs.sh PATH/TO/mqttsim PATH/TO/scenarios
set -uo pipefail
mqttsim=${1:?usage: check_jobs.sh PATH/TO/mqttsim PATH/TO/scenarios}
scenarios=${2:?usage: check_jobs.sh PATH/TO/mqttsim PATH/TO/scenarios}
failures=0
fail() { failures=$((failures + 1)); printf 'FAIL: %s\n' "$*"; }
scratch=$(mktemp -d)
server_pid=
cleanup() { [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null; rm -rf "$scratch"; }
trap cleanup EXIT

# serve prints its port on its first line: read it from the pipe (bounded).
exec {serve_out}< <(exec "$mqttsim" serve --port 0 2>&1)
server_pid=$!
read -r -t 10 -u "$serve_out" first_line || { echo "FAIL: serve printed nothing"; exit 1; }
port=$(sed -n 's/.*listening on [^:]*:\([0-9]*\).*/\1/p' <<<"$first_line")
[[ -n "$port" ]] || { echo "FAIL: serve did not start: $first_line"; exit 1; }
broker=127.0.0.1:$port

# A failing copy of a library scenario: it expects one message too many.
mkdir -p "$scratch/lib"
sed 's/count: 10, qos: 1/count: 11, qos: 1/' "$scenarios/sessions/persistent-session-queues-qos1.yaml" \
  >"$scratch/lib/persistent-session-one-too-many.yaml"
files=(
  "$scenarios/errors/publish-qos3.yaml"
  "$scenarios/properties/assigned-client-identifier-5.0.yaml"
  "$scenarios/retained/retained-not-part-of-session.yaml"
  "$scenarios/sessions/persistent-session-only-for-same-client-id.yaml"
  "$scenarios/sessions/persistent-session-queues-qos1.yaml"
  "$scenarios/sessions/plain-client-ids-accepted.yaml"
  "$scenarios/sessions/qos0-queued-offline-when-profile-allows.yaml"
  "$scratch/lib/persistent-session-one-too-many.yaml"
)
for jobs in 1 2; do
  "$mqttsim" check --broker "$broker" --client-prefix --time-scale 4 --jobs "$jobs" \
    --json "$scratch/jobs-$jobs.json" "${files[@]}" >"$scratch/jobs-$jobs.out" 2>&1
  echo $? >"$scratch/jobs-$jobs.status"
done
[[ $(cat "$scratch/jobs-1.status") == 1 ]] || fail "--jobs 1: exit $(cat "$scratch/jobs-1.status"): $(cat "$scratch/jobs-1.out")"
[[ $(cat "$scratch/jobs-2.status") == 1 ]] || fail "--jobs 2: exit $(cat "$scratch/jobs-2.status"): $(cat "$scratch/jobs-2.out")"
grep -q '^mqttsim check: 1 scenarios alone first .*, then 6 side by side in 2 workers (client id prefixes ms[0-9a-f]\{6\}-w1- to ms[0-9a-f]\{6\}-w2-)$' "$scratch/jobs-2.out" ||
  fail "--jobs 2 does not announce its workers: $(cat "$scratch/jobs-2.out")"

# The verdict lines, in order: the word and the file.
verdicts() { grep -E '^(PASS|FAIL|SKIP|ERROR) ' "$1" | cut -d' ' -f1,2; }
[[ $(verdicts "$scratch/jobs-1.out" | wc -l) == "${#files[@]}" ]] || fail "--jobs 1: not one line per file: $(cat "$scratch/jobs-1.out")"
diff <(verdicts "$scratch/jobs-1.out") <(verdicts "$scratch/jobs-2.out") >"$scratch/verdicts.diff" ||
  fail "the verdict lines differ: $(cat "$scratch/verdicts.diff")"
grep -q "^FAIL $scratch/lib/persistent-session-one-too-many.yaml " "$scratch/jobs-2.out" ||
  fail "--jobs 2: the failing scenario did not fail: $(cat "$scratch/jobs-2.out")"

python3 - "$scratch/jobs-1.json" "$scratch/jobs-2.json" <<'PY' || fail "the JSON reports differ"
import json, re, sys

def without_prefix(text):
    return re.sub(r"ms[0-9a-f]{6}-(w[0-9]+-)?", "PREFIX-", text)

def what_was_found(path):
    report = json.load(open(path))
    return report["summary"], [
        (s["file"], s["name"], s["status"], s["seed"], without_prefix(s["skip_reason"]),
         without_prefix(s["error"]), without_prefix(s["reproducer"]),
         [(v["check"], v["spec"], v["location"], without_prefix(v["message"]))
          for v in s["violations"]])
        for s in report["scenarios"]]

one, two = what_was_found(sys.argv[1]), what_was_found(sys.argv[2])
if one != two:
    print("--jobs 1:", json.dumps(one, indent=1))
    print("--jobs 2:", json.dumps(two, indent=1))
    sys.exit(1)
assert one[0] == {"passed": 6, "failed": 1, "errors": 0, "skipped": 1, "total": 8}, one[0]
PY

# Bad usage: exit 2, naming the problem.
out=$("$mqttsim" check --broker "$broker" --jobs 2 "${files[0]}" 2>&1)
[[ $? == 2 ]] && grep -q -- '--jobs 2 needs --client-prefix' <<<"$out" || fail "--jobs 2 without --client-prefix: $out"
for jobs in 0 65 two; do
  out=$("$mqttsim" check --broker "$broker" --client-prefix --jobs "$jobs" "${files[0]}" 2>&1)
  [[ $? == 2 ]] && grep -q -- "--jobs takes a number of worker processes from 1 to 64, not '$jobs'" <<<"$out" ||
    fail "--jobs $jobs: $out"
done

echo "check_jobs.sh: $failures failure(s)"
((failures == 0))
