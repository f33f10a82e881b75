#!/usr/bin/env bash
# Bad input: exit 64, every problem on its own "hoist: error:" line, a hint, nothing on stdout.
source "$(dirname "$0")/../common.sh"
require_binary

run_hoist verison
expect_eq 64 "$RC" "exit code of an unknown command"
expect_contains "$ERR" 'hoist: error: unknown command "verison"; did you mean "version"?' "hint"

run_hoist version --jsn --builder '-x' --log-level loud extra
expect_eq 64 "$RC" "exit code of bad options"
expect_contains "$ERR" 'hoist: error: unknown option "--jsn" for '"'hoist version'"'; did you mean "--json"?' "unknown option"
expect_contains "$ERR" 'hoist: error: --builder "-x" is not a valid builder name' "builder name"
expect_contains "$ERR" 'hoist: error: --log-level "loud" must be one of debug, info, warning, error' "log level"
expect_contains "$ERR" "takes no arguments; unexpected: \"extra\"" "extra argument"
expect_eq 4 "$(grep -c '^hoist: error: ' "$WORK/stderr")" "one line per problem"
expect_eq "" "$OUT" "stdout on error"

# build checks its values before it looks for an engine: platforms, file paths, all at once.
mkdir -p "$WORK/ctx" && echo "FROM scratch" >"$WORK/ctx/Dockerfile"
DOCKER_HOST=unix:///nonexistent.sock run_hoist build --platform linux/amd64,linux/foo \
  --iidfile /nonexistent-dir/iid --result-file "$WORK" "$WORK/ctx"
expect_eq 64 "$RC" "exit code of bad build values"
expect_contains "$ERR" 'hoist: error: --platform "linux/foo" names no architecture Linux runs on' "platform"
expect_contains "$ERR" 'hoist: error: --iidfile "/nonexistent-dir/iid" is in a directory that does not exist' "iidfile"
expect_contains "$ERR" "hoist: error: --result-file \"$WORK\" is a directory: name a file in it" "result file"
expect_eq 3 "$(grep -c '^hoist: error: ' "$WORK/stderr")" "one line per problem"
