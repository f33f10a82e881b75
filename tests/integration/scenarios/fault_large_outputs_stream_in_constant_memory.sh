#!/usr/bin/env bash
# A 1 GiB result written as a local output and as a tar file: hoist's peak RSS stays under the
# 40 MB target (it streams), and both arrive whole.
# test: serial — heavy: a 1 GiB result exported twice
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
setup_builder big
mkdir -p "$WORK/ctx"
printf 'ARG BASE\nFROM $BASE AS data\nRUN head -c 1073741824 /dev/zero >/big\nFROM scratch\nCOPY --from=data /big /\n' \
  >"$WORK/ctx/Dockerfile"
# hoist's own peak RSS, as its parent sees it (ru_maxrss of the waited-for child, in KiB).
peak() { # OUT-FILE ARGS...
  local out=$1; shift
  python3 - "$HOIST" "$@" >"$out" 2>&1 <<'PY'
import resource, subprocess, sys
rc = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=sys.stderr)
print(f"rc {rc} maxrss_kb {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}")
PY
}
for kind in local tar; do
  dest=$WORK/out-$kind
  [ "$kind" = tar ] && dest=$WORK/out.tar
  peak "$WORK/$kind.peak" build --builder "$BUILDER" --build-arg "BASE=$HOIST_TEST_BASE_IMAGE" \
    -o "type=$kind,dest=$dest" "$WORK/ctx"
  line=$(tail -1 "$WORK/$kind.peak")
  [[ "$line" == "rc 0 "* ]] || fail "$kind build: $(cat "$WORK/$kind.peak")"
  kb=${line##* }
  note "$kind output of 1 GiB: peak RSS $((kb / 1024)) MiB"
  [ "$kb" -lt $((40 * 1024)) ] || fail "$kind output: peak RSS $kb KiB, over the 40 MB target"
done
expect_eq 1073741824 "$(stat -c %s "$WORK/out-local/big")" "local output's size"
expect_eq 1073741824 "$(tar -tvf "$WORK/out.tar" big | awk '{print $3}')" "the tar's file size"
