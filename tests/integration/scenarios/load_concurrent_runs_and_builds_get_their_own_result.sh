#!/usr/bin/env bash
# Under load every job gets its own result (issue 28): jobs started together on one builder
# name, each with its own context and Dockerfile (every context's f has the same size and
# mtime), as a local developer, GitHub jobs, a GitLab job and two matrix legs of one GitHub
# job. Every output is checked by content; every job exits 0 (waiting is fine, failing is not).
# - 5 `hoist run`s at once, twice (the second round on the warm state the first kept);
# - one `hoist setup`, then 5 `hoist build`s at once;
# then nothing is left in the builder or on the engine, and the next run is green.
source "$(dirname "$0")/../common.sh"
source "$(dirname "$0")/../load.sh"
require_binary
require_testenv
use_builder load
CTR=buildx_buildkit_${BUILDER}0
N=5

# round NAME COMMAND: N jobs of COMMAND (run or build) at once; each checked.
round() {
  local name=$1 cmd=$2 i pids=()
  for i in $(seq 0 $((N - 1))); do
    local id=$name-$i dir=$WORK/$name-$i
    load_context "$dir" "$id" "$i"
    load_args "$dir" "$i" "$WORK/out-$id"
    load_identity "$i"
    local setup=()
    [ "$cmd" = build ] || setup=("${SETUP_ARGS[@]}")
    env "${LOAD_ENV[@]}" "$HOIST" "$cmd" --builder "$BUILDER" "${setup[@]}" "${LOAD_ARGS[@]}" \
      >"$WORK/$id.log" 2>&1 &
    pids+=($!)
  done
  for i in $(seq 0 $((N - 1))); do
    set +e; wait "${pids[$i]}"; local rc=$?; set -e
    load_check "$name-$i ($cmd)" "$name-$i" "$WORK/out-$name-$i" "$WORK/$name-$i.log" "$rc"
  done
  note "$name: $N ${cmd}s at once, each with its own result"
}

round runs1 run
round runs2 run
expect_eq "" "$(docker ps -aq --filter "name=^/$CTR\$")" "the builder after the last run left"
docker volume inspect "${CTR}_state" >/dev/null || fail "the runs did not keep the state volume"

run_hoist setup "${SETUP_ARGS[@]}"
expect_eq 0 "$RC" "setup: $ERR"
round builds build
expect_eq "" "$(load_builder_leftovers "$CTR")" "work dirs left in the builder"

# The next run is green, and its result its own.
load_context "$WORK/next" next 0
load_args "$WORK/next" 0 "$WORK/out-next"
set +e; "$HOIST" run "${SETUP_ARGS[@]}" "${LOAD_ARGS[@]}" >"$WORK/next.log" 2>&1; rc=$?; set -e
load_check next next "$WORK/out-next" "$WORK/next.log" "$rc"
expect_eq "" "$(docker ps -aq --filter "name=^/$CTR\$" --filter "name=^/hoist_lock_$CTR\$")" "builder or lock left"
