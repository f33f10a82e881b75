#!/usr/bin/env bash
# `hoist version` names hoist's version, the commit it was built from, Poco, the compiler,
# static linkage and buildx's default BuildKit image; --json carries the same.
source "$(dirname "$0")/../common.sh"
require_binary

run_hoist version
expect_eq 0 "$RC" "exit code"
expect_contains "$OUT" "hoist $(cat "$ROOT/VERSION")" "version"
expect_contains "$OUT" "poco:           1.11.0" "poco version"
expect_contains "$OUT" ", C++17, static" "linkage"
expect_contains "$OUT" "buildkit image: moby/buildkit:buildx-stable-1" "default image"
commit=$(git -C "$ROOT" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
expect_contains "$OUT" "commit:         $commit" "commit"

run_hoist --version
expect_eq 0 "$RC" "exit code of --version"
expect_contains "$OUT" "hoist $(cat "$ROOT/VERSION")" "--version"

run_hoist version --json
python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["linkage"]=="static" and d["poco"]=="1.11.0", d' <<<"$OUT" \
  || fail "version --json is not the expected JSON: $OUT"
