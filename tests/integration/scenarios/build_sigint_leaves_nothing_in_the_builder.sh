#!/usr/bin/env bash
# SIGINT (and SIGTERM) in the middle of a build: hoist exits 130, and neither its work
# directory, its credentials nor a buildctl process is left in the builder.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
setup_builder sigb
ctr=buildx_buildkit_${BUILDER,,}0
mkdir -p "$WORK/ctx"
for sig in INT TERM; do
  printf 'FROM %s\nRUN echo %s-%s && sleep 30\n' "$HOIST_TEST_BASE_IMAGE" "$sig" "$$" >"$WORK/ctx/Dockerfile"
  "$HOIST" build --builder "$BUILDER" "$WORK/ctx" >"$WORK/out" 2>"$WORK/err" &
  pid=$!
  for _ in $(seq 150); do grep -q "sleep 30" "$WORK/err" && break; sleep 0.1; done
  grep -q "sleep 30" "$WORK/err" || fail "the build never reached its RUN step: $(cat "$WORK/err")"
  sleep 1
  kill -s "$sig" "$pid"
  set +e; wait "$pid"; rc=$?; set -e
  expect_eq 130 "$rc" "exit code after SIG$sig"
  expect_eq "" "$(builder_leftovers "$ctr")" "left in the builder after SIG$sig"
done
