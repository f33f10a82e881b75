#!/usr/bin/env bash
# When the engine refuses privileged containers, scripts/testenv also makes a rootless BuildKit
# image; it runs unprivileged (no added capability) and answers `buildctl debug workers`.
. "$(dirname "$0")/../common.sh"
require_testenv
. "$ROOT/scripts/testenv.d/scenario-lib.sh"

[ -n "${HOIST_TEST_BUILDKIT_ROOTLESS_IMAGE:-}" ] \
  || { [ "$HOIST_TEST_PRIVILEGED" = 1 ] && { note "engine runs privileged containers: no rootless image needed"; exit 0; }; \
       fail "engine refuses privileged containers but testenv made no rootless image"; }
name=hoist-it-bkrootless-$$
note "image $HOIST_TEST_BUILDKIT_ROOTLESS_IMAGE, flags: $HOIST_TEST_ROOTLESS_RUN_FLAGS"
testenv_start_buildkit "$name" rootless
expect_not_contains "$HOIST_TEST_ROOTLESS_RUN_FLAGS" "--cap-add" "rootless flags add no capability"
workers=$(testenv_wait_workers "$name")
expect_contains "$workers" "linux/amd64" "native platform in buildctl debug workers"
expect_eq "1000" "$(docker exec "$name" id -u)" "user inside the rootless builder"
