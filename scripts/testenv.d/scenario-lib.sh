# scripts/testenv.d/scenario-lib.sh — helpers for the testenv_* integration scenarios.
# Source after tests/integration/common.sh and require_testenv.
# shellcheck shell=bash

# testenv_start_buildkit NAME [root|rootless]: run a BuildKit container from the testenv image
# the way this engine allows (HOIST_TEST_BUILDKIT_RUN_FLAGS: --privileged, or the capability
# workaround when the engine refuses it), with the testenv buildkitd config (test registry
# over http). Removed with its anonymous state volume when the scenario ends.
testenv_start_buildkit() {
  local name=$1 variant=${2:-root} image flags cfg
  if [ "$variant" = rootless ]; then
    image=${HOIST_TEST_BUILDKIT_ROOTLESS_IMAGE:-}
    [ -n "$image" ] || skip "no rootless BuildKit image (the engine runs privileged containers; HOIST_TESTENV_ROOTLESS=1 scripts/testenv up makes one)"
    flags=$HOIST_TEST_ROOTLESS_RUN_FLAGS
    cfg=/home/user/.config/buildkit/buildkitd.toml
  else
    image=$HOIST_TEST_BUILDKIT_IMAGE
    flags=$HOIST_TEST_BUILDKIT_RUN_FLAGS
    cfg=/etc/buildkit/buildkitd.toml
  fi
  on_exit "docker rm -f -v $name"
  # shellcheck disable=SC2086
  docker run -d --name "$name" $flags -v "$HOIST_TEST_BUILDKITD_CONFIG:$cfg:ro" "$image" \
    >/dev/null 2>"$WORK/run.err" || fail "docker run $image ($flags): $(cat "$WORK/run.err")"
}

# testenv_wait_workers NAME: poll `buildctl debug workers` in NAME until it answers (as buildx
# does); prints its output. Fails with the container's log after ~20 s.
testenv_wait_workers() {
  local name=$1 out
  for _ in $(seq 1 40); do
    if out=$(docker exec "$name" buildctl debug workers 2>/dev/null) && [ -n "$out" ]; then
      echo "$out"
      return 0
    fi
    [ "$(docker inspect -f '{{.State.Running}}' "$name" 2>/dev/null)" = true ] || break
    sleep 0.5
  done
  docker logs "$name" 2>&1 | tail -15 >&2
  fail "buildctl debug workers never answered in $name"
}
