#!/usr/bin/env bash
# A registry cache exported by one builder is imported by a fresh one (no shared state) and its
# steps are cached; a local cache directory does the same through the host.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
mkdir -p "$WORK/ctx"
printf 'FROM %s\nRUN echo %s >/stamp && sleep 1\n' "$HOIST_TEST_BASE_IMAGE" "$$" >"$WORK/ctx/Dockerfile"
cache=$HOIST_TEST_REGISTRY/hoist/it-cache-$$:buildcache

setup_builder cachea
run_hoist build --builder "$BUILDER" --cache-to "type=registry,ref=$cache,mode=max" "$WORK/ctx"
expect_eq 0 "$RC" "export: $ERR"
expect_not_contains "$ERR" "CACHED" "first build is cold"
run_hoist build --builder "$BUILDER" --cache-to "type=local,dest=$WORK/localcache" "$WORK/ctx"
expect_eq 0 "$RC" "local export: $ERR"
[ -f "$WORK/localcache/index.json" ] || fail "no local cache written on the host"
"$HOIST" teardown --builder "$BUILDER" --keep-state=false >/dev/null

setup_builder cacheb
run_hoist build --builder "$BUILDER" --cache-from "type=registry,ref=$cache" "$WORK/ctx"
expect_eq 0 "$RC" "import: $ERR"
expect_contains "$ERR" "CACHED" "steps cached from the registry on a fresh builder"
"$HOIST" teardown --builder "$BUILDER" --keep-state=false >/dev/null

setup_builder cachec
run_hoist build --builder "$BUILDER" --cache-from "type=local,src=$WORK/localcache" "$WORK/ctx"
expect_eq 0 "$RC" "local import: $ERR"
expect_contains "$ERR" "CACHED" "steps cached from the local directory on a fresh builder"
