#!/usr/bin/env bash
# arm64 binaries run inside containers: the arm64 layer of the testenv base image (Debian's
# busybox-static:arm64), imported as an image, runs `uname -m` in a plain container through the
# host's binfmt_misc qemu-aarch64 entry (F flag) and reports aarch64.
. "$(dirname "$0")/../common.sh"
require_testenv
[ "$HOIST_TEST_QEMU" = 1 ] || skip "HOIST_TEST_QEMU=0: no qemu-aarch64 binfmt_misc entry with the F flag"
grep -q '^flags:.*F' /proc/sys/fs/binfmt_misc/qemu-aarch64 || fail "qemu-aarch64 entry lacks the F flag"

repo=${HOIST_TEST_BASE_IMAGE#*/}; repo=${repo%:*}; tag=${HOIST_TEST_BASE_IMAGE##*:}
reg="http://$HOIST_TEST_REGISTRY/v2/$repo"
index=$(curl -fsS -H 'Accept: application/vnd.oci.image.index.v1+json' "$reg/manifests/$tag")
mdigest=$(echo "$index" | jq -r '.manifests[] | select(.platform.architecture=="arm64") | .digest')
[ -n "$mdigest" ] || fail "no arm64 manifest in $HOIST_TEST_BASE_IMAGE"
layer=$(curl -fsS -H 'Accept: application/vnd.oci.image.manifest.v1+json' "$reg/manifests/$mdigest" | jq -r '.layers[0].digest')
curl -fsS -o "$WORK/layer.tar.gz" "$reg/blobs/$layer"

image=hoist-it/arm64-busybox:$$
on_exit "docker image rm -f $image"
# (engine 20.10 ignores import's --platform and labels it amd64; what runs is an aarch64 ELF)
docker import "$WORK/layer.tar.gz" "$image" >/dev/null
name=hoist-it-qemu-$$
on_exit "docker rm -f $name"
# no --platform: engine 20.10 would try to pull
arch=$(docker run --rm --name "$name" "$image" /bin/uname -m)
expect_eq aarch64 "$arch" "uname -m in an arm64 container"
out=$(docker run --rm --name "$name" "$image" /bin/sh -c 'echo hello from $(uname -m)')
expect_eq "hello from aarch64" "$out" "arm64 shell"
