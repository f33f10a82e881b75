#!/usr/bin/env bash
# hoist run: setup → build → teardown in one go; the builder is gone afterwards, its state
# volume kept, so the next run is warm (steps cached); the exit code is the build's. A failed
# build still tears down (exit 1), and so does SIGTERM mid-build (exit 130), leaving no
# container, work directory or lock behind.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
use_builder run
ctr=buildx_buildkit_${BUILDER,,}0
ref=$HOIST_TEST_REGISTRY/hoist/it-run-$$:1
mkdir -p "$WORK/ctx"
printf 'FROM %s\nRUN echo %s >/stamp && sleep 1\n' "$HOIST_TEST_BASE_IMAGE" "$$" >"$WORK/ctx/Dockerfile"

run_hoist run "${SETUP_ARGS[@]}" -t "$ref" --push "$WORK/ctx"
expect_eq 0 "$RC" "first run: $ERR"
expect_contains "$ERR" "builder $BUILDER created in " "setup"
expect_contains "$ERR" "(new state volume)" "setup on a new volume"
expect_contains "$ERR" "state volume ${ctr}_state kept for the next run" "teardown keeps state"
expect_eq "" "$(docker ps -aq --filter name="^/$ctr\$")" "builder container after run"
curl -fsS -o /dev/null "http://$HOIST_TEST_REGISTRY/v2/hoist/it-run-$$/manifests/1" -H 'Accept: application/vnd.oci.image.index.v1+json' \
  || fail "the image was not pushed"

run_hoist run "${SETUP_ARGS[@]}" -t "$ref" --push "$WORK/ctx"
expect_eq 0 "$RC" "second run: $ERR"
expect_contains "$ERR" "(warm state volume)" "second run is warm"
expect_contains "$ERR" "CACHED" "its steps are cached"

printf 'FROM %s\nRUN exit 7\n' "$HOIST_TEST_BASE_IMAGE" >"$WORK/ctx/Dockerfile"
run_hoist run "${SETUP_ARGS[@]}" "$WORK/ctx"
expect_eq 1 "$RC" "a failed build's exit code"
expect_contains "$ERR" "state volume ${ctr}_state kept" "torn down after the failure"
expect_eq "" "$(docker ps -aq --filter name="^/$ctr\$")" "builder container after a failed run"

printf 'FROM %s\nRUN echo long && sleep 30\n' "$HOIST_TEST_BASE_IMAGE" >"$WORK/ctx/Dockerfile"
"$HOIST" run "${SETUP_ARGS[@]}" "$WORK/ctx" >"$WORK/out" 2>"$WORK/err" &
pid=$!
for _ in $(seq 200); do grep -q "sleep 30" "$WORK/err" && break; sleep 0.1; done
grep -q "sleep 30" "$WORK/err" || fail "the run never reached its RUN step: $(cat "$WORK/err")"
kill -TERM "$pid"
set +e; wait "$pid"; rc=$?; set -e
expect_eq 130 "$rc" "exit code after SIGTERM"
expect_contains "$(cat "$WORK/err")" "kept for the next run" "torn down after SIGTERM"
expect_eq "" "$(docker ps -aq --filter name="^/$ctr\$")" "builder container after SIGTERM"
expect_eq "" "$(docker ps -aq --filter name="^/hoist_lock_$ctr\$")" "lock after SIGTERM"
docker volume inspect "${ctr}_state" >/dev/null || fail "the state volume was lost"
