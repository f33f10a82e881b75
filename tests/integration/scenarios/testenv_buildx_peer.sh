#!/usr/bin/env bash
# The buildx peer: Debian trixie's docker-buildx, extracted into HOIST_TEST_BUILDX_CONFIG (a
# DOCKER_CONFIG dir, not installed system-wide), runs as a docker CLI plugin from there only.
. "$(dirname "$0")/../common.sh"
require_testenv

[ -x "$HOIST_TEST_BUILDX_CONFIG/cli-plugins/docker-buildx" ] || fail "no plugin in $HOIST_TEST_BUILDX_CONFIG/cli-plugins"
out=$(DOCKER_CONFIG=$HOIST_TEST_BUILDX_CONFIG docker buildx version 2>&1) || fail "docker buildx version: $out"
expect_contains "$out" "github.com/docker/buildx" "docker buildx version"
expect_contains "$out" "$HOIST_TEST_BUILDX_VERSION" "version printed by testenv"
note "$out"
