#!/usr/bin/env bash
# A setup SIGKILLed between creating the privileged container and its capability fallback
# leaves a container that never started, with hoist's labels and its configuration. The next
# setup must not trust it (starting it fails here, exit 70 before): it recreates the container
# and comes up, keeping the state volume.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
setup_builder created
ctr=buildx_buildkit_${BUILDER}0
# The container a killed setup leaves: the labels hoist gave it, privileged, never started.
labels=()
while IFS= read -r l; do labels+=(--label "$l"); done < <(docker inspect -f '{{range $k, $v := .Config.Labels}}{{$k}}={{$v}}{{"\n"}}{{end}}' "$ctr" | grep .)
docker rm -f "$ctr" >/dev/null
docker create --privileged --name "$ctr" "${labels[@]}" -v "buildx_buildkit_${BUILDER}0_state:/var/lib/buildkit" \
  "$HOIST_TEST_BUILDKIT_IMAGE" >/dev/null
expect_eq created "$(docker inspect -f '{{.State.Status}}' "$ctr")" "the leftover's state"

run_hoist setup "${SETUP_ARGS[@]}"
expect_eq 0 "$RC" "setup over a container left created ($ERR)"
expect_contains "$ERR" "recreating it" "setup says it recreates the leftover"
expect_eq running "$(docker inspect -f '{{.State.Status}}' "$ctr")" "the builder after setup"
run_hoist teardown --builder "$BUILDER"
expect_eq 0 "$RC" "teardown after the reconcile ($ERR)"
fault_row "setup SIGKILLed between privileged create and fallback" 137 "a container never started" "yes: recreated"
