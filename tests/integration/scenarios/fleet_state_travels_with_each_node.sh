#!/usr/bin/env bash
# keep-state on a builder of nodes (docs/multi-node.md): --state-to saves each node's state
# apart (a registry ref's tag with "-NODE", a directory's subdirectory NODE), --state-from fills
# each node's new volume from its own snapshot before its BuildKit starts, so the next job on
# fresh volumes is cached on both nodes, a RUN --mount=type=cache seeing the first job's files.
# In steps: setup restores, teardown saves. The snapshots are what skopeo reads.
# test: serial — heavy: two engines and QEMU
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
require_two_engines
export BUILDX_CONFIG=$WORK/buildx
reg=$HOIST_TEST_REGISTRY
ref=$reg/fleet-state-$$/hoist-state:main
a=sa$$ b=sb$$
gone() { remove_node "${DOCKER_HOST:-unix:///var/run/docker.sock}" "$a"; remove_node "$two" "$b"; } # both nodes' builders and volumes
on_exit gone
nodes() { echo --builder "fleetstate$$" --node "name=$a,platform=linux/amd64" --node "name=$b,endpoint=$two,platform=linux/arm64"; }
common() { echo --driver-opt "image=$HOIST_TEST_BUILDKIT_IMAGE" --buildkitd-config "$HOIST_TEST_BUILDKITD_CONFIG" --insecure-registry "$reg"; }
mkdir -p "$WORK/ctx"
cat >"$WORK/ctx/Dockerfile" <<'DOCKERFILE'
ARG BASE
FROM $BASE
RUN uname -m >/arch && echo expensive >/expensive
ARG N=1
RUN --mount=type=cache,target=/cache echo "$N" >"/cache/from-job-$N" && ls /cache >/seen
DOCKERFILE
out() { echo "type=local,dest=$WORK/out$1"; }
job() { # N, then --state-* options: a run on fresh volumes
  local n=$1
  shift
  run_hoist run $(nodes) $(common) --keep-state=false --build-arg "BASE=$HOIST_TEST_BASE_IMAGE" \
    --build-arg "N=$n" --platform linux/amd64,linux/arm64 -o "$(out "$n")" "$@" "$WORK/ctx"
}

note "job 1: each node's state to the registry"
job 1 --state-to "type=registry,ref=$ref"
expect_eq 0 "$RC" "job 1: $ERR"
for node in "$a" "$b"; do
  expect_contains "$ERR" "[$node] hoist: state saved to type=registry,ref=$ref-$node" "node $node saved its state under its own tag"
  raw=$(skopeo inspect --tls-verify=false --raw "docker://$ref-$node") || fail "skopeo cannot read $ref-$node"
  expect_eq application/vnd.hoist.state.v1 "$(jq -r .artifactType <<<"$raw")" "node $node's snapshot"
done
skopeo inspect --tls-verify=false --raw "docker://$ref" >/dev/null 2>&1 && fail "a snapshot under the plain tag: the nodes' states were not kept apart"
gone

note "job 2 on fresh volumes: each node from its own snapshot, saving to a directory"
job 2 --state-from "type=registry,ref=$ref" --state-to "type=local,dest=$WORK/layout"
expect_eq 0 "$RC" "job 2: $ERR"
for node in "$a" "$b"; do
  expect_contains "$ERR" "[$node] hoist: state restored from type=registry,ref=$ref-$node" "node $node restored its own state"
  grep -q "^\[$node\] #[0-9]* CACHED" <<<"$ERR" || fail "node $node's steps were not cached: $(grep "^\[$node\]" <<<"$ERR" | tail -20)"
  skopeo inspect --raw "oci:$WORK/layout/$node" >/dev/null || fail "no snapshot of node $node in $WORK/layout/$node"
done
expect_eq x86_64 "$(cat "$WORK/out2/linux_amd64/arch")" "node A's platform"
expect_eq "from-job-1 from-job-2" "$(tr '\n' ' ' <"$WORK/out2/linux_amd64/seen" | xargs)" "node A's cache mount after the restore"
expect_eq "from-job-1 from-job-2" "$(tr '\n' ' ' <"$WORK/out2/linux_arm64/seen" | xargs)" "node B's cache mount after the restore"
gone

note "in steps: setup restores each node, teardown saves each node"
run_hoist setup $(nodes) $(common) --platform linux/amd64,linux/arm64 --state-from "type=local,src=$WORK/layout"
expect_eq 0 "$RC" "setup: $ERR"
expect_contains "$ERR" "state restored from type=local,src=$WORK/layout/$b" "node B restored in setup"
run_hoist build --builder "fleetstate$$" --build-arg "BASE=$HOIST_TEST_BASE_IMAGE" --build-arg N=3 \
  --platform linux/amd64,linux/arm64 -o "$(out 3)" "$WORK/ctx"
expect_eq 0 "$RC" "build: $ERR"
expect_eq "from-job-1 from-job-2 from-job-3" "$(tr '\n' ' ' <"$WORK/out3/linux_arm64/seen" | xargs)" "node B's cache mount in steps"
run_hoist teardown --builder "fleetstate$$" --keep-state=false --state-to "type=local,dest=$WORK/steps"
expect_eq 0 "$RC" "teardown: $ERR"
for node in "$a" "$b"; do
  skopeo inspect --raw "oci:$WORK/steps/$node" >/dev/null || fail "teardown saved no snapshot of node $node"
done
expect_eq "" "$(docker volume ls -q --filter "name=^buildx_buildkit_${a}_state\$")$(DOCKER_HOST=$two docker volume ls -q --filter "name=^buildx_buildkit_${b}_state\$")" "volumes after teardown --keep-state=false"
