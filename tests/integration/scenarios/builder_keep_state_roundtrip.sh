#!/usr/bin/env bash
# setup → a build → teardown keeps the state volume → setup again on it → the same build is
# cached; teardown --keep-state=false removes the volume.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
use_builder keep
ctr=buildx_buildkit_${BUILDER,,}0
vol=${ctr}_state

run_hoist setup "${SETUP_ARGS[@]}"
expect_eq 0 "$RC" "first setup: $ERR"
expect_contains "$OUT" "builder $BUILDER created" "first setup creates"
expect_contains "$OUT" "(new state volume)" "first setup has a new volume"
df="FROM $HOIST_TEST_BASE_IMAGE
RUN echo $$ >/stamp && sleep 1"
out=$(builder_build "$ctr" "$df")
expect_not_contains "$out" "CACHED" "first build is cold"

run_hoist teardown --builder "$BUILDER"
expect_eq 0 "$RC" "teardown: $ERR"
expect_contains "$OUT" "kept state volume $vol" "teardown keeps the volume"
expect_eq "" "$(docker ps -aq --filter name="^/$ctr\$")" "container after teardown"
docker volume inspect "$vol" >/dev/null || fail "the state volume is gone"

run_hoist setup "${SETUP_ARGS[@]}"
expect_eq 0 "$RC" "second setup: $ERR"
expect_contains "$OUT" "(warm state volume)" "second setup is warm"
expect_contains "$ERR" "reusing the kept state volume $vol" "second setup says so"
out=$(builder_build "$ctr" "$df")
expect_contains "$out" "CACHED" "the build after a keep-state teardown is cached"

run_hoist teardown --builder "$BUILDER" --keep-state=false
expect_eq 0 "$RC" "final teardown"
expect_contains "$OUT" "removed state volume $vol" "volume removed on request"
if docker volume inspect "$vol" >/dev/null 2>&1; then fail "volume still there"; fi
run_hoist teardown --builder "$BUILDER"
expect_eq 0 "$RC" "teardown is idempotent"
expect_contains "$OUT" "no container to remove" "second teardown"
