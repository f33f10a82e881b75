#!/usr/bin/env bash
# --source-date-epoch takes the commit time from the CI: two builds of the same commit without
# any cache give the same image digest; without a commit time it says how to give one.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
setup_builder repro
mkdir -p "$WORK/ctx"
printf 'FROM %s\nRUN echo %s >/x && mkdir /made-now\n' "$HOIST_TEST_BASE_IMAGE" "$$" >"$WORK/ctx/Dockerfile"
gl=(GITLAB_CI=true CI_JOB_ID=1 CI_PROJECT_PATH=g/p CI_COMMIT_SHA=0123456789abcdef CI_COMMIT_TIMESTAMP=2026-11-26T10:00:00+01:00)
for i in 1 2; do
  env "${gl[@]}" "$HOIST" build --builder "$BUILDER" --no-cache --source-date-epoch --provenance false \
    -t "$HOIST_TEST_REGISTRY/hoist/repro-$$:$i" --push --metadata-file "$WORK/m$i.json" "$WORK/ctx" >"$WORK/b$i.log" 2>&1 \
    || fail "build $i: $(tail -5 "$WORK/b$i.log")"
done
d1=$(jq -r '."containerimage.digest"' "$WORK/m1.json")
[[ "$d1" == sha256:* ]] || fail "no digest"
expect_eq "$d1" "$(jq -r '."containerimage.digest"' "$WORK/m2.json")" "the same digest from two uncached builds"

run_hoist build --builder "$BUILDER" --source-date-epoch "$WORK/ctx"
expect_eq 64 "$RC" "no commit time outside CI"
expect_contains "$ERR" "--build-arg SOURCE_DATE_EPOCH=SECONDS" "how to give one"
