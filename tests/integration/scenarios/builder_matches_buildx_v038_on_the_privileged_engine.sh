#!/usr/bin/env bash
# On an engine where privileged builders start (the path users take), buildx v0.38 (the peer,
# from the Go module proxy) and hoist make the same builder for the same driver-opts,
# buildkitd config and flags, and CI: each container is compared live and whole — every field
# docker inspect shows but the names and what the engine makes per container — and hoist's
# labels add to buildx's, never change them; GitHub's provenance context under /etc/buildkit is
# byte-identical, and the buildkitd config says the same (buildx re-encodes the TOML).
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
[ -n "${HOIST_TEST_PRIVILEGED_DOCKER_HOST:-}" ] || skip "no privileged-capable engine (scripts/testenv up starts one as root)"
case "$HOIST_TEST_BUILDX_VERSION" in v0.38.*) ;; *) skip "the buildx peer is $HOIST_TEST_BUILDX_VERSION, not v0.38 (Go module proxy unreachable?)" ;; esac
export DOCKER_HOST=$HOIST_TEST_PRIVILEGED_DOCKER_HOST
export BUILDX_CONFIG=$WORK/buildx
peer=bx$$
mine=hs$$
bx() { DOCKER_CONFIG=$HOIST_TEST_BUILDX_CONFIG docker buildx "$@"; }
gone() { # NAME: no builder of that name, container or volume
  bx rm "$1" >/dev/null 2>&1 || true
  "$HOIST" teardown --builder "$1" --keep-state=false --force >/dev/null 2>&1 || true
  docker rm -f -v "buildx_buildkit_${1}0" >/dev/null 2>&1 || true
  docker volume rm -f "buildx_buildkit_${1}0_state" >/dev/null 2>&1 || true
}
on_exit "gone $peer; gone $mine"

cat >"$WORK/event.json" <<'JSON'
{"ref": "refs/heads/main", "head_commit": {"id": "abc123", "message": "a commit"}, "repository": {"private": false}}
JSON
github=(GITHUB_ACTIONS=true GITHUB_EVENT_NAME=push GITHUB_EVENT_PATH=$WORK/event.json
  GITHUB_ACTOR=octo GITHUB_ACTOR_ID=1 GITHUB_TRIGGERING_ACTOR=octo GITHUB_REPOSITORY=octo/demo
  GITHUB_REPOSITORY_ID=2 GITHUB_REPOSITORY_OWNER=octo GITHUB_REPOSITORY_OWNER_ID=3
  GITHUB_REF=refs/heads/main GITHUB_REF_NAME=main GITHUB_REF_TYPE=branch GITHUB_REF_PROTECTED=false
  GITHUB_SHA=0123456789abcdef0123456789abcdef01234567 GITHUB_SERVER_URL=https://github.com
  GITHUB_RUN_ID=77 GITHUB_RUN_NUMBER=5 GITHUB_RUN_ATTEMPT=1 GITHUB_JOB=build GITHUB_WORKFLOW=ci
  GITHUB_WORKFLOW_REF=octo/demo/.github/workflows/ci.yml@refs/heads/main
  GITHUB_WORKFLOW_SHA=0123456789abcdef0123456789abcdef01234567
  RUNNER_OS=Linux RUNNER_ARCH=X64 RUNNER_NAME=r1 RUNNER_ENVIRONMENT=github-hosted)

# The fields that name the container or that the engine makes for each one.
normal='.[0] | del(.Id, .Created, .State, .Name, .ResolvConfPath, .HostnamePath, .HostsPath,
  .LogPath, .GraphDriver, .NetworkSettings, .Config.Hostname, .Config.Labels, .Mounts)
  | .HostConfig.Mounts |= map(.Source |= sub("^buildx_buildkit_[a-z0-9]+0_state$"; "STATE"))'

compare() { # WHAT ENV-NAME (none|github) ARGS...: both made with ARGS (buildx create's spelling)
  local what=$1 envs=$2; shift 2
  local e=() a b f
  [ "$envs" = github ] && e=("${github[@]}")
  gone "$peer"; gone "$mine"
  env "${e[@]}" DOCKER_CONFIG="$HOIST_TEST_BUILDX_CONFIG" docker buildx create --name "$peer" \
    --driver docker-container "$@" --bootstrap >"$WORK/bx.log" 2>&1 || fail "$what: buildx create: $(cat "$WORK/bx.log")"
  env "${e[@]}" "$HOIST" setup --builder "$mine" "$@" >"$WORK/hs.log" 2>&1 || fail "$what: hoist setup: $(cat "$WORK/hs.log")"
  docker inspect "buildx_buildkit_${peer}0" >"$WORK/bx.json"
  docker inspect "buildx_buildkit_${mine}0" >"$WORK/hs.json"
  a=$(jq -S "$normal" "$WORK/bx.json"); b=$(jq -S "$normal" "$WORK/hs.json")
  [ "$a" = "$b" ] || fail "$what: the containers differ (< buildx, > hoist): $(diff <(echo "$a") <(echo "$b"))"
  expect_eq true "$(jq -r '.[0].HostConfig.Privileged' "$WORK/hs.json")" "$what: privileged"
  # hoist's labels only add to buildx's (the image's), all of them dev.hoist.*.
  expect_eq "[]" "$(jq -c --slurpfile h "$WORK/hs.json" \
    '[.[0].Config.Labels // {} | to_entries[] | select($h[0][0].Config.Labels[.key] != .value) | .key]' "$WORK/bx.json")" \
    "$what: buildx's labels changed"
  expect_eq "[]" "$(jq -c --slurpfile b "$WORK/bx.json" \
    '[.[0].Config.Labels | keys[] | . as $k | select($b[0][0].Config.Labels // {} | has($k) | not) | select(startswith("dev.hoist.") | not)]' "$WORK/hs.json")" \
    "$what: labels hoist adds outside dev.hoist."
  # buildx re-encodes the buildkitd config (go-toml: comments dropped, tables and quotes its
  # way), hoist copies the user's text: buildkitd reads the same settings from both.
  docker exec "buildx_buildkit_${peer}0" cat /etc/buildkit/buildkitd.toml >"$WORK/bx.toml" 2>/dev/null || : >"$WORK/bx.toml"
  docker exec "buildx_buildkit_${mine}0" cat /etc/buildkit/buildkitd.toml >"$WORK/hs.toml" 2>/dev/null || : >"$WORK/hs.toml"
  python3 -c 'import sys, tomllib; a, b = (tomllib.load(open(f, "rb")) for f in sys.argv[1:3]); sys.exit(a != b)' \
    "$WORK/bx.toml" "$WORK/hs.toml" || fail "$what: buildkitd.toml says something else: $(diff "$WORK/bx.toml" "$WORK/hs.toml" | head -20)"
  f=provenance.d/github_actions_context.json
  docker exec "buildx_buildkit_${peer}0" cat "/etc/buildkit/$f" >"$WORK/bx.file" 2>/dev/null || : >"$WORK/bx.file"
  docker exec "buildx_buildkit_${mine}0" cat "/etc/buildkit/$f" >"$WORK/hs.file" 2>/dev/null || : >"$WORK/hs.file"
  cmp -s "$WORK/bx.file" "$WORK/hs.file" || fail "$what: /etc/buildkit/$f differs: $(diff "$WORK/bx.file" "$WORK/hs.file" | head -20)"
  note "$what: the same builder as buildx $HOIST_TEST_BUILDX_VERSION"
}

img=$HOIST_TEST_BUILDKIT_IMAGE
compare "defaults" none --driver-opt "image=$img"
compare "resources and network" none --driver-opt "image=$img,memory=512m,cpu-quota=50000,env.FOO=bar,network=host"
compare "cgroup and restart" none --driver-opt "image=$img,cgroup-parent=/foo,restart-policy=on-failure:3,memory=1g,memory-swap=2g,cpuset-cpus=0,cpu-shares=512,cpu-period=100000"
compare "default-load and provenance-add-gha under GitHub" github --driver-opt "image=$img,default-load=true,provenance-add-gha=true"
[ -s "$WORK/hs.file" ] || fail "no GitHub provenance context was compared"
compare "provenance-add-gha=false under GitHub" github --driver-opt "image=$img,provenance-add-gha=false"
compare "a buildkitd config and flags" none --driver-opt "image=$img" \
  --buildkitd-config "$HOIST_TEST_BUILDKITD_CONFIG" --buildkitd-flags "--debug --allow-insecure-entitlement=security.insecure"
grep -q "$HOIST_TEST_REGISTRY" "$WORK/hs.toml" || fail "the buildkitd config did not reach the builder"
