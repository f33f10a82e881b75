#!/usr/bin/env bash
# The GitLab CI template's script lines, run with GitLab's variables against the real engine
# and the local registry, as a job extending .hoist-socket would: a two-platform image pushed
# under $CI_REGISTRY_IMAGE with both tags, the registry cache exported, the dotenv report and
# the result file written; a second job is served from the registry cache.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
[ "$HOIST_TEST_QEMU" = 1 ] || skip "no arm64 emulation here (HOIST_TEST_QEMU=0)"
use_builder gl
template=$ROOT/ci/hoist.gitlab-ci.yml

# The script of .hoist-base as one shell command (a folded '>-' block), the way the runner
# joins it.
script=$(python3 - "$template" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
block = text.split("\n.hoist-base:")[1].split("\n  script:\n")[1]
lines = []
for line in block.split("\n"):
    if line.startswith("    - >-"):
        continue
    if not line.startswith("      "):
        break
    lines.append(line.strip())
print(" ".join(lines))
PY
)
expect_contains "$script" '$HOIST_BIN run "$HOIST_CONTEXT"' "template script"
mkdir -p "$WORK/project"
printf 'FROM %s\nRUN uname -m >/arch && sleep 1\n' "$HOIST_TEST_BASE_IMAGE" >"$WORK/project/Dockerfile"
job() { # runs the script in the project dir with GitLab's variables, as job N
  (cd "$WORK/project" && env GITLAB_CI=true CI_JOB_ID="$1" CI_JOB_NAME=build CI_PROJECT_PATH=group/app \
    CI_REGISTRY_IMAGE="$HOIST_TEST_REGISTRY/group/app-$$" CI_COMMIT_REF_SLUG=main CI_COMMIT_SHORT_SHA=abc1234 \
    HOIST_PLATFORM=linux/amd64,linux/arm64 HOIST_CONTEXT=. HOIST_DOWNLOAD_URL=http://unused/ HOIST_BIN="$HOIST" \
    HOIST_EXTRA_ARGS="--builder $BUILDER --driver-opt image=$HOIST_TEST_BUILDKIT_IMAGE --buildkitd-config $HOIST_TEST_BUILDKITD_CONFIG" \
    bash -ec "$script")
}
job 1 >"$WORK/job1.log" 2>&1 || fail "first job: $(tail -15 "$WORK/job1.log")"
for tag in main abc1234; do
  curl -fsS -o /dev/null -H 'Accept: application/vnd.oci.image.index.v1+json' \
    "http://$HOIST_TEST_REGISTRY/v2/group/app-$$/manifests/$tag" || fail "tag $tag not pushed"
done
curl -fsS -o /dev/null -H 'Accept: application/vnd.oci.image.index.v1+json,application/vnd.oci.image.manifest.v1+json' \
  "http://$HOIST_TEST_REGISTRY/v2/group/app-$$/cache/manifests/main" || fail "registry cache not exported"
grep -q '^HOIST_DIGEST=sha256:' "$WORK/project/hoist.env" || fail "dotenv: $(cat "$WORK/project/hoist.env")"
jq -e '.exitCode == 0 and .build.digest != ""' "$WORK/project/hoist-result.json" >/dev/null || fail "result file"
expect_contains "$(cat "$WORK/job1.log")" "section_start:" "GitLab sections"
expect_not_contains "$(cat "$WORK/job1.log")" "warning" "the template's own variables draw no warning"
arches=$(curl -fsS -H 'Accept: application/vnd.oci.image.index.v1+json' \
  "http://$HOIST_TEST_REGISTRY/v2/group/app-$$/manifests/main" | jq -r '[.manifests[].platform.architecture] | sort | join(",")')
expect_eq "amd64,arm64,unknown,unknown" "$arches" "platforms from the template's HOIST_PLATFORM (and attestations)"


# The next job on a fresh builder (its state removed) is served from the registry cache.
"$HOIST" teardown --builder "$BUILDER" --keep-state=false --force >/dev/null
docker volume rm -f "buildx_buildkit_${BUILDER,,}0_state" >/dev/null
job 2 >"$WORK/job2.log" 2>&1 || fail "second job: $(tail -15 "$WORK/job2.log")"
expect_contains "$(cat "$WORK/job2.log")" "CACHED" "second job served from the registry cache"
