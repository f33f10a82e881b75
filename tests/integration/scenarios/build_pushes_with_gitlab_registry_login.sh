#!/usr/bin/env bash
# Under GitLab CI, the job's registry login (CI_REGISTRY, CI_REGISTRY_USER, CI_REGISTRY_PASSWORD)
# lets the build push to a registry that requires it, with no docker login on the machine; the
# password shows up in no output and no file left in the builder. Without it the push is refused.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
pass=reg-pass-$$-secret
htpasswd_registry ci-user "$pass"
reg=$AUTH_REGISTRY
export DOCKER_CONFIG=$WORK/empty-docker-config # no docker login anywhere
use_builder gl
run_hoist setup --builder "$BUILDER" --driver-opt "image=$HOIST_TEST_BUILDKIT_IMAGE" --buildkitd-config "$WORK/buildkitd.toml"
expect_eq 0 "$RC" "setup: $ERR"
mkdir -p "$WORK/ctx"
printf 'FROM %s\nRUN echo pushed >/x\n' "$HOIST_TEST_BASE_IMAGE" >"$WORK/ctx/Dockerfile"

run_hoist build --builder "$BUILDER" -t "$reg/group/app:1" --push "$WORK/ctx"
[ "$RC" != 0 ] || fail "a push without credentials was accepted: the registry does not check"

GITLAB_CI=true CI_REGISTRY=$reg CI_REGISTRY_USER=ci-user CI_REGISTRY_PASSWORD=$pass CI_JOB_ID=1 CI_PROJECT_PATH=g/app \
  run_hoist build --builder "$BUILDER" -t "$reg/group/app:1" --push "$WORK/ctx"
expect_eq 0 "$RC" "push with the GitLab job's login: $ERR"
expect_not_contains "$OUT$ERR" "$pass" "the password in hoist's output"
curl -fsS -u "ci-user:$pass" -o /dev/null -H 'Accept: application/vnd.oci.image.index.v1+json' \
  "http://$reg/v2/group/app/manifests/1" || fail "the image is not in the registry"
if docker exec "buildx_buildkit_${BUILDER,,}0" sh -c "grep -rqs '$pass' /tmp /etc /root"; then
  fail "the password was left in a file in the builder"
fi
