#!/usr/bin/env bash
# Git contexts are BuildKit's to fetch, as buildx leaves them: a repository on a git server
# the scenario runs (smart HTTP) builds at a ref and a subdirectory, the Dockerfile read in
# it; a private one is refused without a token and builds with GIT_AUTH_TOKEN.<host>; and the
# build action with no context builds the repository's own git context with its
# github-token, as build-push-action does (through act, over https). The token shows in no
# output.
# test: serial — its act part writes ~/.docker/buildx and act's shared cache store
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
setup_builder gitctx
token=git-token-$$-secret
mkdir -p "$WORK/src/sub"
printf 'FROM scratch\nCOPY hello /hello\n' >"$WORK/src/Dockerfile"
printf 'FROM scratch\nCOPY hello /hello-sub\n' >"$WORK/src/sub/Dockerfile"
echo "sub" >"$WORK/src/sub/hello"
printf 'x\n' >"$WORK/src/hello"
commit=$(git_repo "$WORK/srv/open/app.git" "$WORK/src")
git clone -q --bare "$WORK/src" "$WORK/srv/private/octo/demo.git"
git_server "$WORK/srv" "$token"

run_hoist build --builder "$BUILDER" -o "type=local,dest=$WORK/o1" "http://$GIT_SERVER/open/app.git#main"
expect_eq 0 "$RC" "open repository at a branch: $ERR"
expect_eq x "$(cat "$WORK/o1/hello")" "the repository's file"
run_hoist build --builder "$BUILDER" -o "type=local,dest=$WORK/o2" "http://$GIT_SERVER/open/app.git#$commit:sub"
expect_eq 0 "$RC" "open repository at a commit and a subdirectory: $ERR"
expect_eq sub "$(cat "$WORK/o2/hello-sub")" "the subdirectory's Dockerfile and file"

run_hoist build --builder "$BUILDER" -o "type=local,dest=$WORK/o3" "http://$GIT_SERVER/private/octo/demo.git#main"
[ "$RC" != 0 ] || fail "a private repository built without a token"
TOKEN=$token run_hoist build --builder "$BUILDER" --secret "id=GIT_AUTH_TOKEN.$GIT_SERVER,env=TOKEN" \
  -o "type=local,dest=$WORK/o4" "http://$GIT_SERVER/private/octo/demo.git#main"
expect_eq 0 "$RC" "private repository with GIT_AUTH_TOKEN.<host>: $ERR"
expect_eq x "$(cat "$WORK/o4/hello")" "the private repository's file"
expect_not_contains "$OUT$ERR" "$token" "the token in hoist's output"

# The action, no context: the repository's own git context on the run's server — the
# workflow's repository itself, served as octo/demo over https.
source "$ROOT/tests/integration/act.sh"
git_server "$WORK/srv" "$token" tls
act_cleanup_builder "gitctx-$$"
act_repo git-context.yml
printf 'FROM scratch\nCOPY hello /hello\n' >"$ACT_REPO/Dockerfile"
echo "from the workflow's repository" >"$ACT_REPO/hello"
act_commit
rm -rf "$WORK/srv/private/octo/demo.git"
git clone -q --bare "$ACT_REPO" "$WORK/srv/private/octo/demo.git"
release_server
act_run git-context.yml --github-instance "$GIT_SERVER/private" \
  --env "HOIST_TEST_GIT_TOKEN=$token" --env "HOIST_TEST_GIT_CA=$GIT_SERVER_CA"
act_job_succeeded default-context
expect_contains "$ACT_OUT" "load git source https://$GIT_SERVER/private/octo/demo.git#$(git -C "$ACT_REPO" rev-parse HEAD)" "the default git context"
expect_not_contains "$ACT_OUT" "$token" "the token in the job log"
