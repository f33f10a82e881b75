#!/usr/bin/env bash
# Under load every job gets its own result (issue 28): jobs started together, each with its
# own context and Dockerfile (every context's f has the same size and mtime), as a local
# developer, GitHub jobs, a GitLab job and two matrix legs of one GitHub job. Every output is
# checked by content; every job exits 0 (waiting is fine, failing is not).
# - N `hoist run`s at once on one builder name, in rounds (later rounds on the warm state the
#   first kept);
# - N runs at once spread over N/2 builders (at least 2) on one engine;
# - one `hoist setup`, then N `hoist build`s at once;
# then nothing is left in the builder or on the engine, and the next run is green.
# N=5 and 2 rounds here; `make load` sets HOIST_LOAD_N and HOIST_LOAD_ROUNDS.
# test: serial — load: concurrent runs and builds
source "$(dirname "$0")/../common.sh"
source "$(dirname "$0")/../load.sh"
require_binary
require_testenv
use_builder load
CTR=buildx_buildkit_${BUILDER}0
N=${HOIST_LOAD_N:-5}
ROUNDS=${HOIST_LOAD_ROUNDS:-2}
SPREAD=$(( N < 4 ? 2 : (N + 1) / 2 ))
for s in $(seq 0 $((SPREAD - 1))); do
  b=$BUILDER-s$s
  on_exit "'$HOIST' teardown --builder '$b' --keep-state=false --force; docker rm -f -v buildx_buildkit_${b}0; docker volume rm -f buildx_buildkit_${b}0_state"
done

# round NAME COMMAND [SPREAD]: N jobs of COMMAND (run or build) at once, on one builder or
# spread over SPREAD builders; each checked.
round() {
  local name=$1 cmd=$2 spread=${3:-0} i pids=() started
  started=$(date +%s%N)
  for i in $(seq 0 $((N - 1))); do
    local id=$name-$i dir=$WORK/$name-$i builder=$BUILDER setup=()
    [ "$spread" = 0 ] || builder=$BUILDER-s$((i % spread))
    [ "$cmd" = build ] || setup=("${SETUP_ARGS[@]:2}")
    load_context "$dir" "$id" "$i"
    load_args "$dir" "$i" "$WORK/out-$id"
    load_identity "$i"
    env "${LOAD_ENV[@]}" "$HOIST" "$cmd" --builder "$builder" "${setup[@]}" "${LOAD_ARGS[@]}" \
      >"$WORK/$id.log" 2>&1 &
    pids+=($!)
  done
  for i in $(seq 0 $((N - 1))); do
    set +e; wait "${pids[$i]}"; local rc=$?; set -e
    load_check "$name-$i ($cmd)" "$name-$i" "$WORK/out-$name-$i" "$WORK/$name-$i.log" "$rc"
  done
  local where="one builder"
  [ "$spread" = 0 ] || where="$spread builders"
  load_stats "$N ${cmd}s at once on $where" "$N" "$N" "$started" "$WORK/$name-"*.log
  note "$name: $N ${cmd}s at once on $where, each with its own result"
}

for r in $(seq 1 "$ROUNDS"); do round "runs$r" run; done
expect_eq "" "$(docker ps -aq --filter "name=^/$CTR\$")" "the builder after the last run left"
docker volume inspect "${CTR}_state" >/dev/null || fail "the runs did not keep the state volume"
round spread run "$SPREAD"

run_hoist setup "${SETUP_ARGS[@]}"
expect_eq 0 "$RC" "setup: $ERR"
round builds build
expect_eq "" "$(load_builder_leftovers "$CTR")" "work dirs left in the builder"

# The next run is green, and its result its own.
load_context "$WORK/next" next 0
load_args "$WORK/next" 0 "$WORK/out-next"
set +e; "$HOIST" run "${SETUP_ARGS[@]}" "${LOAD_ARGS[@]}" >"$WORK/next.log" 2>&1; rc=$?; set -e
load_check next next "$WORK/out-next" "$WORK/next.log" "$rc"
expect_eq "" "$(docker ps -aq --filter "name=$CTR")" "builders or locks left"
