#!/usr/bin/env bash
# Interop both ways with the buildx peer: `docker buildx build --builder NAME` builds on a
# builder hoist made (buildx's store entry); `docker buildx rm --keep-state` keeps its volume
# and hoist's next builder of that name starts warm from it, the build cached; a state volume
# buildx itself made is picked up by hoist.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
[ -x "$HOIST_TEST_BUILDX_CONFIG/cli-plugins/docker-buildx" ] || skip "no buildx peer"
use_builder interop
ctr=buildx_buildkit_${BUILDER,,}0
bx() { DOCKER_CONFIG=$HOIST_TEST_BUILDX_CONFIG docker buildx "$@"; }

run_hoist setup "${SETUP_ARGS[@]}"
expect_eq 0 "$RC" "setup: $ERR"
[ -f "$BUILDX_CONFIG/instances/${BUILDER,,}" ] || fail "no buildx store entry"
ls=$(bx ls)
expect_contains "$ls" "$BUILDER" "buildx lists hoist's builder"
mkdir -p "$WORK/ctx"
printf 'FROM %s\nRUN echo %s >/stamp\n' "$HOIST_TEST_BASE_IMAGE" "$$" >"$WORK/ctx/Dockerfile"
bx build --builder "$BUILDER" --progress plain --output "type=local,dest=$WORK/out1" "$WORK/ctx" >"$WORK/b1.log" 2>&1 \
  || fail "buildx build on hoist's builder: $(tail -5 "$WORK/b1.log")"
expect_eq "$$" "$(cat "$WORK/out1/stamp")" "buildx built on hoist's builder"

bx rm --keep-state "$BUILDER" >/dev/null 2>&1 || fail "buildx rm --keep-state"
expect_eq "" "$(docker ps -aq --filter name="^/$ctr\$")" "buildx removed the container"
docker volume inspect "${ctr}_state" >/dev/null || fail "buildx rm --keep-state removed the volume"
run_hoist setup "${SETUP_ARGS[@]}"
expect_eq 0 "$RC" "setup on buildx's kept volume"
expect_contains "$OUT" "(warm state volume)" "hoist starts warm from it"
bx build --builder "$BUILDER" --progress plain --output "type=local,dest=$WORK/out2" "$WORK/ctx" >"$WORK/b2.log" 2>&1 \
  || fail "second buildx build: $(tail -5 "$WORK/b2.log")"
expect_contains "$(cat "$WORK/b2.log")" "CACHED" "the cache survived buildx rm --keep-state"
"$HOIST" teardown --builder "$BUILDER" --keep-state=false >/dev/null

# A state volume made by buildx itself: its builder is created (on engines that refuse
# privileged containers it cannot start, but the volume is made), then removed keeping state.
bx create --name "$BUILDER" --driver docker-container --driver-opt "image=$HOIST_TEST_BUILDKIT_IMAGE" >/dev/null
bx inspect --bootstrap "$BUILDER" >/dev/null 2>&1 || true
bx rm --keep-state "$BUILDER" >/dev/null 2>&1 || true
docker rm -f -v "$ctr" >/dev/null 2>&1 || true
docker volume inspect "${ctr}_state" >/dev/null || fail "buildx made no state volume"
run_hoist setup "${SETUP_ARGS[@]}"
expect_eq 0 "$RC" "setup on a volume buildx made"
expect_contains "$ERR" "reusing the kept state volume ${ctr}_state" "hoist picks it up"
