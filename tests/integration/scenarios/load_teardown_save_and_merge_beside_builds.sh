#!/usr/bin/env bash
# What other jobs do on the engine while jobs build (issue 28), all started together:
# - four runs on builder one, of three CI identities, building for seconds; the longest saves
#   the state (--state-to), being the last one out;
# - two runs on builder two, beside them on the same engine;
# - two matrix legs on builder one pushing linux/amd64 and linux/arm64 by digest, then
#   `hoist merge` of the two while the others still build;
# - `hoist teardown` of builder one, keeping its state and not, while its builds run.
# Every output is checked by content and every job exits 0; the teardowns leave the builder
# to its builds, saying for whom; the saved state starts a third builder warm; skopeo reads
# the merged index; nothing is left on the engine but the kept state volumes.
# test: serial — load: teardowns timed beside builds
source "$(dirname "$0")/../common.sh"
source "$(dirname "$0")/../load.sh"
require_binary
require_testenv
[ "$HOIST_TEST_QEMU" = 1 ] || skip "no arm64 emulation here (HOIST_TEST_QEMU=0)"
command -v skopeo >/dev/null || skip "no skopeo (scripts/deps test)"
use_builder beside
ONE=$BUILDER TWO=$BUILDER-two THREE=$BUILDER-three
for b in "$TWO" "$THREE"; do
  on_exit "'$HOIST' teardown --builder '$b' --keep-state=false --force; docker rm -f -v buildx_buildkit_${b}0; docker volume rm -f buildx_buildkit_${b}0_state"
done
common=("${SETUP_ARGS[@]:2}") # the image and config, without --builder
repo=$HOIST_TEST_REGISTRY/load-$$/app

started=$(date +%s%N)
pids=() names=()
# job NAME BUILDER KIND SLEEP IDENTITY [ARGS...]: a run in the background, checked by wait_jobs.
job() {
  local name=$1 builder=$2 kind=$3 sleep=$4 identity=$5; shift 5
  load_context "$WORK/$name" "$name" "$kind" "$sleep"
  load_args "$WORK/$name" "$kind" "$WORK/out-$name"
  load_identity "$identity"
  env "${LOAD_ENV[@]}" "$HOIST" run --builder "$builder" "${common[@]}" "$@" "${LOAD_ARGS[@]}" \
    >"$WORK/$name.log" 2>&1 &
  pids+=($!) names+=("$name")
}

job one-0 "$ONE" 0 6 0
job one-1 "$ONE" 1 6 1
job one-2 "$ONE" 2 6 2
job one-save "$ONE" 3 12 0 --state-to "type=local,dest=$WORK/state"
job two-0 "$TWO" 0 5 1
job two-1 "$TWO" 2 5 2
legs=()
for platform in linux/amd64 linux/arm64; do
  mkdir -p "$WORK/leg-${platform#*/}"
  printf 'FROM %s\nARG TARGETPLATFORM\nRUN echo "$TARGETPLATFORM" >/platform\n' "$HOIST_TEST_BASE_IMAGE" \
    >"$WORK/leg-${platform#*/}/Dockerfile"
  env GITHUB_ACTIONS=true GITHUB_REPOSITORY=o/load GITHUB_RUN_ID=300 GITHUB_JOB=legs \
    GITHUB_OUTPUT=/dev/null GITHUB_STEP_SUMMARY=/dev/null HOIST_CI_LEG="${platform#*/}" \
    "$HOIST" run --builder "$ONE" "${common[@]}" --platform "$platform" --push-by-digest "$repo" \
    --digests-dir "$WORK/digests" "$WORK/leg-${platform#*/}" >"$WORK/leg-${platform#*/}.log" 2>&1 &
  legs+=($!)
done

for i in 0 1; do
  set +e; wait "${legs[$i]}"; rc=$?; set -e
  expect_eq 0 "$rc" "leg $i: $(tail -5 "$WORK/leg-$([ $i = 0 ] && echo amd64 || echo arm64).log")"
done
# The merge, while the others build.
run_hoist merge --tag "$repo:1" --digests-dir "$WORK/digests" --buildkitd-config "$HOIST_TEST_BUILDKITD_CONFIG"
expect_eq 0 "$RC" "merge beside the builds: $ERR"
skopeo inspect --tls-verify=false --raw "docker://$repo:1" >"$WORK/index.json" || fail "skopeo cannot read $repo:1"
expect_eq "amd64 arm64" "$(jq -r '[.manifests[] | select(.platform.os == "linux") | .platform.architecture] | sort | join(" ")' "$WORK/index.json")" \
  "the merged index's platforms"

# Teardowns of builder one while its builds run: left to them.
docker ps -q --filter "name=^/buildx_buildkit_${ONE}0\$" | grep -q . || fail "builder one is not running during its builds"
for keep in true false; do
  run_hoist teardown --builder "$ONE" --keep-state=$keep
  expect_eq 0 "$RC" "teardown --keep-state=$keep beside the builds: $ERR"
  expect_contains "$OUT" "left running for the builds of" "teardown --keep-state=$keep"
done

for i in "${!pids[@]}"; do
  set +e; wait "${pids[$i]}"; rc=$?; set -e
  load_check "${names[$i]}" "${names[$i]}" "$WORK/out-${names[$i]}" "$WORK/${names[$i]}.log" "$rc"
done
load_stats "8 runs on 2 builders beside 2 teardowns, a state save and a merge" 12 10 "$started" "$WORK"/*.log
expect_contains "$(cat "$WORK/one-save.log")" "removed, state volume" "the saving run, last one out"
[ -s "$WORK/state/index.json" ] || fail "no state saved: $(tail -5 "$WORK/one-save.log")"
for b in "$ONE" "$TWO"; do
  expect_eq "" "$(docker ps -aq --filter "name=^/buildx_buildkit_${b}0\$")" "builder $b after its runs"
  docker volume inspect "buildx_buildkit_${b}0_state" >/dev/null || fail "the runs on $b did not keep its state"
done

# The saved state starts another builder warm.
load_context "$WORK/three" three 0
load_args "$WORK/three" 0 "$WORK/out-three"
set +e
"$HOIST" run --builder "$THREE" "${common[@]}" --state-from "type=local,src=$WORK/state" "${LOAD_ARGS[@]}" \
  >"$WORK/three.log" 2>&1
rc=$?; set -e
load_check three three "$WORK/out-three" "$WORK/three.log" "$rc"
expect_contains "$(cat "$WORK/three.log")" "state restored from type=local,src=$WORK/state" "the builder started from the saved state"
