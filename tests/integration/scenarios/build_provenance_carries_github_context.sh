#!/usr/bin/env bash
# Under a simulated GitHub Actions environment, a builder set up by hoist carries the GitHub
# context, and the provenance attestation pushed with the image holds it (BuildKit merges
# provenance.d into the predicate) with the run attempt as builder id.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
echo '{"ref":"refs/heads/main"}' >"$WORK/event.json"
export GITHUB_ACTIONS=true GITHUB_EVENT_NAME=push GITHUB_EVENT_PATH=$WORK/event.json \
  GITHUB_REPOSITORY=octo/demo GITHUB_REPOSITORY_ID=11 GITHUB_REPOSITORY_OWNER=octo GITHUB_REPOSITORY_OWNER_ID=12 \
  GITHUB_SERVER_URL=https://github.com GITHUB_RUN_ID=4242 GITHUB_JOB=build GITHUB_RUN_ATTEMPT=1 \
  GITHUB_RUN_NUMBER=7 GITHUB_WORKFLOW=ci GITHUB_WORKFLOW_REF=octo/demo/.github/workflows/ci.yml@refs/heads/main \
  GITHUB_WORKFLOW_SHA=abc
setup_builder prov
ref=$HOIST_TEST_REGISTRY/hoist/it-prov-$$:1
mkdir -p "$WORK/ctx"
printf 'FROM %s\nRUN echo hi >/x\n' "$HOIST_TEST_BASE_IMAGE" >"$WORK/ctx/Dockerfile"
run_hoist build --builder "$BUILDER" -t "$ref" --push --provenance mode=max "$WORK/ctx"
expect_eq 0 "$RC" "build: $ERR"

reg=http://$HOIST_TEST_REGISTRY/v2/${ref#*/}; reg=${reg%:1}
curl -fsS -H 'Accept: application/vnd.oci.image.index.v1+json' "$reg/manifests/1" >"$WORK/index.json"
att=$(jq -r '.manifests[] | select(.annotations["vnd.docker.reference.type"]=="attestation-manifest") | .digest' "$WORK/index.json" | head -1)
[ -n "$att" ] || fail "no attestation manifest in the index: $(cat "$WORK/index.json")"
curl -fsS -H 'Accept: application/vnd.oci.image.manifest.v1+json' "$reg/manifests/$att" >"$WORK/att.json"
layer=$(jq -r '.layers[] | select(.annotations["in-toto.io/predicate-type"] | test("slsa")) | .digest' "$WORK/att.json" | head -1)
curl -fsS "$reg/blobs/$layer" >"$WORK/provenance.json"
prov=$(cat "$WORK/provenance.json")
expect_contains "$prov" '"github_repository":"octo/demo"' "GitHub context in the provenance"
expect_contains "$prov" '"github_run_id":"4242"' "run id"
expect_eq "https://github.com/octo/demo/actions/runs/4242/attempts/1" "$(jq -r .predicate.runDetails.builder.id <<<"$prov")" "the run attempt as builder id, as build-push-action sets it"
