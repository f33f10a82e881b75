#!/usr/bin/env bash
# The GitHub workflow docs/multi-platform.md gives (a job per platform pushing by digest, then
# the merge action fed by the jobs' digest outputs) runs under act, both legs on this machine
# (arm64 under QEMU). What a runner here cannot do is put in with a real YAML parser, nothing
# else changed: actions/checkout and docker/login-action become a copy of the repository (the
# test registry needs no login), the hoist uses: lines point at this checkout, and the test's
# BuildKit image, buildkitd config, base image and registry are given as inputs. The merged
# image is read back with skopeo.
# test: serial — fixed builder names of act's fixed run identity; legs build at once
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
[ "$HOIST_TEST_QEMU" = 1 ] || skip "no arm64 emulation here (HOIST_TEST_QEMU=0)"
command -v skopeo >/dev/null || skip "no skopeo (scripts/deps test)"
/usr/bin/python3 -c 'import yaml' 2>/dev/null || skip "no python3-yaml (scripts/deps test)"
source "$ROOT/tests/integration/act.sh"
act_repo
image=$HOIST_TEST_REGISTRY/octo/app-$$
/usr/bin/python3 - "$ROOT/docs/multi-platform.md" "$image" >"$ACT_REPO/.github/workflows/image.yml" <<'PY'
import re, sys, yaml
doc, image = sys.argv[1:3]
text = open(doc).read()
section = text[text.index("## GitHub Actions"):]
wf = yaml.safe_load(re.search(r"```yaml\n(.*?)```", section, re.S).group(1))
wf["on"] = wf.pop(True) if True in wf else wf["on"]
assert wf["env"]["REGISTRY_IMAGE"].startswith("ghcr.io/"), "the docs workflow's image"
wf["env"]["REGISTRY_IMAGE"] = image
copy = {"run": 'cp -a "$HOIST_TEST_REPO"/. .'}
test = {"driver-opts": "image=${{ env.HOIST_TEST_BUILDKIT_IMAGE }}",
        "buildkitd-config": "${{ env.HOIST_TEST_BUILDKITD_CONFIG }}",
        "build-args": "BASE=${{ env.HOIST_TEST_BASE_IMAGE }}"}
seen = set()
for name, job in wf["jobs"].items():
    steps = []
    for step in job["steps"]:
        uses = step.get("uses", "")
        if uses.startswith(("actions/checkout@", "docker/login-action@")):
            if name not in seen:
                steps.append(copy)
                seen.add(name)
            continue
        if uses.startswith("hoist-build/hoist@"):
            step["uses"] = "./"
            step["with"] = {**step["with"], **test}
        elif uses.startswith("hoist-build/hoist/merge@"):
            step["uses"] = "./merge"
            step["with"] = {**step["with"], "insecure-registries": "${{ env.HOIST_TEST_REGISTRY }}"}
        steps.append(step)
    job["steps"] = steps
assert seen == set(wf["jobs"]), "every job copies the repository"
print(yaml.safe_dump(wf, sort_keys=False))
PY
printf 'ARG BASE\nFROM $BASE\nARG TARGETARCH\nRUN echo "$TARGETARCH" >/arch\n' >"$ACT_REPO/Dockerfile"
act_commit
for job in amd64 arm64; do act_cleanup_builder "gh-octo-demo-$job"; done
release_server
act_run image.yml -P ubuntu-24.04=-self-hosted -P ubuntu-24.04-arm=-self-hosted
expect_eq 0 "$ACT_RC" "act: $(tail -30 "$ACT_LOG")"
for job in amd64 arm64 merge; do act_job_succeeded "$job"; done
pushed=$(sed -n 's/.*pushed \(sha256:[0-9a-f]\{64\}\)$/\1/p' "$ACT_LOG" | tail -1)
[ -n "$pushed" ] || fail "the merge job did not echo its digest output: $(grep '/merge' "$ACT_LOG" | tail -20)"
sha=$(git -C "$ACT_REPO" rev-parse HEAD)
for tag in latest "$sha"; do
  skopeo inspect --tls-verify=false --raw "docker://$image:$tag" >"$WORK/index-$tag.json" || fail "tag $tag not pushed"
done
expect_eq "$pushed" "sha256:$(sha256sum <"$WORK/index-latest.json" | cut -d' ' -f1)" "the digest output is the pushed index's"
expect_eq "amd64 arm64" "$(jq -r '[.manifests[] | select(.platform.os == "linux") | .platform.architecture] | sort | join(" ")' "$WORK/index-latest.json")" \
  "the two legs' platforms"
arch=$(skopeo inspect --tls-verify=false --override-arch arm64 "docker://$image:latest" | jq -r .Architecture)
expect_eq arm64 "$arch" "the arm64 leg through the merged tag"
