#!/usr/bin/env bash
# The setup and build actions used as docker's are, run by act: the setup action makes the
# builder buildx's current one (use: true, its default), so a plain `docker buildx build` step
# (the buildx peer) builds on it, and so does `docker build` (install: true, v3's input, as is
# its config input, which the push to the test registry needs); the build action builds and pushes on the same builder with
# no builder input; setup's post saves the builder's state to a directory (state-to, read by
# skopeo as an OCI layout) and removes the builder and its volume (keep-state false). A second
# job uses the build action alone: it sets up the job's builder itself, builds two platforms
# and removes the builder, keeping its state volume.
# test: serial — the default builder of act's fixed run identity; act's shared cache store
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
source "$ROOT/tests/integration/act.sh"
[ "$HOIST_TEST_QEMU" = 1 ] || skip "no arm64 emulation here (HOIST_TEST_QEMU=0)"
id=$$
act_cleanup_builder "split-$id"
# The alone job's builder has the job's default name, read from the log when the scenario ends.
alone_builders() { sed -n 's/.*hoist: builder \([^ ]*\) created in .*/\1/p' "$ACT_LOG" 2>/dev/null | grep -v "^split-" | sort -u; }
on_exit 'for b in $(alone_builders); do docker rm -f -v "buildx_buildkit_${b}0"; docker volume rm -f "buildx_buildkit_${b}0_state"; rm -f "$HOME/.docker/buildx/instances/$b"; done'
act_repo split.yml
mkdir -p "$ACT_REPO/app"
printf 'ARG BASE\nFROM $BASE\nRUN uname -m >/built\n' >"$ACT_REPO/app/Dockerfile"
act_commit
# A docker config of the job's own, with the buildx peer as its plugin.
mkdir -p "$WORK/dockercfg"
ln -s "$HOIST_TEST_BUILDX_CONFIG/cli-plugins" "$WORK/dockercfg/cli-plugins"
echo '{}' >"$WORK/dockercfg/config.json"
release_server
act_run split.yml --env "DOCKER_CONFIG=$WORK/dockercfg" --env "HOIST_TEST_STATE_DIR=$WORK/state"
act_job_succeeded split
expect_contains "$ACT_OUT" "Name: " "docker buildx inspect ran on the current builder"
digest=$(skopeo inspect --tls-verify=false --raw "docker://$HOIST_TEST_REGISTRY/hoist/act-split-$id:1" | sha256sum | cut -d' ' -f1)
expect_contains "$ACT_OUT" "digest=sha256:$digest" "the build action's digest output is the pushed index"
expect_eq "split-$id" "$(jq -r .Name "$WORK/dockercfg/buildx/current")" "buildx's current builder"
expect_eq buildx "$(jq -r .aliases.builder "$WORK/dockercfg/config.json")" "install: true's alias in the docker config"
expect_eq "" "$(docker ps -aq --filter "name=^/buildx_buildkit_split-${id}0\$")" "builder after setup's post"
expect_eq "" "$(docker volume ls -q --filter "name=^buildx_buildkit_split-${id}0_state\$")" "state volume after setup's post"
expect_contains "$ACT_OUT" "no state snapshot at type=local,src=$WORK/state" "setup read the state-from input"
skopeo inspect --raw "oci:$WORK/state" >"$WORK/state.json" || fail "setup's post saved no state to $WORK/state"
expect_eq application/vnd.hoist.state.v1 "$(jq -r .artifactType "$WORK/state.json")" "the saved state's artifact type"

act_job_succeeded alone
expect_contains "$(grep '/alone *\]' "$ACT_LOG")" "no setup step made this job's builder: this step sets it up" "the build action alone"
alone=$(alone_builders)
[ -n "$alone" ] || fail "the build action alone made no builder: $(grep '/alone *\]' "$ACT_LOG" | tail -20)"
expect_eq "" "$(docker ps -aq --filter "name=^/buildx_buildkit_${alone}0\$")" "the alone job's builder after its step"
docker volume inspect "buildx_buildkit_${alone}0_state" >/dev/null || fail "the alone job's state volume was not kept"
