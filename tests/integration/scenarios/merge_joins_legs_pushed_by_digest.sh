#!/usr/bin/env bash
# One native runner per platform, then one image: two single-platform builds (arm64 under QEMU
# here) pushed by digest record NAME@DIGEST in a directory, a file per platform, and push no
# tag; hoist merge, with DOCKER_HOST pointing nowhere, joins them under two tags in two
# repositories (the second gets the manifests and blobs mounted). skopeo and the registry API
# read the index: both platforms, each attestation beside its image, the index annotation, the
# same digest under both tags, every blob there. A platform given twice and a source the
# registry does not have are refused with exit 64 and nothing pushed; --dry-run pushes nothing.
# As imagetools create: --platform keeps some platforms (with their attestations),
# manifest-descriptor: annotations go on the descriptors, --metadata-file gets the index's
# descriptor; a manifest: annotation is refused, saying what to set in metadata-action.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
[ "$HOIST_TEST_QEMU" = 1 ] || skip "no arm64 emulation here (HOIST_TEST_QEMU=0)"
command -v skopeo >/dev/null || skip "no skopeo (scripts/deps test)"
use_builder legs
run_hoist setup "${SETUP_ARGS[@]}"
expect_eq 0 "$RC" "setup: $ERR"
mkdir -p "$WORK/ctx"
printf 'ARG BASE\nFROM $BASE\nARG TARGETPLATFORM\nRUN echo "$TARGETPLATFORM" >/platform\n' >"$WORK/ctx/Dockerfile"
reg=$HOIST_TEST_REGISTRY
repo=$reg/merge-$$/app
other=$reg/merge-$$/other

for platform in linux/amd64 linux/arm64; do
  run_hoist build --builder "$BUILDER" --build-arg "BASE=$HOIST_TEST_BASE_IMAGE" --platform "$platform" \
    --push-by-digest "$repo" --digests-dir "$WORK/digests" --metadata-file "$WORK/meta-${platform#*/}.json" "$WORK/ctx"
  expect_eq 0 "$RC" "the $platform leg: $ERR"
done
expect_eq "linux-amd64 linux-arm64" "$(ls "$WORK/digests" | xargs)" "a file per platform in --digests-dir"
amd=$(cat "$WORK/digests/linux-amd64")
arm=$(cat "$WORK/digests/linux-arm64")
case "$amd" in "$repo@sha256:"*) ;; *) fail "the amd64 leg recorded '$amd', not $repo@sha256:…" ;; esac
expect_eq "$(jq -r '."containerimage.digest"' "$WORK/meta-arm64.json")" "${arm#*@}" "the recorded digest is the one BuildKit pushed"
tags=$(curl -s "http://$reg/v2/merge-$$/app/tags/list" | jq -r '.tags // [] | length')
expect_eq 0 "$tags" "tags pushed by the legs"

# The merge is a registry client: no engine anywhere.
nowhere=unix:///nonexistent/docker.sock
# The test registry speaks plain http, as the builders' buildkitd config says.
DOCKER_HOST=$nowhere run_hoist merge --tag "$repo:1" --tag "$other:2" --digests-dir "$WORK/digests" \
  --buildkitd-config "$HOIST_TEST_BUILDKITD_CONFIG" \
  --annotation "index:org.opencontainers.image.title=merged by hoist"
expect_eq 0 "$RC" "merge: $ERR"
digest=$(printf '%s' "$OUT" | tail -1)
case "$digest" in sha256:*) ;; *) fail "merge printed '$OUT', not the index digest" ;; esac
expect_contains "$ERR" "merge-$$/other" "the copy into the second repository is told"

skopeo inspect --tls-verify=false --raw "docker://$repo:1" >"$WORK/index.json" || fail "skopeo cannot read $repo:1"
expect_eq "$digest" "sha256:$(sha256sum <"$WORK/index.json" | cut -d' ' -f1)" "the printed digest is the pushed index's"
expect_eq "application/vnd.oci.image.index.v1+json" "$(jq -r .mediaType "$WORK/index.json")" "media type"
expect_eq "linux/amd64 linux/arm64" \
  "$(jq -r '[.manifests[] | select(.platform.os == "linux") | .platform.os + "/" + .platform.architecture] | join(" ")' "$WORK/index.json")" \
  "the platforms, in order"
expect_eq "merged by hoist" "$(jq -r '.annotations."org.opencontainers.image.title"' "$WORK/index.json")" "the index annotation"
# Each leg's attestation manifest is kept, pointing at its image.
for d in $(jq -r '.manifests[] | select(.platform.os == "linux") | .digest' "$WORK/index.json"); do
  expect_eq 1 "$(jq --arg d "$d" '[.manifests[] | select(.annotations."vnd.docker.reference.digest" == $d and .annotations."vnd.docker.reference.type" == "attestation-manifest")] | length' "$WORK/index.json")" \
    "the attestation of $d"
done
skopeo inspect --tls-verify=false --raw "docker://$other:2" | cmp -s - "$WORK/index.json" || fail "$other:2 is not the same index"
expect_eq "$digest" "$(curl -s -o /dev/null -D - -H 'Accept: application/vnd.oci.image.index.v1+json' \
  "http://$reg/v2/merge-$$/other/manifests/2" | tr -d '\r' | sed -n 's/^[Dd]ocker-[Cc]ontent-[Dd]igest: //p')" \
  "the registry API's digest for $other:2"
# Every manifest and blob is in the second repository: a full copy reads them all from there.
skopeo copy -q --all --src-tls-verify=false "docker://$other:2" "oci:$WORK/copy:x" || fail "skopeo cannot copy $other:2 whole"
arch=$(skopeo inspect --tls-verify=false --override-arch arm64 --config "docker://$other:2" | jq -r .architecture)
expect_eq arm64 "$arch" "the arm64 image's config through the second tag"

# imagetools create's --platform, manifest-descriptor: annotations and --metadata-file.
DOCKER_HOST=$nowhere run_hoist merge --tag "$repo:arm" --insecure-registry "$reg" --platform linux/arm64 \
  --annotation "manifest-descriptor:org.opencontainers.image.description=leg" \
  --annotation "manifest-descriptor[linux/arm64]:org.opencontainers.image.title=arm" \
  --metadata-file "$WORK/merge-meta.json" "$amd" "$arm"
expect_eq 0 "$RC" "merge --platform: $ERR"
skopeo inspect --tls-verify=false --raw "docker://$repo:arm" >"$WORK/arm.json" || fail "skopeo cannot read $repo:arm"
expect_eq "linux/arm64" "$(jq -r '[.manifests[] | select(.platform.os == "linux") | .platform.os + "/" + .platform.architecture] | join(" ")' "$WORK/arm.json")" \
  "--platform keeps arm64 only"
expect_eq 2 "$(jq '.manifests | length' "$WORK/arm.json")" "arm64's image and its attestation"
expect_eq "leg leg" "$(jq -r '[.manifests[].annotations."org.opencontainers.image.description"] | join(" ")' "$WORK/arm.json")" \
  "a descriptor annotation without a platform, on every descriptor"
expect_eq "arm null" "$(jq -r '[.manifests[].annotations."org.opencontainers.image.title"] | map(tostring) | join(" ")' "$WORK/arm.json")" \
  "arm64's descriptor annotation, on its image only"
expect_eq "sha256:$(sha256sum <"$WORK/arm.json" | cut -d' ' -f1)" "$(jq -r '."containerimage.descriptor".digest' "$WORK/merge-meta.json")" \
  "--metadata-file's descriptor"
expect_eq "$repo" "$(jq -r '."image.name"' "$WORK/merge-meta.json")" "--metadata-file's image name"

# Refusals: nothing pushed.
# metadata-action's default annotations (manifest:) say what to set instead.
DOCKER_HOST=$nowhere run_hoist merge --tag "$repo:man" --insecure-registry "$reg" \
  --annotation "manifest:org.opencontainers.image.title=x" "$amd" "$arm"
expect_eq 64 "$RC" "a manifest: annotation"
expect_contains "$ERR" "DOCKER_METADATA_ANNOTATIONS_LEVELS=index" "what to set instead"
# Another image of the same platform (the base image's amd64 one); the same image given twice
# is one entry, as buildx makes it.
base_amd=${HOIST_TEST_BASE_IMAGE%:*}@$(skopeo inspect --tls-verify=false --raw "docker://$HOIST_TEST_BASE_IMAGE" \
  | jq -r '.manifests[] | select(.platform.architecture == "amd64") | .digest')
DOCKER_HOST=$nowhere run_hoist merge --tag "$repo:dup" --insecure-registry "$reg" "$amd" "$amd" "$base_amd"
expect_eq 64 "$RC" "a platform given twice"
expect_contains "$ERR" "the platform linux/amd64 is in both $amd and $base_amd: give each platform once" "the duplicate named"
mkdir -p "$WORK/bad-digests/leg" && : >"$WORK/bad-digests/empty"
DOCKER_HOST=$nowhere run_hoist merge --tag "$repo:bad" --insecure-registry "$reg" --digests-dir "$WORK/bad-digests"
expect_eq 64 "$RC" "a digests directory with a directory and an empty file"
expect_contains "$ERR" "holds a directory, leg" "the directory named"
expect_contains "$ERR" "$WORK/bad-digests/empty is empty" "the empty file named"
missing=$repo@sha256:$(printf '0%.0s' $(seq 64))
DOCKER_HOST=$nowhere run_hoist merge --tag "$repo:missing" --insecure-registry "$reg" "$amd" "$missing"
expect_eq 64 "$RC" "a source the registry does not have"
expect_contains "$ERR" "the source $missing is not in its registry" "the missing source named"
DOCKER_HOST=$nowhere run_hoist merge --tag "$repo:dry" --insecure-registry "$reg" --dry-run "$amd" "$arm"
expect_eq 0 "$RC" "--dry-run: $ERR"
expect_eq 4 "$(printf '%s' "$OUT" | jq '.manifests | length')" "--dry-run prints the index"
for t in dup bad missing dry man; do
  expect_eq 404 "$(curl -s -o /dev/null -w '%{http_code}' -H 'Accept: application/vnd.oci.image.index.v1+json' \
    "http://$reg/v2/merge-$$/app/manifests/$t")" "the tag $t"
done
DOCKER_HOST=$nowhere run_hoist merge --insecure-registry "$reg" "$amd"
expect_eq 64 "$RC" "no --tag"
expect_contains "$ERR" "give at least one --tag" "the missing tag named"
