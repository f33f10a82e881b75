#!/usr/bin/env bash
# A builder of nodes writes what one builder writes on this machine (docs/multi-node.md;
# buildx refuses these, buildx#2007): --load of a platform built on another engine's node lands
# in this machine's engine, the same image as one builder loads; -o type=docker,dest=FILE is
# that node's archive; -o type=oci,tar=false is a directory holding what the archive holds.
# Several platforms into the engine's image store or a docker archive are refused before
# anything is made.
# test: serial — heavy: two engines and QEMU
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
require_two_engines
export BUILDX_CONFIG=$WORK/buildx
export SOURCE_DATE_EPOCH=1700000000
a=la$$ b=lb$$ img=hoist-fleet-load-$$
forget_node "${DOCKER_HOST:-unix:///var/run/docker.sock}" "$a"
forget_node "${DOCKER_HOST:-unix:///var/run/docker.sock}" "one$$""0"
forget_node "$two" "$b"
on_exit "docker rmi -f $img:nodes $img:one; DOCKER_HOST=$two docker rmi -f $img:nodes"
mkdir -p "$WORK/ctx"
printf 'ARG BASE\nFROM $BASE\nCOPY f /f\n' >"$WORK/ctx/Dockerfile"
echo "load $$" >"$WORK/ctx/f"
fleet() {
  run_hoist run --builder "fleetload$$" --node "name=$a,platform=linux/amd64" \
    --node "name=$b,endpoint=$two,platform=linux/arm64" --keep-state=false \
    --driver-opt "image=$HOIST_TEST_BUILDKIT_IMAGE" --buildkitd-config "$HOIST_TEST_BUILDKITD_CONFIG" \
    --build-arg "BASE=$HOIST_TEST_BASE_IMAGE" "$@" "$WORK/ctx"
}
made() { echo "$(docker ps -aq --filter "name=^/buildx_buildkit_$a\$")$(DOCKER_HOST=$two docker ps -aq --filter "name=^/buildx_buildkit_$b\$")"; }

note "several platforms into the engine or a docker archive: refused, nothing made"
fleet --platform linux/amd64,linux/arm64 --load -t "$img:nodes"
expect_eq 64 "$RC" "--load of two platforms"
expect_contains "$ERR" "--load of several platforms with --node is not supported yet" "the refusal of --load"
fleet --platform linux/amd64,linux/arm64 -o "type=docker,dest=$WORK/two.tar"
expect_eq 64 "$RC" "a docker archive of two platforms"
expect_contains "$ERR" "type=docker takes one platform's image" "the refusal of type=docker"
expect_eq "" "$(made)" "builders made for refused runs"

note "--load of the platform node B builds, into this machine's engine"
fleet --platform linux/arm64 --load -t "$img:nodes"
expect_eq 0 "$RC" "--load on nodes: $ERR"
expect_contains "$ERR" "node $b (amd64, $two) builds linux/arm64" "node B builds the platform"
expect_not_contains "$ERR" "node $a (" "node A has no share"
expect_contains "$ERR" "node $b's image loaded into " "the load is said"
expect_eq arm64 "$(docker image inspect "$img:nodes" --format '{{.Architecture}}')" "the loaded image's platform"
expect_eq aarch64 "$(docker run --rm "$img:nodes" uname -m)" "the loaded image runs as arm64"
DOCKER_HOST=$two docker image inspect "$img:nodes" >/dev/null 2>&1 && fail "the image was loaded into node B's engine, not this machine's"
run_hoist run --builder "one$$" --keep-state=false --driver-opt "image=$HOIST_TEST_BUILDKIT_IMAGE" \
  --buildkitd-config "$HOIST_TEST_BUILDKITD_CONFIG" --build-arg "BASE=$HOIST_TEST_BASE_IMAGE" \
  --platform linux/arm64 --load -t "$img:one" "$WORK/ctx"
expect_eq 0 "$RC" "--load on one builder: $ERR"
expect_eq "$(docker image inspect "$img:one" --format '{{.Id}}')" "$(docker image inspect "$img:nodes" --format '{{.Id}}')" "the image, nodes against one builder"

note "-o type=docker,dest=FILE: node B's archive on this machine, its fields as given"
fleet --platform linux/arm64 -o "type=docker,dest=$WORK/b.tar,name=$img:named"
expect_eq 0 "$RC" "a docker archive on nodes: $ERR"
run_hoist run --builder "one$$" --keep-state=false --driver-opt "image=$HOIST_TEST_BUILDKIT_IMAGE" \
  --buildkitd-config "$HOIST_TEST_BUILDKITD_CONFIG" --build-arg "BASE=$HOIST_TEST_BASE_IMAGE" \
  --platform linux/arm64 -o "type=docker,dest=$WORK/one.tar,name=$img:named" "$WORK/ctx"
expect_eq 0 "$RC" "a docker archive on one builder: $ERR"
entry() { tar -xOf "$1" manifest.json | jq -c '.[0] | {Config, RepoTags}'; }
expect_eq "$(entry "$WORK/one.tar")" "$(entry "$WORK/b.tar")" "the archive's image and name, against one builder's"
expect_contains "$(entry "$WORK/b.tar")" "$img:named" "the name the -o gave"

note "-o type=oci,tar=false: a directory holding the archive's images"
fleet --platform linux/amd64,linux/arm64 -o "type=oci,dest=$WORK/nodes.tar"
expect_eq 0 "$RC" "an OCI archive on nodes: $ERR"
fleet --platform linux/amd64,linux/arm64 -o "type=oci,dest=$WORK/layout,tar=false"
expect_eq 0 "$RC" "an OCI directory on nodes: $ERR"
images() { skopeo inspect --raw "$1" | jq -c '[.manifests[] | select(.platform.os == "linux") | {a: .platform.architecture, d: .digest}]'; }
expect_eq 2 "$(images "oci:$WORK/layout" | jq length)" "the directory's platforms"
expect_eq "$(images "oci-archive:$WORK/nodes.tar")" "$(images "oci:$WORK/layout")" "the directory against the archive"
[ "$(tar -tf "$WORK/nodes.tar" | grep -c '^blobs/')" = "$(find "$WORK/layout/blobs" -type f | wc -l)" ] ||
  fail "the directory's blobs differ from the archive's"
expect_eq "" "$(made)" "builders after the runs"
