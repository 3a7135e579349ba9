#!/usr/bin/env bash
# `mqttsim explore --broker` against `mqttsim serve` (the reference broker
# over TCP, started here on a free port): 50 generated seeds, played in real
# time through the fault proxy in 4 workers, find nothing. Each seed is
# first played on the reference broker in simulation, so the run also shows
# that the harness over TCP agrees with the simulation. Also: an unreachable
# broker is a usage error (exit 2).
# Usage: explore_broker.sh PATH/TO/mqttsim
set -uo pipefail
mqttsim=${1:?usage: explore_broker.sh PATH/TO/mqttsim}
failures=0
fail() { failures=$((failures + 1)); printf 'FAIL: %s\n' "$*"; }
scratch=$(mktemp -d)
server_pid=
cleanup() { [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null; rm -rf "$scratch"; }
trap cleanup EXIT
cd "$scratch" || exit 1

exec {serve_out}< <(exec "$mqttsim" serve --port 0 2>&1)
server_pid=$!
read -r -t 10 -u "$serve_out" first_line || { echo "FAIL: serve printed nothing"; exit 1; }
port=$(sed -n 's/.*listening on [^:]*:\([0-9]*\).*/\1/p' <<<"$first_line")
[[ -n "$port" ]] || { echo "FAIL: serve did not start: $first_line"; exit 1; }

out=$("$mqttsim" explore --broker "127.0.0.1:$port" --time-scale 40 --seeds 1..50 --jobs 4 \
  --out found --json broker.json 2>&1)
status=$?
[[ $status == 0 ]] || fail "explore --broker against serve: exit $status: $out"
grep -qE '^mqttsim explore: broker 127\.0\.0\.1:[0-9]+, time scale 40, settle 200ms, client id prefix ms[0-9a-f]{6}-$' <<<"$out" ||
  fail "no broker headline: $out"
grep -qE '^50 passed, 0 failed, 0 errors, 0 skipped \(50 seeds, ' <<<"$out" || fail "not 50 passed: $out"
python3 - broker.json <<'PY' || fail "the JSON report"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["tool"].startswith("mqttsim explore --broker 127.0.0.1:"), r["tool"]
assert [s["seed"] for s in r["scenarios"]] == list(range(1, 51))
PY

"$mqttsim" explore --broker 127.0.0.1:1 --seeds 1 --connect-timeout 2s >/dev/null 2>err.txt
[[ $? == 2 ]] || fail "an unreachable broker: expected exit 2"
grep -qF "cannot reach the broker at 127.0.0.1:1" err.txt || fail "unreachable: $(cat err.txt)"

if ((failures > 0)); then
  echo "$failures failed"
  exit 1
fi
echo "explore_broker: all passed"
