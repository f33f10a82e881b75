#!/usr/bin/env bash
# A failing build in the all-in-one action, run by act: the job fails, the error annotation
# names the Dockerfile by its path in the workspace and the failing line, and the post step
# still removes the builder.
# test: serial — its act job writes ~/.docker/buildx
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
source "$ROOT/tests/integration/act.sh"
id=$$
act_cleanup_builder "aio-fail-$id"
act_repo failing-build.yml
mkdir -p "$ACT_REPO/app/sub"
printf 'ARG BASE\nFROM $BASE\nRUN true\nRUN echo "about to fail" && exit 3\n' >"$ACT_REPO/app/sub/Dockerfile.fail"
act_commit
release_server
act_run failing-build.yml
act_job_failed fail
[ "$ACT_RC" != 0 ] || fail "act exited 0 for a failed job"
annotation=$(grep -o '::error file=[^:]*,line=[0-9]*::' "$ACT_LOG" | head -1)
expect_eq "::error file=app/sub/Dockerfile.fail,line=4::" "$annotation" "the error annotation"
expect_contains "$ACT_OUT" "about to fail" "the failing step's output"
expect_contains "$ACT_OUT" "removed buildx_buildkit_aio-fail-${id}0" "post after the failure"
expect_eq "" "$(docker ps -aq --filter "name=^/buildx_buildkit_aio-fail-${id}0\$")" "builder after post"
