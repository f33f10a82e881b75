#!/usr/bin/env bash
# Exec: 100 MB through stdin and back out of `cat` unchanged, in constant memory; stdout and
# stderr kept apart; the exit code comes back; a missing binary is 126/127 as the engine says.
source "$(dirname "$0")/../common.sh"
require_testenv
require_probe

ctr=hoist-it-exec-$$
start_sleeper "$ctr"
head -c 100000000 /dev/urandom >"$WORK/in"
"$PROBE" --rss exec "$ctr" cat <"$WORK/in" >"$WORK/out" 2>"$WORK/err"
expect_eq "$(sha256sum <"$WORK/in")" "$(sha256sum <"$WORK/out")" "100 MB came back unchanged"
rss=$(max_rss_kb "$WORK/err")
[ "$rss" -lt 40960 ] || fail "peak RSS ${rss} kB for a 100 MB exec round trip (limit 40 MB)"
note "100 MB exec round trip at ${rss} kB peak RSS"

set +e
"$PROBE" exec-noin "$ctr" sh -c 'echo to-out; echo to-err >&2; exit 7' >"$WORK/o" 2>"$WORK/e"; rc=$?
set -e
expect_eq 7 "$rc" "exit code"
expect_eq to-out "$(cat "$WORK/o")" "stdout"
expect_eq to-err "$(cat "$WORK/e")" "stderr"

set +e
"$PROBE" exec-noin "$ctr" /no/such/binary >/dev/null 2>&1; rc=$?
set -e
[ "$rc" = 126 ] || [ "$rc" = 127 ] || fail "a missing binary gave exit $rc, not 126/127"
