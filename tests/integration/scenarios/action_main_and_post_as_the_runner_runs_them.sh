#!/usr/bin/env bash
# The GitHub action, run the way the runner runs it: main with the INPUT_* variables (the
# declared defaults included), GITHUB_* files and the runtime's variables; then post with the
# STATE_* variables main saved. Main sets up, builds and pushes; its outputs carry the docker
# actions' names; post tears down keeping the state volume (keep-state: true).
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
command -v node >/dev/null || skip "no node to run the action's JavaScript with"
mkdir -p "$WORK/ctx" "$WORK/gh"
printf 'FROM %s\nARG V\nRUN echo "$V" >/v\n' "$HOIST_TEST_BASE_IMAGE" >"$WORK/ctx/Dockerfile"
ref=$HOIST_TEST_REGISTRY/hoist/it-action-$$:1
builder=act-$$
on_exit "'$HOIST' teardown --builder $builder --keep-state=false --force; docker volume rm -f buildx_buildkit_${builder}0_state"
touch "$WORK/gh/output" "$WORK/gh/state" "$WORK/gh/summary"

# Every input the action declares, with its default unless the step sets it, as the runner does.
inputs=()
while IFS=$'\t' read -r name default; do
  inputs+=("INPUT_${name^^}=$default")
done < <(python3 - "$ROOT/action.yml" <<'PY'
import re, sys
text = open(sys.argv[1]).read().split("\noutputs:")[0].split("\ninputs:")[1]
for m in re.finditer(r"^  ([a-z-]+):\n((?:    .*\n)*)", text, re.M):
    d = re.search(r"^    default: '?([^'\n]*)'?$", m.group(2), re.M)
    print(f"{m.group(1)}\t{d.group(1) if d else ''}")
PY
)
[ ${#inputs[@]} -gt 20 ] || fail "could not read the action's inputs"
set_input() { # NAME VALUE: override one input
  local i
  for i in "${!inputs[@]}"; do
    if [[ "${inputs[$i]}" == "INPUT_${1^^}="* ]]; then inputs[$i]="INPUT_${1^^}=$2"; fi
  done
}
set_input name "$builder"
set_input context "$WORK/ctx"
set_input tags "$ref"
set_input push true
set_input build-args "V=from-input"
set_input keep-state true
set_input buildkitd-config "$HOIST_TEST_BUILDKITD_CONFIG"
set_input driver-opts "image=$HOIST_TEST_BUILDKIT_IMAGE"
set_input platforms "linux/amd64"
runner=(GITHUB_ACTIONS=true GITHUB_REPOSITORY=octo/demo GITHUB_RUN_ID=99 GITHUB_RUN_ATTEMPT=1 GITHUB_JOB=build
        GITHUB_OUTPUT=$WORK/gh/output GITHUB_STATE=$WORK/gh/state GITHUB_STEP_SUMMARY=$WORK/gh/summary
        RUNNER_TEMP=$WORK HOIST_BINARY=$HOIST)

env "${runner[@]}" "${inputs[@]}" node "$ROOT/action/main.js" >"$WORK/main.out" 2>&1 || fail "main: $(tail -15 "$WORK/main.out")"
output() { awk -v n="$1" '$0 ~ "^"n"<<" {d=substr($0, length(n)+3); f=1; next} f && $0==d {f=0} f' "$WORK/gh/output"; }
expect_eq "$builder" "$(output name)" "output name"
expect_eq docker-container "$(output driver)" "output driver"
[[ "$(output digest)" == sha256:* ]] || fail "output digest: $(cat "$WORK/gh/output")"
output metadata | jq -e '."image.name"' >/dev/null || fail "output metadata"
docker inspect "buildx_buildkit_${builder}0" >/dev/null || fail "main left no builder for post"

# The runner turns GITHUB_STATE records into STATE_* variables for post.
states=()
while IFS= read -r line; do states+=("$line"); done < <(awk '/<</ {split($0, a, "<<"); n=a[1]; d=a[2]; getline v; print "STATE_" n "=" v}' "$WORK/gh/state")
expect_contains "${states[*]}" "STATE_builder=$builder" "main saved the builder for post"
env "${runner[@]}" "${inputs[@]}" "${states[@]}" node "$ROOT/action/post.js" >"$WORK/post.out" 2>&1 || fail "post: $(cat "$WORK/post.out")"
expect_contains "$(cat "$WORK/post.out")" "kept state volume buildx_buildkit_${builder}0_state" "post keeps state"
expect_eq "" "$(docker ps -aq --filter name="^/buildx_buildkit_${builder}0\$")" "builder after post"
