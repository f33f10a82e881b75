#!/usr/bin/env bash
# A builder of nodes over two engines in separate steps, as a workflow's setup, build and post
# steps use it: hoist setup --node records it in buildx's store as `docker buildx create
# --append` leaves one, so the buildx peer lists both nodes with their pinned platforms;
# hoist inspect and hoist doctor show each node; hoist build shares the platforms out and joins the legs under
# the tag; hoist teardown removes both nodes' builders and the entry. And the other way: a
# builder of nodes made by buildx (create, then create --append on the second engine) is used
# by hoist build as it is, each node building its pinned platform.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
[ -n "${HOIST_TEST_PRIVILEGED_DOCKER_HOST:-}" ] || skip "no second engine (scripts/testenv up makes one)"
[ "$HOIST_TEST_QEMU" = 1 ] || skip "no arm64 emulation here (HOIST_TEST_QEMU=0)"
[ -x "$HOIST_TEST_BUILDX_CONFIG/cli-plugins/docker-buildx" ] || skip "no buildx peer"
command -v skopeo >/dev/null || skip "no skopeo (scripts/deps test)"
use_builder fsteps
two=$HOIST_TEST_PRIVILEGED_DOCKER_HOST
bx() { DOCKER_CONFIG=$HOIST_TEST_BUILDX_CONFIG docker buildx "$@"; }
a=sa$$ b=sb$$ xa=xa$$ xb=xb$$
for n in "$a"; do on_exit "docker rm -f -v buildx_buildkit_$n hoist_lock_buildx_buildkit_$n; docker volume rm -f buildx_buildkit_${n}_state"; done
for n in "$b" "$xa" "$xb"; do on_exit "DOCKER_HOST=$two docker rm -f -v buildx_buildkit_$n hoist_lock_buildx_buildkit_$n; DOCKER_HOST=$two docker volume rm -f buildx_buildkit_${n}_state"; done
mkdir -p "$WORK/ctx"
printf 'ARG BASE\nFROM $BASE\nRUN uname -m >/arch && echo %s >/id\n' "$$" >"$WORK/ctx/Dockerfile"
arches() { skopeo inspect --tls-verify=false --raw "docker://$1" | jq -r '[.manifests[] | select(.platform.os == "linux") | .platform.architecture] | sort | join(",")'; }

run_hoist setup --builder "$BUILDER" --node "name=$a,platform=linux/amd64" --node "name=$b,endpoint=$two,platform=linux/arm64" \
  --driver-opt "image=$HOIST_TEST_BUILDKIT_IMAGE" --buildkitd-config "$HOIST_TEST_BUILDKITD_CONFIG"
expect_eq 0 "$RC" "setup of two nodes: $ERR"
ls=$(bx ls)
expect_contains "$ls" "$BUILDER" "buildx lists the builder"
expect_contains "$(grep -A2 "^$BUILDER " <<<"$ls")" "$a" "buildx lists node A"
expect_contains "$(grep -A2 "^$BUILDER " <<<"$ls")" "$b" "buildx lists node B"
expect_contains "$(grep " $b " <<<"$ls")" "linux/arm64*" "node B's pinned platform, as buildx marks it"
run_hoist inspect --builder "$BUILDER"
expect_eq 0 "$RC" "inspect: $ERR"
expect_contains "$OUT" "container:  buildx_buildkit_$a (running)" "node A runs"
expect_contains "$OUT" "container:  buildx_buildkit_$b (running)" "node B runs"
run_hoist doctor --builder "$BUILDER"
expect_eq 0 "$RC" "doctor of the builder of nodes: $OUT"
expect_contains "$OUT" "node $b" "doctor's finding for node B"
expect_contains "$OUT" "buildx_buildkit_$b on $two (amd64) runs" "node B runs"
tag=$HOIST_TEST_REGISTRY/hoist/fsteps-$$:1
run_hoist build --builder "$BUILDER" --build-arg "BASE=$HOIST_TEST_BASE_IMAGE" --platform linux/amd64,linux/arm64 -t "$tag" --push "$WORK/ctx"
expect_eq 0 "$RC" "build on the builder of nodes: $ERR"
expect_contains "$ERR" "node $b (amd64, $two) builds linux/arm64" "node B's share"
expect_eq "amd64,arm64" "$(arches "$tag")" "the index's platforms"
run_hoist teardown --builder "$BUILDER" --keep-state=false
expect_eq 0 "$RC" "teardown: $ERR"
expect_eq "" "$(docker ps -aq --filter "name=^/buildx_buildkit_$a\$")$(DOCKER_HOST=$two docker ps -aq --filter "name=^/buildx_buildkit_$b\$")" "the nodes' builders after teardown"
[ ! -e "$BUILDX_CONFIG/instances/${BUILDER,,}" ] || fail "the store entry after teardown"

# buildx's own builder of nodes, used by hoist as it is, each node building its pinned
# platform. Both nodes are on the second engine (buildx asks every node for a privileged
# container, which only that engine grants), one through a docker context of its own (buildx
# takes an endpoint once per builder), in a docker configuration of the scenario's own.
cfg=$WORK/dockercfg
mkdir -p "$cfg" && ln -s "$HOIST_TEST_BUILDX_CONFIG/cli-plugins" "$cfg/cli-plugins" && echo '{}' >"$cfg/config.json"
DOCKER_CONFIG=$cfg docker context create "two$$" --docker "host=$two" >/dev/null
bx2() { DOCKER_CONFIG=$cfg docker buildx "$@"; }
xname=bx$$
on_exit "DOCKER_CONFIG=$cfg docker buildx rm -f $xname"
bx2 create --name "$xname" --node "$xa" --driver docker-container --driver-opt "image=$HOIST_TEST_BUILDKIT_IMAGE" \
  --buildkitd-config "$HOIST_TEST_BUILDKITD_CONFIG" --platform linux/amd64 "two$$" >/dev/null 2>"$WORK/bx.err" \
  || fail "buildx create: $(cat "$WORK/bx.err")"
bx2 create --append --name "$xname" --node "$xb" --driver-opt "image=$HOIST_TEST_BUILDKIT_IMAGE" \
  --buildkitd-config "$HOIST_TEST_BUILDKITD_CONFIG" --platform linux/arm64 "$two" >/dev/null 2>"$WORK/bx.err" \
  || fail "buildx create --append: $(cat "$WORK/bx.err")"
bx2 inspect --bootstrap "$xname" >/dev/null 2>"$WORK/bx.err" || fail "buildx bootstrap: $(cat "$WORK/bx.err")"
xtag=$HOIST_TEST_REGISTRY/hoist/fsteps-bx-$$:1
DOCKER_CONFIG=$cfg run_hoist build --builder "$xname" --build-arg "BASE=$HOIST_TEST_BASE_IMAGE" --platform linux/amd64,linux/arm64 -t "$xtag" --push "$WORK/ctx"
expect_eq 0 "$RC" "hoist build on buildx's builder of nodes: $ERR"
expect_contains "$ERR" "node $xa (amd64, $two) builds linux/amd64" "buildx's node A builds its pinned platform"
expect_contains "$ERR" "node $xb (amd64, $two) builds linux/arm64" "buildx's node B builds its pinned platform"
expect_eq "amd64,arm64" "$(arches "$xtag")" "the index's platforms from buildx's nodes"
