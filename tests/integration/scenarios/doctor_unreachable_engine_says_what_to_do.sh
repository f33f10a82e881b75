#!/usr/bin/env bash
# With no engine at the endpoint, doctor exits 69 naming the endpoint and a fix; a malformed
# DOCKER_HOST is a configuration error (78); ssh:// says "not supported yet" (69).
source "$(dirname "$0")/../common.sh"
require_binary

DOCKER_HOST=unix:///nonexistent/docker.sock run_hoist doctor
expect_eq 69 "$RC" "exit code with no engine"
expect_contains "$OUT" "cannot reach the Docker engine at unix:///nonexistent/docker.sock (chosen by DOCKER_HOST)" "endpoint named"
expect_contains "$OUT" "fix: start the Docker engine, or point DOCKER_HOST" "fix"
expect_contains "$OUT" "builds cannot run on this engine" "verdict"

DOCKER_HOST=tcp://127.0.0.1:1 run_hoist doctor --engine-connect-timeout 2s
expect_eq 69 "$RC" "exit code with a refused TCP endpoint"
expect_contains "$OUT" "is the engine listening on 127.0.0.1:1?" "TCP fix"

DOCKER_HOST=tcp://host:notaport run_hoist doctor
expect_eq 78 "$RC" "exit code of a malformed DOCKER_HOST"
expect_contains "$ERR" 'hoist: error: DOCKER_HOST "tcp://host:notaport" has an invalid port "notaport"' "message"

DOCKER_HOST=ssh://me@build-host run_hoist doctor
expect_eq 69 "$RC" "exit code of ssh://"
expect_contains "$ERR" "ssh:// engine endpoints are not supported yet" "message"
expect_contains "$ERR" "hoist: hint: forward the remote socket" "hint"

run_hoist doctor --engine-connect-timeout soon
expect_eq 64 "$RC" "bad timeout"
expect_contains "$ERR" '--engine-connect-timeout "soon" is not a duration' "timeout message"
