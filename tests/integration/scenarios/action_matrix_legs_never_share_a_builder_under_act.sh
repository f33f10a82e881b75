#!/usr/bin/env bash
# The legs of a matrix job share the job's name; run at once on one engine (act runs them in
# parallel), each still gets a builder of its own — the action passes the job's matrix, which
# goes into the default builder name, its session and the default cache scope — and each
# leg's post step removes its own builder only.
# test: serial — fixed builder names of act's fixed run identity; legs build at once
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
source "$ROOT/tests/integration/act.sh"
act_repo matrix.yml
mkdir -p "$ACT_REPO/app"
printf 'ARG BASE\nFROM $BASE\nRUN echo leg >/x\n' >"$ACT_REPO/app/Dockerfile"
act_commit
for leg in linux-amd64 linux-arm64; do act_cleanup_builder "gh-octo-demo-leg-$leg"; done
release_server
act_run matrix.yml
expect_eq 0 "$ACT_RC" "act: $(tail -20 "$ACT_LOG")"
expect_contains "$ACT_OUT" "leg linux/amd64 built on gh-octo-demo-leg-linux-amd64" "the amd64 leg's builder"
expect_contains "$ACT_OUT" "leg linux/arm64 built on gh-octo-demo-leg-linux-arm64" "the arm64 leg's builder"
expect_not_contains "$ACT_OUT" "another job" "a leg refused the other's builder"
for leg in linux-amd64 linux-arm64; do
  expect_eq "" "$(docker ps -aq --filter "name=^/buildx_buildkit_gh-octo-demo-leg-${leg}0\$")" "$leg: builder after its post step"
done
