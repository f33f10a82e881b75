#!/usr/bin/env bash
# The cause of "a run built another run's files" (docs/faults.md): BuildKit keeps a copy of
# each local context and its file sync sends only the files whose size, mode or mtime differ
# from that copy. buildctl gives no session key, so every hoist build on a builder shared one
# copy, and hoist's tar cut mtimes to whole seconds. A context whose files matched the copy's
# by size and mtime was built from the files of whichever build came before — exit 0.
# Each case below built the wrong files before the fix; each output is checked by content:
# - two contexts, file f of the same size and mtime, built one after the other;
# - two named contexts (--build-context) the same way;
# - one directory whose f is rewritten within the same second (same size);
# - what RUN sees of the context (names, modes, sizes, mtimes to the nanosecond) is what
#   the buildx peer's build of the same directory on the same builder sees.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
setup_builder ctxkey

T=1700000000 # every file's mtime: the same second, the same nanosecond
# context DIR TEXT DOCKERFILE: a context whose f holds TEXT, every mtime $T.
context() {
  mkdir -p "$1"
  printf '%s\n' "$2" >"$1/f"
  printf '%b' "$3" >"$1/Dockerfile"
  touch -h -d "@$T" "$1/f" "$1/Dockerfile" "$1"
}
# built NAME ARGS...: hoist build to a local output; prints the output's /out.
built() {
  local name=$1; shift
  run_hoist build --builder "$BUILDER" --progress plain -o "type=local,dest=$WORK/out-$name" "$@"
  expect_eq 0 "$RC" "$name: hoist build: $ERR"
  cat "$WORK/out-$name/out"
}
COPY_F="FROM $HOIST_TEST_BASE_IMAGE\nCOPY f /f\nRUN cat /f >/out\nFROM scratch\nCOPY --from=0 /out /out\n"

# Two contexts, one after the other.
context "$WORK/a" "run-a" "$COPY_F"
context "$WORK/b" "run-b" "$COPY_F"
expect_eq "run-a" "$(built a "$WORK/a")" "context a"
expect_eq "run-b" "$(built b "$WORK/b")" "context b, after a (same size and mtime)"
expect_eq "run-a" "$(built a2 "$WORK/a")" "context a again"

# Two named contexts of the same name, one after the other.
NAMED="FROM $HOIST_TEST_BASE_IMAGE\nCOPY --from=src f /f\nRUN cat /f >/out\nFROM scratch\nCOPY --from=0 /out /out\n"
context "$WORK/main" "unused" "$NAMED"
context "$WORK/src1" "src-1" "$COPY_F"
context "$WORK/src2" "src-2" "$COPY_F"
expect_eq "src-1" "$(built n1 --build-context "src=$WORK/src1" "$WORK/main")" "named context src1"
expect_eq "src-2" "$(built n2 --build-context "src=$WORK/src2" "$WORK/main")" "named context src2"

# One directory rewritten within the same second: only the nanoseconds tell the versions apart.
context "$WORK/edit" "v1" "$COPY_F"
touch -d "@$T.1" "$WORK/edit/f"
expect_eq "v1" "$(built e1 "$WORK/edit")" "first version"
printf 'v2\n' >"$WORK/edit/f"
touch -d "@$T.2" "$WORK/edit/f"
expect_eq "v2" "$(built e2 "$WORK/edit")" "f rewritten in the same second"

# What RUN sees of a context, hoist's and buildx's builds of one directory on one builder.
[ -x "$HOIST_TEST_BUILDX_CONFIG/cli-plugins/docker-buildx" ] || fail "no buildx peer"
mkdir -p "$WORK/seen/sub"
printf 'FROM %s\nRUN --mount=type=bind,target=/ctx cd /ctx && find . | sort | xargs stat -c "%%n %%a %%s %%y" >/out\nFROM scratch\nCOPY --from=0 /out /out\n' \
  "$HOIST_TEST_BASE_IMAGE" >"$WORK/seen/Dockerfile"
printf 'x\n' >"$WORK/seen/sub/file"
printf '#!/bin/sh\n' >"$WORK/seen/run.sh"
chmod 0750 "$WORK/seen/run.sh"
ln -s sub/file "$WORK/seen/link"
touch -d "@$T.123456789" "$WORK/seen/sub/file"
touch -d "@$T.5" "$WORK/seen/run.sh" "$WORK/seen/sub"
touch -h -d "@$T.25" "$WORK/seen/link"
hoist_seen=$(built seen "$WORK/seen")
DOCKER_CONFIG=$HOIST_TEST_BUILDX_CONFIG docker buildx build --builder "$BUILDER" --progress plain \
  -o "type=local,dest=$WORK/out-seen-buildx" "$WORK/seen" >"$WORK/buildx.log" 2>&1 ||
  fail "buildx build: $(tail -5 "$WORK/buildx.log")"
buildx_seen=$(cat "$WORK/out-seen-buildx/out")
expect_contains "$hoist_seen" "./sub/file 644 2 2023-11-14 22:13:20.123456789" "the nanoseconds reach RUN"
[ "$hoist_seen" = "$buildx_seen" ] ||
  fail "RUN sees another context from hoist than from buildx: $(diff <(echo "$buildx_seen") <(echo "$hoist_seen"))"
note "RUN sees $(echo "$hoist_seen" | wc -l) entries, as with buildx"
