#!/usr/bin/env bash
# keep-state on ephemeral engines (docs/state.md): a job on this machine's engine saves its
# builder's state to the registry (--state-to); a job on a second, fresh engine fills its new
# builder from it (--state-from) before BuildKit starts: the build is fully cached, and a RUN
# --mount=type=cache sees the first job's files. The snapshot is what skopeo reads as an OCI
# artifact, in the registry and in an OCI layout directory (type=local). A missing, damaged or
# foreign snapshot is a warning and a cold start, never a failed job.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
[ -n "${HOIST_TEST_PRIVILEGED_DOCKER_HOST:-}" ] || skip "no second engine (scripts/testenv up starts one as root)"
command -v skopeo >/dev/null || skip "no skopeo (scripts/deps test)"
priv=$HOIST_TEST_PRIVILEGED_DOCKER_HOST
export BUILDX_CONFIG=$WORK/buildx
reg=$HOIST_TEST_REGISTRY
ref=$reg/state-$$/hoist-state:main

# forget ENGINE BUILDER: removes the builder and its volume on ENGINE when the scenario ends.
forget() {
  on_exit "DOCKER_HOST=$1 '$HOIST' teardown --builder $2 --keep-state=false --force; DOCKER_HOST=$1 docker rm -f -v buildx_buildkit_${2}0; DOCKER_HOST=$1 docker volume rm -f buildx_buildkit_${2}0_state"
}
args() { echo --builder "$1" --driver-opt "image=$HOIST_TEST_BUILDKIT_IMAGE" --buildkitd-config "$HOIST_TEST_BUILDKITD_CONFIG" --insecure-registry "$reg"; }

mkdir -p "$WORK/ctx"
cat >"$WORK/ctx/Dockerfile" <<'DOCKERFILE'
ARG BASE
FROM $BASE
RUN echo expensive >/expensive && sleep 2
RUN mkdir -p /d && touch /d/old
RUN rm -rf /d && mkdir /d && touch /d/new
ARG N=1
RUN --mount=type=cache,target=/cache echo "$N" >"/cache/from-job-$N" && ls /cache >/seen && ls /d >/listing
DOCKERFILE

note "job 1 on this machine's engine, saving its state to $ref"
one=state1-$$
forget "${DOCKER_HOST:-unix:///var/run/docker.sock}" "$one"
run_hoist run $(args "$one") --state-to "type=registry,ref=$ref" --build-arg "BASE=$HOIST_TEST_BASE_IMAGE" \
  --build-arg N=1 --result-file "$WORK/r1.json" "$WORK/ctx"
expect_eq 0 "$RC" "job 1: $ERR"
expect_contains "$ERR" "state saved to type=registry,ref=$ref" "job 1 says where its state went"
[ "$(jq -r .state.saved.bytes "$WORK/r1.json")" -gt 0 ] || fail "the result file has no saved bytes: $(cat "$WORK/r1.json")"

skopeo inspect --tls-verify=false --raw "docker://$ref" >"$WORK/manifest.json" || fail "skopeo cannot read $ref"
expect_eq application/vnd.hoist.state.v1 "$(jq -r .artifactType "$WORK/manifest.json")" "the artifact's type"
expect_eq application/vnd.hoist.state.config.v1+json "$(jq -r .config.mediaType "$WORK/manifest.json")" "the config's type"
[ "$(jq '[.layers[] | select(.mediaType == "application/vnd.hoist.state.chunk.v1.tar+zstd")] | length' "$WORK/manifest.json")" -ge 1 ] ||
  fail "no chunk layer: $(cat "$WORK/manifest.json")"
expect_contains "$(jq -r '.annotations["dev.hoist.state.run"]' "$WORK/manifest.json")" "local:" "the save names its run"

note "job 2 on a fresh engine, from a missing source then the registry"
two=state2-$$
forget "$priv" "$two"
DOCKER_HOST=$priv docker volume inspect "buildx_buildkit_${two}0_state" >/dev/null 2>&1 && fail "the fresh engine already has the volume"
DOCKER_HOST=$priv run_hoist run $(args "$two") --state-from "type=local,src=$WORK/nothing-here" \
  --state-from "type=registry,ref=$ref" --state-to "type=local,dest=$WORK/layout" \
  --build-arg "BASE=$HOIST_TEST_BASE_IMAGE" --build-arg N=1 --result-file "$WORK/r2.json" "$WORK/ctx"
expect_eq 0 "$RC" "job 2: $ERR"
expect_contains "$ERR" "no state snapshot at type=local,src=$WORK/nothing-here" "the missing source"
expect_contains "$ERR" "state restored from type=registry,ref=$ref" "job 2 restored the state"
expect_eq 4 "$(jq .build.cached "$WORK/r2.json")" "job 2's RUN steps cached (of $(jq .build.steps "$WORK/r2.json") steps)"
expect_not_contains "$ERR" "warning: the state" "job 2's warnings"
expect_contains "$ERR" "state: restoring and saving it took" "job 2 weighs what the state cost against the cold build"
[ "$(jq -r .state.restored.bytes "$WORK/r2.json")" -gt 0 ] || fail "the result file has no restored bytes"

note "the OCI layout job 2 saved, as skopeo reads it"
skopeo inspect --raw "oci:$WORK/layout" >"$WORK/layout-manifest.json" || fail "skopeo cannot read the layout"
expect_eq application/vnd.hoist.state.v1 "$(jq -r .artifactType "$WORK/layout-manifest.json")" "the layout's artifact type"

note "job 3 on the fresh engine's kept volume: the cache mount holds job 1's file"
DOCKER_HOST=$priv run_hoist run $(args "$two") --build-arg "BASE=$HOIST_TEST_BASE_IMAGE" --build-arg N=3 \
  --output "type=local,dest=$WORK/out" "$WORK/ctx"
expect_eq 0 "$RC" "job 3: $ERR"
expect_eq "from-job-1 from-job-3" "$(tr '\n' ' ' <"$WORK/out/seen" | sed 's/ $//')" "what the cache mount held"
# /d was replaced by a later step: its snapshot's directory is opaque (an overlay attribute
# the engine's copy drops and the snapshot carries), so /d/old stays hidden.
expect_eq "new" "$(cat "$WORK/out/listing")" "the replaced directory's content after the restore"

note "a fresh volume from the layout: restored, with the cache mount's files"
four=state4-$$
forget "$priv" "$four"
DOCKER_HOST=$priv run_hoist run $(args "$four") --state-from "type=local,src=$WORK/layout" \
  --build-arg "BASE=$HOIST_TEST_BASE_IMAGE" --build-arg N=4 --output "type=local,dest=$WORK/out4" "$WORK/ctx"
expect_eq 0 "$RC" "job 4: $ERR"
expect_contains "$ERR" "state restored from type=local,src=$WORK/layout" "job 4 restored from the layout"
expect_eq "from-job-1 from-job-4" "$(tr '\n' ' ' <"$WORK/out4/seen" | sed 's/ $//')" "what job 4's cache mount held"
expect_eq "new" "$(cat "$WORK/out4/listing")" "job 4's replaced directory"

# cold BUILDER SOURCE WHAT: a run from SOURCE starts cold with a warning, and succeeds.
cold() {
  forget "$priv" "$1"
  DOCKER_HOST=$priv run_hoist run $(args "$1") --state-from "$2" --build-arg "BASE=$HOIST_TEST_BASE_IMAGE" \
    --result-file "$WORK/$1.json" "$WORK/ctx"
  expect_eq 0 "$RC" "$3: the job fails: $ERR"
  expect_eq null "$(jq .state.restored "$WORK/$1.json")" "$3: restored"
  expect_eq 0 "$(jq .build.cached "$WORK/$1.json")" "$3: steps cached"
}

note "a damaged snapshot"
cp -r "$WORK/layout" "$WORK/damaged"
chunk=$(jq -r '[.layers[] | select(.mediaType | test("chunk"))][0].digest' "$WORK/layout-manifest.json")
printf 'garbage' | dd of="$WORK/damaged/blobs/sha256/${chunk#sha256:}" bs=1 seek=200 conv=notrunc 2>/dev/null
cold damaged-$$ "type=local,src=$WORK/damaged" "damaged"
expect_contains "$ERR" "warning: the state snapshot type=local,src=$WORK/damaged cannot be used" "the damaged snapshot's warning"
expect_contains "$ERR" "is damaged" "the warning says why"

note "a foreign snapshot (another BuildKit image)"
cp -r "$WORK/layout" "$WORK/foreign"
blobs=$WORK/foreign/blobs/sha256
old=$(jq -r .config.digest "$WORK/layout-manifest.json")
jq -c '.image = "sha256:0000000000000000000000000000000000000000000000000000000000000000"' "$blobs/${old#sha256:}" >"$WORK/config.json"
cfg=$(sha256sum "$WORK/config.json" | cut -d' ' -f1); cp "$WORK/config.json" "$blobs/$cfg"
jq -c --arg d "sha256:$cfg" --argjson s "$(stat -c %s "$WORK/config.json")" '.config.digest = $d | .config.size = $s' \
  "$WORK/layout-manifest.json" >"$WORK/m.json"
man=$(sha256sum "$WORK/m.json" | cut -d' ' -f1); cp "$WORK/m.json" "$blobs/$man"
jq -c --arg d "sha256:$man" --argjson s "$(stat -c %s "$WORK/m.json")" '.manifests[0].digest = $d | .manifests[0].size = $s' \
  "$WORK/layout/index.json" >"$WORK/foreign/index.json"
cold foreign-$$ "type=local,src=$WORK/foreign" "foreign"
expect_contains "$ERR" "does not fit this builder: it was made by another BuildKit image" "the foreign snapshot's warning"

note "a missing registry snapshot"
cold missing-$$ "type=registry,ref=$reg/state-$$/none:x" "missing"
expect_contains "$ERR" "no state snapshot at type=registry,ref=$reg/state-$$/none:x" "the missing snapshot's note"

note "GitLab with docker:dind: the state travels through the project's registry by default"
gl=(GITLAB_CI=true CI_REGISTRY=registry.example.com CI_REGISTRY_USER=u CI_REGISTRY_PASSWORD=p
    CI_REGISTRY_IMAGE=registry.example.com/octo/app CI_COMMIT_REF_NAME=feat/x CI_DEFAULT_BRANCH=main
    DOCKER_HOST=tcp://docker:2376)
out=$(cd "$WORK" && env "${gl[@]}" "$HOIST" plan ctx 2>&1) || fail "plan: $out"
expect_contains "$out" "state from type=registry,ref=registry.example.com/octo/app/hoist-state:feat-x   (CI default)" "the ref's state"
expect_contains "$out" "state from type=registry,ref=registry.example.com/octo/app/hoist-state:main   (CI default)" "the default branch's state"
expect_contains "$out" "state to type=registry,ref=registry.example.com/octo/app/hoist-state:feat-x   (CI default)" "the save"
out=$(cd "$WORK" && env "${gl[@]}" CI_PIPELINE_SOURCE=merge_request_event "$HOIST" plan ctx 2>&1) || fail "plan: $out"
expect_not_contains "$out" "state to" "a merge request pipeline's save"
