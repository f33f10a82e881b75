#!/usr/bin/env bash
# linux/amd64 + linux/arm64 with a RUN step, pushed to the registry as an index; the arm64 RUN
# really ran under emulation (uname -m says aarch64 in the arm64 result).
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
[ "$HOIST_TEST_QEMU" = 1 ] || skip "no arm64 emulation here (HOIST_TEST_QEMU=0)"
setup_builder multi --platform linux/amd64,linux/arm64
ref=$HOIST_TEST_REGISTRY/hoist/it-multi-$$:1

mkdir -p "$WORK/ctx"
printf 'FROM %s\nRUN uname -m >/arch\n' "$HOIST_TEST_BASE_IMAGE" >"$WORK/ctx/Dockerfile"
run_hoist build --builder "$BUILDER" --platform linux/amd64,linux/arm64 -t "$ref" --push "$WORK/ctx"
expect_eq 0 "$RC" "build: $ERR"
repo=${ref#*/}; repo=${repo%:*}
curl -fsS -H 'Accept: application/vnd.oci.image.index.v1+json' "http://$HOIST_TEST_REGISTRY/v2/$repo/manifests/1" >"$WORK/index.json"
expect_eq "amd64,arm64" "$(jq -r '[.manifests[].platform | select(.os=="linux") | .architecture] | sort | join(",")' "$WORK/index.json")" "platforms in the index"

run_hoist build --builder "$BUILDER" --platform linux/amd64,linux/arm64 -o "type=local,dest=$WORK/out" "$WORK/ctx"
expect_eq 0 "$RC" "local output: $ERR"
expect_eq x86_64 "$(cat "$WORK/out/linux_amd64/arch")" "amd64 RUN"
expect_eq aarch64 "$(cat "$WORK/out/linux_arm64/arch")" "arm64 RUN ran under emulation"
