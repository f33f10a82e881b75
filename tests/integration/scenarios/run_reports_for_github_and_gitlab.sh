#!/usr/bin/env bash
# The reports of a run, as each CI wants them. GitHub: secrets masked, one group per phase,
# build output fenced by stop-commands (an echoed "::error::" cannot inject a command), step
# outputs named as the docker actions name them (multi-line safe), the job summary, and an error
# annotation at the Dockerfile line when the build fails. GitLab: collapsible sections and a
# dotenv file. Everywhere: the --result-file JSON.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
use_builder rep
mkdir -p "$WORK/ctx" "$WORK/gh"
printf 'FROM %s\nRUN --mount=type=secret,id=s echo "::error::injected" && echo ok >/x\n' "$HOIST_TEST_BASE_IMAGE" >"$WORK/ctx/Dockerfile"
ref=$HOIST_TEST_REGISTRY/hoist/it-rep-$$:1
secret=rep-secret-$$-value
gh_env=(GITHUB_ACTIONS=true GITHUB_REPOSITORY=o/r GITHUB_RUN_ID=5 GITHUB_JOB=j GITHUB_WORKSPACE=$WORK
        GITHUB_OUTPUT=$WORK/gh/output GITHUB_STEP_SUMMARY=$WORK/gh/summary GITHUB_STATE=$WORK/gh/state
        MY_SECRET=$secret)
touch "$WORK/gh/output" "$WORK/gh/summary" "$WORK/gh/state"

env "${gh_env[@]}" "$HOIST" run "${SETUP_ARGS[@]}" --secret id=s,env=MY_SECRET -t "$ref" --push \
  --state-to "type=local,dest=$WORK/state" \
  --progress plain --result-file "$WORK/result.json" "$WORK/ctx" >"$WORK/out" 2>"$WORK/err" || fail "run: $(tail -5 "$WORK/err")"
out=$(cat "$WORK/out" "$WORK/err")
expect_contains "$out" "::add-mask::$secret" "the secret is masked"
expect_contains "$out" "::group::hoist setup $BUILDER" "setup group"
expect_contains "$out" "::group::hoist build" "build group"
token=$(sed -n 's/^::stop-commands::\(.*\)$/\1/p' "$WORK/err" | head -1)
[ -n "$token" ] || fail "no stop-commands fence: $out"
expect_contains "$(cat "$WORK/err")" "::$token::" "fence closed"
# The injected line appears only inside the fence.
awk -v t="$token" '$0=="::stop-commands::"t{f=1} $0=="::"t"::"{f=0} /::error::injected/ && !f {bad=1} END{exit bad}' \
  <(cat "$WORK/err") || fail "echoed build output outside the fence"
grep -q '::error::injected' "$WORK/err" || fail "the test's injected line was not echoed at all"

parse_output() { # NAME: the value of a heredoc record in GITHUB_OUTPUT
  awk -v n="$1" '$0 ~ "^"n"<<" {d=substr($0, length(n)+3); f=1; next} f && $0==d {f=0} f' "$WORK/gh/output"
}
expect_eq "$BUILDER" "$(parse_output name)" "output name"
expect_contains "$(parse_output platforms)" "linux/amd64" "output platforms"
digest=$(parse_output digest)
[[ "$digest" == sha256:* ]] || fail "output digest: $digest"
parse_output metadata | jq -e --arg d "$digest" '."containerimage.digest" == $d' >/dev/null || fail "output metadata"
expect_contains "$(cat "$WORK/gh/summary")" "| Digest | \`$digest\` |" "job summary"
expect_contains "$(cat "$WORK/gh/summary")" "| State saved to | type=local,dest=$WORK/state: " "job summary's state line"
# The CI defaults applied, on one log line and one summary row, each saying how to turn them off.
off="(off with the action input ci-defaults: false, --ci-defaults=false or HOIST_CI_DEFAULTS=false)"
expect_eq 1 "$(grep -c 'CI defaults: ' "$WORK/err")" "log lines naming the CI defaults"
expect_contains "$(cat "$WORK/err")" "CI defaults: label org.opencontainers.image.source=https://github.com/o/r" "the log's CI defaults"
expect_contains "$(cat "$WORK/err")" "$off" "how the log says to turn them off"
expect_contains "$(cat "$WORK/gh/summary")" "| CI defaults | label org.opencontainers.image.source=https://github.com/o/r" "the summary's CI defaults"
expect_contains "$(cat "$WORK/gh/summary")" "$off |" "how the summary says to turn them off"
jq -e '.state.saved.bytes > 0 and .state.restored == null' "$WORK/result.json" >/dev/null \
  || fail "result file's state: $(jq .state "$WORK/result.json")"
jq -e --arg d "$digest" '.exitCode == 0 and .build.digest == $d and .builder.name != ""' "$WORK/result.json" >/dev/null \
  || fail "result file: $(cat "$WORK/result.json")"
expect_not_contains "$(cat "$WORK/gh/output" "$WORK/gh/summary" "$WORK/result.json")" "$secret" "secret in the reports"
# Nor in the saved state: every chunk of the snapshot, decompressed.
for chunk in $(jq -r '.layers[] | select(.mediaType | test("chunk")) | .digest | sub("sha256:"; "")' \
                 "$WORK/state/blobs/sha256/$(jq -r '.manifests[0].digest | sub("sha256:"; "")' "$WORK/state/index.json")"); do
  cat "$WORK/state/blobs/sha256/$chunk"
done | zstd -dc >"$WORK/state.tar"
grep -qa 'buildkit/' "$WORK/state.tar" || fail "the saved state is not the builder's volume"
expect_eq 0 "$(grep -ca "$secret" "$WORK/state.tar" || true)" "the secret in the saved state"

printf 'FROM %s\nRUN exit 9\n' "$HOIST_TEST_BASE_IMAGE" >"$WORK/ctx/Dockerfile"
set +e
env "${gh_env[@]}" "$HOIST" run "${SETUP_ARGS[@]}" --result-file "$WORK/fail.json" "$WORK/ctx" >"$WORK/out" 2>"$WORK/err"
rc=$?
set -e
expect_eq 1 "$rc" "failed build"
expect_contains "$(cat "$WORK/err")" "::error file=ctx/Dockerfile,line=2::" "annotation at the Dockerfile line, relative to the workspace"
jq -e '.exitCode == 1 and (.error | test("failed"))' "$WORK/fail.json" >/dev/null || fail "result file of a failure"

printf 'FROM %s\nRUN echo gl >/x\n' "$HOIST_TEST_BASE_IMAGE" >"$WORK/ctx/Dockerfile"
GITLAB_CI=true CI_JOB_ID=1 CI_PROJECT_PATH=g/p "$HOIST" run "${SETUP_ARGS[@]}" -t "$ref" --push \
  --dotenv-file "$WORK/build.env" "$WORK/ctx" >"$WORK/out" 2>"$WORK/err" || fail "GitLab run: $(tail -5 "$WORK/err")"
expect_contains "$(cat "$WORK/err")" "section_start:" "GitLab section"
expect_contains "$(cat "$WORK/err")" ":hoist_build[collapsed=true]" "build section"
expect_contains "$(cat "$WORK/err")" "section_end:" "section end"
grep -q '^HOIST_DIGEST=sha256:' "$WORK/build.env" || fail "dotenv: $(cat "$WORK/build.env")"
expect_contains "$(cat "$WORK/build.env")" "HOIST_TAGS=$ref" "dotenv tags"
