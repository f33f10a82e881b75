#!/usr/bin/env bash
# A build holds its builder: another job's teardown (or hoist run's own) leaves a builder that
# a build still uses running for it, instead of stopping it mid-build (exit 1, buildctl exited
# 137 before); once the build is over, teardown removes it. Two jobs' runs on one builder
# both succeed.
# test: serial — a teardown timed to land inside a RUN
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
setup_builder held
mkdir -p "$WORK/ctx"
printf 'ARG BASE\nARG N\nFROM $BASE\nRUN echo "$N" && sleep 6\n' >"$WORK/ctx/Dockerfile"
"$HOIST" build --builder "$BUILDER" --no-cache --build-arg "BASE=$HOIST_TEST_BASE_IMAGE" --build-arg N=1 \
  "$WORK/ctx" >"$WORK/build.log" 2>&1 &
pid=$!
for i in $(seq 100); do
  docker top "buildx_buildkit_${BUILDER}0" -eo pid,args 2>/dev/null | grep -q 'buildctl build' && break
  sleep 0.2
done
env GITHUB_ACTIONS=true GITHUB_RUN_ID=77 GITHUB_REPOSITORY=o/r GITHUB_JOB=other \
  "$HOIST" teardown --builder "$BUILDER" >"$WORK/teardown.log" 2>&1 || fail "teardown: $(cat "$WORK/teardown.log")"
expect_contains "$(cat "$WORK/teardown.log")" "left running for the builds of another job that hold it (local:" "teardown during a build"
set +e; wait "$pid"; rc=$?; set -e
expect_eq 0 "$rc" "the build the teardown left alone ($(tail -5 "$WORK/build.log"))"
run_hoist teardown --builder "$BUILDER"
expect_eq 0 "$RC" "teardown after the build ($ERR)"
expect_contains "$OUT" "removed buildx_buildkit_${BUILDER}0" "teardown once no build holds it"

# Two jobs' runs on one builder: each one's teardown leaves it to the other while it builds.
for n in 2 3; do
  env GITHUB_ACTIONS=true GITHUB_RUN_ID=$n GITHUB_REPOSITORY=o/r GITHUB_JOB=build \
    "$HOIST" run "${SETUP_ARGS[@]}" --no-cache --build-arg "BASE=$HOIST_TEST_BASE_IMAGE" --build-arg "N=$n" \
    "$WORK/ctx" >"$WORK/run-$n.log" 2>&1 &
  eval "pid$n=$!"
  sleep 2
done
set +e; wait "$pid2"; rc2=$?; wait "$pid3"; rc3=$?; set -e
expect_eq "0 0" "$rc2 $rc3" "two concurrent runs ($(tail -3 "$WORK/run-2.log"); $(tail -3 "$WORK/run-3.log"))"
expect_eq "" "$(docker ps -aq --filter "name=^/buildx_buildkit_${BUILDER}0\$")" "the builder after both runs"
fault_row "teardown by another job during a build" 0 "builder left running for the build" "yes"
