#!/usr/bin/env bash
# The test registry accepts a push from inside a container: a BuildKit builder started with the
# testenv buildkitd config (registry marked http/insecure) pushes an image to
# $HOIST_TEST_REGISTRY, and the registry then serves that manifest to the host.
. "$(dirname "$0")/../common.sh"
require_testenv
. "$ROOT/scripts/testenv.d/scenario-lib.sh"

name=hoist-it-regpush-$$
testenv_start_buildkit "$name" root
testenv_wait_workers "$name" >/dev/null
tag=t$$-$RANDOM
ref=$HOIST_TEST_REGISTRY/hoist-it/push:$tag
docker exec "$name" sh -c 'mkdir -p /ctx && echo pushed-from-a-container >/ctx/msg &&
  printf "FROM scratch\nCOPY msg /msg\n" >/ctx/Dockerfile'
set +e
docker exec "$name" buildctl build --progress plain --frontend dockerfile.v0 \
  --local context=/ctx --local dockerfile=/ctx \
  --output "type=image,name=$ref,push=true" >"$WORK/build.log" 2>&1
rc=$?
set -e
[ $rc -eq 0 ] || { tail -20 "$WORK/build.log" >&2; fail "buildctl push to $ref failed"; }
expect_contains "$(cat "$WORK/build.log")" "pushing manifest for $ref" "build log"
code=$(curl -s -o "$WORK/manifest.json" -w '%{http_code}' \
  -H 'Accept: application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.index.v1+json' \
  "http://$HOIST_TEST_REGISTRY/v2/hoist-it/push/manifests/$tag")
expect_eq 200 "$code" "GET manifest $ref from the host"
note "registry serves $ref ($(jq -r .mediaType "$WORK/manifest.json"))"
