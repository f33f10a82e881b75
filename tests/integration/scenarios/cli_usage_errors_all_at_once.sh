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
