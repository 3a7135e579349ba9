#!/usr/bin/env bash
# `mqttsim check` against Debian's Mosquitto over TLS (and plain TCP): the
# broker is started by scripts/mosquitto-under-test on loopback with a
# certificate authority and server certificate made for this run. With the
# CA trusted, library scenarios pass over TLS; --insecure accepts the
# certificate without the CA; a CA that did not sign it fails the handshake,
# which is an unreachable broker (exit 2, naming the address).
#   check_mosquitto_tls.sh MQTTSIM_BINARY SOURCE_DIR
set -uo pipefail
mqttsim=${1:?usage: check_mosquitto_tls.sh MQTTSIM_BINARY SOURCE_DIR}
source_dir=${2:?usage: check_mosquitto_tls.sh MQTTSIM_BINARY SOURCE_DIR}
command -v mosquitto >/dev/null || { echo "FAIL: mosquitto is not installed (run scripts/setup)"; exit 1; }
failures=0
fail() { failures=$((failures + 1)); printf 'FAIL: %s\n' "$*"; }
scratch=$(mktemp -d)
chmod 755 "$scratch"  # mosquitto drops to its own user and must read the files
cleanup() {
  [[ -f "$scratch/broker/mosquitto.pid" ]] && kill "$(cat "$scratch/broker/mosquitto.pid")" 2>/dev/null
  rm -rf "$scratch"
}
trap cleanup EXIT
"$source_dir/scripts/mosquitto-under-test" "$scratch/broker" >/dev/null || { echo "FAIL: mosquitto did not start"; exit 1; }
# shellcheck disable=SC1091
. "$scratch/broker/env"
profile="$source_dir/reference/profile/profiles/mosquitto-2.0.yaml"
scenarios=(
  "$source_dir/scenarios/sessions/persistent-session-queues-qos1.yaml"
  "$source_dir/scenarios/retained/retained-not-part-of-session.yaml"
)

out=$("$mqttsim" check --broker "127.0.0.1:$TLS_PORT" --tls --cafile "$CAFILE" --profile "$profile" \
  --client-prefix --report "$scratch/report.md" "${scenarios[@]}" 2>&1)
status=$?
[[ $status == 0 ]] || fail "TLS with the CA: exit $status: $out"
grep -q "^mqttsim check: broker 127.0.0.1:$TLS_PORT (TLS), version \"mosquitto version 2\." <<<"$out" ||
  fail "TLS or the version not announced: $out"
# Mosquitto announces its version on \$SYS/broker/version; the report says it.
grep -q '^| version | mosquitto version 2\.' "$scratch/report.md" || fail "no version in the report: $(head -8 "$scratch/report.md")"
[[ $(grep -c '^PASS ' <<<"$out") == 2 ]] || fail "TLS with the CA: not both passed: $out"

out=$("$mqttsim" check --broker "127.0.0.1:$TLS_PORT" --tls --insecure --profile "$profile" \
  "${scenarios[0]}" 2>&1)
[[ $? == 0 ]] && grep -q '^PASS ' <<<"$out" || fail "TLS --insecure: $out"

out=$("$mqttsim" check --broker "127.0.0.1:$PLAIN_PORT" --profile "$profile" "${scenarios[0]}" 2>&1)
[[ $? == 0 ]] && grep -q '^PASS ' <<<"$out" || fail "plain TCP: $out"

# A CA that did not sign the server's certificate: the handshake fails.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=someone else" \
  -keyout "$scratch/other.key" -out "$scratch/other.crt" >/dev/null 2>&1
out=$("$mqttsim" check --broker "127.0.0.1:$TLS_PORT" --tls --cafile "$scratch/other.crt" \
  "${scenarios[0]}" 2>&1)
status=$?
[[ $status == 2 ]] || fail "untrusted certificate: exit $status: $out"
grep -q "cannot reach the broker at 127.0.0.1:$TLS_PORT: .*TLS handshake" <<<"$out" ||
  fail "untrusted certificate: no handshake error: $out"

# A --cafile that does not exist is bad usage.
out=$("$mqttsim" check --broker "127.0.0.1:$TLS_PORT" --tls --cafile "$scratch/missing.pem" \
  "${scenarios[0]}" 2>&1)
[[ $? == 2 ]] && grep -q 'cannot load --cafile' <<<"$out" || fail "missing --cafile: $out"

echo "check_mosquitto_tls.sh: $failures failure(s)"
((failures == 0))
