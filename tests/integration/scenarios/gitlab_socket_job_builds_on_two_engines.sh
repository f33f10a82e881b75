#!/usr/bin/env bash
# The GitLab template's .hoist-socket job on a self-hosted pair, as docs/multi-node.md gives
# the recipe: the runner mounts both engines' sockets, the project sets HOIST_PLATFORM to both
# platforms and HOIST_EXTRA_ARGS to the two nodes (this engine pinned to linux/amd64, the
# second to linux/arm64). Run as the runner's docker executor runs it, in the job image: each
# platform builds on its node, one index is pushed under $CI_REGISTRY_IMAGE's tags (skopeo
# reads it), the dotenv report has the index's digest, and both engines are left clean.
# test: serial — rewrites out/image
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
[ -n "${HOIST_TEST_PRIVILEGED_DOCKER_HOST:-}" ] || skip "no second engine (scripts/testenv up makes one)"
[ "$HOIST_TEST_QEMU" = 1 ] || skip "no arm64 emulation here (HOIST_TEST_QEMU=0)"
command -v skopeo >/dev/null || skip "no skopeo (scripts/deps test)"
/usr/bin/python3 -c 'import yaml' 2>/dev/null || skip "no python3-yaml (scripts/deps test)"
two=$HOIST_TEST_PRIVILEGED_DOCKER_HOST
sock=${two#unix://}
a=gla$$ b=glb$$
job_image=hoist-it-pair-job-$$:1
on_exit "docker image rm -f $job_image; docker volume rm -f buildx_buildkit_pjob-image-$$0_state"
on_exit "docker rm -f -v buildx_buildkit_$a hoist_lock_buildx_buildkit_$a; docker volume rm -f buildx_buildkit_${a}_state"
on_exit "DOCKER_HOST=$two docker rm -f -v buildx_buildkit_$b hoist_lock_buildx_buildkit_$b; DOCKER_HOST=$two docker volume rm -f buildx_buildkit_${b}_state"
HOIST_IMAGE=$job_image HOIST_BUILDER=pjob-image-$$ HOIST_DRIVER_OPT="image=$HOIST_TEST_BUILDKIT_IMAGE" \
  "$ROOT/scripts/image" >"$WORK/image.log" 2>&1 || fail "make image: $(tail -15 "$WORK/image.log")"

gitlab_job_script "$ROOT/ci/hoist.gitlab-ci.yml" >"$WORK/job.sh" || fail "the template's job script: $(cat "$WORK/job.sh")"
mkdir -p "$WORK/project"
printf 'ARG BASE\nFROM $BASE\nRUN uname -m >/arch\n' >"$WORK/project/Dockerfile"
repo=$HOIST_TEST_REGISTRY/group/pair-$$
docker run --rm --network host --entrypoint /bin/sh -v /var/run/docker.sock:/var/run/docker.sock \
  -v "$sock:$sock" -v "$WORK/project:/builds/group/app" -w /builds/group/app -v "$WORK/job.sh:/job.sh:ro" \
  -v "$HOIST_TEST_BUILDKITD_CONFIG:/etc/hoist-test/buildkitd.toml:ro" \
  -e GITLAB_CI=true -e CI_JOB_ID=1 -e CI_JOB_NAME=build -e CI_PROJECT_PATH=group/app \
  -e CI_PROJECT_DIR=/builds/group/app -e CI_REGISTRY_IMAGE="$repo" -e CI_COMMIT_REF_SLUG=main \
  -e CI_COMMIT_SHORT_SHA=abc1234 -e CI_DEFAULT_BRANCH=main -e CI_COMMIT_BRANCH=main \
  -e HOIST_PLATFORM=linux/amd64,linux/arm64 \
  -e HOIST_EXTRA_ARGS="--builder pair$$ --node name=$a,platform=linux/amd64 --node name=$b,endpoint=$two,platform=linux/arm64 --driver-opt image=$HOIST_TEST_BUILDKIT_IMAGE --buildkitd-config /etc/hoist-test/buildkitd.toml --build-arg BASE=$HOIST_TEST_BASE_IMAGE" \
  "$job_image" -e /job.sh >"$WORK/job.log" 2>&1 || fail "the job: $(tail -25 "$WORK/job.log")"
expect_contains "$(cat "$WORK/job.log")" "node $b (amd64, $two) builds linux/arm64" "the second engine's node builds arm64"
expect_contains "$(cat "$WORK/job.log")" "node $a (amd64, unix:///var/run/docker.sock) builds linux/amd64" "this engine's node builds amd64"
for tag in latest abc1234; do
  expect_eq "amd64,arm64" "$(skopeo inspect --tls-verify=false --raw "docker://$repo:$tag" | jq -r '[.manifests[] | select(.platform.os == "linux") | .platform.architecture] | sort | join(",")')" "the index under $tag"
done
digest=$(skopeo inspect --tls-verify=false --raw "docker://$repo:latest" | sha256sum | cut -d' ' -f1)
expect_eq "HOIST_DIGEST=sha256:$digest" "$(grep '^HOIST_DIGEST=' "$WORK/project/hoist.env")" "the dotenv report's digest is the index's"
expect_eq "" "$(docker ps -aq --filter "name=^/buildx_buildkit_$a\$")$(DOCKER_HOST=$two docker ps -aq --filter "name=^/buildx_buildkit_$b\$")" "the nodes' builders after the job"
