#!/usr/bin/env bash
# The GitLab template's one-runner-per-platform jobs, read with a real YAML parser (extends
# resolved as GitLab resolves it: hashes merged, other values replaced) and run as the runner's
# docker executor runs them: two legs of a parallel matrix (linux/amd64, linux/arm64 under QEMU)
# on the host's engine, each pushing by digest and leaving digests/ and its dotenv report; then
# the merge job, in a container with no engine at all, given both legs' artifacts. The image is
# read back with skopeo under both of the merge job's tags, its digest in the merge job's dotenv.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
[ "$HOIST_TEST_QEMU" = 1 ] || skip "no arm64 emulation here (HOIST_TEST_QEMU=0)"
command -v skopeo >/dev/null || skip "no skopeo (scripts/deps test)"
/usr/bin/python3 -c 'import yaml' 2>/dev/null || skip "no python3-yaml (scripts/deps test)"
use_builder glleg

# JOB: the job's script from the template, its extends resolved.
job_script() {
  /usr/bin/python3 - "$ROOT/ci/hoist.gitlab-ci.yml" "$@" <<'PY'
import sys, yaml
t = yaml.safe_load(open(sys.argv[1]))
def merge(a, b):
    out = dict(a)
    for k, v in b.items():
        out[k] = merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out
def resolve(name):
    job = t[name]
    parents = job.get("extends", [])
    out = {}
    for p in [parents] if isinstance(parents, str) else parents:
        out = merge(out, resolve(p))
    return merge(out, {k: v for k, v in job.items() if k != "extends"})
job = {}
for name in sys.argv[2:]:
    job = merge(job, resolve(name))
for k, v in list(t["variables"].items()) + list(job.get("variables", {}).items()):
    print(f'[ -n "${{{k}+x}}" ] || export {k}="{v}"')
for line in job["before_script"] + job["script"]:
    print(line)
PY
}
job_script .hoist-socket .hoist-leg >"$WORK/leg.sh"
job_script .hoist-merge >"$WORK/merge.sh"
grep -q -- '--push-by-digest' "$WORK/leg.sh" || fail "the leg job does not push by digest: $(cat "$WORK/leg.sh")"
grep -q 'merge' "$WORK/merge.sh" || fail "no merge in the merge job"

repo=$HOIST_TEST_REGISTRY/group/legs-$$
job() { # DIR N [ENV...] -- DOCKER-ARGS...: a job of the pipeline in the BuildKit image, hoist in it
  local dir=$1 n=$2; shift 2
  mkdir -p "$dir"
  docker run --rm --network host --entrypoint /bin/sh -v "$HOIST:/usr/local/bin/hoist:ro" \
    -v "$dir:/builds/group/app" -w /builds/group/app \
    -e GITLAB_CI=true -e CI_JOB_ID="$n" -e CI_PROJECT_PATH=group/app \
    -e CI_PROJECT_DIR=/builds/group/app -e CI_REGISTRY="$HOIST_TEST_REGISTRY" -e CI_REGISTRY_USER=gitlab-ci-token \
    -e CI_REGISTRY_PASSWORD=job-token-$$ -e CI_REGISTRY_IMAGE="$repo" -e CI_COMMIT_REF_SLUG=main \
    -e CI_COMMIT_SHORT_SHA=abc1234 -e CI_PIPELINE_SOURCE=push "$@"
}
extra="--builder $BUILDER --driver-opt image=$HOIST_TEST_BUILDKIT_IMAGE --buildkitd-config /etc/hoist-test/buildkitd.toml --build-arg BASE=$HOIST_TEST_BASE_IMAGE --keep-state=false"
n=0
for platform in linux/amd64 linux/arm64; do
  n=$((n + 1))
  dir=$WORK/leg-${platform#*/}
  mkdir -p "$dir"
  printf 'ARG BASE\nFROM $BASE\nRUN uname -m >/arch\n' >"$dir/Dockerfile"
  job "$dir" "$n" -e CI_JOB_NAME="build: [$platform]" -e HOIST_PLATFORM="$platform" -e HOIST_EXTRA_ARGS="$extra" \
    -v /var/run/docker.sock:/var/run/docker.sock -v "$HOIST_TEST_BUILDKITD_CONFIG:/etc/hoist-test/buildkitd.toml:ro" \
    -v "$WORK/leg.sh:/job.sh:ro" "$HOIST_TEST_BUILDKIT_IMAGE" -e /job.sh >"$WORK/leg$n.log" 2>&1 \
    || fail "the $platform leg: $(tail -15 "$WORK/leg$n.log")"
  key=${platform//\//-}
  ref=$(cat "$dir/digests/$key")
  case "$ref" in "$repo@sha256:"*) ;; *) fail "the $platform leg's digests/$key holds '$ref'" ;; esac
  var=HOIST_SOURCE_$(echo "$key" | tr 'a-z-' 'A-Z_')
  grep -qx "$var=$ref" "$dir/hoist.env" || fail "the $platform leg's dotenv has no $var=$ref: $(cat "$dir/hoist.env")"
  expect_contains "$(cat "$WORK/leg$n.log")" "cache:main-$key" "the $platform leg's own registry cache"
done
expect_eq 404 "$(curl -s -o /dev/null -w '%{http_code}' -H 'Accept: application/vnd.oci.image.index.v1+json' \
  "http://$HOIST_TEST_REGISTRY/v2/group/legs-$$/manifests/main")" "a tag pushed by a leg"

# The merge job: both legs' artifacts extracted side by side, no engine.
mdir=$WORK/merge
mkdir -p "$mdir/digests"
cp "$WORK"/leg-*/digests/* "$mdir/digests/"
job "$mdir" 3 -e CI_JOB_NAME=image -e HOIST_MERGE_ARGS="--insecure-registry $HOIST_TEST_REGISTRY" \
  -v "$WORK/merge.sh:/job.sh:ro" "$HOIST_TEST_BUILDKIT_IMAGE" -e /job.sh >"$WORK/merge.log" 2>&1 \
  || fail "the merge job: $(tail -15 "$WORK/merge.log")"
for tag in main abc1234; do
  skopeo inspect --tls-verify=false --raw "docker://$repo:$tag" >"$WORK/index-$tag.json" || fail "tag $tag not pushed"
done
cmp -s "$WORK/index-main.json" "$WORK/index-abc1234.json" || fail "the two tags differ"
# The index's digest reaches later jobs through the merge job's dotenv report.
expect_eq "HOIST_DIGEST=sha256:$(sha256sum <"$WORK/index-main.json" | cut -d' ' -f1)" \
  "$(grep '^HOIST_DIGEST=' "$mdir/hoist.env" 2>/dev/null)" "the merge job's dotenv report"
expect_eq "amd64,arm64" "$(jq -r '[.manifests[] | select(.platform.os == "linux") | .platform.architecture] | join(",")' "$WORK/index-main.json")" \
  "the legs' platforms in the merged image"
jq -e '.exitCode == 0 and (.build.digest | startswith("sha256:"))' "$mdir/hoist-result.json" >/dev/null \
  || fail "the merge job's result file: $(cat "$mdir/hoist-result.json")"
