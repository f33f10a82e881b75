#!/usr/bin/env bash
# A multi-node builder over two real engines (hoist run --node): node A on the main engine
# pinned to linux/amd64, node B on the test environment's second engine pinned to
# linux/arm64. Each node builds its platform at once, its lines labelled by node, and pushes it
# by digest; the index under the tag holds both platforms (read by skopeo), and each
# platform's layer is in the content store of its own node's BuildKit only. A local output has a
# directory a platform, as one builder's multi-platform export has; a reproducible build's
# manifests equal one builder's. Node B's builder
# removed mid-build: the run fails naming node B, the tag does not move, and the next run is
# green. Ctrl-C stops every node and removes both builders. Both engines are left clean.
# test: serial — heavy: two engines and QEMU, a node stopped mid-build
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
[ -n "${HOIST_TEST_PRIVILEGED_DOCKER_HOST:-}" ] || skip "no second engine (scripts/testenv up makes one)"
[ "$HOIST_TEST_QEMU" = 1 ] || skip "no arm64 emulation here (HOIST_TEST_QEMU=0)"
command -v skopeo >/dev/null || skip "no skopeo (scripts/deps test)"
two=$HOIST_TEST_PRIVILEGED_DOCKER_HOST
a=fa$$ b=fb$$
on_exit "docker rm -f -v buildx_buildkit_$a hoist_lock_buildx_buildkit_$a; docker volume rm -f buildx_buildkit_${a}_state"
on_exit "DOCKER_HOST=$two docker rm -f -v buildx_buildkit_$b hoist_lock_buildx_buildkit_$b; DOCKER_HOST=$two docker volume rm -f buildx_buildkit_${b}_state"
mkdir -p "$WORK/ctx"
printf 'ARG BASE\nFROM $BASE\nARG SLOW\nRUN uname -m >/arch && echo %s >/id && if [ "$SLOW" = 1 ] && [ "$(uname -m)" = aarch64 ]; then sleep 60; fi\n' "$$" \
  >"$WORK/ctx/Dockerfile"
tag=$HOIST_TEST_REGISTRY/hoist/fleet-$$:1
fleet() {
  run_hoist run --builder "fleet$$" --node "name=$a,platform=linux/amd64" \
    --node "name=$b,endpoint=$two,platform=linux/arm64" \
    --driver-opt "image=$HOIST_TEST_BUILDKIT_IMAGE" --buildkitd-config "$HOIST_TEST_BUILDKITD_CONFIG" \
    --build-arg "BASE=$HOIST_TEST_BASE_IMAGE" --platform linux/amd64,linux/arm64 -t "$tag" --push "$@" "$WORK/ctx"
}
# Refused before anything is made: a platform no node pins or runs, an output not yet taken.
run_hoist run --builder "fleet$$" --node "name=$a,platform=linux/amd64" --node "name=$b,endpoint=$two" \
  --platform linux/amd64,linux/s390x -t "$tag" --push --load "$WORK/ctx"
expect_eq 64 "$RC" "bad nodes"
expect_contains "$ERR" '--platform "linux/s390x": no node pins it or runs it natively' "the platform no node builds"
expect_contains "$ERR" "more than one of --push, --load and --output with --node is not supported yet" "--push with --load"
expect_eq "" "$(docker ps -aq --filter "name=^/buildx_buildkit_$a\$")$(DOCKER_HOST=$two docker ps -aq --filter "name=^/buildx_buildkit_$b\$")" "builders made for a refused run"

# The plan shows each node's share and buildx's commands for the same builder, making nothing.
run_hoist plan --builder "fleet$$" --node "name=$a,platform=linux/amd64" --node "name=$b,endpoint=$two,platform=linux/arm64" \
  --build-arg "BASE=$HOIST_TEST_BASE_IMAGE" --platform linux/amd64,linux/arm64 -t "$tag" --push "$WORK/ctx"
expect_eq 0 "$RC" "plan: $ERR"
expect_contains "$OUT" "buildx_buildkit_$b on $two (amd64): builds linux/arm64" "the plan's share for node B"
expect_contains "$OUT" "docker buildx create --append --name fleet$$ --node $b --platform linux/arm64 $two" "buildx's command for node B"
expect_eq "" "$(docker ps -aq --filter "name=^/buildx_buildkit_$a\$")$(DOCKER_HOST=$two docker ps -aq --filter "name=^/buildx_buildkit_$b\$")" "builders made by plan"

fleet --iidfile "$WORK/iid" --annotation "index:org.opencontainers.image.description=nodes $$" \
  --annotation "org.opencontainers.image.title=image $$"
expect_eq 0 "$RC" "the run on two nodes: $ERR"
expect_contains "$ERR" "node $a (amd64, " "node A's engine"
expect_contains "$ERR" ") builds linux/amd64" "node A's share"
expect_contains "$ERR" "node $b (amd64, $two) builds linux/arm64" "node B's engine and share"
expect_contains "$ERR" "[$b] #" "node B's steps labelled by node"
expect_contains "$ERR" "[$a] #" "node A's steps labelled by node"
raw=$(skopeo inspect --tls-verify=false --raw "docker://$tag")
expect_eq "amd64,arm64" "$(jq -r '[.manifests[] | select(.platform.os == "linux") | .platform.architecture] | sort | join(",")' <<<"$raw")" "the index's platforms"
expect_eq 2 "$(jq '[.manifests[] | select(.annotations."vnd.docker.reference.type" == "attestation-manifest")] | length' <<<"$raw")" "each platform's attestation kept"
expect_eq "sha256:$(printf '%s' "$raw" | sha256sum | cut -d' ' -f1)" "$(cat "$WORK/iid")" "--iidfile: the index's digest"
expect_eq "nodes $$" "$(jq -r '.annotations."org.opencontainers.image.description"' <<<"$raw")" "an index: annotation on the index"
amd_manifest=$(jq -r '.manifests[] | select(.platform.architecture == "amd64") | .digest' <<<"$raw")
expect_eq "image $$" "$(skopeo inspect --tls-verify=false --raw "docker://${tag%:*}@$amd_manifest" | jq -r '.annotations."org.opencontainers.image.title"')" "a manifest annotation on each node's image"

# Where each platform was built: its last layer is in its own node's content store only.
layer() { # ARCH: the digest hex of the platform's last layer
  local m
  m=$(jq -r --arg a "$1" '.manifests[] | select(.platform.architecture == $a) | .digest' <<<"$raw")
  skopeo inspect --tls-verify=false --raw "docker://${tag%:*}@$m" | jq -r '.layers[-1].digest' | cut -d: -f2
}
blobs() { # ENGINE VOLUME: the content store's blobs
  DOCKER_HOST=$1 docker run --rm -v "$2:/s:ro" --entrypoint /bin/sh "$HOIST_TEST_BUILDKIT_IMAGE" \
    -c 'ls /s/*/content/blobs/sha256/ 2>/dev/null'
}
amd=$(layer amd64) arm=$(layer arm64)
blobs_a=$(blobs "${DOCKER_HOST:-unix:///var/run/docker.sock}" "buildx_buildkit_${a}_state")
blobs_b=$(blobs "$two" "buildx_buildkit_${b}_state")
grep -qx "$amd" <<<"$blobs_a" || fail "the amd64 layer $amd is not in node A's content store"
grep -qx "$arm" <<<"$blobs_b" || fail "the arm64 layer $arm is not in node B's content store"
! grep -qx "$arm" <<<"$blobs_a" || fail "the arm64 layer was built on node A too"
! grep -qx "$amd" <<<"$blobs_b" || fail "the amd64 layer was built on node B too"
expect_eq "" "$(docker ps -aq --filter "name=^/buildx_buildkit_$a\$")" "node A's builder after the run"
expect_eq "" "$(DOCKER_HOST=$two docker ps -aq --filter "name=^/buildx_buildkit_$b\$")" "node B's builder after the run"

# The same image as one builder makes: a build of the context's files alone, with
# SOURCE_DATE_EPOCH, has each platform's manifest equal to one builder's (QEMU for arm64).
mkdir -p "$WORK/same"
printf 'ARG BASE\nFROM $BASE\nCOPY f /f\n' >"$WORK/same/Dockerfile"
echo "same $$" >"$WORK/same/f"
manifests() { skopeo inspect --tls-verify=false --raw "docker://$1" | jq -c '[.manifests[] | select(.platform.os == "linux") | {a: .platform.architecture, d: .digest}]'; }
SOURCE_DATE_EPOCH=1700000000 run_hoist run --builder "fleet$$" --node "name=$a,platform=linux/amd64" \
  --node "name=$b,endpoint=$two,platform=linux/arm64" --driver-opt "image=$HOIST_TEST_BUILDKIT_IMAGE" \
  --buildkitd-config "$HOIST_TEST_BUILDKITD_CONFIG" --build-arg "BASE=$HOIST_TEST_BASE_IMAGE" \
  --platform linux/amd64,linux/arm64 -t "${tag%:*}:nodes" --push "$WORK/same"
expect_eq 0 "$RC" "the reproducible build on nodes: $ERR"
SOURCE_DATE_EPOCH=1700000000 run_hoist run --builder "one$$" --driver-opt "image=$HOIST_TEST_BUILDKIT_IMAGE" \
  --keep-state=false --buildkitd-config "$HOIST_TEST_BUILDKITD_CONFIG" --build-arg "BASE=$HOIST_TEST_BASE_IMAGE" \
  --platform linux/amd64,linux/arm64 -t "${tag%:*}:one" --push "$WORK/same"
expect_eq 0 "$RC" "the same build on one builder: $ERR"
expect_eq "$(manifests "${tag%:*}:one")" "$(manifests "${tag%:*}:nodes")" "each platform's manifest, nodes against one builder"
# ... and as an OCI archive: the nodes' parts joined into one index with both platforms' images,
# which skopeo reads and copies as it would one builder's.
SOURCE_DATE_EPOCH=1700000000 run_hoist run --builder "fleet$$" --node "name=$a,platform=linux/amd64" \
  --node "name=$b,endpoint=$two,platform=linux/arm64" --driver-opt "image=$HOIST_TEST_BUILDKIT_IMAGE" \
  --buildkitd-config "$HOIST_TEST_BUILDKITD_CONFIG" --build-arg "BASE=$HOIST_TEST_BASE_IMAGE" \
  --platform linux/amd64,linux/arm64 -o "type=oci,dest=$WORK/nodes.tar" "$WORK/same"
expect_eq 0 "$RC" "an OCI archive from nodes: $ERR"
images() { skopeo inspect --raw "oci-archive:$1" | jq -c '[.manifests[] | select(.platform.os == "linux") | {a: .platform.architecture, d: .digest}]'; }
expect_eq "$(manifests "${tag%:*}:one")" "$(images "$WORK/nodes.tar")" "the archive's images, against one builder's push"
skopeo copy --all --dest-tls-verify=false "oci-archive:$WORK/nodes.tar" "docker://${tag%:*}:archive" >/dev/null 2>"$WORK/copy.err" \
  || fail "skopeo could not copy the archive: $(cat "$WORK/copy.err")"
expect_eq "$(manifests "${tag%:*}:one")" "$(manifests "${tag%:*}:archive")" "the archive, copied to the registry"

# A local output: each node's platform in its directory, as BuildKit splits a multi-platform
# export on one builder (the same build on one builder with QEMU, compared file by file).
lay() { (cd "$1" && find . -printf '%P %y %m %s %l\n' | sort); }
run_hoist run --builder "fleet$$" --node "name=$a,platform=linux/amd64" \
  --node "name=$b,endpoint=$two,platform=linux/arm64" \
  --driver-opt "image=$HOIST_TEST_BUILDKIT_IMAGE" --buildkitd-config "$HOIST_TEST_BUILDKITD_CONFIG" \
  --build-arg "BASE=$HOIST_TEST_BASE_IMAGE" --platform linux/amd64,linux/arm64 -o "type=local,dest=$WORK/nodes" "$WORK/ctx"
expect_eq 0 "$RC" "a local output on nodes: $ERR"
expect_eq x86_64 "$(cat "$WORK/nodes/linux_amd64/arch")" "node A's platform"
expect_eq aarch64 "$(cat "$WORK/nodes/linux_arm64/arch")" "node B's platform"
run_hoist run --builder "one$$" --driver-opt "image=$HOIST_TEST_BUILDKIT_IMAGE" --keep-state=false \
  --buildkitd-config "$HOIST_TEST_BUILDKITD_CONFIG" --build-arg "BASE=$HOIST_TEST_BASE_IMAGE" \
  --platform linux/amd64,linux/arm64 -o "type=local,dest=$WORK/one" "$WORK/ctx"
expect_eq 0 "$RC" "the same build on one builder: $ERR"
[ "$(lay "$WORK/nodes")" = "$(lay "$WORK/one")" ] || fail "the nodes' local output differs from one builder's: $(diff <(lay "$WORK/one") <(lay "$WORK/nodes"))"

# Node B's builder removed mid-build: the run fails naming it; the tag stays where it was.
before=$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$tag")
( fleet --build-arg SLOW=1 --no-cache; echo "$RC" >"$WORK/slow.rc"; echo "$ERR" >"$WORK/slow.err" ) &
slow=$!
for _ in $(seq 300); do # node B's RUN step started (run_hoist writes its stderr as it goes)
  grep -q "^\[$b\] #[0-9]* \[2/2\] RUN" "$WORK/stderr" 2>/dev/null && break
  sleep 0.2
done
grep -q "^\[$b\] #[0-9]* \[2/2\] RUN" "$WORK/stderr" || fail "node B's step never started: $(tail -5 "$WORK/stderr")"
sleep 2
DOCKER_HOST=$two docker rm -f "buildx_buildkit_$b" >/dev/null
wait "$slow"
expect_eq 69 "$(cat "$WORK/slow.rc")" "a node lost mid-build"
expect_contains "$(cat "$WORK/slow.err")" "node $b (linux/arm64): " "the failure names the node and its share"
expect_contains "$(cat "$WORK/slow.err")" "nothing was pushed under the tags" "says the tags did not move"
expect_eq "$before" "$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$tag")" "the tag after the failed run"

fleet
expect_eq 0 "$RC" "the next run: $ERR"
expect_contains "$ERR" "[$b] " "node B built again"

# Ctrl-C while both nodes build: every node stops, both builders go, exit 130.
( fleet --build-arg SLOW=1 --no-cache; echo "$RC" >"$WORK/int.rc"; echo "$ERR" >"$WORK/int.err" ) &
slow=$!
for _ in $(seq 300); do
  grep -q "^\[$b\] #[0-9]* \[2/2\] RUN" "$WORK/stderr" 2>/dev/null && break
  sleep 0.2
done
pkill -INT -f "hoist run --builder fleet$$ " || fail "no hoist run to interrupt"
wait "$slow"
expect_eq 130 "$(cat "$WORK/int.rc")" "Ctrl-C during a build on nodes"
expect_contains "$(cat "$WORK/int.err")" "node $b (linux/arm64): cancelled" "node B stopped"
expect_eq "" "$(docker ps -aq --filter "name=^/buildx_buildkit_$a\$")" "node A's builder after Ctrl-C"
expect_eq "" "$(DOCKER_HOST=$two docker ps -aq --filter "name=^/buildx_buildkit_$b\$")" "node B's builder after Ctrl-C"
