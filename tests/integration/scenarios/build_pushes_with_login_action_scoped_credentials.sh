#!/usr/bin/env bash
# docker/login-action with `scope` writes its login under the buildx config
# (config/<host>/<repository>@push/config.json) instead of the docker config; buildx finds it
# there, and so does hoist: the push to that repository succeeds with no other login, a push
# to another repository of the same registry does not get it, and the password shows nowhere.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
pass=scoped-pass-$$-secret
htpasswd_registry scoped-user "$pass"
reg=$AUTH_REGISTRY
export DOCKER_CONFIG=$WORK/empty-docker-config # no unscoped login anywhere
use_builder scoped
run_hoist setup --builder "$BUILDER" --driver-opt "image=$HOIST_TEST_BUILDKIT_IMAGE" --buildkitd-config "$WORK/buildkitd.toml"
expect_eq 0 "$RC" "setup: $ERR"
# What `docker login` leaves in login-action's scoped directory.
scope_dir=$BUILDX_CONFIG/config/$reg/team/app@push
mkdir -p "$scope_dir"
printf '{"auths": {"%s": {"auth": "%s"}}}\n' "$reg" "$(printf 'scoped-user:%s' "$pass" | base64 -w0)" >"$scope_dir/config.json"
mkdir -p "$WORK/ctx"
printf 'FROM %s\nRUN echo scoped >/x\n' "$HOIST_TEST_BASE_IMAGE" >"$WORK/ctx/Dockerfile"

run_hoist build --builder "$BUILDER" -t "$reg/team/app:1" --push "$WORK/ctx"
expect_eq 0 "$RC" "push with the scoped login: $ERR"
expect_not_contains "$OUT$ERR" "$pass" "the password in hoist's output"
expect_eq 200 "$(curl -s -o /dev/null -w '%{http_code}' -u "scoped-user:$pass" "http://$reg/v2/team/app/manifests/1" \
  -H 'Accept: application/vnd.oci.image.index.v1+json')" "the pushed tag"
run_hoist build --builder "$BUILDER" -t "$reg/team/other:1" --push "$WORK/ctx"
[ "$RC" != 0 ] || fail "a login scoped to team/app was used for team/other"
