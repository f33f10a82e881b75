#!/usr/bin/env bash
# SIGTERM (and SIGINT) while setup waits for buildkitd: hoist removes the container and the
# volume it made, and exits 128+signal.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
use_builder sig
ctr=buildx_buildkit_${BUILDER,,}0

for sig in TERM INT; do
  # buildkitd listens elsewhere, so 'buildctl debug workers' never answers and setup waits.
  "$HOIST" setup "${SETUP_ARGS[@]}" --buildkitd-flags "--addr unix:///run/elsewhere.sock" \
    --bootstrap-timeout 60s >"$WORK/out" 2>"$WORK/err" &
  pid=$!
  for _ in $(seq 100); do docker inspect "$ctr" >/dev/null 2>&1 && break; sleep 0.1; done
  sleep 1
  kill -s "$sig" "$pid"
  set +e; wait "$pid"; rc=$?; set -e
  expect_eq 130 "$rc" "exit code after SIG$sig"
  expect_contains "$(cat "$WORK/err")" "cancelled by signal" "message after SIG$sig"
  expect_eq "" "$(docker ps -aq --filter name="^/$ctr\$")" "container left after SIG$sig"
  if docker volume inspect "${ctr}_state" >/dev/null 2>&1; then fail "volume left after SIG$sig"; fi
done
