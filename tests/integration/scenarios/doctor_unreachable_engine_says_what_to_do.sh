#!/usr/bin/env bash
# With no engine at the endpoint, doctor exits 69 naming the endpoint and a fix; a malformed
# DOCKER_HOST is a configuration error (78); an ssh:// host ssh cannot reach gives ssh's words
# and what hoist runs (69).
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

DOCKER_HOST=ssh://me@build-host.invalid run_hoist doctor
expect_eq 69 "$RC" "exit code of an ssh:// host that does not resolve"
expect_contains "$OUT" "cannot reach the Docker engine at ssh://me@build-host.invalid (chosen by DOCKER_HOST): ssh: " "ssh's own words"
expect_contains "$OUT" "build-host.invalid" "the host named"
expect_contains "$OUT" "fix: hoist runs ssh -o ConnectTimeout=30 -o BatchMode=yes -T -l me -- build-host.invalid docker system dial-stdio" "what hoist runs"
expect_not_contains "$OUT" "ssh: ssh:" "ssh's words once"

run_hoist doctor --engine-connect-timeout soon
expect_eq 64 "$RC" "bad timeout"
expect_contains "$ERR" '--engine-connect-timeout "soon" is not a duration' "timeout message"
