#!/usr/bin/env bash
# An untrusted Dockerfile's local output plants symlinks in dest (a file link to a host file, a
# directory link to a host directory); the next build's output writes real files there and
# never through the links: the host file is unchanged, nothing lands in the host directory.
# Names like v1..2.txt and ..hidden are kept, and so are file modes.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
setup_builder links
mkdir -p "$WORK/x" "$WORK/ctx1" "$WORK/ctx2" "$WORK/dest"
echo "host file" >"$WORK/x/victim.txt"
printf 'FROM %s AS out\nRUN mkdir /o && ln -s %s /o/report.txt && ln -s %s /o/sub\nFROM scratch\nCOPY --from=out /o/ /\n' \
  "$HOIST_TEST_BASE_IMAGE" "$WORK/x/victim.txt" "$WORK/x" >"$WORK/ctx1/Dockerfile"
run_hoist build --builder "$BUILDER" -o "type=local,dest=$WORK/dest" "$WORK/ctx1"
[ "$RC" = 0 ] || fail "first build: $ERR"
[ -L "$WORK/dest/report.txt" ] && [ -L "$WORK/dest/sub" ] || fail "the first build planted no links: $(ls -la "$WORK/dest")"

printf 'FROM %s AS out\nRUN mkdir -p /o/sub && echo overwritten >/o/report.txt && echo planted >/o/sub/planted && echo a >/o/v1..2.txt && echo b >/o/..hidden && printf "#!/bin/sh\\n" >/o/run.sh && chmod 750 /o/run.sh && chmod 600 /o/..hidden\nFROM scratch\nCOPY --from=out /o/ /\n' \
  "$HOIST_TEST_BASE_IMAGE" >"$WORK/ctx2/Dockerfile"
run_hoist build --builder "$BUILDER" -o "type=local,dest=$WORK/dest" "$WORK/ctx2"
[ "$RC" = 0 ] || fail "second build: $ERR"
expect_eq "host file" "$(cat "$WORK/x/victim.txt")" "the host file a link pointed at"
expect_eq "" "$(ls "$WORK/x" | grep -v victim.txt || true)" "files planted in the host directory"
[ -f "$WORK/dest/report.txt" ] && [ ! -L "$WORK/dest/report.txt" ] || fail "report.txt is not a real file"
expect_eq overwritten "$(cat "$WORK/dest/report.txt")" "report.txt"
[ -d "$WORK/dest/sub" ] && [ ! -L "$WORK/dest/sub" ] || fail "sub is not a real directory"
expect_eq planted "$(cat "$WORK/dest/sub/planted")" "sub/planted"
expect_eq a "$(cat "$WORK/dest/v1..2.txt")" "v1..2.txt"
expect_eq b "$(cat "$WORK/dest/..hidden")" "..hidden"
expect_eq 750 "$(stat -c %a "$WORK/dest/run.sh")" "run.sh's mode"
expect_eq 600 "$(stat -c %a "$WORK/dest/..hidden")" "..hidden's mode"
fault_row "symlinks planted in -o local's dest" 0 "host files untouched, nothing outside dest" "n/a"
