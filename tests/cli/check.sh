#!/usr/bin/env bash
# End-to-end test of `mqttsim check` against `mqttsim serve` (the reference
# broker over TCP, started here on a free port): library scenarios pass over
# plain TCP, including the fault proxy's drop, partition and half-open; a
# broker_restart without --restart-cmd and a scenario about another profile
# are skipped with their reasons; a failing scenario exits 1 with its
# location and a reproducer that fails the same way; an unreachable broker
# and bad usage exit 2 naming the problem; the JSON report is well formed.
# Usage: check.sh PATH/TO/mqttsim PATH/TO/scenarios
set -uo pipefail
mqttsim=${1:?usage: check.sh PATH/TO/mqttsim PATH/TO/scenarios}
scenarios=${2:?usage: check.sh PATH/TO/mqttsim PATH/TO/scenarios}
failures=0
fail() { failures=$((failures + 1)); printf 'FAIL: %s\n' "$*"; }
scratch=$(mktemp -d)
server_pid=
cleanup() { [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null; rm -rf "$scratch"; }
trap cleanup EXIT

"$mqttsim" serve --port 0 >"$scratch/serve.out" 2>&1 &
server_pid=$!
for _ in $(seq 100); do  # bounded: 100 x 0.1 s for the port line
  grep -q 'listening on' "$scratch/serve.out" && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$scratch/serve.out"; echo "FAIL: serve exited"; exit 1; }
  sleep 0.1
done
port=$(sed -n 's/.*listening on [^:]*:\([0-9]*\).*/\1/p' "$scratch/serve.out")
[[ -n "$port" ]] || { cat "$scratch/serve.out"; echo "FAIL: serve did not start"; exit 1; }
broker=127.0.0.1:$port

# Library scenarios over plain TCP: sessions, retained, and the fault proxy
# (scripted drops with late-noticed resets, a half-open link taken over, a
# partition healed without a reconnect).
passing=(
  "$scenarios/sessions/persistent-session-queues-qos1.yaml"
  "$scenarios/sessions/clean-session-discards-subscription-and-queue.yaml"
  "$scenarios/retained/retained-not-part-of-session.yaml"
  "$scenarios/faults/scripted-drop-cycles-qos2-exactly-once.yaml"
  "$scenarios/faults/partition-healed-without-reconnect-no-resend-5.0.yaml"
  "$scenarios/sessions/half-open-resubscribe-queued-then-retained-5.0.yaml"
  # Two clients with an empty id: --client-prefix must leave them empty, or
  # they become one id and the second takes the first over.
  "$scenarios/sessions/plain-client-ids-accepted.yaml"
)
out=$("$mqttsim" check --broker "$broker" --client-prefix --json "$scratch/report.json" \
  --report "$scratch/conformance.md" "${passing[@]}" 2>"$scratch/err")
status=$?
[[ $status == 0 ]] || fail "library scenarios: exit $status: $out $(cat "$scratch/err")"
[[ $(grep -c '^PASS ' <<<"$out") == "${#passing[@]}" ]] || fail "not every scenario passed: $out"
grep -qE "^PASS $scenarios/faults/scripted-drop-cycles-qos2-exactly-once.yaml - .* \[[0-9]+\.[0-9]{3}s wall, [0-9]+\.[0-9]{3}s scenario time, trace [0-9a-f]{16}\]$" <<<"$out" ||
  fail "no PASS line with wall time and trace hash: $out"
grep -qE "^${#passing[@]} passed, 0 failed, 0 errors, 0 skipped \(${#passing[@]} scenarios, " <<<"$out" ||
  fail "no summary: $out"
grep -q 'client id prefix ms' <<<"$out" || fail "--client-prefix not announced: $out"
python3 - "$scratch/report.json" "${#passing[@]}" <<'PY' || fail "JSON report: $(cat "$scratch/report.json")"
import json, sys
report = json.load(open(sys.argv[1]))
assert report["tool"].startswith("mqttsim check --broker 127.0.0.1:"), report["tool"]
assert report["summary"]["passed"] == int(sys.argv[2]), report["summary"]
assert all(s["status"] == "passed" for s in report["scenarios"])
PY

grep -q "^# Conformance report: $broker$" "$scratch/conformance.md" &&
  grep -q '^| transport | TCP |$' "$scratch/conformance.md" &&
  grep -q '^| version | not announced |$' "$scratch/conformance.md" &&
  grep -q '^| MQTT-3.1.2-5 | session | passed in ' "$scratch/conformance.md" ||
  fail "conformance report: $(head -20 "$scratch/conformance.md")"

# Skipped, each with its reason: a restart without --restart-cmd; a
# scenario about a profile the broker (spec) does not have.
out=$("$mqttsim" check --broker "$broker" \
  "$scenarios/sessions/broker-restart-durable-keeps-session.yaml" \
  "$scenarios/sessions/qos0-queued-offline-when-profile-allows.yaml" 2>&1)
status=$?
[[ $status == 0 ]] || fail "skips: exit $status: $out"
grep -q '^  skipped: step at .*broker-restart-durable-keeps-session.yaml:[0-9]*:[0-9]* (broker_restart): restarting the broker under test needs --restart-cmd CMD$' <<<"$out" ||
  fail "no restart skip reason: $out"
grep -q "^  skipped: it passes against the reference broker under its own profile but fails under this broker's (spec), so its expectations rest on a choice the standard leaves open that this broker makes otherwise: " <<<"$out" ||
  fail "no profile skip reason: $out"
grep -q '^0 passed, 0 failed, 0 errors, 2 skipped' <<<"$out" || fail "skip summary: $out"

# broker_restart with --restart-cmd: the command stops this serve and starts
# a new one on the same port (a volatile store: state is lost, as the
# scenario expects); the run waits until it accepts again.
echo "$server_pid" >"$scratch/serve.pid"
cat >"$scratch/restart.sh" <<RESTART
#!/usr/bin/env bash
old=\$(cat "$scratch/serve.pid")
kill "\$old"
for _ in \$(seq 100); do kill -0 "\$old" 2>/dev/null || break; sleep 0.05; done
[[ \$MQTTSIM_RESTART_STORE == volatile ]] || exit 3
"$mqttsim" serve --port $port >"$scratch/serve-restarted.out" 2>&1 &
echo \$! >"$scratch/serve.pid"
RESTART
chmod +x "$scratch/restart.sh"
out=$("$mqttsim" check --broker "$broker" --restart-cmd "$scratch/restart.sh" \
  "$scenarios/sessions/broker-restart-volatile-loses-session.yaml" 2>&1)
status=$?
server_pid=$(cat "$scratch/serve.pid")
[[ $status == 0 ]] && grep -q '^PASS ' <<<"$out" || fail "--restart-cmd: exit $status: $out"
kill -0 "$server_pid" 2>/dev/null || fail "--restart-cmd: no broker running after the restart"

# A failing scenario: exit 1, the step's location, a reproducer that fails
# the same way.
mkdir -p "$scratch/lib"
sed 's/count: 10, qos: 1/count: 11, qos: 1/' "$scenarios/sessions/persistent-session-queues-qos1.yaml" \
  >"$scratch/lib/bad.yaml"
out=$("$mqttsim" check --broker "$broker" --time-scale 4 "$scratch/lib/bad.yaml" 2>&1)
status=$?
[[ $status == 1 ]] || fail "failing scenario: exit $status: $out"
grep -qF "$scratch/lib/bad.yaml:" <<<"$out" && grep -qF "did not get what was expected: 10 of 11" <<<"$out" ||
  fail "failing scenario: no located failure: $out"
# The reference broker fails it too: the output points at the scenario.
grep -qF "  reference broker: fails too (simulation, seed 1): check the scenario (mqttsim run --seed 1 $scratch/lib/bad.yaml)" <<<"$out" ||
  fail "failing scenario: no reference replay verdict: $out"
reproducer=$(sed -n 's/^  reproduce: //p' <<<"$out")
[[ "$reproducer" == "mqttsim check --broker $broker --time-scale 4 --seed 1 $scratch/lib/bad.yaml" ]] ||
  fail "reproducer: $reproducer"
again=$("$mqttsim" ${reproducer#mqttsim } 2>&1)
[[ $? == 1 ]] && grep -qF "10 of 11" <<<"$again" || fail "the reproducer does not fail the same way: $again"

# An unreachable broker: exit 2, naming the address; nothing runs.
closed_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
out=$("$mqttsim" check --broker "127.0.0.1:$closed_port" "${passing[0]}" 2>&1)
status=$?
[[ $status == 2 ]] || fail "unreachable broker: exit $status: $out"
grep -qF "cannot reach the broker at 127.0.0.1:$closed_port" <<<"$out" || fail "unreachable broker: $out"
grep -q '^PASS\|^FAIL' <<<"$out" && fail "unreachable broker: scenarios ran: $out"

# Bad usage: exit 2.
for args in "--broker nohostport ${passing[0]}" "--broker $broker --time-scale 0 ${passing[0]}" \
  "--broker $broker --cafile x.pem ${passing[0]}" "--broker $broker"; do
  out=$("$mqttsim" check $args 2>&1)
  [[ $? == 2 ]] || fail "bad usage '$args' did not exit 2: $out"
done
# A file that does not load: ERROR, exit 2, the others still run.
printf 'name: broken\nprotocol: 3.1.1\nclients:\n  a:\nsteps:\n  - connect: b\n' >"$scratch/lib/broken.yaml"
out=$("$mqttsim" check --broker "$broker" "$scratch/lib/broken.yaml" "${passing[0]}" 2>&1)
[[ $? == 2 ]] || fail "broken file: exit not 2: $out"
grep -q "^ERROR $scratch/lib/broken.yaml:6:" <<<"$out" || fail "broken file: no located ERROR: $out"
grep -q '^PASS ' <<<"$out" || fail "broken file: the other scenario did not run: $out"

echo "check.sh: $failures failure(s)"
((failures == 0))
