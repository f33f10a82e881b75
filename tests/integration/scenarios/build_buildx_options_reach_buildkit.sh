#!/usr/bin/env bash
# buildx build's options reach BuildKit as buildx sends them, checked in what RUN saw and in
# what was pushed: --shm-size and --ulimit inside RUN, --no-cache-filter rebuilding one stage,
# --allow, type=cacheonly (no output, no warning), -q (the image ID alone on stdout), --check
# (a lint problem fails the build, as buildx's exit code; a clean Dockerfile passes; one that
# does not parse fails with the parse error), warnings of a normal build annotated on GitHub,
# and the provenance docker/build-push-action sets by default: max for a public repository,
# min for a private one, the run attempt as builder id.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
setup_builder opts
ctx=$WORK/ctx
mkdir -p "$ctx"
cat >"$ctx/Dockerfile" <<DF
FROM $HOIST_TEST_BASE_IMAGE AS deps
RUN cat /proc/sys/kernel/random/uuid >/deps-stamp
FROM $HOIST_TEST_BASE_IMAGE AS app
COPY --from=deps /deps-stamp /
RUN df -k /dev/shm | tail -1 | awk '{print \$2}' >/shm && ulimit -n >/nofile && ulimit -Hn >/nofile-hard
FROM scratch
COPY --from=app /deps-stamp /shm /nofile /nofile-hard /
DF

run_hoist build --builder "$BUILDER" --shm-size 256m --ulimit nofile=1024:2048 --allow network.host \
  -o "type=local,dest=$WORK/o1" "$ctx"
expect_eq 0 "$RC" "build: $ERR"
expect_eq 262144 "$(cat "$WORK/o1/shm")" "--shm-size 256m: /dev/shm in KiB"
expect_eq 1024 "$(cat "$WORK/o1/nofile")" "--ulimit soft"
expect_eq 2048 "$(cat "$WORK/o1/nofile-hard")" "--ulimit hard"
# The deps stage's RUN: cached without the filter, run again with it.
deps_run() { # the plain progress line that ends the deps stage's RUN step
  local n
  n=$(sed -n 's/^#\([0-9]*\) \[deps 2\/2\] RUN.*/\1/p' <<<"$ERR" | head -1)
  grep -E "^#$n (CACHED|DONE)" <<<"$ERR" | head -1 | cut -d' ' -f2
}
run_hoist build --builder "$BUILDER" --progress plain --shm-size 256m --ulimit nofile=1024:2048 \
  -o "type=local,dest=$WORK/o2" "$ctx"
expect_eq CACHED "$(deps_run)" "the same build is cached"
run_hoist build --builder "$BUILDER" --progress plain --shm-size 256m --ulimit nofile=1024:2048 \
  --no-cache-filter deps -o "type=local,dest=$WORK/o3" "$ctx"
expect_eq 0 "$RC" "--no-cache-filter: $ERR"
expect_eq DONE "$(deps_run)" "--no-cache-filter deps runs the deps stage again"

run_hoist build --builder "$BUILDER" -o type=cacheonly "$ctx"
expect_eq 0 "$RC" "cacheonly: $ERR"
expect_not_contains "$ERR" "no output specified" "cacheonly warns of no output"
run_hoist build --builder "$BUILDER" -q -o "type=oci,dest=$WORK/img.tar" --metadata-file "$WORK/meta.json" "$ctx"
expect_eq 0 "$RC" "-q: $ERR"
expect_eq "$(jq -r '."containerimage.config.digest"' "$WORK/meta.json")" "$OUT" "-q prints the image ID alone"
expect_eq "" "$ERR" "-q prints nothing else"

# --check: buildx's report and exit code.
printf 'FROM %s as base\nRUN echo hi\ncopy . /x\n' "$HOIST_TEST_BASE_IMAGE" >"$WORK/lint.Dockerfile"
run_hoist build --builder "$BUILDER" --check -f "$WORK/lint.Dockerfile" "$ctx"
expect_eq 1 "$RC" "--check with lint problems"
expect_contains "$OUT" "Check complete, 2 warnings have been found!" "the report"
expect_contains "$OUT" "WARNING: FromAsCasing" "the first rule"
expect_contains "$OUT" "WARNING: ConsistentInstructionCasing" "the second rule"
run_hoist build --builder "$BUILDER" --call check "$ctx"
expect_eq 0 "$RC" "--call check of a clean Dockerfile: $ERR"
expect_eq "Check complete, no warnings found." "$OUT" "the clean report"
printf 'FROM\n' >"$WORK/broken.Dockerfile"
run_hoist build --builder "$BUILDER" --check -f "$WORK/broken.Dockerfile" "$ctx"
expect_eq 1 "$RC" "--check of a Dockerfile that does not parse"
expect_contains "$ERR" "parse error" "the parse error"

# Warnings of a normal build: listed, and annotated on GitHub at their line.
gh=(GITHUB_ACTIONS=true GITHUB_REPOSITORY=octo/demo GITHUB_RUN_ID=77 GITHUB_RUN_ATTEMPT=3 GITHUB_JOB=b
    GITHUB_SHA=0123456789abcdef0123 GITHUB_WORKSPACE=$WORK)
env "${gh[@]}" "$HOIST" build --builder "$BUILDER" --ci-defaults=false -f "$WORK/lint.Dockerfile" \
  -o "type=local,dest=$WORK/o4" "$ctx" >"$WORK/gh.out" 2>&1 || fail "build with warnings: $(tail -5 "$WORK/gh.out")"
expect_contains "$(cat "$WORK/gh.out")" "hoist:  - FromAsCasing: 'as' and 'FROM' keywords' casing do not match (line 1)" "the warning listed"
expect_contains "$(cat "$WORK/gh.out")" "::warning file=lint.Dockerfile,line=1,title=" "annotated at its line"
DOCKER_BUILD_CHECKS_ANNOTATIONS=false env "${gh[@]}" "$HOIST" build --builder "$BUILDER" --ci-defaults=false \
  -f "$WORK/lint.Dockerfile" -o "type=local,dest=$WORK/o5" "$ctx" >"$WORK/gh2.out" 2>&1 || fail "$(tail -5 "$WORK/gh2.out")"
expect_not_contains "$(cat "$WORK/gh2.out")" "::warning" "DOCKER_BUILD_CHECKS_ANNOTATIONS=false"

# Provenance by default on GitHub, as build-push-action sets it.
provenance() { # REF: the provenance predicate of the image's attestation
  local repo=${1#*/} idx att layer
  repo=${repo%:*}
  idx=$(skopeo inspect --raw --tls-verify=false "docker://$1")
  att=$(jq -r '.manifests[] | select(.annotations["vnd.docker.reference.type"]=="attestation-manifest") | .digest' <<<"$idx" | head -1)
  [ -n "$att" ] || fail "$1 has no attestation: $idx"
  layer=$(skopeo inspect --raw --tls-verify=false "docker://${1%:*}@$att" | jq -r '.layers[0].digest')
  curl -fsS "http://$HOIST_TEST_REGISTRY/v2/$repo/blobs/$layer"
}
printf '{"repository": {"full_name": "octo/demo", "private": true}}' >"$WORK/private.json"
printf '{"repository": {"full_name": "octo/demo", "private": false}}' >"$WORK/public.json"
for vis in public private; do
  ref=$HOIST_TEST_REGISTRY/hoist/prov-$vis-$$:1
  env "${gh[@]}" GITHUB_EVENT_PATH="$WORK/$vis.json" "$HOIST" build --builder "$BUILDER" -t "$ref" --push "$ctx" \
    >"$WORK/$vis.out" 2>&1 || fail "$vis push: $(tail -5 "$WORK/$vis.out")"
  prov=$(provenance "$ref")
  expect_eq "https://github.com/octo/demo/actions/runs/77/attempts/3" \
    "$(jq -r .predicate.runDetails.builder.id <<<"$prov")" "$vis: the run attempt as builder id"
  has_config=$(jq -r '.predicate.buildDefinition.internalParameters | has("buildConfig")' <<<"$prov")
  if [ "$vis" = public ]; then expect_eq true "$has_config" "public: mode=max"
  else expect_eq false "$has_config" "private: mode=min"; fi
done
env "${gh[@]}" "$HOIST" plan --builder "$BUILDER" --load "$ctx" >"$WORK/plan.out" 2>&1
expect_contains "$(cat "$WORK/plan.out")" "provenance attestation: mode=min,inline-only=true" "load: buildx's default"
