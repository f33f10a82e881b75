#!/usr/bin/env bash
# On GitHub the cache default is type=gha with the runner's ACTIONS_RUNTIME_TOKEN. The token
# reaches buildctl through its environment only: real BuildKit takes it from there (it gets as
# far as calling the cache service), and no exec the run created carries it in its argv, which
# the engine shows to anyone who can read `docker events` or `ps`.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
use_builder gha
mkdir -p "$WORK/ctx"
printf 'FROM %s\nRUN echo gha-%s >/x\n' "$HOIST_TEST_BASE_IMAGE" "$$" >"$WORK/ctx/Dockerfile"
b64url() { base64 -w0 | tr -d '=' | tr '/+' '_-'; }
# A token shaped as GitHub's (a JWT with access controls and a validity window, its signature
# well-formed base64url whatever the PID: BuildKit decodes it strictly); no cache service
# listens at the URL, and a failed cache export does not fail the build.
sig=$(printf 'signature-of-%s' "$$" | b64url)
token="$(printf '{"alg":"HS256","typ":"JWT"}' | b64url).$(printf '{"ac":"[]","exp":4102444800,"nbf":1600000000}' | b64url).$sig"
since=$(date +%s)
rc=0
env GITHUB_ACTIONS=true GITHUB_REPOSITORY=o/r GITHUB_RUN_ID=5 GITHUB_JOB=gha \
  ACTIONS_RUNTIME_TOKEN="$token" ACTIONS_CACHE_URL=http://127.0.0.1:9/ \
  "$HOIST" run "${SETUP_ARGS[@]}" --progress plain "$WORK/ctx" >"$WORK/out" 2>&1 || rc=$?
out=$(cat "$WORK/out")
expect_eq 0 "$rc" "run: $(tail -5 "$WORK/out")"
expect_contains "$(grep 'CI defaults: ' <<<"$out")" "cache type=gha,scope=" "gha cache by default on GitHub"
expect_contains "$out" "exporting to GitHub Actions Cache" "BuildKit took the token from the environment"
expect_contains "$out" "127.0.0.1:9/_apis/artifactcache" "BuildKit called the cache service"
expect_contains "$out" "::add-mask::$token" "the token is masked"
expect_not_contains "$(grep -v '^::add-mask::' "$WORK/out")" "$sig" "hoist's output"
# Until a second from now: the engine hands out events of the current second as they come.
events=$(docker events --since "$since" --until "$(( $(date +%s) + 1 ))" --filter "container=buildx_buildkit_${BUILDER,,}0" \
  --filter event=exec_create --format '{{.Action}}')
expect_contains "$events" "-- buildctl build " "the build's exec (buildctl behind hoist's helper) is in the engine's events"
expect_contains "$events" "--export-cache type=gha" "the gha cache in buildctl's argv"
expect_not_contains "$events" "$sig" "an exec's argv"
