#!/usr/bin/env bash
# Archive: a 1 GB file goes into a container and comes back unchanged as a tar stream, with the
# probe's peak RSS under 40 MB both ways; stat reports it; a missing directory is a 404.
# test: serial — heavy: 1 GB each way
source "$(dirname "$0")/../common.sh"
require_testenv
require_probe

ctr=hoist-it-arc-$$
start_sleeper "$ctr"
mkdir -p "$WORK/src"
head -c $((1024 * 1024 * 1024)) /dev/urandom >"$WORK/src/big"
want=$(sha256sum <"$WORK/src/big")
tar -C "$WORK/src" -cf - big | "$PROBE" --rss archive-put "$ctr" /tmp 2>"$WORK/put.err"
rss=$(max_rss_kb "$WORK/put.err")
[ "$rss" -lt 40960 ] || fail "peak RSS ${rss} kB uploading 1 GB (limit 40 MB)"
rm -f "$WORK/src/big"
expect_eq "big 1073741824 file" "$("$PROBE" archive-stat "$ctr" /tmp/big)" "stat"
expect_eq none "$("$PROBE" archive-stat "$ctr" /tmp/nothing-here)" "stat of a missing path"

"$PROBE" --rss archive-get "$ctr" /tmp/big 2>"$WORK/get.err" | tar -xOf - big | sha256sum >"$WORK/got"
expect_eq "$want" "$(cat "$WORK/got")" "1 GB came back unchanged"
rss=$(max_rss_kb "$WORK/get.err")
[ "$rss" -lt 40960 ] || fail "peak RSS ${rss} kB downloading 1 GB (limit 40 MB)"

set +e
echo x | tar -cf - -T /dev/null | "$PROBE" archive-put "$ctr" /no/such/dir 2>"$WORK/err"; rc=$?
set -e
expect_eq 1 "$rc" "put into a missing directory fails"
expect_contains "$(cat "$WORK/err")" "status 404" "missing directory is a 404"
