#!/usr/bin/env bash
# End-to-end test of `mqttsim decode`: runs the built binary on known bytes
# and checks its exact output and exit code (CLI contract: 0 good input,
# 2 bad input). Usage: decode.sh PATH/TO/mqttsim
set -uo pipefail
mqttsim=${1:?usage: decode.sh PATH/TO/mqttsim}
failures=0
checks=0

# expect EXIT_CODE EXPECTED_STDOUT EXPECTED_STDERR_SUBSTRING -- ARGS...
expect() {
  local want_status=$1 want_stdout=$2 want_stderr=$3
  shift 4
  local out err status
  err=$(mktemp)
  out=$("$mqttsim" decode "$@" 2>"$err")
  status=$?
  checks=$((checks + 1))
  local problems=()
  [[ $status == "$want_status" ]] || problems+=("exit code $status, expected $want_status")
  [[ "$out" == "$want_stdout" ]] || problems+=("stdout:"$'\n'"$out"$'\n'"expected:"$'\n'"$want_stdout")
  if [[ -n "$want_stderr" ]]; then
    grep -qF -- "$want_stderr" "$err" || problems+=("stderr:"$'\n'"$(cat "$err")"$'\n'"expected to contain: $want_stderr")
  elif [[ -s "$err" ]]; then
    problems+=("unexpected stderr: $(cat "$err")")
  fi
  rm -f "$err"
  if ((${#problems[@]})); then
    failures=$((failures + 1))
    printf 'FAIL: mqttsim decode %s\n' "$*"
    printf '  %s\n' "${problems[@]}"
  fi
}

publish_311='offset 0 (14 bytes): PUBLISH dup=0 qos=1 retain=0 id=7 topic="t/a" payload="hello" (5 bytes)'

# Good input: exit 0, one line per packet.
expect 0 "$publish_311" "" -- 32 0c 00 03 74 2f 61 00 07 68 65 6c 6c 6f
expect 0 "$publish_311" "" -- 320c0003742f610007 68656c6c6f   # arguments form one stream
expect 0 "$publish_311" "" -- "32:0c:00:03:74:2f:61:00:07:68:65:6c:6c:6f"
expect 0 'offset 0 (14 bytes): CONNECT v3.1.1 client_id="" clean_session=1 keep_alive=60s
offset 14 (2 bytes): PINGREQ' "" -- 10 0c 00 04 4d 51 54 54 04 02 00 3c 00 00 c0 00
# A leading 5.0 CONNECT sets the version for the packets after it.
expect 0 'offset 0 (22 bytes): CONNECT v5.0 client_id="c1" clean_start=1 keep_alive=60s props{session_expiry_interval=60}
offset 22 (17 bytes): PUBLISH dup=0 qos=0 retain=0 topic="t/a" props{user[a=b]} payload="hi" (2 bytes)
offset 39 (2 bytes): DISCONNECT reason=0x00 (success)' "" -- \
  10 14 00 04 4d 51 54 54 05 02 00 3c 05 11 00 00 00 3c 00 02 63 31 \
  30 0f 00 03 74 2f 61 07 26 00 01 61 00 01 62 68 69 \
  e0 00
expect 0 'offset 0 (5 bytes): PUBACK id=7 reason=0x10 (no_matching_subscribers)' "" -- \
  --protocol 5.0 40 03 00 07 10
expect 0 'offset 0 (4 bytes): PUBACK id=7' "" -- --protocol 3.1.1 40 02 00 07

# Malformed packets: exit 2 and the normative id; packets before it still print.
expect 2 "" "packet at offset 0: MQTT-3.3.1-4 (3.1.1): " -- 36 03 00 01 74
expect 2 'offset 0 (2 bytes): PINGREQ' "packet at offset 2: MQTT-3.3.1-4 (3.1.1): " -- c0 00 36 03 00 01 74
expect 2 "" "packet at offset 0: §2.2.1 (3.1.1): packet type 0 is reserved and forbidden (at byte 0)" -- 00 00
expect 2 "" "packet at offset 0: §1.5.5 (5.0): remaining length runs past its maximum of 4 bytes" -- \
  --protocol 5.0 30 ff ff ff ff 01
# A server-style read (leading CONNECT) of a broken CONNECT cites the codec's rule.
expect 2 "" "packet at offset 0: " -- 10 02 00 04

# Bad usage or unreadable input: exit 2 with a clear message.
expect 2 "" "the stream ends inside the packet at offset 0 (4 of 14 bytes)" -- 32 0c 00 03
expect 2 'offset 0 (2 bytes): PINGREQ' "the stream ends inside the packet at offset 2 (its fixed header is incomplete after 2 bytes)" -- c0 00 30 80
expect 2 "" "argument 2, character 2: 'z' is not a hex digit" -- c0 0z
expect 2 "" "hex group '300' has an odd number of digits" -- c0 00 300
expect 2 "" "--protocol '4' is not supported (use 3.1.1 or 5.0)" -- --protocol 4 c0 00
expect 2 "" "no bytes to decode" --

help=$("$mqttsim" decode --help)
status=$?
checks=$((checks + 1))
if [[ $status != 0 || "$help" != *"usage: mqttsim decode [--protocol 3.1.1|5.0] HEX..."* || "$help" != *"--protocol"* ]]; then
  failures=$((failures + 1))
  echo "FAIL: mqttsim decode --help (exit $status):"
  echo "$help"
fi

echo "cli decode: $checks checks, $failures failed"
((failures == 0))
