#!/usr/bin/env bash
# A full file system under the outputs (a 5 MiB tmpfs): a local output, a tar output and a
# local cache export each fail the build with exit 74, naming the path and the reason; a tar
# file that was there stays whole, a cache keeps its previous index.json, no temporary file is
# left; with room again, the same build succeeds.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
[ "$(id -u)" = 0 ] || skip "mounting a tmpfs needs root"
setup_builder full
full=$WORK/full
mkdir -p "$full"
mount -t tmpfs -o size=5m tmpfs "$full" || skip "cannot mount a tmpfs here"
on_exit "umount -l '$full'"
mkdir -p "$WORK/ctx"
printf 'ARG BASE\nFROM $BASE AS data\nRUN head -c 8388608 /dev/urandom >/big && echo small >/small\nFROM scratch\nCOPY --from=data /big /small /\n' \
  >"$WORK/ctx/Dockerfile"
build() { run_hoist build --builder "$BUILDER" --build-arg "BASE=$HOIST_TEST_BASE_IMAGE" "$@" "$WORK/ctx"; }

build -o "type=local,dest=$full/local"
expect_eq 74 "$RC" "local output on a full disk: exit code ($ERR)"
expect_contains "$ERR" "cannot write $full/local/" "the message names the path"
expect_contains "$ERR" "No space left on device" "the message gives the reason"

# A local output that failed keeps what it wrote before the failure (docs/faults.md).
rm -rf "$full/local"
echo good >"$full/out.tar"
build -o "type=tar,dest=$full/out.tar"
expect_eq 74 "$RC" "tar output on a full disk: exit code ($ERR)"
expect_contains "$ERR" "cannot write $full/out.tar: No space left on device" "tar output message"
expect_eq good "$(cat "$full/out.tar")" "the tar that was there"

mkdir -p "$full/cache"
echo '{"old":true}' >"$full/cache/index.json"
build --cache-to "type=local,dest=$full/cache,mode=max"
expect_eq 74 "$RC" "cache export on a full disk: exit code ($ERR)"
expect_contains "$ERR" "$full/cache/" "cache export message names the path"
expect_eq '{"old":true}' "$(cat "$full/cache/index.json")" "the cache's index.json"
expect_eq "" "$(find "$full" -name '*.hoist-*.tmp')" "temporary files left"

# With room again, the same build writes everything.
umount -l "$full"
build -o "type=tar,dest=$full/out.tar" -o "type=local,dest=$full/local"
[ "$RC" = 0 ] || fail "with room: $ERR"
[ "$(stat -c %s "$full/local/big")" = 8388608 ] || fail "local output after recovery"
# Listed into a variable: tar writes a name at a time, and grep -q leaving early would SIGPIPE it.
listing=$(tar -tf "$full/out.tar" 2>&1) || fail "tar output after recovery: $listing"
grep -qx big <<<"$listing" || fail "tar output after recovery lists: $listing"
fault_row "full disk under -o local, -o tar, --cache-to local" 74 "nothing half-written: tar and cache index as before" yes
