#!/usr/bin/env bash
# The smaller faults: a step's last line without a newline is shown; a registry that drops the
# connection fails the push with exit 75 (worth a rerun), not 1; SIGTERM and SIGHUP end a build
# with 130 as SIGINT does; SIGINT during a large context upload ends it at once; a
# GITHUB_OUTPUT that cannot be written is exit 74 naming the file.
# test: serial — asserts how soon an interrupt ends a 4 GiB upload
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
setup_builder small
build() { run_hoist build --builder "$BUILDER" --build-arg "BASE=$HOIST_TEST_BASE_IMAGE" "$@"; }
mkdir -p "$WORK/ctx"

# The failing step's last words, printed without a newline.
printf "ARG BASE\nFROM \$BASE\nRUN printf 'fatal: the real error' && exit 3\n" >"$WORK/ctx/Dockerfile"
build "$WORK/ctx"
expect_eq 1 "$RC" "a failing step"
expect_contains "$ERR" "fatal: the real error" "the step's last line without a newline"

# A registry that accepts connections and drops them.
port_file=$WORK/reset.port
python3 - "$(echo "$HOIST_TEST_REGISTRY" | cut -d: -f1)" "$port_file" >"$WORK/reset.log" 2>&1 <<'PY' &
import socket, struct, sys
s = socket.socket(); s.bind((sys.argv[1], 0)); s.listen(50)
open(sys.argv[2], "w").write(str(s.getsockname()[1]))
while True:
    c, _ = s.accept()
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()  # RST
PY
on_exit "kill $!"
for i in $(seq 50); do [ -s "$port_file" ] && break; sleep 0.1; done
printf 'ARG BASE\nFROM $BASE\nRUN echo x >/x\n' >"$WORK/ctx/Dockerfile"
build -t "$(echo "$HOIST_TEST_REGISTRY" | cut -d: -f1):$(cat "$port_file")/hoist/reset:1" --push "$WORK/ctx"
expect_eq 75 "$RC" "a push to a registry that drops connections ($ERR)"
expect_contains "$ERR" "rerun" "the hint"
fault_row "registry drops the connection during push" 75 "nothing" "rerun"

# SIGTERM and SIGHUP: 130, as SIGINT.
printf 'ARG BASE\nFROM $BASE\nRUN sleep 30\n' >"$WORK/ctx/Dockerfile"
for sig in TERM HUP; do
  "$HOIST" build --builder "$BUILDER" --no-cache --build-arg "BASE=$HOIST_TEST_BASE_IMAGE" "$WORK/ctx" \
    >"$WORK/sig.log" 2>&1 &
  pid=$!
  for i in $(seq 100); do docker top "buildx_buildkit_${BUILDER}0" -eo pid,args | grep -q 'buildctl build' && break; sleep 0.2; done
  kill -"$sig" "$pid"
  set +e; wait "$pid"; rc=$?; set -e
  expect_eq 130 "$rc" "SIG$sig's exit code ($(tail -2 "$WORK/sig.log"))"
  expect_eq "" "$(builder_leftovers "buildx_buildkit_${BUILDER}0")" "left in the builder after SIG$sig"
done
fault_row "SIGTERM, SIGHUP during a build" 130 "nothing" yes

# SIGINT one second into a 4 GiB context upload: over in seconds, not after the upload.
mkdir -p "$WORK/bigctx"
truncate -s 4G "$WORK/bigctx/sparse"
printf 'FROM scratch\nCOPY sparse /\n' >"$WORK/bigctx/Dockerfile"
"$HOIST" build --builder "$BUILDER" "$WORK/bigctx" >"$WORK/upload.log" 2>&1 &
pid=$!
sleep 1
start=$(date +%s%N)
kill -INT "$pid"
set +e; wait "$pid"; rc=$?; set -e
ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect_eq 130 "$rc" "SIGINT during the upload ($(tail -2 "$WORK/upload.log"))"
[ "$ms" -lt 5000 ] || fail "SIGINT during the upload took ${ms} ms to end it"
fault_row "SIGINT during a 4 GiB context upload" "130 in ${ms} ms" "nothing" yes

# GITHUB_OUTPUT in a directory that does not exist.
printf 'ARG BASE\nFROM $BASE\nRUN echo ok\n' >"$WORK/ctx/Dockerfile"
GITHUB_ACTIONS=true GITHUB_OUTPUT=$WORK/no/such/dir/output build "$WORK/ctx"
expect_eq 74 "$RC" "an unwritable GITHUB_OUTPUT ($ERR)"
expect_contains "$ERR" "cannot write the step output file $WORK/no/such/dir/output: No such file or directory" \
  "the message names the file"
fault_row "GITHUB_OUTPUT cannot be written" 74 "nothing" "n/a"
