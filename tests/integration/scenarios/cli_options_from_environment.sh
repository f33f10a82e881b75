#!/usr/bin/env bash
# Every option also comes from HOIST_<NAME>; a bad value names the variable; a flag beats it;
# a misspelt HOIST_* variable is warned about rather than silently ignored.
source "$(dirname "$0")/../common.sh"
require_binary

HOIST_JSON=true run_hoist version
expect_eq 0 "$RC" "exit code with HOIST_JSON=true"
expect_contains "$OUT" '"version": ' "HOIST_JSON=true gives JSON"

HOIST_JSON=true run_hoist version --json=false
expect_not_contains "$OUT" '"version": ' "--json=false beats HOIST_JSON"

HOIST_LOG_LEVEL=chatty run_hoist version
expect_eq 64 "$RC" "exit code of a bad HOIST_LOG_LEVEL"
expect_contains "$ERR" 'hoist: error: HOIST_LOG_LEVEL="chatty" must be one of' "names the variable"

HOIST_BUILDR=x run_hoist version
expect_eq 0 "$RC" "exit code with a misspelt variable"
expect_contains "$ERR" "hoist: warning: HOIST_BUILDR is not a hoist variable; did you mean HOIST_BUILDER?" "typo warning"

# A value the build cannot use names the variable or the action input it came from.
mkdir -p "$WORK/ctx" && echo "FROM scratch" >"$WORK/ctx/Dockerfile"
env INPUT_LABELS=bad INPUT_SECRET-ENVS=nokey INPUT_ADD-HOSTS=a:10.0.0.1,nohost HOIST_TAG="a b" \
  DOCKER_HOST=unix:///nonexistent.sock "$HOIST" build "$WORK/ctx" >"$WORK/out" 2>"$WORK/err" && fail "bad inputs accepted"
err=$(cat "$WORK/err")
expect_contains "$err" 'hoist: error: the action input labels "bad" is not KEY=VALUE' "label input"
expect_contains "$err" 'hoist: error: the action input secret-envs "nokey": "nokey" is not KEY=VALUE' "secret-envs input"
expect_contains "$err" 'hoist: error: the action input add-hosts "nohost" is not HOST:IP' "add-hosts input, split on commas"
expect_contains "$err" 'hoist: error: HOIST_TAG "a b" is not an image reference' "tag variable"
expect_eq 4 "$(grep -c '^hoist: error: ' "$WORK/err")" "one line per problem, nothing else"
