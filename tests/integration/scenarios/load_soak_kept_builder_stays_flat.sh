#!/usr/bin/env bash
# A soak on one kept builder (issue 28): runs in a row (12 here, HOIST_LOAD_SOAK=N for more;
# `make load` runs 100), each on a 200-file context with one file changed, keeping the state
# volume between runs and saving it. Per run the table prints the time, the state volume's size
# and what is left on the engine. Checked, never by time: every output is that run's own; no
# run leaves a build's work directory on the volume, a container or a lock; the volume grows no
# further than the first run's size plus --state-max-size; BuildKit keeps one copy of the
# context however many runs there were (its local-source records do not grow with the runs).
# test: serial — load: a soak
source "$(dirname "$0")/../common.sh"
source "$(dirname "$0")/../load.sh"
require_binary
require_testenv
use_builder soak
ROUNDS=${HOIST_LOAD_SOAK:-12}
# Each run also saves its state, pruned first to HOIST_LOAD_STATE_MAX MiB (8; 0: no save), the
# bound --state-max-size puts on BuildKit's cache: the volume grows no further than that.
MAX_MIB=${HOIST_LOAD_STATE_MAX:-8}
save=()
[ "$MAX_MIB" = 0 ] || save=(--state-to "type=local,dest=$WORK/state" --state-max-size "${MAX_MIB}m")
CTR=buildx_buildkit_${BUILDER}0
VOL=${CTR}_state
ctx=$WORK/ctx
for d in $(seq -w 0 9); do
  mkdir -p "$ctx/d$d"
  for f in $(seq -w 0 19); do head -c 1000 /dev/urandom | base64 >"$ctx/d$d/f$f"; done
done
printf 'FROM %s AS result\nCOPY . /src\nRUN test "$(find /src/d* -type f | wc -l)" = 200 && cat /src/changing >/out\nFROM scratch\nCOPY --from=result /out /out\n' \
  "$HOIST_TEST_BASE_IMAGE" >"$ctx/Dockerfile"

# volume_leftovers: what builds left on the state volume (their work directories).
volume_leftovers() {
  docker run --rm -v "$VOL:/v" --entrypoint sh "$HOIST_TEST_BUILDKIT_IMAGE" -c 'ls -d /v/hoist-build-* 2>/dev/null' || true
}
volume_kb() {
  docker run --rm -v "$VOL:/v" --entrypoint du "$HOIST_TEST_BUILDKIT_IMAGE" -sk /v | cut -f1
}
engine_objects() { # containers of this builder (and its lock), and its volumes
  echo "$(docker ps -aq --filter "name=$CTR" | wc -l)c+$(docker volume ls -q --filter "name=$CTR" | wc -l)v"
}

table="run  seconds  volume-KiB  engine  leftovers"
first_kb=0
for n in $(seq 1 "$ROUNDS"); do
  printf 'run-%04d\n' "$n" >"$ctx/changing"
  started=$(date +%s%N)
  set +e
  "$HOIST" run "${SETUP_ARGS[@]}" "${save[@]}" --progress plain -o "type=local,dest=$WORK/out-$n" "$ctx" >"$WORK/run-$n.log" 2>&1
  rc=$?; set -e
  ms=$(( ($(date +%s%N) - started) / 1000000 ))
  load_check "run $n" "$(printf 'run-%04d' "$n")" "$WORK/out-$n" "$WORK/run-$n.log" "$rc"
  left=$(volume_leftovers | wc -l)
  objects=$(engine_objects)
  kb=$(volume_kb)
  table+=$'\n'"$(printf '%-4s %7s  %10s  %-6s  %s' "$n" "$(awk -v m="$ms" 'BEGIN{printf "%.2f", m/1000}')" "$kb" "$objects" "$left")"
  expect_eq 0 "$left" "work directories left on the volume after run $n"
  expect_eq "0c+1v" "$objects" "containers and volumes of the builder after run $n"
  [ "$n" != 1 ] || first_kb=$kb
  [ "$MAX_MIB" = 0 ] || [ "$kb" -le $((first_kb + MAX_MIB * 1024)) ] ||
    fail "the state volume grew to $kb KiB by run $n: more than run 1's $first_kb KiB + --state-max-size ${MAX_MIB}m"
done
echo "$table" >&2
[ -z "${HOIST_LOAD_TABLE:-}" ] || echo "$table" >"$HOIST_LOAD_TABLE"

# BuildKit's copies of local directories after all the runs: the context's, the Dockerfile's
# and the .dockerignore's, not one per run.
"$HOIST" setup "${SETUP_ARGS[@]}" >"$WORK/setup.log" 2>&1 || fail "setup: $(tail -3 "$WORK/setup.log")"
records=$(docker exec "$CTR" buildctl du -v --filter 'type==source.local' | grep -c '^ID:' || true)
note "$ROUNDS runs: BuildKit holds $records local-source records"
[ "$records" -le 3 ] || fail "BuildKit holds $records local-source records after $ROUNDS runs of one context: $(docker exec "$CTR" buildctl du -v --filter 'type==source.local' | grep -E '^(ID|Description)')"
