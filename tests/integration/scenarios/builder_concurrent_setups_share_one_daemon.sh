#!/usr/bin/env bash
# Two setups of the same builder at once: both succeed, and there is one container (never two
# daemons on one state volume).
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
use_builder conc
ctr=buildx_buildkit_${BUILDER,,}0

"$HOIST" setup "${SETUP_ARGS[@]}" >"$WORK/a.out" 2>"$WORK/a.err" & a=$!
"$HOIST" setup "${SETUP_ARGS[@]}" >"$WORK/b.out" 2>"$WORK/b.err" & b=$!
set +e; wait $a; ra=$?; wait $b; rb=$?; set -e
expect_eq 0 "$ra" "first setup: $(cat "$WORK/a.err")"
expect_eq 0 "$rb" "second setup: $(cat "$WORK/b.err")"
expect_eq 1 "$(docker ps -q --filter name="^/$ctr\$" | wc -l)" "running builder containers"
expect_eq 1 "$(docker ps -aq --filter volume="${ctr}_state" | wc -l)" "containers on the state volume"
