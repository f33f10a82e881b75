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
