#!/usr/bin/env bash
# In a GitLab job, a run that pushes without tags or caches gets what the CI implies: tags
# $CI_REGISTRY_IMAGE:<ref slug> and :<short sha>, OCI source labels, and a registry cache under
# $CI_REGISTRY_IMAGE/cache:<ref slug> that a fresh builder is then served from. plan shows them
# as CI defaults; --ci-defaults=false turns them off.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
use_builder cidef
mkdir -p "$WORK/ctx"
printf 'FROM %s\nRUN echo %s >/x && sleep 1\n' "$HOIST_TEST_BASE_IMAGE" "$$" >"$WORK/ctx/Dockerfile"
image=$HOIST_TEST_REGISTRY/group/cidef-$$
gl=(GITLAB_CI=true CI_JOB_ID=1 CI_JOB_NAME=build CI_PROJECT_PATH=group/cidef CI_PROJECT_URL=https://gitlab.example/group/cidef
    CI_REGISTRY_IMAGE=$image CI_REGISTRY=$HOIST_TEST_REGISTRY CI_REGISTRY_USER=u CI_REGISTRY_PASSWORD=p-$$-x
    CI_COMMIT_REF_NAME=Feature/X CI_COMMIT_SHA=0123456789abcdef CI_COMMIT_TIMESTAMP=2026-11-26T10:00:00+00:00)

out=$(env "${gl[@]}" "$HOIST" plan --push "$WORK/ctx")
expect_contains "$out" "tags $image:feature-x, $image:0123456 (from the ref and the commit)   (CI default)" "tags in plan"
expect_contains "$out" "--tag $image:feature-x --tag $image:0123456" "buildx equivalent with the default tags"
expect_contains "$out" "--cache-to type=registry,ref=$image/cache:feature-x,mode=max" "buildx equivalent with the default cache"
expect_contains "$out" "cache type=registry,ref=$image/cache:feature-x" "cache in plan"
expect_contains "$out" "label org.opencontainers.image.revision=0123456789abcdef" "label in plan"
out=$(env "${gl[@]}" "$HOIST" plan --push --ci-defaults=false -t x/y:1 "$WORK/ctx")
expect_not_contains "$out" "(CI default)" "--ci-defaults=false"

env "${gl[@]}" "$HOIST" run "${SETUP_ARGS[@]}" --push "$WORK/ctx" >"$WORK/out" 2>"$WORK/err" || fail "run: $(tail -8 "$WORK/err")"
for tag in feature-x 0123456; do
  curl -fsS -o /dev/null -H 'Accept: application/vnd.oci.image.index.v1+json,application/vnd.oci.image.manifest.v1+json' \
    "http://$HOIST_TEST_REGISTRY/v2/group/cidef-$$/manifests/$tag" || fail "default tag $tag not pushed"
done
curl -fsS -o /dev/null -H 'Accept: application/vnd.oci.image.index.v1+json,application/vnd.oci.image.manifest.v1+json' \
  "http://$HOIST_TEST_REGISTRY/v2/group/cidef-$$/cache/manifests/feature-x" || fail "default registry cache not exported"

"$HOIST" teardown --builder "$BUILDER" --keep-state=false --force >/dev/null
env "${gl[@]}" "$HOIST" run "${SETUP_ARGS[@]}" --push "$WORK/ctx" >"$WORK/out" 2>"$WORK/err" || fail "second run: $(tail -8 "$WORK/err")"
expect_contains "$(cat "$WORK/err")" "CACHED" "a fresh builder is served from the default registry cache"
