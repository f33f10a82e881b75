#!/usr/bin/env bash
# The BuildKit image scripts/testenv found or made runs as a builder on this engine and its
# daemon answers `buildctl debug workers` with a native linux/amd64 worker.
. "$(dirname "$0")/../common.sh"
require_testenv
. "$ROOT/scripts/testenv.d/scenario-lib.sh"

name=hoist-it-bkworkers-$$
note "image $HOIST_TEST_BUILDKIT_IMAGE, flags: $HOIST_TEST_BUILDKIT_RUN_FLAGS"
testenv_start_buildkit "$name" root
workers=$(testenv_wait_workers "$name")
note "workers: $(echo "$workers" | tail -n +2)"
expect_contains "$workers" "linux/amd64" "native platform in buildctl debug workers"
version=$(docker exec "$name" buildkitd --version)
expect_contains "$version" "github.com/moby/buildkit" "buildkitd --version"
note "$version"
