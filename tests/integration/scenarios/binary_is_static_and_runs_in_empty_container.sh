#!/usr/bin/env bash
# The binary is fully static and runs in a container that holds nothing but the binary.
source "$(dirname "$0")/../common.sh"
require_binary

file -L "$HOIST" | grep -q 'statically linked' || fail "not static: $(file -L "$HOIST")"
size=$(stat -c %s "$HOIST")
[ "$size" -lt $((12 * 1024 * 1024)) ] || fail "binary is $size bytes, over the 12 MB target"

require_engine
image="hoist.local/empty-test:$$"
mkdir -p "$WORK/root"
cp "$HOIST" "$WORK/root/hoist"
tar -C "$WORK/root" -c . | docker import --change 'ENTRYPOINT ["/hoist"]' - "$image" >/dev/null
on_exit "docker rmi -f $image"

out=$(docker run --rm --network none "$image" version) || fail "hoist version failed in an empty container"
expect_contains "$out" "hoist $(cat "$ROOT/VERSION")" "version in the empty container"
out=$(docker run --rm --network none "$image" --help) || fail "hoist --help failed in an empty container"
expect_contains "$out" "Usage: hoist COMMAND" "help in the empty container"
set +e
docker run --rm --network none "$image" nosuch >/dev/null 2>"$WORK/err"; rc=$?
set -e
expect_eq 64 "$rc" "usage error exit code in the empty container"
