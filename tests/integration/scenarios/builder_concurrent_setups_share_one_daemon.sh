#!/usr/bin/env bash
# Two setups of the same builder at once: both succeed, and there is one container (never two
# daemons on one state volume).
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
use_builder conc
ctr=buildx_buildkit_${BUILDER,,}0

"$HOIST" setup "${SETUP_ARGS[@]}" >"$WORK/a.out" 2>"$WORK/a.err" & a=$!
"$HOIST" setup "${SETUP_ARGS[@]}" >"$WORK/b.out" 2>"$WORK/b.err" & b=$!
set +e; wait $a; ra=$?; wait $b; rb=$?; set -e
expect_eq 0 "$ra" "first setup: $(cat "$WORK/a.err")"
expect_eq 0 "$rb" "second setup: $(cat "$WORK/b.err")"
expect_eq 1 "$(docker ps -q --filter name="^/$ctr\$" | wc -l)" "running builder containers"
expect_eq 1 "$(docker ps -aq --filter volume="${ctr}_state" | wc -l)" "containers on the state volume"
both=$(cat "$WORK/a.out" "$WORK/b.out")
expect_contains "$both" "builder $BUILDER created" "one setup creates"
expect_contains "$both" "builder $BUILDER reused" "the other, serialized by the engine lock, reuses"
expect_eq "" "$(docker ps -aq --filter name="^/hoist_lock_$ctr\$")" "lock released"

# A lock left by a holder that died (expired lease) is taken over, not waited for.
"$HOIST" teardown --builder "$BUILDER" >/dev/null
docker create --name "hoist_lock_$ctr" --label dev.hoist.role=lock --label dev.hoist.lock.owner=gone-job \
  --label dev.hoist.lock.expires=1 --entrypoint /x "$HOIST_TEST_BUILDKIT_IMAGE" >/dev/null
on_exit "docker rm -f -v hoist_lock_$ctr"
run_hoist setup "${SETUP_ARGS[@]}"
expect_eq 0 "$RC" "setup over a stale lock"
expect_contains "$ERR" "taking over the stale lock of $ctr held by gone-job" "says so"

# The same from two containers where hoist is pid 1 on the host's network: the same pid and
# the same hostname, so only the lock's own token tells the two holders apart.
"$HOIST" teardown --builder "$BUILDER" >/dev/null
docker rm -f -v "hoist_lock_$ctr" >/dev/null 2>&1 || true
image=hoist.local/conc-test:$$
mkdir -p "$WORK/root"
cp "$HOIST" "$WORK/root/hoist"
tar -C "$WORK/root" -c . | docker import --change 'ENTRYPOINT ["/hoist"]' - "$image" >/dev/null
on_exit "docker rm -f hoist-conc-a-$$ hoist-conc-b-$$; docker rmi -f $image"
sock=${HOIST_TEST_DOCKER_HOST#unix://}
for n in a b; do
  docker run -d --name "hoist-conc-$n-$$" --network host -v "$sock:/var/run/docker.sock" \
    -v "$WORK:$WORK" -v "$(dirname "$HOIST_TEST_BUILDKITD_CONFIG"):$(dirname "$HOIST_TEST_BUILDKITD_CONFIG"):ro" \
    -e BUILDX_CONFIG="$WORK/buildx-$n" "$image" setup "${SETUP_ARGS[@]}" >/dev/null
done
for n in a b; do
  rc=$(docker wait "hoist-conc-$n-$$")
  docker logs "hoist-conc-$n-$$" >"$WORK/$n.log" 2>&1
  expect_eq 0 "$rc" "setup in container $n: $(cat "$WORK/$n.log")"
done
expect_eq 1 "$(docker ps -aq --filter volume="${ctr}_state" | wc -l)" "containers on the state volume (pid 1 twice)"
both=$(cat "$WORK/a.log" "$WORK/b.log")
expect_contains "$both" "builder $BUILDER created" "one containerized setup creates"
expect_contains "$both" "builder $BUILDER reused" "the other waits for the lock and reuses"
expect_eq "" "$(docker ps -aq --filter name="^/hoist_lock_$ctr\$")" "lock released (pid 1 twice)"
