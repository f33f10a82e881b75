#!/usr/bin/env bash
# The GitLab template's .hoist-socket job on a shared BuildKit daemon (the remote driver),
# read with a real YAML parser and run as the runner's docker executor runs it, in the job
# image: the project sets HOIST_DRIVER, HOIST_ENDPOINT and HOIST_DRIVER_OPT naming the
# certificates as GitLab's file variables give them (paths to files the runner wrote). The
# job pushes to $CI_REGISTRY_IMAGE with the registry cache (skopeo reads both), hoist in the
# job container connects to the daemon itself, nothing is made on the daemon, no client
# container or store entry outlives the job, and the second job is served by the daemon.
# test: serial — lists builder and remote client containers engine-wide; rewrites out/image
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
command -v skopeo >/dev/null || skip "no skopeo (scripts/deps test)"
/usr/bin/python3 -c 'import yaml' 2>/dev/null || skip "no python3-yaml (scripts/deps test)"
tls_buildkitd
job_image=hoist-it-remote-job-$$:1
on_exit "docker image rm -f $job_image; docker volume rm -f buildx_buildkit_rjob-image-$$0_state"
HOIST_IMAGE=$job_image HOIST_BUILDER=rjob-image-$$ HOIST_DRIVER_OPT="image=$HOIST_TEST_BUILDKIT_IMAGE" \
  "$ROOT/scripts/image" >"$WORK/image.log" 2>&1 || fail "make image: $(tail -15 "$WORK/image.log")"
builders() { docker ps -a --format '{{.Names}}' --filter name=buildx_buildkit_ | sort; }
before=$(builders)

gitlab_job_script "$ROOT/ci/hoist.gitlab-ci.yml" >"$WORK/job.sh" || fail "the template's job script: $(cat "$WORK/job.sh")"
grep -q 'hoist_bin' "$WORK/job.sh" || fail "no script read from the template"
mkdir -p "$WORK/project"
printf 'ARG BASE\nFROM $BASE\nRUN echo built >/built\n' >"$WORK/project/Dockerfile"
repo=$HOIST_TEST_REGISTRY/group/remote-$$
job() { # N: the job as job N, the certificates where the runner puts file variables
  docker run --rm --network host --entrypoint /bin/sh -v /var/run/docker.sock:/var/run/docker.sock \
    -v "$WORK/project:/builds/group/app" -w /builds/group/app -v "$WORK/job.sh:/job.sh:ro" \
    -v "$BUILDKITD_CERTS:/builds/group/app.tmp:ro" \
    -e GITLAB_CI=true -e CI_JOB_ID="$1" -e CI_JOB_NAME=build -e CI_PROJECT_PATH=group/app \
    -e CI_PROJECT_DIR=/builds/group/app -e CI_REGISTRY_IMAGE="$repo" -e CI_COMMIT_REF_SLUG=main \
    -e CI_COMMIT_SHORT_SHA=abc1234 -e CI_DEFAULT_BRANCH=main -e CI_COMMIT_BRANCH=main \
    -e BUILDKIT_CA=/builds/group/app.tmp/ca.pem -e BUILDKIT_CERT=/builds/group/app.tmp/client.pem \
    -e BUILDKIT_KEY=/builds/group/app.tmp/client.key \
    -e HOIST_DRIVER=remote -e HOIST_ENDPOINT="$BUILDKITD_ENDPOINT" \
    -e HOIST_DRIVER_OPT="image=$HOIST_TEST_BUILDKIT_IMAGE,cacert=/builds/group/app.tmp/ca.pem,cert=/builds/group/app.tmp/client.pem,key=/builds/group/app.tmp/client.key" \
    -e HOIST_EXTRA_ARGS="--build-arg BASE=$HOIST_TEST_BASE_IMAGE" \
    "$job_image" -e /job.sh
}
job 1 >"$WORK/job1.log" 2>&1 || fail "first job: $(tail -15 "$WORK/job1.log")"
for tag in latest abc1234; do
  skopeo inspect --tls-verify=false --raw "docker://$repo:$tag" >/dev/null || fail "tag $tag not pushed"
done
skopeo inspect --tls-verify=false --raw "docker://$repo/cache:main" >/dev/null || fail "registry cache not exported"
expect_contains "$(cat "$WORK/job1.log")" "at $BUILDKITD_ENDPOINT" "the job built on the remote daemon"
grep -q '^HOIST_DIGEST=sha256:' "$WORK/project/hoist.env" || fail "dotenv: $(cat "$WORK/project/hoist.env")"
job 2 >"$WORK/job2.log" 2>&1 || fail "second job: $(tail -15 "$WORK/job2.log")"
expect_contains "$(cat "$WORK/job2.log")" "CACHED" "the second job, warm from the daemon"
expect_eq "" "$(docker ps -aq --filter label=dev.hoist.role=remote-client)" "client containers after the jobs"
expect_eq "$before" "$(builders)" "builder containers made by the jobs"
expect_eq true "$(docker inspect -f '{{.State.Running}}' "$BUILDKITD_CONTAINER")" "the daemon after the jobs"
key=$(sed -n 2p "$BUILDKITD_CERTS/client.key")
expect_not_contains "$(cat "$WORK/job1.log" "$WORK/job2.log")" "$key" "the client key in the job logs"
