#!/usr/bin/env bash
# A testenv builder pulls HOIST_TEST_BASE_IMAGE from the test registry and runs a RUN step on
# both linux/amd64 and linux/arm64 (the arm64 one through the kernel's qemu-aarch64 entry).
. "$(dirname "$0")/../common.sh"
require_testenv
[ "$HOIST_TEST_QEMU" = 1 ] || skip "HOIST_TEST_QEMU=0: arm64 RUN steps cannot execute"
. "$ROOT/scripts/testenv.d/scenario-lib.sh"

name=hoist-it-bkmulti-$$
testenv_start_buildkit "$name" root
workers=$(testenv_wait_workers "$name")
expect_contains "$workers" "linux/arm64" "buildctl debug workers lists the emulated platform"
docker exec "$name" sh -c "mkdir -p /ctx /out && printf 'FROM %s\nRUN uname -m >/arch\n' '$HOIST_TEST_BASE_IMAGE' >/ctx/Dockerfile"
set +e
docker exec "$name" buildctl build --progress plain --frontend dockerfile.v0 \
  --local context=/ctx --local dockerfile=/ctx --opt platform=linux/amd64,linux/arm64 \
  --output type=local,dest=/out >"$WORK/build.log" 2>&1
rc=$?
set -e
[ $rc -eq 0 ] || { tail -20 "$WORK/build.log" >&2; fail "multi-platform build from $HOIST_TEST_BASE_IMAGE failed"; }
expect_eq x86_64 "$(docker exec "$name" cat /out/linux_amd64/arch)" "amd64 RUN"
expect_eq aarch64 "$(docker exec "$name" cat /out/linux_arm64/arch)" "arm64 RUN"
