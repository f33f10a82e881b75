#!/usr/bin/env bash
# hoist build --load: the image lands in the engine and runs; build args and labels apply;
# .dockerignore keeps files out; a Dockerfile outside the context works; --metadata-file and
# --iidfile are written as buildx writes them.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
setup_builder load
img=hoist.local/it-load-$$:1
on_exit "docker rmi -f $img"

mkdir -p "$WORK/ctx" "$WORK/df"
echo keep >"$WORK/ctx/keep.txt"
echo drop >"$WORK/ctx/drop.txt"
echo "drop.txt" >"$WORK/ctx/.dockerignore"
cat >"$WORK/df/Build.dockerfile" <<DF
FROM $HOIST_TEST_BASE_IMAGE
ARG MSG
RUN echo "msg=\$MSG" >/msg
COPY . /ctx/
DF
run_hoist build --builder "$BUILDER" -f "$WORK/df/Build.dockerfile" --build-arg MSG=hello \
  --label org.example.k=v --load -t "$img" --metadata-file "$WORK/meta.json" --iidfile "$WORK/iid" "$WORK/ctx"
expect_eq 0 "$RC" "build: $ERR"
expect_contains "$ERR" "hoist: loaded $img" "loaded"
expect_eq "msg=hello" "$(docker run --rm "$img" cat /msg)" "build arg"
expect_eq "keep.txt" "$(docker run --rm "$img" ls /ctx | tr '\n' ' ' | xargs)" "only what .dockerignore keeps"
expect_eq v "$(docker inspect -f '{{index .Config.Labels "org.example.k"}}' "$img")" "label"
jq -e '."containerimage.config.digest" | startswith("sha256:")' "$WORK/meta.json" >/dev/null || fail "metadata: $(cat "$WORK/meta.json")"
expect_eq "$(docker inspect -f '{{.Id}}' "$img")" "$(cat "$WORK/iid")" "iidfile is the image ID"
