#!/usr/bin/env bash
# teardown never removes a builder hoist did not make unless --force; one another job made
# belongs to whoever uses it once that job is gone (no build of it holds the builder).
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
use_builder foreign
ctr=buildx_buildkit_${BUILDER,,}0

# A builder of another job (GitLab job 1), torn down from GitLab job 2.
GITLAB_CI=true CI_PROJECT_PATH=g/p CI_JOB_ID=1 run_hoist setup "${SETUP_ARGS[@]}"
expect_eq 0 "$RC" "setup as job 1: $ERR"
expect_eq "gitlab:g/p/1" "$(docker inspect -f '{{index .Config.Labels "dev.hoist.session"}}' "$ctr")" "session label"
GITLAB_CI=true CI_PROJECT_PATH=g/p CI_JOB_ID=2 run_hoist teardown --builder "$BUILDER"
expect_eq 0 "$RC" "teardown from another job, no build holding the builder ($ERR)"
if docker inspect "$ctr" >/dev/null 2>&1; then fail "the builder of a job that is done was kept"; fi

# A container hoist did not make (no labels), as docker buildx leaves one.
docker create --name "$ctr" --entrypoint sleep "$HOIST_TEST_BUILDKIT_IMAGE" 60 >/dev/null
run_hoist teardown --builder "$BUILDER"
expect_eq 64 "$RC" "teardown of a foreign container"
expect_contains "$ERR" "hoist did not make it (docker buildx?)" "message"
run_hoist teardown --builder "$BUILDER" --force
expect_eq 0 "$RC" "--force"
if docker inspect "$ctr" >/dev/null 2>&1; then fail "--force did not remove it"; fi
