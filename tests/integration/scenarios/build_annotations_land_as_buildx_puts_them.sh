#!/usr/bin/env bash
# Annotations as docker/metadata-action writes them (index:, manifest:, manifest-descriptor:,
# index-descriptor:, a [platform] selector, no prefix) land where buildx puts them: the same
# two-platform build pushed by hoist and by the buildx peer on the same builder, the index,
# its descriptors and each platform's manifest read back with skopeo and compared.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
[ -x "$HOIST_TEST_BUILDX_CONFIG/cli-plugins/docker-buildx" ] || skip "no buildx peer"
setup_builder annot --platform linux/amd64,linux/arm64
bx() { DOCKER_CONFIG=$HOIST_TEST_BUILDX_CONFIG docker buildx "$@"; }
mkdir -p "$WORK/ctx"
printf 'FROM %s\nRUN echo annotated >/x\n' "$HOIST_TEST_BASE_IMAGE" >"$WORK/ctx/Dockerfile"
annotations=(
  --annotation "org.example.plain=everywhere"
  --annotation "index:org.opencontainers.image.description=the index"
  --annotation "manifest:org.opencontainers.image.title=each manifest"
  --annotation "manifest-descriptor:org.example.desc=on the index's descriptors"
  --annotation "index-descriptor:org.example.idesc=on the index's own descriptor"
  --annotation "manifest[linux/arm64]:org.example.arch=arm only"
)
h=$HOIST_TEST_REGISTRY/hoist/annot-hoist-$$:1
b=$HOIST_TEST_REGISTRY/hoist/annot-buildx-$$:1
run_hoist build --builder "$BUILDER" --platform linux/amd64,linux/arm64 "${annotations[@]}" -t "$h" --push "$WORK/ctx"
expect_eq 0 "$RC" "hoist build: $ERR"
bx build --builder "$BUILDER" --platform linux/amd64,linux/arm64 "${annotations[@]}" -t "$b" --push "$WORK/ctx" \
  >"$WORK/bx.log" 2>&1 || fail "buildx build: $(tail -5 "$WORK/bx.log")"

# Annotations of the index, of its descriptors, and of each manifest, by platform.
view() {
  local idx
  idx=$(skopeo inspect --raw --tls-verify=false "docker://$1")
  jq -c '{index: .annotations, descriptors: [.manifests[] | select(.platform.os != "unknown") | {p: (.platform.os + "/" + .platform.architecture), a: .annotations}] | sort_by(.p)}' <<<"$idx"
  for d in $(jq -r '.manifests[] | select(.platform.os != "unknown") | .digest' <<<"$idx"); do
    skopeo inspect --raw --tls-verify=false "docker://${1%:*}@$d" | jq -c '.annotations'
  done | sort
}
want=$(view "$b")
got=$(view "$h")
[ "$want" = "$got" ] || fail "annotations differ from buildx's: $(diff <(echo "$want") <(echo "$got"))"
expect_contains "$got" '"org.opencontainers.image.description":"the index"' "index annotation"
expect_contains "$got" '"org.example.arch":"arm only"' "platform-selected annotation"
expect_contains "$got" '"org.example.desc":"on the index'"'"'s descriptors"' "descriptor annotation"
note "$(echo "$got" | wc -l) annotated objects, as buildx"

# Several types at once, as buildx's current ParseAnnotations splits them (the Debian peer,
# 0.13, predates that and takes "manifest,index:KEY" for a key).
run_hoist build --builder "$BUILDER" --platform linux/amd64,linux/arm64 \
  --annotation "manifest,index:org.example.both=twice" -t "$h" --push "$WORK/ctx"
expect_eq 0 "$RC" "hoist build, two types: $ERR"
got=$(view "$h")
expect_contains "$(head -1 <<<"$got")" '"index":{"org.example.both":"twice"}' "on the index"
expect_eq 2 "$(grep -c '"org.example.both":"twice"' <<<"$(tail -n +2 <<<"$got")")" "on both manifests"
