#!/usr/bin/env bash
# Setup at the floor (issue 26): on an engine that refuses privileged containers, the first
# setup learns it at a container's cost (a privileged create and a failed start, then the
# capability fallback) and remembers it per engine on this machine; a warm setup then makes one
# container, not two (counted in the engine's events). hoist doctor checks anew and records what
# it saw. On an engine that allows privileged containers, that is what is remembered.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
export XDG_CACHE_HOME=$WORK/cache
use_builder mem
ctr=buildx_buildkit_${BUILDER}0
# creates SINCE: the builder's container creations the engine saw since SINCE.
creates() {
  docker events --since "$1" --until "$(date +%s.%N)" --filter type=container --filter event=create \
    --filter "container=$ctr" --format '{{.ID}}' | wc -l
}
memory() { cat "$XDG_CACHE_HOME"/hoist/engines/engine-*.json 2>/dev/null; }

since=$(date +%s.%N)
run_hoist setup "${SETUP_ARGS[@]}"
expect_eq 0 "$RC" "first setup: $ERR"
first=$(creates "$since")
said=$ERR
run_hoist teardown --builder "$BUILDER"
if [ "$HOIST_TEST_PRIVILEGED" = 0 ]; then
  expect_contains "$said" "the engine refuses privileged containers" "the first setup learns it"
  expect_eq 2 "$first" "containers the first setup made (privileged, then the fallback)"
  memory | jq -e '.refusesPrivileged == true' >/dev/null || fail "remembered: $(memory)"
  since=$(date +%s.%N)
  run_hoist setup "${SETUP_ARGS[@]}"
  expect_eq 0 "$RC" "warm setup: $ERR"
  expect_contains "$ERR" "refuses privileged containers (learnt before" "the warm setup says what it knew"
  expect_not_contains "$ERR" "(privileged)" "the warm setup's containers"
  expect_eq 1 "$(creates "$since")" "containers the warm setup made"
  expect_eq true "$(docker inspect -f '{{.State.Running}}' "$ctr")" "the builder runs"
else
  expect_eq 1 "$first" "containers the first setup made"
  memory | jq -e '.refusesPrivileged == false' >/dev/null || fail "remembered: $(memory)"
fi
run_hoist teardown --builder "$BUILDER"

# doctor asks the engine anew and records what it saw.
rm -rf "$XDG_CACHE_HOME/hoist/engines"
run_hoist doctor
want=$([ "$HOIST_TEST_PRIVILEGED" = 0 ] && echo true || echo false)
memory | jq -e --argjson w "$want" '.refusesPrivileged == $w' >/dev/null || fail "doctor recorded: $(memory)"
