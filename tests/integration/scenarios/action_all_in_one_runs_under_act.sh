#!/usr/bin/env bash
# The all-in-one action run by act, a real GitHub Actions runner implementation: the step
# downloads the release binary of VERSION from a release server (dist/ as `make dist` made it)
# and checks it against SHA256SUMS; main sets up and builds; outputs carry the docker actions'
# names; post tears down keeping the state volume (keep-state: true), removing it (the default
# false), or not at all (cleanup: false). A registry client hoist did not write (skopeo) reads
# what was pushed.
# test: serial — its act job writes ~/.docker/buildx and act's shared cache store; a QEMU build
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
source "$ROOT/tests/integration/act.sh"
[ "$HOIST_TEST_QEMU" = 1 ] || skip "no arm64 emulation here (HOIST_TEST_QEMU=0)"
command -v skopeo >/dev/null || skip "no skopeo (scripts/deps test)"
id=$$
for b in aio-push-$id aio-load-$id aio-keep-$id; do act_cleanup_builder "$b"; done
on_exit "docker image rm -f hoist-act-load-$id:1"
act_repo all-in-one.yml
mkdir -p "$ACT_REPO/app"
printf 'ARG BASE\nFROM $BASE\nRUN uname -m >/arch\n' >"$ACT_REPO/app/Dockerfile"
act_commit
release_server
act_run all-in-one.yml
for job in push load nocleanup; do act_job_succeeded "$job"; done
expect_eq 0 "$ACT_RC" "act's exit code"
expect_contains "$ACT_OUT" "hoist $(cat "$ROOT/VERSION") (hoist-linux-amd64, sha256 $(awk '$2 == "hoist-linux-amd64" {print $1}' "$ROOT/dist/SHA256SUMS"))" "the verified release binary"

# push: both platforms under the tag, as a client hoist did not write reads them.
raw=$(skopeo inspect --tls-verify=false --raw "docker://$HOIST_TEST_REGISTRY/hoist/act-push-$id:1")
expect_eq "amd64,arm64" "$(echo "$raw" | jq -r '[.manifests[] | select(.platform.os == "linux") | .platform.architecture] | sort | join(",")')" "pushed platforms"
expect_eq "" "$(docker ps -aq --filter "name=^/buildx_buildkit_aio-push-${id}0\$")" "push: builder container after post"
docker volume inspect "buildx_buildkit_aio-push-${id}0_state" >/dev/null || fail "push: keep-state true, but the state volume is gone"

# load: the image is in the engine; keep-state's default (false) removed the volume. The
# job's variables: the builder BUILDX_BUILDER names, rawjson progress, no summary, retention.
load_log=$(grep '/load *\]' "$ACT_LOG")
expect_contains "$load_log" '"vertexes"' "BUILDKIT_PROGRESS=rawjson: buildctl's JSON progress"
expect_not_contains "$load_log" "Summary - " "DOCKER_BUILD_NO_SUMMARY=true: no summary"
expect_contains "$load_log" "DOCKER_BUILD_RECORD_RETENTION_DAYS has no effect" "the retention's warning"
expect_contains "$load_log" "created=2023-11-14T22:13:20" "SOURCE_DATE_EPOCH as a build argument"
push_log=$(grep '/push *\]' "$ACT_LOG")
expect_eq 1 "$(grep -c 'Summary - ## hoist' <<<"$push_log")" "push: one summary block for the job"
expect_contains "$push_log" "Summary - ## hoist build" "push: the block is the build's"
docker image inspect "hoist-act-load-$id:1" >/dev/null || fail "load: no image in the engine"
expect_eq "" "$(docker volume ls -q --filter "name=^buildx_buildkit_aio-load-${id}0_state\$")" "load: state volume after post"

# cleanup false: the builder is still running after the job; its buildkitd.toml is the one v3's
# config-inline gave.
expect_eq running "$(docker inspect -f '{{.State.Status}}' "buildx_buildkit_aio-keep-${id}0")" "cleanup false: builder"
expect_contains "$(docker exec "buildx_buildkit_aio-keep-${id}0" cat /etc/buildkit/buildkitd.toml)" "[registry.\"$HOIST_TEST_REGISTRY\"]" "config-inline reached the builder"
