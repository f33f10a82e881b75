#!/usr/bin/env bash
# A GitHub job's `hoist run` dies mid-build — SIGKILL, and GitHub's own cancel (INT, TERM 7.5 s
# later, KILL 2.5 s after that). The killed build stops in the builder at once; a cancelled
# run finishes its cleanup well inside the 10 s window (exit 130, builder gone). The next job
# (another GITHUB_RUN_ID) reuses or recreates the builder, builds, and tears it down: exit 0.
# test: serial — asserts how soon an interrupt ends the run
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
use_builder killed
mkdir -p "$WORK/ctx" "$WORK/gh"
printf 'ARG BASE\nARG N\nFROM $BASE\nRUN echo "$N" && for i in $(seq 1 30); do sleep 1; done\n' >"$WORK/ctx/Dockerfile"
job() { # RUN-ID N: the job's hoist run, in the background; sets $pid
  env GITHUB_ACTIONS=true GITHUB_REPOSITORY=octo/demo GITHUB_JOB=build GITHUB_RUN_ID="$1" \
    GITHUB_RUN_ATTEMPT=1 "$HOIST" run "${SETUP_ARGS[@]}" --no-cache --build-arg "BASE=$HOIST_TEST_BASE_IMAGE" \
    --build-arg "N=$2" "$WORK/ctx" >"$WORK/job-$1.log" 2>&1 &
  pid=$!
}
wait_for_build() { # waits until buildctl runs in the builder
  local i
  for i in $(seq 100); do
    docker top "buildx_buildkit_${BUILDER}0" -eo pid,args 2>/dev/null | grep -q 'buildctl build' && return 0
    sleep 0.2
  done
  fail "the build never started: $(cat "$WORK"/job-*.log | tail -5)"
}

# 1. SIGKILL mid-build: the build stops in the builder within seconds.
job 101 one
wait_for_build
kill -KILL "$pid"; wait "$pid" 2>/dev/null || true
for i in $(seq 50); do [ -z "$(builder_leftovers "buildx_buildkit_${BUILDER}0")" ] && break; sleep 0.2; done
expect_eq "" "$(builder_leftovers "buildx_buildkit_${BUILDER}0")" "what the killed build left in the builder"
# The next job reuses the builder the dead one made, builds, and removes it.
printf 'ARG BASE\nFROM $BASE\nRUN echo next\n' >"$WORK/ctx/Dockerfile"
job 102 two; set +e; wait "$pid"; rc=$?; set -e
expect_eq 0 "$rc" "the next job after a SIGKILL ($(tail -5 "$WORK/job-102.log"))"
expect_contains "$(cat "$WORK/job-102.log")" "builder $BUILDER: removed" "the next job's teardown"
fault_row "SIGKILL of hoist run mid-build" 137 "nothing in the builder; the builder, for the next job" yes

# 2. GitHub's cancel: INT, then TERM 7.5 s later, then KILL 2.5 s after that.
printf 'ARG BASE\nARG N\nFROM $BASE\nRUN echo "$N" && for i in $(seq 1 30); do sleep 1; done\n' >"$WORK/ctx/Dockerfile"
job 103 three
wait_for_build
start=$(date +%s%N)
kill -INT "$pid"
ended=""
for i in $(seq 75); do kill -0 "$pid" 2>/dev/null || { ended=int; break; }; sleep 0.1; done
[ -n "$ended" ] || { kill -TERM "$pid" 2>/dev/null; for i in $(seq 25); do kill -0 "$pid" 2>/dev/null || { ended=term; break; }; sleep 0.1; done; }
[ -n "$ended" ] || { kill -KILL "$pid" 2>/dev/null; ended=kill; }
set +e; wait "$pid"; rc=$?; set -e
ms=$(( ($(date +%s%N) - start) / 1000000 ))
note "cancelled run ended after ${ms} ms (by $ended), exit $rc"
expect_eq int "$ended" "what ended the cancelled run (within GitHub's 7.5 s before TERM)"
expect_eq 130 "$rc" "the cancelled run's exit code"
expect_eq "" "$(docker ps -aq --filter "name=^/buildx_buildkit_${BUILDER}0\$")" "the builder after the cancel"
job 104 four; set +e; wait "$pid"; rc=$?; set -e
expect_eq 0 "$rc" "the next job after a cancel ($(tail -5 "$WORK/job-104.log"))"
fault_row "GitHub cancel (INT, TERM +7.5 s, KILL +2.5 s)" "130 in ${ms} ms" "nothing; builder removed, state kept" yes
