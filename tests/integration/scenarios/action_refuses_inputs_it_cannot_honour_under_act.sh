#!/usr/bin/env bash
# Inputs of docker's actions that hoist cannot honour fail the step, named as the workflow gave
# them, before anything is made; a release binary that does not match SHA256SUMS is never run.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
source "$ROOT/tests/integration/act.sh"
id=$$
act_cleanup_builder "refused-$id"
act_repo refused.yml download.yml
mkdir -p "$ACT_REPO/app"
printf 'FROM scratch\n' >"$ACT_REPO/app/Dockerfile"
act_commit
release_server
act_run refused.yml
for job in all-in-one setup build record; do act_job_failed "$job"; done
expect_contains "$ACT_OUT" "the action input endpoint is the remote driver's buildkitd address" "all-in-one: endpoint"
expect_contains "$ACT_OUT" 'the action input version="latest" selects the buildx release' "all-in-one: version"
expect_contains "$ACT_OUT" 'the action input driver="kubernetes" must be one of docker-container, remote' "setup: driver"
expect_contains "$ACT_OUT" "$(printf '%s' '[refused/build')" "build job ran"
grep -q "refused/build.*the action input call \"explode\" is not supported yet" "$ACT_LOG" || fail "build: call refused"
expect_not_contains "$ACT_OUT" "TOKEN=abc" "the refused secret's value"
grep -q "refused/record.*DOCKER_BUILD_RECORD_UPLOAD=true: hoist does not export and upload build records" "$ACT_LOG" \
  || fail "record: DOCKER_BUILD_RECORD_UPLOAD=true refused: $(grep 'refused/record' "$ACT_LOG" | tail -8)"
expect_eq "" "$(docker ps -aq --filter "name=buildx_buildkit_refused-${id}0")" "containers made"
expect_eq "" "$(docker volume ls -q --filter "name=buildx_buildkit_refused-${id}0_state")" "volumes made"

# A tampered release: the binary does not match its SHA256SUMS line (the verified copy the
# runs above left in the tool cache goes first: it would rightly be used instead).
rm -rf "$WORK/act-cache/tool_cache"
rel=$WORK/tampered/v$(cat "$ROOT/VERSION")
mkdir -p "$rel"
cp "$ROOT"/dist/hoist-linux-* "$ROOT/dist/SHA256SUMS" "$rel/"
printf '\n#tampered\n' >>"$rel/hoist-linux-amd64"
release_server "$WORK/tampered"
act_run download.yml
act_job_failed setup
expect_contains "$ACT_OUT" "but SHA256SUMS says" "the checksum mismatch"
expect_contains "$ACT_OUT" "refusing to run it" "the tampered binary"
expect_not_contains "$ACT_OUT" "must be one of docker-container, remote" "the tampered binary ran"
