#!/usr/bin/env bash
# A node whose build fails stops the other nodes' builds, as buildx cancels a build's other
# nodes (docs/multi-node.md): node A's linux/amd64 step fails at once while node B's
# linux/arm64 step would run for minutes; the run fails as node A's build failed (exit 1),
# names both nodes, node B's step never completes, nothing is pushed, both builders go and
# each node keeps its state volume and saves its state (--state-to).
# test: serial — heavy: two engines and QEMU, a failure timed after the other node's step starts
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
require_two_engines
export BUILDX_CONFIG=$WORK/buildx
a=xa$$ b=xb$$
forget_node "${DOCKER_HOST:-unix:///var/run/docker.sock}" "$a"
forget_node "$two" "$b"
mkdir -p "$WORK/ctx"
cat >"$WORK/ctx/Dockerfile" <<'DOCKERFILE'
ARG BASE
FROM $BASE
RUN if [ "$(uname -m)" = x86_64 ]; then sleep 15; echo "amd64 gives up" >&2; exit 3; fi; sleep 300; echo "arm64 $((6 * 7))"
DOCKERFILE
tag=$HOIST_TEST_REGISTRY/hoist/fleet-fail-$$:1
run_hoist run --builder "fleetfail$$" --node "name=$a,platform=linux/amd64" \
  --node "name=$b,endpoint=$two,platform=linux/arm64" \
  --driver-opt "image=$HOIST_TEST_BUILDKIT_IMAGE" --buildkitd-config "$HOIST_TEST_BUILDKITD_CONFIG" \
  --build-arg "BASE=$HOIST_TEST_BASE_IMAGE" --platform linux/amd64,linux/arm64 -t "$tag" --push \
  --state-to "type=local,dest=$WORK/state" "$WORK/ctx"
expect_eq 1 "$RC" "a node's failed build"
expect_contains "$ERR" "node $a (linux/amd64): " "the failing node named"
expect_contains "$ERR" "node $b (linux/arm64): stopped when another node failed" "the node stopped for it"
expect_contains "$ERR" "[$a] " "node A's lines"
grep -q "^\[$b\] #[0-9]* \[2/2\] RUN" <<<"$ERR" || fail "node B's step never started: $(grep "^\[$b\]" <<<"$ERR" | tail -5)"
grep -q "^\[$b\] .*arm64 42" <<<"$ERR" && fail "node B's step ran to its end"
skopeo inspect --tls-verify=false --raw "docker://$tag" >/dev/null 2>&1 && fail "something was pushed under the tag"
expect_eq "" "$(docker ps -aq --filter "name=^/buildx_buildkit_$a\$")$(DOCKER_HOST=$two docker ps -aq --filter "name=^/buildx_buildkit_$b\$")" "builders after the run"
expect_eq "buildx_buildkit_${a}_state" "$(docker volume ls -q --filter "name=^buildx_buildkit_${a}_state\$")" "node A's state kept"
expect_eq "buildx_buildkit_${b}_state" "$(DOCKER_HOST=$two docker volume ls -q --filter "name=^buildx_buildkit_${b}_state\$")" "node B's state kept"
skopeo inspect --raw "oci:$WORK/state/$b" >/dev/null || fail "the stopped node B saved no state"
