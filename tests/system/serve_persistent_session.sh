#!/usr/bin/env bash
# Debian's mosquitto_sub and mosquitto_pub run a persistent session against
# `mqttsim serve`: subscribe with a fixed client id and clean session off,
# go away, let three QoS 1 messages be published, come back, and receive them
# in order. Then the same with MQTT 5.0 and QoS 2. Also: garbage bytes on a
# connection do not take the server down.
#   serve_persistent_session.sh MQTTSIM_BINARY
set -euo pipefail
mqttsim=$1
for tool in mosquitto_sub mosquitto_pub; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (run scripts/setup)"; exit 1; }
done

scratch=$(mktemp -d)
server_pid=
cleanup() { [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null; rm -rf "$scratch"; }
trap cleanup EXIT

"$mqttsim" serve --port 0 >"$scratch/serve.out" 2>&1 &
server_pid=$!
# Wait for the line that announces the port (bounded: 100 x 0.1 s).
for _ in $(seq 100); do
  grep -q 'listening on' "$scratch/serve.out" && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$scratch/serve.out"; echo "FAIL: serve exited"; exit 1; }
  sleep 0.1
done
port=$(sed -n 's/.*listening on [^:]*:\([0-9]*\).*/\1/p' "$scratch/serve.out")
[[ -n "$port" ]] || { cat "$scratch/serve.out"; echo "FAIL: serve did not start"; exit 1; }
broker=(-h 127.0.0.1 -p "$port")
failures=0
passes=0
check() {  # check NAME EXPECTED ACTUAL
  if [[ "$2" == "$3" ]]; then echo "ok: $1"; passes=$((passes + 1)); else
    echo "FAIL: $1"; echo "  expected: $(printf '%q' "$2")"; echo "  actual:   $(printf '%q' "$3")"
    failures=$((failures + 1))
  fi
}

# MQTT 3.1.1, QoS 1. -E: exit once the subscription is acknowledged.
mosquitto_sub "${broker[@]}" -c -i persistent-311 -q 1 -t 'sensors/#' -E
for n in 1 2 3; do mosquitto_pub "${broker[@]}" -q 1 -t sensors/a -m "reading-$n"; done
got=$(timeout 20 mosquitto_sub "${broker[@]}" -c -i persistent-311 -q 1 -t 'sensors/#' -C 3 -W 10)
check "3.1.1 queued QoS 1 messages arrive in order" $'reading-1\nreading-2\nreading-3' "$got"

# MQTT 5.0, QoS 2, with a session expiry so the session outlives the connection.
mosquitto_sub "${broker[@]}" -V mqttv5 -x 600 -c -i persistent-5 -q 2 -t 'alerts/#' -E
for n in 1 2 3; do mosquitto_pub "${broker[@]}" -V mqttv5 -q 2 -t alerts/b -m "alert-$n"; done
got=$(timeout 20 mosquitto_sub "${broker[@]}" -V mqttv5 -x 600 -c -i persistent-5 -q 2 -t 'alerts/#' -C 3 -W 10)
check "5.0 queued QoS 2 messages arrive in order" $'alert-1\nalert-2\nalert-3' "$got"

# Clean session: nothing is kept.
mosquitto_sub "${broker[@]}" -i clean-311 -q 1 -t 'gone/#' -E
mosquitto_pub "${broker[@]}" -q 1 -t gone/x -m lost
got=$(timeout 20 mosquitto_sub "${broker[@]}" -c -i clean-311 -q 1 -t 'other/#' -C 1 -W 2 2>/dev/null || true)
check "clean session 1 keeps no queue" "" "$got"

# Garbage, then a real client still gets service.
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf '\xff\xff\xff\xff\xff\x00garbage' >&3
timeout 5 cat <&3 >/dev/null || true
exec 3>&-
mosquitto_pub "${broker[@]}" -q 1 -r -t after/garbage -m still-here
got=$(timeout 20 mosquitto_sub "${broker[@]}" -q 1 -t after/garbage -C 1 -W 10)
check "server survives garbage bytes" "still-here" "$got"

echo "$passes passed, $failures failed"
((failures == 0))
