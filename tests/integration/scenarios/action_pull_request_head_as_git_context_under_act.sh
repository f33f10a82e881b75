#!/usr/bin/env bash
# DOCKER_DEFAULT_GIT_CONTEXT_PR_HEAD_REF in a pull request's run by act, a real runner
# implementation (the event payload, GITHUB_EVENT_PATH and GITHUB_SHA as a runner gives them):
# build-push-action's default git context ({{defaultContext}}) is the pull request's head
# commit with the switch, the run's commit without it, as hoist plan shows before any fetch.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
source "$ROOT/tests/integration/act.sh"
head=$(printf 'head %s' "$$" | sha1sum | cut -d' ' -f1)
act_repo pr.yml
printf '{"pull_request": {"number": 7, "head": {"sha": "%s", "ref": "feature"}, "base": {"ref": "main"}}}\n' "$head" >"$WORK/event.json"
release_server
ACT_EVENT=pull_request act_run pr.yml -e "$WORK/event.json" --env "HOIST_TEST_BIN=$HOIST" --env "HOIST_TEST_HEAD_SHA=$head"
act_job_succeeded head
expect_contains "$ACT_OUT" "context-checks-done" "both checks ran"
expect_contains "$ACT_OUT" "https://github.com/octo/demo.git#$head" "the head commit, with the switch"
