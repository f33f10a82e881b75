#!/usr/bin/env bash
# A running builder with the same config is reused as is; a stopped one is started; one whose
# driver-opts changed is recreated keeping its state volume (and says so).
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
use_builder reuse
ctr=buildx_buildkit_${BUILDER,,}0

run_hoist setup "${SETUP_ARGS[@]}"
expect_contains "$OUT" "builder $BUILDER created" "first setup"
id1=$(docker inspect -f '{{.Id}}' "$ctr")
run_hoist setup "${SETUP_ARGS[@]}"
expect_eq 0 "$RC" "second setup"
expect_contains "$OUT" "builder $BUILDER reused" "same config is reused"
expect_eq "$id1" "$(docker inspect -f '{{.Id}}' "$ctr")" "same container"

docker stop "$ctr" >/dev/null
run_hoist setup "${SETUP_ARGS[@]}"
expect_contains "$OUT" "builder $BUILDER started" "a stopped builder is started"
expect_eq true "$(docker inspect -f '{{.State.Running}}' "$ctr")" "running again"

docker exec "$ctr" sh -c 'echo marker >/var/lib/buildkit/hoist-marker'
run_hoist setup "${SETUP_ARGS[@]}" --driver-opt env.CHANGED=1
expect_eq 0 "$RC" "setup with changed opts: $ERR"
expect_contains "$OUT" "builder $BUILDER recreated" "changed opts recreate"
expect_contains "$ERR" "exists with another configuration; recreating it, keeping its state volume" "says so"
[ "$(docker inspect -f '{{.Id}}' "$ctr")" != "$id1" ] || fail "not recreated"
expect_contains "$(docker inspect -f '{{.Config.Env}}' "$ctr")" "CHANGED=1" "new env applied"
expect_eq marker "$(docker exec "$ctr" cat /var/lib/buildkit/hoist-marker)" "state volume kept"
