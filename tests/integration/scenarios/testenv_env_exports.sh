#!/usr/bin/env bash
# `scripts/testenv env` prints only `export NAME=value` lines, naming every part the tests use.
. "$(dirname "$0")/../common.sh"
require_engine
out=$("$ROOT/scripts/testenv" env 2>"$WORK/err") || skip "test environment not up: $(cat "$WORK/err")"
bad=$(echo "$out" | grep -v '^export HOIST_TEST_[A-Z_]*=' || true)
expect_eq "" "$bad" "lines that are not exports"
for v in HOIST_TEST_BUILDKIT_IMAGE HOIST_TEST_REGISTRY HOIST_TEST_BASE_IMAGE HOIST_TEST_QEMU \
         HOIST_TEST_BUILDX_CONFIG HOIST_TEST_BUILDKITD_CONFIG HOIST_TEST_PRIVILEGED \
         HOIST_TEST_BUILDKIT_RUN_FLAGS HOIST_TEST_PRIVILEGED_DOCKER_HOST; do
  expect_contains "$out" "export $v=" "env output"
done
eval "$out"
case $HOIST_TEST_QEMU in 0|1) ;; *) fail "HOIST_TEST_QEMU=$HOIST_TEST_QEMU" ;; esac
grep -q "^\[registry.\"$HOIST_TEST_REGISTRY\"\]" "$HOIST_TEST_BUILDKITD_CONFIG" \
  || fail "$HOIST_TEST_BUILDKITD_CONFIG does not name $HOIST_TEST_REGISTRY"
case $HOIST_TEST_BUILDKITD_CONFIG in "$ROOT"/*) fail "buildkitd config inside the checkout" ;; esac
# Where the main engine refuses --privileged and up ran as root, a second engine runs them.
if [ "$HOIST_TEST_PRIVILEGED" = 0 ] && [ "$(id -u)" = 0 ]; then
  [ -n "$HOIST_TEST_PRIVILEGED_DOCKER_HOST" ] || fail "no privileged engine, though up ran as root"
  DOCKER_HOST=$HOIST_TEST_PRIVILEGED_DOCKER_HOST docker run --rm --privileged --entrypoint /bin/sh "$HOIST_TEST_BUILDKIT_IMAGE" \
    -c 'grep -q "^CapEff:.*[1-9a-f]" /proc/self/status' || fail "the privileged engine does not run a --privileged container"
fi
