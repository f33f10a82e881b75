#!/usr/bin/env bash
# Only what changed goes (issue 26): a context too large for the builder's memory has a mirror
# on the builder's state volume, and a build sends only what changed since the last build of
# it; RUN sees the context as buildx's build of it does, every time (tests/integration/
# incremental.sh says what is checked). Then what is the volume's own: the mirror outlives the
# container, so a builder made anew on the kept state (the next job of a persistent runner)
# tells the difference from the manifest kept here, with no listing; one made on a new state
# volume of the same name lists its mirror and gets the whole context.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
MIRROR_AT=volume
source "$(dirname "$0")/../incremental.sh"

run_hoist teardown --builder "$BUILDER"
expect_eq 0 "$RC" "teardown keeping state: $ERR"
run_hoist setup "${SETUP_ARGS[@]}"
expect_eq 0 "$RC" "setup on the kept state: $ERR"
echo "in the next job" >"$c/src/f9"
same next-container-same-volume 1
expect_contains "$ERR" "its manifest as kept here" "a builder made anew on the kept state"

run_hoist teardown --builder "$BUILDER" --keep-state=false
expect_eq 0 "$RC" "teardown removing state: $ERR"
run_hoist setup "${SETUP_ARGS[@]}"
expect_eq 0 "$RC" "setup on a new state volume: $ERR"
same new-volume ""
expect_contains "$ERR" "its manifest as listed there" "a new state volume's mirror"
expect_eq "$(find "$c" ! -type d ! -path "$c/cache/*" | wc -l)" "$(grep -o 'files ([0-9]* changed)' <<<"$ERR" | grep -o '[0-9]*' | tail -1)" \
  "a new state volume's first build: every file of the context sent"
