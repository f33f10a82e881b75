#!/usr/bin/env bash
# --image-pull (HOIST_IMAGE_PULL) decides whether setup pulls the BuildKit image: never refuses
# an image the engine lacks before creating anything; always tries the registry even for an
# image the engine has (and keeps using it when the pull fails). HOIST_PULL is build's --pull
# only, so both variables can be set in one job.
# test: serial — pulls the BuildKit image tag every builder uses
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
use_builder pullp

for opt in --image-pull --pull; do # setup also takes --pull WHEN
  run_hoist setup "${SETUP_ARGS[@]}" $opt never --driver-opt "image=hoist.local/absent-$$:1"
  expect_eq 64 "$RC" "exit code for a missing image with $opt never"
  expect_contains "$ERR" "hoist: error: the BuildKit image \"hoist.local/absent-$$:1\" is not on the engine and --image-pull=never forbids pulling it" "error"
  expect_eq "" "$(docker ps -aq --filter "name=^buildx_buildkit_${BUILDER,,}0\$")" "container created"
done

# The test image exists only on this engine: always tries the registry, fails, and says so.
HOIST_IMAGE_PULL=always run_hoist setup "${SETUP_ARGS[@]}"
expect_eq 0 "$RC" "setup with always: $ERR"
expect_contains "$ERR" "pulling image $HOIST_TEST_BUILDKIT_IMAGE" "always pulls an image the engine has"
expect_contains "$ERR" "using local image $HOIST_TEST_BUILDKIT_IMAGE (pull failed" "falls back to the engine's copy"

# missing (the default) does not look at the registry for an image the engine has.
run_hoist setup "${SETUP_ARGS[@]}"
expect_eq 0 "$RC" "setup with missing: $ERR"
expect_not_contains "$ERR" "pulling image" "missing pulls an image the engine has"

# Both variables in one job: each goes to its own option.
mkdir -p "$WORK/ctx" && echo "FROM $HOIST_TEST_BASE_IMAGE" >"$WORK/ctx/Dockerfile"
HOIST_PULL=true HOIST_IMAGE_PULL=never run_hoist plan "${SETUP_ARGS[@]}" "$WORK/ctx"
expect_eq 0 "$RC" "plan with HOIST_PULL and HOIST_IMAGE_PULL: $ERR"
expect_contains "$OUT" "--pull true   (env HOIST_PULL)" "build's --pull from HOIST_PULL"
expect_contains "$OUT" "--image-pull never   (env HOIST_IMAGE_PULL)" "setup's --image-pull from HOIST_IMAGE_PULL"
