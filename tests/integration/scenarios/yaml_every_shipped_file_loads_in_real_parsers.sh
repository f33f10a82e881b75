#!/usr/bin/env bash
# Every YAML file the project ships loads in a real YAML parser (libyaml through Debian's
# python3-yaml), as runners and GitLab load them; the workflows also pass act's schema check
# (the runner implementation the action scenarios use); every action.yml has what a runner
# needs (quoted descriptions, node24 entry points that exist), the setup and build actions
# declare setup-buildx-action's and build-push-action's inputs with their defaults, and the
# all-in-one action declares both.
source "$(dirname "$0")/../common.sh"
require_testenv
/usr/bin/python3 -c 'import yaml; assert yaml.__with_libyaml__' 2>/dev/null || skip "no python3-yaml with libyaml (scripts/deps test)"
[ -x "${HOIST_TEST_ACT:-}" ] || skip "no act in the test environment"
cd "$ROOT"
mapfile -t files < <(git ls-files --cached --others --exclude-standard '*.yml' '*.yaml')
[ ${#files[@]} -ge 8 ] || fail "found only ${#files[@]} YAML files: ${files[*]}"
for f in "${files[@]}"; do
  /usr/bin/python3 -c 'import sys, yaml; list(yaml.load_all(open(sys.argv[1]), Loader=yaml.CSafeLoader))' "$f" \
    2>"$WORK/yaml.err" || fail "$f does not load: $(cat "$WORK/yaml.err")"
done
for f in .github/workflows/*.yml tests/integration/fixtures/act/*.yml; do
  "$HOIST_TEST_ACT" --list --strict -W "$f" >"$WORK/act.out" 2>&1 || fail "act rejects $f: $(cat "$WORK/act.out")"
done

/usr/bin/python3 - <<'PY' || fail "the actions' declarations (above)"
import os, sys, yaml
load = lambda p: yaml.load(open(p), Loader=yaml.CSafeLoader)
bad = []
def check(path):
    a = load(path)
    here = os.path.dirname(path)
    for key in ("name", "description", "runs"):
        if not isinstance(a.get(key), (str, dict)): bad.append(f"{path}: no {key}")
    runs = a["runs"]
    if runs.get("using") != "node24": bad.append(f"{path}: runs.using {runs.get('using')}")
    for entry in ("main", "post"):
        if entry in runs and not os.path.isfile(os.path.join(here, runs[entry])):
            bad.append(f"{path}: runs.{entry} {runs[entry]} does not exist")
    for name, spec in a["inputs"].items():
        if not isinstance(spec.get("description"), str) or not spec["description"]:
            bad.append(f"{path}: input {name} has no description")
        if "default" in spec and not isinstance(spec["default"], str):
            bad.append(f"{path}: input {name}'s default is not a string: {spec['default']!r}")
    return a
root, setup, build = check("action.yml"), check("setup/action.yml"), check("build/action.yml")
merge = check("merge/action.yml")
# docker/setup-qemu-action v3, whose work hoist's setup does: its inputs but platforms (the
# builder's), which setup-buildx-action names too.
SETUP_QEMU = {"image": None, "cache-image": "true"}
# docker/setup-buildx-action v4 and docker/build-push-action v7: inputs and defaults.
SETUP_BUILDX = {"version": None, "driver": "docker-container", "driver-opts": None,
    "buildkitd-flags": None, "buildkitd-config": None, "buildkitd-config-inline": None,
    "use": "true", "name": None, "endpoint": None, "platforms": None, "append": None,
    "keep-state": "false", "cache-binary": "true", "cleanup": "true",
    # v3's, which v4 dropped: a workflow that still gives them keeps their meaning.
    "config": None, "config-inline": None, "install": "false"}
BUILD_PUSH = {k: None for k in ("add-hosts allow annotations attests build-args build-contexts "
    "builder cache-from cache-to call cgroup-parent context file labels network "
    "no-cache-filters outputs platforms provenance sbom secrets secret-envs secret-files "
    "shm-size ssh tags target ulimit").split()}
BUILD_PUSH.update({"load": "false", "no-cache": "false", "pull": "false", "push": "false",
    "github-token": "${{ github.token }}"})
# hoist's own input, in every action: the job's matrix, which tells matrix legs apart.
HOIST_OWN = {"matrix": "${{ toJSON(matrix) }}"}
# ... and where a build runs, where a leg pushed by digest records NAME@DIGEST.
HOIST_BUILD = {"digests-dir": None, "ci-defaults": "true"}
# ... and where a builder is set up and torn down, where its state travels (docs/state.md).
HOIST_STATE = {"state-from": None, "state-to": None, "state-max-size": "2g"}
def same(path, action, want):
    want = {**want, **HOIST_OWN}
    got = {k: v.get("default") for k, v in action["inputs"].items()}
    for k in sorted(set(want) | set(got)):
        if k not in got: bad.append(f"{path}: missing input {k}")
        elif k not in want: bad.append(f"{path}: input {k} is not docker's")
        elif got[k] != want[k]: bad.append(f"{path}: input {k} defaults to {got[k]!r}, docker's to {want[k]!r}")
same("setup/action.yml", setup, {**SETUP_BUILDX, **SETUP_QEMU, **HOIST_STATE})
same("build/action.yml", build, {**BUILD_PUSH, **HOIST_BUILD})
same("action.yml", root, {**SETUP_BUILDX, **SETUP_QEMU, **BUILD_PUSH, **HOIST_BUILD, **HOIST_STATE})
# The merge action: hoist merge's inputs, tags required, the index digest out.
got = {k: (v.get("default"), v.get("required")) for k, v in merge["inputs"].items()}
want = {"sources": (None, False), "digests-dir": (None, False), "tags": (None, True),
        "annotations": (None, False), "platforms": (None, False), "insecure-registries": (None, False)}
if got != want: bad.append(f"merge/action.yml: inputs {got}")
if set(merge["outputs"]) != {"digest"}: bad.append(f"merge/action.yml: outputs {sorted(merge['outputs'])}")
# The QEMU action: docker/setup-qemu-action v3's inputs with their defaults, and its output.
qemu = check("qemu/action.yml")
got = {k: v.get("default") for k, v in qemu["inputs"].items()}
want = {"image": "docker.io/tonistiigi/binfmt:latest", "platforms": "all", "reset": "false",
        "cache-image": "true"}
if got != want: bad.append(f"qemu/action.yml: inputs {got}")
if set(qemu["outputs"]) != {"platforms"}: bad.append(f"qemu/action.yml: outputs {sorted(qemu['outputs'])}")
for name, action, outputs in (("setup/action.yml", setup, {"name", "driver", "platforms", "nodes",
                                                          "endpoint", "status", "flags"}),
                              ("build/action.yml", build, {"imageid", "digest", "metadata"})):
    if set(action["outputs"]) != outputs: bad.append(f"{name}: outputs {sorted(action['outputs'])}")
    if not outputs <= set(root["outputs"]): bad.append(f"action.yml lacks outputs of {name}")
t = load("ci/hoist.gitlab-ci.yml")
for job in (".hoist-base", ".hoist-socket", ".hoist-dind", ".hoist-leg", ".hoist-merge"):
    if job not in t: bad.append(f"ci/hoist.gitlab-ci.yml: no {job}")
if not t["variables"].get("HOIST_VERSION") == open("VERSION").read().strip():
    bad.append("ci/hoist.gitlab-ci.yml: HOIST_VERSION is not VERSION")
for b in bad: print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
