#!/usr/bin/env bash
# HOIST_TEST_BASE_IMAGE is a two-platform OCI index in the test registry: linux/amd64 and
# linux/arm64 manifests, each with a layer holding a static busybox of that architecture and /bin/sh.
. "$(dirname "$0")/../common.sh"
require_testenv

expect_contains "$HOIST_TEST_BASE_IMAGE" "$HOIST_TEST_REGISTRY/" "base image lives in the test registry"
repo=${HOIST_TEST_BASE_IMAGE#*/}; repo=${repo%:*}; tag=${HOIST_TEST_BASE_IMAGE##*:}
reg="http://$HOIST_TEST_REGISTRY/v2/$repo"
curl -fsS -D "$WORK/headers" -o "$WORK/index.json" \
  -H 'Accept: application/vnd.oci.image.index.v1+json' "$reg/manifests/$tag" || fail "GET $HOIST_TEST_BASE_IMAGE"
expect_eq application/vnd.oci.image.index.v1+json "$(jq -r .mediaType "$WORK/index.json")" "index mediaType"
expect_contains "$(tr -d '\r' <"$WORK/headers")" "$HOIST_TEST_BASE_IMAGE_DIGEST" "index digest matches env"
plats=$(jq -r '[.manifests[].platform | .os + "/" + .architecture] | sort | join(",")' "$WORK/index.json")
expect_eq "linux/amd64,linux/arm64" "$plats" "platforms in the index"

# ELF e_machine of bin/busybox per platform: 0x3e x86-64, 0xb7 aarch64
for arch in amd64 arm64; do
  d=$(jq -r --arg a "$arch" '.manifests[] | select(.platform.architecture==$a) | .digest' "$WORK/index.json")
  curl -fsS -o "$WORK/$arch.json" -H 'Accept: application/vnd.oci.image.manifest.v1+json' "$reg/manifests/$d"
  cfg=$(jq -r .config.digest "$WORK/$arch.json")
  expect_eq "$arch" "$(curl -fsS "$reg/blobs/$cfg" | jq -r .architecture)" "config architecture"
  layer=$(jq -r '.layers[0].digest' "$WORK/$arch.json")
  mkdir -p "$WORK/$arch"
  curl -fsS "$reg/blobs/$layer" | tar -xz -C "$WORK/$arch"
  [ -L "$WORK/$arch/bin/sh" ] || fail "$arch layer has no /bin/sh link"
  machine=$(od -An -tx1 -j18 -N1 "$WORK/$arch/bin/busybox" | tr -d ' ')
  case $arch in amd64) want=3e ;; arm64) want=b7 ;; esac
  expect_eq "$want" "$machine" "ELF machine of $arch bin/busybox"
done
note "$HOIST_TEST_BASE_IMAGE@$HOIST_TEST_BASE_IMAGE_DIGEST: $plats"
