#!/usr/bin/env bash
# `make check-deps` passes on the tree and fails on an include or capability against the arrows.
source "$(dirname "$0")/../common.sh"

"$ROOT/scripts/check-deps" >/dev/null 2>&1 || fail "check-deps fails on the tree itself"

copy() { rm -rf "$WORK/tree"; mkdir -p "$WORK/tree"; cp -r "$ROOT/src" "$WORK/tree/"; }
rejects() { # WHAT: check-deps must fail on the copied tree, naming the rule
  set +e
  out=$(CHECK_DEPS_ROOT="$WORK/tree" "$ROOT/scripts/check-deps" 2>&1); rc=$?
  set -e
  [ $rc -ne 0 ] || fail "check-deps accepted $1"
  expect_contains "$out" "$2" "$1"
}

copy; echo '#include "cli/OptionTable.h"' >> "$WORK/tree/src/base/Strings.cpp"
rejects "base including cli" "base may not include cli"
copy; echo '#include "app/App.h"' >> "$WORK/tree/src/cli/Help.cpp"
rejects "cli including app" "cli may not include app"
copy; echo 'static const char* x = getenv("HOME");' >> "$WORK/tree/src/cli/Help.cpp"
rejects "getenv outside base/Env.cpp" "getenv/environ only in base/Env.cpp"
copy; echo 'static auto v = "GITHUB_SHA";' >> "$WORK/tree/src/cli/Help.cpp"
rejects "a CI variable outside ci/" "CI variable names only in ci/"
copy; echo '#include <iostream>
static void f() { std::cout << 1; }' >> "$WORK/tree/src/cli/Help.cpp"
rejects "stdout outside report/app" "stdout/stderr only in report/ and app/"
copy; echo 'static auto m = std::string("hint: --force removes it");' >> "$WORK/tree/src/builder/Hold.cpp"
rejects "a flag spelled in a message below cli/" "option names only in cli/"
copy; echo 'static auto g(const ParsedCommand& cmd) { return cmd.get("tag"); }' >> "$WORK/tree/src/plan/Attrs.cpp"
rejects "an option read by name outside cli/" "options read by name only in cli/"
copy; { echo 'static int longOne()'; echo '{'; for i in $(seq 81); do echo '    int x = 0;'; done; echo '}'; } >> "$WORK/tree/src/base/Strings.cpp"
rejects "a function over 80 lines" "longOne is 81 lines"
