#!/usr/bin/env bash
# SIGKILL among concurrent jobs (issue 28): eight runs on one builder and four builds on a
# second, of several CI identities, started together; a third of them, picked at random, are
# SIGKILLed at random moments (in setup, build or teardown). Every survivor exits 0 with its
# own result; no build's work directory stays in the builder; the next run on each builder is
# green and right; no lock is left. The seed is printed: HOIST_LOAD_SEED=N reruns the same
# kills.
# test: serial — load: concurrent jobs, timed SIGKILLs
source "$(dirname "$0")/../common.sh"
source "$(dirname "$0")/../load.sh"
require_binary
require_testenv
use_builder kill
ONE=$BUILDER TWO=$BUILDER-two
on_exit "'$HOIST' teardown --builder '$TWO' --keep-state=false --force; docker rm -f -v buildx_buildkit_${TWO}0; docker volume rm -f buildx_buildkit_${TWO}0_state"
common=("${SETUP_ARGS[@]:2}")
SEED=${HOIST_LOAD_SEED:-$$}
RANDOM=$SEED
note "seed $SEED"
"$HOIST" setup --builder "$TWO" "${common[@]}" >"$WORK/setup-two.log" 2>&1 || fail "setup of builder two: $(tail -3 "$WORK/setup-two.log")"

started=$(date +%s%N)
pids=() names=() victims=()
for i in $(seq 0 11); do
  name=job-$i
  load_context "$WORK/$name" "$name" "$i" $((1 + RANDOM % 4))
  load_args "$WORK/$name" "$i" "$WORK/out-$name"
  load_identity "$i"
  if [ "$i" -lt 8 ]; then
    env "${LOAD_ENV[@]}" "$HOIST" run --builder "$ONE" "${common[@]}" "${LOAD_ARGS[@]}" >"$WORK/$name.log" 2>&1 &
  else
    env "${LOAD_ENV[@]}" "$HOIST" build --builder "$TWO" "${LOAD_ARGS[@]}" >"$WORK/$name.log" 2>&1 &
  fi
  pids+=($!) names+=("$name")
  [ $((RANDOM % 3)) -ne 0 ] || victims+=("$i")
done
for v in "${victims[@]}"; do
  delay=$(awk -v r=$((RANDOM % 60)) 'BEGIN { printf "%.1f", 0.3 + r / 10 }')
  (sleep "$delay"; kill -9 "${pids[$v]}" 2>/dev/null && echo "killed ${names[$v]} after ${delay}s" >>"$WORK/kills") &
done
survivors=0
for i in "${!pids[@]}"; do
  set +e; wait "${pids[$i]}"; rc=$?; set -e
  if [[ " ${victims[*]} " == *" $i "* ]]; then
    continue
  fi
  load_check "${names[$i]}" "${names[$i]}" "$WORK/out-${names[$i]}" "$WORK/${names[$i]}.log" "$rc"
  survivors=$((survivors + 1))
done
wait
note "$(sort "$WORK/kills" 2>/dev/null | tr '\n' ';') $survivors survivors, each with its own result"
load_stats "12 jobs on 2 builders, $(cat "$WORK/kills" 2>/dev/null | wc -l) SIGKILLed (seed $SEED)" 12 12 "$started" "$WORK"/job-*.log

# What the killed builds had in builder two is gone with them.
for _ in $(seq 50); do [ -z "$(load_builder_leftovers "buildx_buildkit_${TWO}0")" ] && break; sleep 0.2; done
expect_eq "" "$(load_builder_leftovers "buildx_buildkit_${TWO}0")" "work dirs of killed builds in builder two"

# The next run on builder one and the next build on builder two: green and right.
load_context "$WORK/next-one" next-one 1
load_args "$WORK/next-one" 1 "$WORK/out-next-one"
set +e; "$HOIST" run --builder "$ONE" "${common[@]}" "${LOAD_ARGS[@]}" >"$WORK/next-one.log" 2>&1; rc=$?; set -e
load_check next-one next-one "$WORK/out-next-one" "$WORK/next-one.log" "$rc"
load_context "$WORK/next-two" next-two 2
load_args "$WORK/next-two" 2 "$WORK/out-next-two"
set +e; "$HOIST" build --builder "$TWO" "${LOAD_ARGS[@]}" >"$WORK/next-two.log" 2>&1; rc=$?; set -e
load_check next-two next-two "$WORK/out-next-two" "$WORK/next-two.log" "$rc"
run_hoist teardown --builder "$TWO" --keep-state=false
expect_eq 0 "$RC" "teardown of builder two: $ERR"
expect_eq "" "$(docker ps -aq --filter "name=^/buildx_buildkit_${ONE}0\$" --filter "name=^/buildx_buildkit_${TWO}0\$")" \
  "builders left after the last jobs"
expect_eq "" "$(docker ps -aq --filter "name=hoist_lock_buildx_buildkit_${ONE}0" --filter "name=hoist_lock_buildx_buildkit_${TWO}0")" \
  "locks left"
