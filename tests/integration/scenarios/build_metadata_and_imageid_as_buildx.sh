#!/usr/bin/env bash
# The metadata file and the image ID of a build, compared with the buildx peer's on the same
# builder: a two-platform image (no config of its own) gets the index's digest as its image ID,
# as buildx's --iidfile and build-push-action's imageid output give it; both metadata files
# carry buildx.build.ref, BUILDER/NODE/REF, whose REF `docker buildx history inspect` finds in
# BuildKit's history; with BUILDX_METADATA_WARNINGS=1 both carry the Dockerfile's warnings in
# buildx.build.warnings, the same ones, and neither does without it.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
[ -x "$HOIST_TEST_BUILDX_CONFIG/cli-plugins/docker-buildx" ] || skip "no buildx peer"
[ "$HOIST_TEST_QEMU" = 1 ] || skip "no arm64 emulation here (HOIST_TEST_QEMU=0)"
use_builder meta
bx() { DOCKER_CONFIG=$HOIST_TEST_BUILDX_CONFIG docker buildx "$@"; }
run_hoist setup "${SETUP_ARGS[@]}"
expect_eq 0 "$RC" "setup: $ERR"
mkdir -p "$WORK/ctx"
# Two lint warnings: the stage name's casing and a legacy ENV form.
printf 'FROM %s as base\nENV A 1\nRUN echo ok >/ok\n' "$HOIST_TEST_BASE_IMAGE" >"$WORK/ctx/Dockerfile"
args=(--platform linux/amd64,linux/arm64 --output "type=oci,dest=$WORK/img.tar")

for tool in hoist buildx; do
  for warn in 0 1; do
    out=$WORK/$tool-$warn
    if [ $tool = hoist ]; then
      BUILDX_METADATA_WARNINGS=$warn "$HOIST" build --builder "$BUILDER" "${args[@]}" \
        --metadata-file "$out.json" --iidfile "$out.iid" "$WORK/ctx" >"$out.log" 2>&1
    else
      BUILDX_METADATA_WARNINGS=$warn bx build --builder "$BUILDER" "${args[@]}" \
        --metadata-file "$out.json" --iidfile "$out.iid" "$WORK/ctx" >"$out.log" 2>&1
    fi || fail "$tool build: $(tail -5 "$out.log")"
  done
done

for tool in hoist buildx; do
  m=$WORK/$tool-1.json
  expect_eq "$(jq -r '."containerimage.digest"' "$m")" "$(cat "$WORK/$tool-1.iid")" \
    "$tool's image ID of a two-platform image"
  ref=$(jq -r '."buildx.build.ref"' "$m")
  [[ "$ref" == "$BUILDER/${BUILDER,,}0/"* ]] || fail "$tool's buildx.build.ref: $ref"
  bx history inspect --builder "$BUILDER" "${ref##*/}" >"$WORK/$tool-history.txt" 2>&1 \
    || fail "$tool's ref is not in BuildKit's history: $(cat "$WORK/$tool-history.txt")"
  jq -r '."buildx.build.warnings"[].short | @base64d' "$m" | sort >"$WORK/$tool-warnings.txt"
  [ -s "$WORK/$tool-warnings.txt" ] || fail "$tool: no buildx.build.warnings with BUILDX_METADATA_WARNINGS=1: $(cat "$m")"
  expect_eq null "$(jq -c '."buildx.build.warnings"' "$WORK/$tool-0.json")" "$tool's warnings without BUILDX_METADATA_WARNINGS"
done
expect_eq "$(cat "$WORK/buildx-warnings.txt")" "$(cat "$WORK/hoist-warnings.txt")" "the warnings in the metadata, hoist's against buildx's"
# The rest is BuildKit's, the same; buildx's provenance keys (BUILDX_METADATA_PROVENANCE) hoist
# does not write.
others='with_entries(select(.key | startswith("buildx.build.") | not)) | keys'
expect_eq "$(jq -S "$others" "$WORK/buildx-1.json")" "$(jq -S "$others" "$WORK/hoist-1.json")" "the metadata's other keys"
