#!/usr/bin/env bash
# The other build options against the real BuildKit: a named --build-context from a local
# directory, --add-host and --network none in RUN, --target, tar and oci outputs on the host,
# and --annotation on the pushed image. The context, the named context and a setuid bit travel
# on buildctl's own exec: the engine sees no archive upload into the builder. A small context
# goes to its mirror in the builder's memory (/dev/shm), a large one to its mirror on the state
# volume (only what changed since the last build of it goes there again).
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
setup_builder outs
mkdir -p "$WORK/ctx" "$WORK/extra"
echo from-extra >"$WORK/extra/data.txt"
echo tool >"$WORK/ctx/tool" && chmod 4755 "$WORK/ctx/tool"
cat >"$WORK/ctx/Dockerfile" <<DF
FROM $HOIST_TEST_BASE_IMAGE AS base
COPY --from=extra data.txt /data.txt
COPY tool /tool
RUN [ "\$(stat -c %a /tool)" = 4755 ] && echo mode-ok >/mode
RUN grep -q 'db.internal' /etc/hosts && echo hosts-ok >/hosts
RUN [ -z "\$(ls /sys/class/net 2>/dev/null | grep -v '^lo\$')" ] && echo no-network >/net
FROM base AS other
RUN echo other >/other
DF
run_hoist build --builder "$BUILDER" --build-context "extra=$WORK/extra" --add-host db.internal:10.9.8.7 \
  --network none --target base -o "type=tar,dest=$WORK/out.tar" "$WORK/ctx"
expect_eq 0 "$RC" "tar output build: $ERR"
tar -tf "$WORK/out.tar" >"$WORK/list" || fail "the tar output is not a tar"
expect_contains "$(cat "$WORK/list")" "data.txt" "named context copied"
expect_contains "$(cat "$WORK/list")" "mode" "the context file's setuid bit in the build"
expect_contains "$(cat "$WORK/list")" "hosts" "add-host reached RUN"
expect_contains "$(cat "$WORK/list")" "net" "network none in RUN"
expect_not_contains "$(cat "$WORK/list")" "other" "--target stops at base"

# The helper is in the builder since the first build (one upload per container).
since=$(date +%s)
sleep 1
run_hoist build --builder "$BUILDER" --build-context "extra=$WORK/extra" --add-host db.internal:10.9.8.7 \
  --network none --target base -o "type=oci,dest=$WORK/out-oci.tar" "$WORK/ctx"
expect_eq 0 "$RC" "oci output build: $ERR"
events=$(docker events --since "$since" --until "$(( $(date +%s) + 1 ))" --filter "container=buildx_buildkit_${BUILDER,,}0" \
  --format '{{.Action}}')
expect_contains "$events" "exec_create: /tmp/.hoist-helper-" "the helper's exec"
expect_not_contains "$events" "extract-to-dir" "an archive upload into the builder"
expect_contains "$events" "--local context=/dev/shm/hoist-mirror/" "a small context: its mirror in the builder's memory"
tar -xOf "$WORK/out-oci.tar" index.json | jq -e '.manifests | length > 0' >/dev/null || fail "no OCI index in the oci output"

ref=$HOIST_TEST_REGISTRY/hoist/it-ann-$$:1
head -c 9000000 /dev/urandom >"$WORK/ctx/large" # over 8 MiB with its pages: the state volume
since=$(date +%s)
sleep 1
run_hoist build --builder "$BUILDER" --build-context "extra=$WORK/extra" --add-host db.internal:10.9.8.7 \
  --network none --target base --annotation org.example.note=hello -t "$ref" --push "$WORK/ctx"
expect_eq 0 "$RC" "push with annotation: $ERR"
events=$(docker events --since "$since" --until "$(( $(date +%s) + 1 ))" --filter "container=buildx_buildkit_${BUILDER,,}0" \
  --format '{{.Action}}')
expect_contains "$events" "--local context=/var/lib/buildkit/hoist-mirror/hoist-" "a large context: its mirror on the state volume"
repo=${ref#*/}; repo=${repo%:*}
m=$(curl -fsS -H 'Accept: application/vnd.oci.image.index.v1+json,application/vnd.oci.image.manifest.v1+json' \
  "http://$HOIST_TEST_REGISTRY/v2/$repo/manifests/1")
d=$(jq -r '.manifests[0].digest // empty' <<<"$m")
[ -n "$d" ] && m=$(curl -fsS -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$HOIST_TEST_REGISTRY/v2/$repo/manifests/$d")
expect_eq hello "$(jq -r '.annotations["org.example.note"]' <<<"$m")" "annotation on the manifest"
