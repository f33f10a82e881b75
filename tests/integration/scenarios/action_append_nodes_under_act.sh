#!/usr/bin/env bash
# setup-buildx-action's append input through the setup and build actions, run by act: the
# builder's own node on this engine pinned to linux/amd64, an appended node on the test
# environment's second engine pinned to linux/arm64; the build step builds each platform on
# its node and pushes one index (read by skopeo); setup's post step removes both nodes'
# builders and the store entry. The recipe of docs/multi-node.md for a self-hosted pair.
# test: serial — its setup action writes ~/.docker/buildx (current) and act's shared cache store
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
source "$ROOT/tests/integration/act.sh"
[ -n "${HOIST_TEST_PRIVILEGED_DOCKER_HOST:-}" ] || skip "no second engine (scripts/testenv up makes one)"
[ "$HOIST_TEST_QEMU" = 1 ] || skip "no arm64 emulation here (HOIST_TEST_QEMU=0)"
command -v skopeo >/dev/null || skip "no skopeo (scripts/deps test)"
id=$$ two=$HOIST_TEST_PRIVILEGED_DOCKER_HOST
on_exit "docker rm -f -v buildx_buildkit_pair-${id}0 hoist_lock_buildx_buildkit_pair-${id}0; docker volume rm -f buildx_buildkit_pair-${id}0_state; rm -f '$HOME/.docker/buildx/instances/pair-$id'"
on_exit "DOCKER_HOST=$two docker rm -f -v buildx_buildkit_arm-$id hoist_lock_buildx_buildkit_arm-$id; DOCKER_HOST=$two docker volume rm -f buildx_buildkit_arm-${id}_state"
act_repo append.yml
mkdir -p "$ACT_REPO/app"
printf 'ARG BASE\nFROM $BASE\nRUN uname -m >/built\n' >"$ACT_REPO/app/Dockerfile"
act_commit
release_server
act_run append.yml --env "HOIST_TEST_SECOND_ENGINE=$two"
act_job_succeeded pair
expect_contains "$ACT_OUT" "node arm-$id (amd64, $two) builds linux/arm64" "the appended node builds its pinned platform"
expect_contains "$ACT_OUT" "node pair-${id}0 (amd64, " "the setup step's own node"
raw=$(skopeo inspect --tls-verify=false --raw "docker://$HOIST_TEST_REGISTRY/hoist/act-pair-$id:1")
expect_eq "amd64,arm64" "$(jq -r '[.manifests[] | select(.platform.os == "linux") | .platform.architecture] | sort | join(",")' <<<"$raw")" "the pushed index"
expect_contains "$ACT_OUT" "digest=sha256:$(printf '%s' "$raw" | sha256sum | cut -d' ' -f1)" "the build action's digest output is the index's"
expect_eq "" "$(docker ps -aq --filter "name=^/buildx_buildkit_pair-${id}0\$")$(DOCKER_HOST=$two docker ps -aq --filter "name=^/buildx_buildkit_arm-$id\$")" "the nodes' builders after setup's post"
[ ! -e "$HOME/.docker/buildx/instances/pair-$id" ] || fail "the store entry after setup's post"

# An appended node's BUILDER_NODE_1_AUTH_TLS_* (setup-buildx-action's BuildKit client
# certificates) cannot be honoured for a docker-container node: refused, naming them.
act_run append.yml --env "HOIST_TEST_SECOND_ENGINE=$two" --env "BUILDER_NODE_1_AUTH_TLS_CACERT=not a certificate"
act_job_failed pair
expect_contains "$ACT_OUT" "BUILDER_NODE_1_AUTH_TLS_CACERT: client certificates for appended node 1 are not supported yet" "the refusal names the variable"
expect_eq "" "$(docker ps -aq --filter "name=^/buildx_buildkit_pair-${id}0\$")$(DOCKER_HOST=$two docker ps -aq --filter "name=^/buildx_buildkit_arm-$id\$")" "builders made for the refused setup"
