#!/usr/bin/env bash
# End-to-end test of `mqttsim validate`: the scenario library validates,
# a broken file fails with its location and exit code 2, a missing path
# is exit 2. Usage: validate.sh PATH/TO/mqttsim PATH/TO/scenarios
set -uo pipefail
mqttsim=${1:?usage: validate.sh PATH/TO/mqttsim PATH/TO/scenarios}
scenarios=${2:?usage: validate.sh PATH/TO/mqttsim PATH/TO/scenarios}
failures=0
fail() { failures=$((failures + 1)); printf 'FAIL: %s\n' "$*"; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# The library: every file ok, exit 0, one line per file in sorted order.
out=$("$mqttsim" validate "$scenarios" 2>"$scratch/err")
status=$?
[[ $status == 0 ]] || fail "validate scenarios/ exit $status: $(cat "$scratch/err")"
files=$(find "$scenarios" -name '*.yaml' | LC_ALL=C sort)
[[ $(grep -c '^ok ' <<<"$out") == $(wc -l <<<"$files") ]] || fail "not one ok line per file: $out"
[[ $(sed 's/^ok \(.*\) (.*/\1/' <<<"$out") == "$files" ]] || fail "files not in sorted order: $out"

# A broken file: located message on stderr, exit 2, and the good ones still reported.
mkdir -p "$scratch/lib/sub"
cat >"$scratch/lib/sub/broken.yaml" <<'YAML'
name: broken
protocol: 3.1.1
clients: {a: }
steps:
  - connect: a
    session_expiry: 10s
YAML
cp "$scenarios/sessions/persistent-session-queues-qos1.yaml" "$scratch/lib/good.yaml"
echo "not a scenario" >"$scratch/lib/notes.txt"
out=$("$mqttsim" validate "$scratch/lib" 2>"$scratch/err")
status=$?
[[ $status == 2 ]] || fail "broken file: exit $status, expected 2"
grep -qF "$scratch/lib/sub/broken.yaml:6:21: session_expiry" "$scratch/err" ||
  fail "broken file: stderr lacks the location: $(cat "$scratch/err")"
[[ "$out" == "ok $scratch/lib/good.yaml (9 steps)" ]] || fail "broken folder: stdout was: $out"

# A missing path and no path: exit 2.
"$mqttsim" validate "$scratch/nowhere" >/dev/null 2>"$scratch/err"
status=$?
[[ $status == 2 ]] || fail "missing path: exit $status"
grep -qF "no such file or folder: $scratch/nowhere" "$scratch/err" || fail "missing path: $(cat "$scratch/err")"
"$mqttsim" validate >/dev/null 2>&1
[[ $? == 2 ]] || fail "no path: expected exit 2"

echo "cli validate: $failures failed"
((failures == 0))
