#!/usr/bin/env bash
# hoist plan: every resolved option with its origin (flag, HOIST_* variable, action input,
# default), the CI context, and the equivalent docker buildx commands; it creates nothing, and
# refuses the input run would refuse, all at once.
# test: serial — counts every container on the engine
source "$(dirname "$0")/../common.sh"
require_binary
require_engine
mkdir -p "$WORK/ctx"
echo 'FROM scratch' >"$WORK/ctx/Dockerfile"
before=$(docker ps -aq | wc -l)
env GITHUB_ACTIONS=true GITHUB_REPOSITORY=octo/demo GITHUB_JOB=build GITHUB_RUN_ID=7 \
  HOIST_PLATFORM=linux/amd64,linux/arm64 INPUT_TAGS=r/app:1 'INPUT_BUILD-ARGS=A=1' \
  "$HOIST" plan --push --driver-opt memory=1g "$WORK/ctx" >"$WORK/out" 2>"$WORK/err" || fail "plan: $(cat "$WORK/err")"
out=$(cat "$WORK/out")
expect_contains "$out" "CI:        github, run https://github.com/octo/demo/actions/runs/7" "CI context"
expect_contains "$out" "builder:   gh-octo-demo-build (default, one per CI job)" "per-job builder name"
expect_contains "$out" "--platform linux/amd64,linux/arm64   (env HOIST_PLATFORM)" "origin env"
expect_contains "$out" "--tag r/app:1   (action input INPUT_TAGS)" "origin action input"
expect_contains "$out" "--push true   (flag --push)" "origin flag"
expect_contains "$out" "--qemu auto   (default)" "origin default"
expect_contains "$out" "docker buildx create --name gh-octo-demo-build --driver docker-container --driver-opt memory=1g --bootstrap" "buildx create"
expect_contains "$out" "docker buildx build --builder gh-octo-demo-build --platform linux/amd64,linux/arm64 --build-arg A=1 --tag r/app:1 --push --label org.opencontainers.image.source=https://github.com/octo/demo $WORK/ctx" "buildx build, with the CI's default label"
expect_contains "$out" "docker buildx rm --keep-state gh-octo-demo-build" "buildx rm"
expect_eq "$before" "$(docker ps -aq | wc -l)" "containers created by plan"

run_hoist plan --push --driver-opt memory=lots "$WORK/nothere"
expect_eq 64 "$RC" "plan refuses what run would"
expect_contains "$ERR" '--driver-opt memory="lots" is not a size' "driver-opt problem"
expect_contains "$ERR" "--push needs at least one --tag" "build problem"
