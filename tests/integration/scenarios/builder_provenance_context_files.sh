#!/usr/bin/env bash
# Under GitHub Actions the builder gets /etc/buildkit/provenance.d/github_actions_context.json
# as buildx writes it (gate, all-or-nothing key groups, the event payload), under GitLab CI the
# GitLab equivalent; buildkitd starts with it; the payload is never echoed to the log;
# provenance-add-gha=false leaves it out; an unreadable event file is refused up front.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
use_builder prov
ctr=buildx_buildkit_${BUILDER,,}0

cat >"$WORK/event.json" <<'JSON'
{"ref": "refs/heads/main", "head_commit": {"id": "abc123", "message": "secret-looking <payload> & more"}}
JSON
gh=(GITHUB_ACTIONS=true GITHUB_EVENT_NAME=push GITHUB_EVENT_PATH=$WORK/event.json
    GITHUB_ACTOR=octo GITHUB_ACTOR_ID=1 GITHUB_TRIGGERING_ACTOR=octo
    GITHUB_REPOSITORY=o/r GITHUB_REPOSITORY_ID=2 GITHUB_REPOSITORY_OWNER=o GITHUB_REPOSITORY_OWNER_ID=3
    GITHUB_REF=refs/heads/main GITHUB_REF_NAME=main GITHUB_REF_TYPE=branch
    GITHUB_RUN_ID=77 GITHUB_JOB=build RUNNER_OS=Linux)
env "${gh[@]}" "$HOIST" setup "${SETUP_ARGS[@]}" >"$WORK/out" 2>"$WORK/err" || fail "setup under GitHub: $(cat "$WORK/err")"
got=$(docker exec "$ctr" cat /etc/buildkit/provenance.d/github_actions_context.json)
want='{"github_actor":"octo","github_actor_id":"1","github_event_name":"push",
 "github_event_payload":{"head_commit":{"id":"abc123","message":"secret-looking <payload> & more"},"ref":"refs/heads/main"},
 "github_repository":"o/r","github_repository_id":"2","github_repository_owner":"o","github_repository_owner_id":"3",
 "github_triggering_actor":"octo"}'
expect_eq "$(jq -S . <<<"$want")" "$(jq -S . <<<"$got")" "GitHub context (ref group lacks GITHUB_REF_PROTECTED, workflow and runner groups are incomplete: all left out)"
expect_not_contains "$(cat "$WORK/out" "$WORK/err")" "secret-looking" "payload in hoist's output"
expect_eq running "$(docker inspect -f '{{.State.Status}}' "$ctr")" "buildkitd started with the context"

# A new run gets a new context file: the container is recreated (BuildKit reads it at start).
env "${gh[@]/GITHUB_RUN_ID=77/GITHUB_RUN_ID=78}" "$HOIST" setup "${SETUP_ARGS[@]}" >/dev/null 2>&1 || fail "second GitHub setup"
"$HOIST" teardown --builder "$BUILDER" --force >/dev/null

env GITLAB_CI=true CI_SERVER_URL=https://gitlab.example CI_SERVER_VERSION=17.0 CI_PROJECT_ID=9 CI_PROJECT_PATH=g/p \
  CI_PROJECT_URL=https://gitlab.example/g/p CI_PROJECT_VISIBILITY=private CI_JOB_ID=5 CI_JOB_NAME=build \
  CI_JOB_STAGE=build CI_JOB_URL=https://gitlab.example/g/p/-/jobs/5 CI_COMMIT_SHA=abc CI_COMMIT_BEFORE_SHA=000 \
  CI_JOB_TOKEN=never-in-the-file CI_REGISTRY_PASSWORD=never-either \
  "$HOIST" setup "${SETUP_ARGS[@]}" >/dev/null 2>"$WORK/err" || fail "setup under GitLab: $(cat "$WORK/err")"
got=$(docker exec "$ctr" cat /etc/buildkit/provenance.d/gitlab_ci_context.json)
expect_eq "https://gitlab.example/g/p/-/jobs/5" "$(jq -r .gitlab_job_url <<<"$got")" "GitLab job URL"
expect_eq abc "$(jq -r .gitlab_commit_sha <<<"$got")" "GitLab commit"
expect_eq null "$(jq -r .gitlab_pipeline_id <<<"$got")" "incomplete pipeline group left out"
expect_not_contains "$got" "never" "tokens in the GitLab context"
GITLAB_CI=true CI_JOB_ID=5 CI_PROJECT_PATH=g/p "$HOIST" teardown --builder "$BUILDER" --force >/dev/null

env "${gh[@]}" "$HOIST" setup "${SETUP_ARGS[@]}" --driver-opt provenance-add-gha=false >/dev/null 2>&1 || fail "setup without context"
set +e; docker exec "$ctr" test -e /etc/buildkit/provenance.d/github_actions_context.json; rc=$?; set -e
expect_eq 1 "$rc" "no context file with provenance-add-gha=false"
"$HOIST" teardown --builder "$BUILDER" --force >/dev/null

GITHUB_ACTIONS=true GITHUB_EVENT_NAME=push GITHUB_EVENT_PATH=$WORK/missing.json run_hoist setup "${SETUP_ARGS[@]}"
expect_eq 64 "$RC" "unreadable event file"
expect_contains "$ERR" "failed to read GITHUB_EVENT_PATH \"$WORK/missing.json\"" "message"
