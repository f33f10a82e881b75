# tests/integration/act.sh — run workflows through act, a real GitHub Actions runner
# implementation, in self-hosted mode: it runs this checkout's actions the way the runner does
# (input defaults from action.yml, main and post, GITHUB_OUTPUT/STATE/ENV, workflow commands).
#
# Sourced by scenarios after common.sh and require_testenv. The actions download hoist as a
# user's would: the release of VERSION from a release server (a local one serving dist/, as
# `make dist` made it), checked against its SHA256SUMS.
# shellcheck shell=bash

ACT_REPO=$WORK/repo
ACT_LOG=$WORK/act.log

# act_repo WORKFLOW...: a repository as the workflows see it (actions, VERSION, the given
# workflow files from fixtures/act), committed, with origin on github.com so act names it
# octo/demo.
act_repo() {
  [ -x "${HOIST_TEST_ACT:-}" ] || skip "no act in the test environment (scripts/testenv up builds it)"
  command -v node >/dev/null || skip "no node for act's node actions"
  mkdir -p "$ACT_REPO/.github/workflows"
  cp -a "$ROOT/action.yml" "$ROOT/VERSION" "$ROOT/action" "$ROOT/setup" "$ROOT/build" "$ROOT/merge" "$ROOT/qemu" "$ACT_REPO/"
  local w
  for w in "$@"; do cp "$ROOT/tests/integration/fixtures/act/$w" "$ACT_REPO/.github/workflows/"; done
  git -C "$ACT_REPO" init -q
  git -C "$ACT_REPO" remote add origin https://github.com/octo/demo.git
  act_commit
}

# act_commit: commits what the scenario put into the repository.
act_commit() {
  git -C "$ACT_REPO" add -A
  git -C "$ACT_REPO" -c user.name=hoist -c user.email=hoist@example.invalid commit -qm "scenario $SCENARIO"
}

# act_run WORKFLOW [ACT-ARGS...]: runs the workflow's jobs (on a push, or the event ACT_EVENT names); sets ACT_RC and ACT_OUT (the log,
# also in $ACT_LOG). The jobs see the test environment and the release server in their env,
# and act's caches of the scenario's own: its workspaces, the runner's tool cache (where the
# actions keep verified downloads) and the cache server's store (the jobs' type=gha caches).
act_run() {
  local workflow=$1; shift
  set +e
  (cd "$ACT_REPO" && exec timeout 900 "$HOIST_TEST_ACT" "${ACT_EVENT:-push}" -W ".github/workflows/$workflow" \
     -P ubuntu-latest=-self-hosted --action-offline-mode \
     --env "HOIST_TEST_REPO=$ACT_REPO" --env "HOIST_RELEASE_URL=$HOIST_TEST_RELEASE_URL" \
     --env "HOIST_TEST_BUILDKIT_IMAGE=$HOIST_TEST_BUILDKIT_IMAGE" \
     --env "HOIST_TEST_BUILDKITD_CONFIG=$HOIST_TEST_BUILDKITD_CONFIG" \
     --env "HOIST_TEST_REGISTRY=$HOIST_TEST_REGISTRY" \
     --env "HOIST_TEST_BASE_IMAGE=$HOIST_TEST_BASE_IMAGE" \
     --env "HOIST_TEST_ID=$$" --action-cache-path "$WORK/act-cache" \
     --cache-server-path "$WORK/act-cache-server" "$@" >"$ACT_LOG.raw" 2>&1)
  ACT_RC=$?
  set -e
  grep -v 'unable to get git' "$ACT_LOG.raw" >"$ACT_LOG" || true
  ACT_OUT=$(cat "$ACT_LOG")
}

# act_job_succeeded JOB: the job's own closing line says it succeeded.
act_job_succeeded() {
  grep -q "^\[[^]]*/$1 *\] .*Job succeeded" "$ACT_LOG" \
    || fail "job $1 did not succeed: $(grep "/$1 *\]" "$ACT_LOG" | tail -25)"
}

# act_job_failed JOB: the job's own closing line says it failed.
act_job_failed() {
  grep -q "^\[[^]]*/$1 *\] .*Job failed" "$ACT_LOG" \
    || fail "job $1 did not fail: $(grep "/$1 *\]" "$ACT_LOG" | tail -25)"
}

# act_cleanup_builder NAME: removes what a workflow's builder NAME may have left, when the
# scenario ends: its container, lock, state volume and buildx store entry (the job runs on
# this machine with its HOME).
act_cleanup_builder() {
  on_exit "docker rm -f -v buildx_buildkit_${1}0 hoist_lock_buildx_buildkit_${1}0; docker volume rm -f buildx_buildkit_${1}0_state; rm -f '$HOME/.docker/buildx/instances/$1'"
}
