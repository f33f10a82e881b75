#!/usr/bin/env bash
# The remote driver through the actions, run by act: setup-buildx-action's driver: remote,
# endpoint and the certificates in BUILDER_NODE_0_AUTH_TLS_* reach a buildkitd on loopback TCP
# with mutual TLS; the build action builds and pushes on it; setup's post forgets the builder
# (its store entry), removes the certificates' files and leaves the daemon running; the
# all-in-one action (driver-opts naming the files) does the whole job there, warm.
# skopeo reads both pushed images; no client container and no store entry are left.
# test: serial — asserts no remote client container on the whole engine; writes ~/.docker/buildx
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
source "$ROOT/tests/integration/act.sh"
command -v skopeo >/dev/null || skip "no skopeo (scripts/deps test)"
id=$$
tls_buildkitd
on_exit "rm -f '$HOME/.docker/buildx/instances/remote-$id'"
act_repo remote.yml
mkdir -p "$ACT_REPO/app"
printf 'ARG BASE\nFROM $BASE\nRUN echo built >/built\n' >"$ACT_REPO/app/Dockerfile"
act_commit
release_server
act_run remote.yml --env "HOIST_TEST_REMOTE_ENDPOINT=$BUILDKITD_ENDPOINT" \
  --env "HOIST_TEST_REMOTE_CERTS=$BUILDKITD_CERTS" --env "HOIST_TEST_CREDENTIALS=$WORK/credentials"
act_job_succeeded split
act_job_succeeded all-in-one
for tag in 1 2; do
  skopeo inspect --tls-verify=false "docker://$HOIST_TEST_REGISTRY/hoist/act-remote-$id:$tag" >/dev/null \
    || fail "the image of tag $tag was not pushed: $(tail -20 "$ACT_LOG")"
done
digest=$(skopeo inspect --tls-verify=false --raw "docker://$HOIST_TEST_REGISTRY/hoist/act-remote-$id:1" | sha256sum | cut -d' ' -f1)
expect_contains "$ACT_OUT" "digest=sha256:$digest" "the build action's digest output is the pushed image's"
expect_contains "$(grep '/all-in-one *\]' "$ACT_LOG")" "CACHED" "the second job built warm on the daemon"
[ ! -e "$HOME/.docker/buildx/instances/remote-$id" ] || fail "setup's post left the builder in buildx's store"
[ -s "$WORK/credentials" ] || fail "the setup step wrote no certificates' files: $(grep '/split *\]' "$ACT_LOG" | tail -20)"
[ ! -e "$(cat "$WORK/credentials")" ] || fail "setup's post left the certificates' files in $(cat "$WORK/credentials")"
expect_eq true "$(docker inspect -f '{{.State.Running}}' "$BUILDKITD_CONTAINER")" "the daemon after the jobs"
expect_eq "" "$(docker ps -aq --filter label=dev.hoist.role=remote-client)" "client containers left"
