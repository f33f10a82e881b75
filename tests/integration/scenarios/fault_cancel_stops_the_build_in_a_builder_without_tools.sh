#!/usr/bin/env bash
# A builder image with no shell and no pkill (the test BuildKit image without busybox): a
# --push build cancelled with SIGINT exits 130 within seconds, buildctl no longer runs in the
# builder, and the tag never appears in the registry — the cancel does not depend on the
# image's tools.
# test: serial — asserts how soon a cancel ends
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
command -v skopeo >/dev/null || skip "no skopeo (scripts/deps test)"
minimal=hoist.local/buildkit:minimal-$$
on_exit "docker image rm -f $minimal"
cid=$(docker create "$HOIST_TEST_BUILDKIT_IMAGE")
docker export "$cid" | python3 -c '
import sys, tarfile
src = tarfile.open(fileobj=sys.stdin.buffer, mode="r|")
dst = tarfile.open(fileobj=sys.stdout.buffer, mode="w|")
for m in src:
    if m.name == "bin" or m.name.startswith("bin/"):
        continue  # busybox and every applet: no sh, no pkill, no rm
    dst.addfile(m, src.extractfile(m) if m.isreg() else None)
dst.close()' | docker import --change 'ENTRYPOINT ["buildkitd"]' --change 'VOLUME /var/lib/buildkit' \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$minimal" >/dev/null
docker rm -v "$cid" >/dev/null
if docker run --rm --entrypoint /bin/sh "$minimal" -c true 2>/dev/null; then fail "the minimal image has a shell"; fi

use_builder notools
SETUP_ARGS=(--builder "$BUILDER" --driver-opt "image=$minimal" --buildkitd-config "$HOIST_TEST_BUILDKITD_CONFIG")
run_hoist setup "${SETUP_ARGS[@]}"
[ "$RC" = 0 ] || fail "setup with the minimal image: $ERR"
mkdir -p "$WORK/ctx"
printf 'ARG BASE\nFROM $BASE\nRUN for i in $(seq 1 15); do sleep 1; done; echo done >/done\n' >"$WORK/ctx/Dockerfile"
ref=$HOIST_TEST_REGISTRY/hoist/it-notools-$$:1
"$HOIST" build --builder "$BUILDER" --no-cache --build-arg "BASE=$HOIST_TEST_BASE_IMAGE" -t "$ref" --push \
  "$WORK/ctx" >"$WORK/build.log" 2>&1 &
pid=$!
for i in $(seq 100); do
  docker top "buildx_buildkit_${BUILDER}0" -eo pid,args 2>/dev/null | grep -q 'buildctl build' && break
  sleep 0.2
done
sleep 1
start=$(date +%s%N)
kill -INT "$pid"
set +e; wait "$pid"; rc=$?; set -e
ms=$(( ($(date +%s%N) - start) / 1000000 ))
expect_eq 130 "$rc" "the cancelled build's exit code ($(tail -3 "$WORK/build.log"))"
[ "$ms" -lt 7500 ] || fail "the cancel took ${ms} ms, past GitHub's 7.5 s"
expect_eq "" "$(builder_leftovers "buildx_buildkit_${BUILDER}0")" "what the cancelled build left in the builder"
# The build the cancel stopped would have pushed after 15 s.
sleep 16
if skopeo inspect --tls-verify=false --raw "docker://$ref" >/dev/null 2>&1; then
  fail "the tag appeared after the cancel: the build kept going"
fi
fault_row "SIGINT of a --push build, image without sh/pkill" "130 in ${ms} ms" "nothing; the tag never appears" yes
