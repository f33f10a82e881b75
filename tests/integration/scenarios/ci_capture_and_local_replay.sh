#!/usr/bin/env bash
# --capture-env in CI writes the context hoist used, without secrets; --ci-env replays it on a
# laptop: the same builder, platforms, tags, build args, CI defaults and provenance context.
# What names files on the CI machine (result, dotenv, capture) is not replayed; a CONTEXT given
# on the laptop replaces the captured one; the replay leaves no temporary file behind.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
use_builder cap
mkdir -p "$WORK/ctx"
printf 'FROM %s\nRUN echo hi\n' "$HOIST_TEST_BASE_IMAGE" >"$WORK/ctx/Dockerfile"
echo '{"ref":"refs/heads/main","head_commit":{"id":"abc"}}' >"$WORK/event.json"
token=ghs-secret-token-$$
mkdir -p "$WORK/ci-only"
env GITHUB_ACTIONS=true GITHUB_REPOSITORY=octo/demo GITHUB_RUN_ID=11 GITHUB_JOB=build GITHUB_SHA=0123456789abcdef \
  GITHUB_REF_NAME=main GITHUB_EVENT_NAME=push GITHUB_EVENT_PATH="$WORK/event.json" GITHUB_TOKEN="$token" \
  ACTIONS_RUNTIME_TOKEN="$token" GITHUB_OUTPUT="$WORK/output" HOIST_PLATFORM=linux/amd64,linux/arm64 \
  HOIST_DOTENV_FILE="$WORK/ci-only/build.env" \
  "$HOIST" plan --capture-env "$WORK/capture.json" --push --build-arg V=1 --result-file "$WORK/ci-result.json" \
  "$WORK/ctx" >"$WORK/ci-plan" 2>&1 \
  || fail "plan in CI: $(cat "$WORK/ci-plan")"
[ -s "$WORK/capture.json" ] || fail "no capture written"
expect_not_contains "$(cat "$WORK/capture.json")" "$token" "a token in the capture"
jq -e '.env.GITHUB_TOKEN == null and .env.ACTIONS_RUNTIME_TOKEN == null and .env.GITHUB_OUTPUT == null' "$WORK/capture.json" >/dev/null \
  || fail "secret or per-step variables captured"
jq -e '.event.head_commit.id == "abc"' "$WORK/capture.json" >/dev/null || fail "event payload not captured"
expect_eq '["plan","--push","--build-arg","V=1","'"$WORK/ctx"'"]' "$(jq -c .args "$WORK/capture.json")" "captured arguments"
jq -e '.env.HOIST_DOTENV_FILE == null and .env.HOIST_PLATFORM != null' "$WORK/capture.json" >/dev/null \
  || fail "a CI machine's file path captured, or HOIST_PLATFORM not: $(jq -c .env "$WORK/capture.json")"

# On the laptop: nothing of the CI in the environment, only the capture.
mkdir -p "$WORK/tmp"
env -u GITHUB_ACTIONS TMPDIR="$WORK/tmp" "$HOIST" plan --ci-env "$WORK/capture.json" >"$WORK/local-plan" 2>&1 || fail "replay: $(cat "$WORK/local-plan")"
strip() { grep -v -e '^context:' -e '--capture-env' -e '--ci-env' -e '--result-file' -e 'HOIST_DOTENV_FILE' "$1"; }
expect_eq "$(strip "$WORK/ci-plan")" "$(strip "$WORK/local-plan")" "the replayed plan equals the CI's"
expect_not_contains "$(cat "$WORK/local-plan")" "ci-only" "the CI's dotenv path"
expect_eq "" "$(ls -A "$WORK/tmp")" "temporary files left by the replay"
# A CONTEXT given on the laptop replaces the captured one.
mkdir -p "$WORK/other"
cp "$WORK/ctx/Dockerfile" "$WORK/other/"
env -u GITHUB_ACTIONS "$HOIST" plan --ci-env "$WORK/capture.json" "$WORK/other" >"$WORK/other-plan" 2>&1 \
  || fail "replay with a CONTEXT: $(cat "$WORK/other-plan")"
expect_contains "$(cat "$WORK/other-plan")" "$WORK/other" "the laptop's CONTEXT"
expect_contains "$(cat "$WORK/other-plan")" "--build-arg V=1" "the captured arguments still there"

# A real run from the capture: the builder gets the captured GitHub context.
run_hoist setup --ci-env "$WORK/capture.json" --builder "$BUILDER" --driver-opt "image=$HOIST_TEST_BUILDKIT_IMAGE" \
  --buildkitd-config "$HOIST_TEST_BUILDKITD_CONFIG"
expect_eq 0 "$RC" "setup from the capture: $ERR"
ctxfile=$(docker exec "buildx_buildkit_${BUILDER,,}0" cat /etc/buildkit/provenance.d/github_actions_context.json)
expect_contains "$ctxfile" '"head_commit":{"id":"abc"}' "the captured event reached the builder"
