#!/usr/bin/env bash
# The path every real user's builder takes: an engine that runs --privileged containers (the
# test environment's second engine, where this machine's own refuses them). hoist setup makes
# a privileged builder there — no capability fallback — that builds a two-platform image
# (arm64 under QEMU) and pushes it; teardown keeps the state, and the next run on it is warm
# (its steps CACHED); doctor says privileged builders work; inspect says privileged.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
[ -n "${HOIST_TEST_PRIVILEGED_DOCKER_HOST:-}" ] || skip "no privileged-capable engine (scripts/testenv up starts one as root)"
[ "$HOIST_TEST_QEMU" = 1 ] || skip "no arm64 emulation here (HOIST_TEST_QEMU=0)"
command -v skopeo >/dev/null || skip "no skopeo (scripts/deps test)"
priv=$HOIST_TEST_PRIVILEGED_DOCKER_HOST
export BUILDX_CONFIG=$WORK/buildx
BUILDER=priv-$$
ctr=buildx_buildkit_${BUILDER}0
on_exit "DOCKER_HOST=$priv '$HOIST' teardown --builder $BUILDER --keep-state=false --force; DOCKER_HOST=$priv docker rm -f -v $ctr; DOCKER_HOST=$priv docker volume rm -f ${ctr}_state"
args=(--builder "$BUILDER" --driver-opt "image=$HOIST_TEST_BUILDKIT_IMAGE" --buildkitd-config "$HOIST_TEST_BUILDKITD_CONFIG")

DOCKER_HOST=$priv run_hoist doctor
expect_eq 0 "$RC" "doctor on the privileged engine: $OUT $ERR"
expect_contains "$OUT" "privileged containers start (what buildx uses)" "doctor's finding on privileged containers"

DOCKER_HOST=$priv run_hoist setup "${args[@]}"
expect_eq 0 "$RC" "setup: $ERR"
expect_not_contains "$ERR" "refuses privileged containers" "setup fell back from privileged"
expect_eq true "$(DOCKER_HOST=$priv docker inspect -f '{{.HostConfig.Privileged}}' "$ctr")" "the builder container is privileged"
DOCKER_HOST=$priv run_hoist inspect --builder "$BUILDER" --json
expect_eq privileged "$(printf '%s' "$OUT" | jq -r .security)" "inspect's security"

mkdir -p "$WORK/ctx"
printf 'ARG BASE\nFROM $BASE\nARG TARGETARCH\nRUN --mount=type=cache,target=/cache echo "$TARGETARCH" >/arch && sleep 1\n' >"$WORK/ctx/Dockerfile"
image=$HOIST_TEST_REGISTRY/priv-$$/app:1
DOCKER_HOST=$priv run_hoist run "${args[@]}" --platform linux/amd64,linux/arm64 \
  --build-arg "BASE=$HOIST_TEST_BASE_IMAGE" -t "$image" --push "$WORK/ctx"
expect_eq 0 "$RC" "the first run: $ERR"
expect_contains "$ERR" "kept for the next run" "the run kept its state"
skopeo inspect --tls-verify=false --raw "docker://$image" >"$WORK/index.json" || fail "$image not pushed"
expect_eq "amd64 arm64" "$(jq -r '[.manifests[] | select(.platform.os == "linux") | .platform.architecture] | sort | join(" ")' "$WORK/index.json")" \
  "the platforms pushed"
expect_eq "" "$(DOCKER_HOST=$priv docker ps -aq --filter "name=^/$ctr\$")" "the builder after the run"
DOCKER_HOST=$priv docker volume inspect "${ctr}_state" >/dev/null || fail "the state volume was not kept"

DOCKER_HOST=$priv run_hoist run "${args[@]}" --platform linux/amd64,linux/arm64 \
  --build-arg "BASE=$HOIST_TEST_BASE_IMAGE" -t "$image" --push "$WORK/ctx"
expect_eq 0 "$RC" "the second run: $ERR"
expect_contains "$ERR" "CACHED" "the second run starts warm"
