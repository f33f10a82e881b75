#!/usr/bin/env bash
# Under a real runner implementation (act), every line hoist prints is safe: CI values holding
# workflow commands (a step's GITHUB_SHA, the push event's commit timestamp) set no output and
# show as written; a multi-line secret is masked line by line in later steps' logs.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
source "$ROOT/tests/integration/act.sh"
act_repo safe-output.yml
mkdir -p "$ACT_REPO/app"
printf 'FROM scratch\n' >"$ACT_REPO/app/Dockerfile"
act_commit
cat >"$WORK/event.json" <<'JSON'
{"ref": "refs/heads/main",
 "head_commit": {"id": "0123456789abcdef", "timestamp": "2026-01-02T03:04:05Z\n::set-output name=pwned::by-event"}}
JSON
HOIST_TEST_RELEASE_URL=http://127.0.0.1:9/unused
act_run safe-output.yml --env "HOIST_TEST_BIN=$HOIST" -e "$WORK/event.json"
act_job_succeeded safe
expect_contains "$ACT_OUT" "outputs: pwned=[] legacy=[]" "no command hoist printed took effect"
expect_contains "$ACT_OUT" "::set-output name=pwned::by-sha" "the hostile SHA shows as written"
expect_contains "$ACT_OUT" "echoed: *** / ***" "each line of the secret masked"
expect_not_contains "$ACT_OUT" "first-line-of-the-secret" "the secret's first line"
note "act log: $(wc -l <"$ACT_LOG") lines, rc $ACT_RC"
