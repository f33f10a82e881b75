#!/usr/bin/env bash
# When buildkitd never becomes ready, setup fails (69) showing the container's last log lines
# and removes the container and the volume it made; a volume kept from before stays.
# test: serial — short bootstrap timeouts
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
use_builder boot
ctr=buildx_buildkit_${BUILDER,,}0

run_hoist setup "${SETUP_ARGS[@]}" --buildkitd-flags "--no-such-buildkitd-flag" --bootstrap-timeout 10s
expect_eq 69 "$RC" "exit code"
expect_contains "$ERR" "BuildKit in $ctr did not become ready" "message"
expect_contains "$ERR" "the container's log says:" "log excerpt shown"
expect_contains "$ERR" "hoist: | " "quoted log lines"; expect_contains "$ERR" "no-such-buildkitd-flag" "the log names the problem"
expect_eq "" "$(docker ps -aq --filter name="^/$ctr\$")" "container left"
if docker volume inspect "${ctr}_state" >/dev/null 2>&1; then fail "new volume left"; fi

docker volume create "${ctr}_state" >/dev/null
run_hoist setup "${SETUP_ARGS[@]}" --buildkitd-flags "--no-such-buildkitd-flag" --bootstrap-timeout 5s
expect_eq 69 "$RC" "exit code with a kept volume"
docker volume inspect "${ctr}_state" >/dev/null || fail "a volume kept from before was removed"
