#!/usr/bin/env bash
# The client negotiates the API version from /_ping (never a fixed one) and honours
# DOCKER_API_VERSION; every request is logged at debug level as "VERB path -> status (ms)".
source "$(dirname "$0")/../common.sh"
require_engine
require_probe

engine_api=$(docker version -f '{{.Server.APIVersion}}')
out=$("$PROBE" ping)
expect_contains "$out" "$engine_api linux Docker/" "ping reports the engine's API version"
expect_contains "$out" "negotiated $engine_api" "negotiated version (engine below hoist's maximum)"

out=$(DOCKER_API_VERSION=1.40 PROBE_LOG=debug "$PROBE" info 2>"$WORK/log")
expect_contains "$(cat "$WORK/log")" "GET /v1.40/info -> 200" "DOCKER_API_VERSION is used as is"
out=$(PROBE_LOG=debug "$PROBE" info 2>"$WORK/log")
grep -qE "^hoist: .*GET /v$engine_api/info -> 200 \([0-9]+ ms\)$" "$WORK/log" || fail "no request log line: $(cat "$WORK/log")"
