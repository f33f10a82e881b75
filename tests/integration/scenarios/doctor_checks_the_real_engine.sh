#!/usr/bin/env bash
# `hoist doctor` against the machine's engine: it names the endpoint and how it was chosen,
# the engine and API version, cgroups and storage; it tells whether privileged containers
# start (and, where not, whether the capability fallback does); it leaves nothing behind.
# test: serial — asserts no doctor probe container or image engine-wide
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv

run_hoist doctor
expect_eq 0 "$RC" "doctor's exit code on an engine that can build"
expect_contains "$OUT" "unix:///var/run/docker.sock, chosen by" "endpoint and origin"
expect_contains "$OUT" "Docker $(docker version -f '{{.Server.Version}}'), API" "engine version"
expect_contains "$OUT" "driver $(docker info -f '{{.CgroupDriver}}')" "cgroup driver"
expect_contains "$OUT" "builds can run on this engine" "verdict"

run_hoist doctor --json
expect_eq 0 "$RC" "doctor --json exit code"
jq -e '.canBuild == true' <<<"$OUT" >/dev/null || fail "canBuild is not true: $OUT"
priv=$(jq -r '.findings[] | select(.check=="privileged") | .status' <<<"$OUT")
if [ "$HOIST_TEST_PRIVILEGED" = 1 ]; then
  expect_eq ok "$priv" "privileged check on an engine that allows it"
else
  expect_eq warn "$priv" "privileged check on an engine that refuses it"
  expect_eq ok "$(jq -r '.findings[] | select(.check=="capabilities") | .status' <<<"$OUT")" "capability fallback"
  jq -e '.findings[] | select(.check=="privileged") | .fix | length > 0' <<<"$OUT" >/dev/null || fail "no fix for privileged"
fi

expect_eq "" "$(docker ps -aq --filter label=dev.hoist.role=doctor-probe)" "probe containers left"
expect_eq "" "$(docker images -q 'hoist.local/doctor-probe')" "probe images left"
