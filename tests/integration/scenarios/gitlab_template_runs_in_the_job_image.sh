#!/usr/bin/env bash
# The GitLab CI template's .hoist-socket job, read with a real YAML parser and run as the
# runner's docker executor runs it: its variables, then before_script and script in one shell,
# in the job image `make image` makes (scripts/image), with the host's engine socket mounted
# and GitLab's variables. On the default branch, with HOIST_PLATFORM asking for two platforms
# and HOIST_EXTRA_ARGS holding a quoted value with spaces (and a $(…) that must not run), a
# two-platform image is pushed under
# $CI_REGISTRY_IMAGE as latest and the short SHA (read back with skopeo), the label whole, the
# registry cache exported, the dotenv report and result file written. A second job, a tag
# pipeline in an image without hoist, downloads the release binary of HOIST_VERSION, checks it
# against SHA256SUMS, builds the runner's own platform only (the template's default), pushes
# the git tag's name, and is served from the registry cache; a third, from a tampered release,
# refuses to run the binary. The template's rules run a job in branch and tag pipelines.
# test: serial — rewrites out/image
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
[ "$HOIST_TEST_QEMU" = 1 ] || skip "no arm64 emulation here (HOIST_TEST_QEMU=0)"
command -v skopeo >/dev/null || skip "no skopeo (scripts/deps test)"
/usr/bin/python3 -c 'import yaml' 2>/dev/null || skip "no python3-yaml (scripts/deps test)"
use_builder gl
job_image=hoist-it-job-$$:1
on_exit "docker image rm -f $job_image; docker volume rm -f buildx_buildkit_gl-image-$$0_state"
HOIST_IMAGE=$job_image HOIST_BUILDER=gl-image-$$ HOIST_DRIVER_OPT="image=$HOIST_TEST_BUILDKIT_IMAGE" \
  "$ROOT/scripts/image" >"$WORK/image.log" 2>&1 || fail "make image: $(tail -15 "$WORK/image.log")"
version=$(cat "$ROOT/VERSION")
docker run --rm "$job_image" sh -c 'hoist version | head -1; command -v docker || echo "no docker CLI"; test -s /etc/ssl/certs/ca-certificates.crt && echo certs' \
  >"$WORK/image-check" 2>&1
expect_eq "hoist $version
no docker CLI
certs" "$(cat "$WORK/image-check")" "the job image's contents"

# The job's shell script, as the runner makes it: the template's variables (global, then the
# job's, where the pipeline does not set them), then before_script and script.
gitlab_job_script "$ROOT/ci/hoist.gitlab-ci.yml" >"$WORK/job.sh" || fail "the template's job script: $(cat "$WORK/job.sh")"
grep -q 'hoist_bin' "$WORK/job.sh" || fail "no script read from the template"
[ "$(sed -n 's/^.*export HOIST_VERSION="\(.*\)"$/\1/p' "$WORK/job.sh")" = "$version" ] \
  || fail "the template pins HOIST_VERSION $(grep HOIST_VERSION= "$WORK/job.sh"), not VERSION $version"

mkdir -p "$WORK/project"
printf 'ARG BASE\nFROM $BASE\nRUN uname -m >/arch && sleep 1\n' >"$WORK/project/Dockerfile"
repo=$HOIST_TEST_REGISTRY/group/app-$$
job() { # IMAGE N [ENV...]: the job in IMAGE as job N
  local image=$1 n=$2; shift 2
  docker run --rm --network host --entrypoint /bin/sh -v /var/run/docker.sock:/var/run/docker.sock \
    -v "$WORK/project:/builds/group/app" -w /builds/group/app -v "$WORK/job.sh:/job.sh:ro" \
    -v "$HOIST_TEST_BUILDKITD_CONFIG:/etc/hoist-test/buildkitd.toml:ro" \
    -e GITLAB_CI=true -e CI_JOB_ID="$n" -e CI_JOB_NAME=build -e CI_PROJECT_PATH=group/app \
    -e CI_PROJECT_DIR=/builds/group/app -e CI_REGISTRY_IMAGE="$repo" -e CI_COMMIT_REF_SLUG=main \
    -e CI_COMMIT_SHORT_SHA=abc1234 -e CI_DEFAULT_BRANCH=main \
    -e HOIST_EXTRA_ARGS="--builder $BUILDER --driver-opt image=$HOIST_TEST_BUILDKIT_IMAGE --buildkitd-config /etc/hoist-test/buildkitd.toml --build-arg BASE=$HOIST_TEST_BASE_IMAGE --label 'org.opencontainers.image.description=built by the template' --build-arg INJ=\$(touch\${IFS}/builds/group/app/ran)" \
    "$@" "$image" -e /job.sh
}
job "$job_image" 1 -e CI_COMMIT_BRANCH=main -e HOIST_PLATFORM=linux/amd64,linux/arm64 >"$WORK/job1.log" 2>&1 \
  || fail "first job: $(tail -15 "$WORK/job1.log")"
for tag in latest abc1234; do
  skopeo inspect --tls-verify=false --raw "docker://$repo:$tag" >"$WORK/index-$tag.json" || fail "tag $tag not pushed"
done
expect_eq 404 "$(curl -s -o /dev/null -w '%{http_code}' -H 'Accept: application/vnd.oci.image.index.v1+json' \
  "http://$HOIST_TEST_REGISTRY/v2/group/app-$$/manifests/main")" "the default branch's slug as a tag"
expect_eq "amd64,arm64" "$(jq -r '[.manifests[] | select(.platform.os == "linux") | .platform.architecture] | sort | join(",")' "$WORK/index-latest.json")" \
  "platforms from the project's HOIST_PLATFORM"
expect_eq "built by the template" "$(skopeo inspect --tls-verify=false --override-arch amd64 --config "docker://$repo:latest" \
  | jq -r '.config.Labels."org.opencontainers.image.description"')" "a quoted HOIST_EXTRA_ARGS value with spaces"
[ ! -e "$WORK/project/ran" ] || fail "HOIST_EXTRA_ARGS ran a command substitution"
skopeo inspect --tls-verify=false --raw "docker://$repo/cache:main" >/dev/null || fail "registry cache not exported"
grep -q '^HOIST_DIGEST=sha256:' "$WORK/project/hoist.env" || fail "dotenv: $(cat "$WORK/project/hoist.env")"
jq -e '.exitCode == 0 and .build.digest != ""' "$WORK/project/hoist-result.json" >/dev/null || fail "result file"
expect_contains "$(cat "$WORK/job1.log")" "section_start:" "GitLab sections"
expect_not_contains "$(cat "$WORK/job1.log")" "cannot download" "the job image's own hoist"
expect_not_contains "$(cat "$WORK/job1.log")" "warning" "the template's own variables draw no warning"

# The next job, in an image without hoist (the BuildKit image has busybox), on a fresh builder:
# the release binary is downloaded, checked, and served from the registry cache.
"$HOIST" teardown --builder "$BUILDER" --keep-state=false --force >/dev/null
release_server
job "$HOIST_TEST_BUILDKIT_IMAGE" 2 -e HOIST_RELEASE_URL="$HOIST_TEST_RELEASE_URL" -e CI_COMMIT_TAG=v1.2.3 \
  >"$WORK/job2.log" 2>&1 || fail "second job: $(tail -15 "$WORK/job2.log")"
expect_contains "$(cat "$WORK/job2.log")" "hoist-linux-amd64: OK" "the downloaded binary checked against SHA256SUMS"
expect_contains "$(cat "$WORK/job2.log")" "CACHED" "second job served from the registry cache"
skopeo inspect --tls-verify=false --raw "docker://$repo:v1.2.3" >"$WORK/index-tag.json" || fail "the git tag's name not pushed"
expect_eq "amd64" "$(jq -r '[.manifests[] | select(.platform.os == "linux") | .platform.architecture] | join(",")' "$WORK/index-tag.json")" \
  "the runner's own platform by default"

# The rules, read as GitLab reads them: branch and tag pipelines, as GitLab's Docker template.
/usr/bin/python3 - "$ROOT/ci/hoist.gitlab-ci.yml" >"$WORK/rules.txt" <<'PY'
import sys, yaml
for r in yaml.safe_load(open(sys.argv[1]))[".hoist-base"]["rules"]:
    print(r["if"], r.get("when", "on_success"))
PY
expect_eq '$CI_COMMIT_BRANCH on_success
$CI_COMMIT_TAG on_success' "$(cat "$WORK/rules.txt")" "the template's rules"

# The tag each pipeline gets, by the template's own lines in the job image's shell: the git
# tag's name when it is a valid image tag, latest on the default branch, else the slug.
/usr/bin/python3 - "$ROOT/ci/hoist.gitlab-ci.yml" >"$WORK/tag.sh" <<'PY'
import sys, yaml
lines = "\n".join(yaml.safe_load(open(sys.argv[1]))[".hoist-base"]["before_script"]).split("\n")
start = next(i for i, l in enumerate(lines) if "The image's tag" in l)
end = next(i for i in range(start, len(lines)) if "hoist_tag=$CI_COMMIT_REF_SLUG" in lines[i])
print("\n".join(lines[start:end + 1]) + '\necho "$hoist_tag"')
PY
tag_for() { docker run --rm --entrypoint /bin/sh -v "$WORK/tag.sh:/tag.sh:ro" -e CI_DEFAULT_BRANCH=main "$@" "$HOIST_TEST_BUILDKIT_IMAGE" /tag.sh; }
expect_eq latest "$(tag_for -e CI_COMMIT_BRANCH=main -e CI_COMMIT_REF_SLUG=main)" "the default branch"
expect_eq feature-x "$(tag_for -e CI_COMMIT_BRANCH=feature/x -e CI_COMMIT_REF_SLUG=feature-x)" "another branch: its slug"
expect_eq v1.2.3 "$(tag_for -e CI_COMMIT_TAG=v1.2.3 -e CI_COMMIT_REF_SLUG=v1-2-3)" "a git tag: its name"
expect_eq release-1 "$(tag_for -e CI_COMMIT_TAG=release/1 -e CI_COMMIT_REF_SLUG=release-1)" "a git tag no image tag can be: its slug"
long=$(printf 'v%.0s' $(seq 129))
expect_eq long-slug "$(tag_for -e CI_COMMIT_TAG="$long" -e CI_COMMIT_REF_SLUG=long-slug)" "a git tag over 128 characters: its slug"

# A tampered release: the job stops before running anything.
"$HOIST" teardown --builder "$BUILDER" --keep-state=false --force >/dev/null
rel=$WORK/tampered/v$version
mkdir -p "$rel" && cp "$ROOT"/dist/hoist-linux-* "$ROOT/dist/SHA256SUMS" "$rel/"
printf '\n#tampered\n' >>"$rel/hoist-linux-amd64"
release_server "$WORK/tampered"
set +e
job "$HOIST_TEST_BUILDKIT_IMAGE" 3 -e HOIST_RELEASE_URL="$HOIST_TEST_RELEASE_URL" >"$WORK/job3.log" 2>&1
rc=$?
set -e
[ "$rc" != 0 ] || fail "the job ran a tampered binary"
expect_contains "$(cat "$WORK/job3.log")" "does not match the release's SHA256SUMS: refusing to run it" "tampered release"
expect_eq "" "$(docker ps -aq --filter "name=^/buildx_buildkit_${BUILDER,,}0\$")" "a builder made by the tampered job"
