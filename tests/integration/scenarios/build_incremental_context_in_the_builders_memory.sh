#!/usr/bin/env bash
# Only what changed goes, for a small context too (issue 26): its mirror lives in the builder's
# memory (/dev/shm, gone with the container), and RUN sees the context as buildx's build of it
# does, every time (tests/integration/incremental.sh says what is checked). Then what is the
# memory's own: mirrors give way where the builder's memory is shared (more small contexts than
# it keeps leave at most four mirrors there, the oldest of them still there when it is built
# again, and a context whose mirror went still builds what it is), and a builder made anew,
# whose memory holds none, gets the whole context.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
MIRROR_AT=memory
source "$(dirname "$0")/../incremental.sh"
ctr=buildx_buildkit_${BUILDER}0

for n in 1 2 3 4 5 6; do
  d=$WORK/many-$n
  mkdir -p "$d"
  echo "context $n" >"$d/f"
  printf 'FROM %s\nCOPY f /f\nRUN cat /f >/out\nFROM scratch\nCOPY --from=0 /out /out\n' "$HOIST_TEST_BASE_IMAGE" >"$d/Dockerfile"
  run_hoist build --builder "$BUILDER" -o "type=local,dest=$WORK/many-out-$n" "$d"
  expect_eq 0 "$RC" "small context $n: $ERR"
  expect_eq "context $n" "$(cat "$WORK/many-out-$n/out")" "small context $n's build"
done
kept=$(docker exec "$ctr" sh -c 'ls /dev/shm/hoist-mirror/ | grep -c "\.lock$"')
[ "$kept" -le 4 ] || fail "mirrors kept in the builder's memory: $kept, want at most 4: $(docker exec "$ctr" ls -la /dev/shm/hoist-mirror)"
note "mirrors in the builder's memory after $((6 + 2)) contexts: $kept"
# The least recently used of the four left is the one a build of it changes: it stays.
echo "context 3, again" >"$WORK/many-3/f"
run_hoist build --builder "$BUILDER" --debug -o "type=local,dest=$WORK/many-3-again" "$WORK/many-3"
expect_eq 0 "$RC" "small context 3 again: $ERR"
expect_eq "context 3, again" "$(cat "$WORK/many-3-again/out")" "small context 3 again"
expect_contains "$ERR" "its manifest as kept here" "the oldest mirror kept, built again"
expect_not_contains "$ERR" "its manifest as listed there" "the oldest mirror kept, built again"
echo "context 1, again" >"$WORK/many-1/f"
run_hoist build --builder "$BUILDER" --debug -o "type=local,dest=$WORK/many-again" "$WORK/many-1"
expect_eq 0 "$RC" "small context 1 again: $ERR"
expect_eq "context 1, again" "$(cat "$WORK/many-again/out")" "small context 1 after its mirror gave way"
expect_contains "$ERR" "its manifest as listed there" "a mirror that gave way: the kept manifest refused"

# A builder made anew (kept state, new container): its memory holds no mirror.
run_hoist teardown --builder "$BUILDER"
expect_eq 0 "$RC" "teardown keeping state: $ERR"
run_hoist setup "${SETUP_ARGS[@]}"
expect_eq 0 "$RC" "setup again: $ERR"
echo "after the new container" >"$c/src/f9"
same new-container ""
expect_eq "$(find "$c" ! -type d ! -path "$c/cache/*" | wc -l)" "$(grep -o 'files ([0-9]* changed)' <<<"$ERR" | grep -o '[0-9]*' | tail -1)" \
  "a new container's first build: every file of the context sent"
expect_eq "" "$(builder_leftovers "$ctr")" "what the builds left in the builder"
