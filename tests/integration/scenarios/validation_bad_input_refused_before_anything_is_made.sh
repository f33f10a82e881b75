#!/usr/bin/env bash
# Every bad input is refused before anything is made, by setup, build, run and plan alike:
# exit 64, the input named as the user gave it (flag, variable or action input), and the
# engine exactly as before — no container, no volume, no cgroup. Table-driven: each row is
# the commands it applies to, the text the error must hold, then the arguments.
# test: serial — every container, volume and cgroup of the engine unchanged
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
use_builder val
ctx=$WORK/ctx
mkdir -p "$ctx/dir"
printf 'FROM %s\n' "$HOIST_TEST_BASE_IMAGE" >"$ctx/Dockerfile"
mkfifo "$WORK/fifo"

# What the engine and the kernel hold that a setup could make. The cgroups that come and go
# with other processes on the machine (a login's session, a sandbox's per-command groups) are
# not the engine's.
engine_state() {
  docker ps -a --format '{{.Names}}' | sort
  docker volume ls -q | sort
  find /sys/fs/cgroup -mindepth 1 -maxdepth 3 -type d 2>/dev/null |
    grep -v -e '/docker/[0-9a-f]\{64\}' -e '/user\.slice' -e '/process_api' | sort
}
before=$(engine_state)

rows=0
# row COMMANDS WANT [VAR=VALUE...] -- ARGS...: runs each command with ARGS (and the variables
# in its environment), expects 64, WANT in stderr, and the engine unchanged.
row() {
  local commands=$1 want=$2; shift 2
  local vars=()
  while [ "$1" != "--" ]; do vars+=("$1"); shift; done
  shift
  local cmd
  for cmd in $commands; do
    local extra=() context=("$ctx")
    [ "$cmd" = build ] || extra=(--builder "$BUILDER" --buildkitd-config "$HOIST_TEST_BUILDKITD_CONFIG")
    # The BuildKit image as a flag, unless the row gives driver options as the action does
    # (a flag would take their place).
    [ "$cmd" = build ] || [[ "${vars[*]}" == *INPUT_DRIVER-OPTS=* ]] ||
      extra+=(--driver-opt "image=$HOIST_TEST_BUILDKIT_IMAGE")
    [ "$cmd" != setup ] || context=()
    set +e
    env "${vars[@]}" "$HOIST" "$cmd" "${extra[@]}" "$@" "${context[@]}" >"$WORK/stdout" 2>"$WORK/stderr"
    RC=$?
    set -e
    ERR=$(cat "$WORK/stderr")
    expect_eq 64 "$RC" "hoist $cmd $* (${vars[*]}): exit code; stderr: $ERR"
    expect_contains "$ERR" "$want" "hoist $cmd $* (${vars[*]})"
    expect_not_contains "$ERR" "takes no arguments" "hoist $cmd $*"
    rows=$((rows + 1))
  done
  local after
  after=$(engine_state)
  [ "$before" = "$after" ] || fail "$commands $*: the engine changed: $(diff <(echo "$before") <(echo "$after"))"
}

all="setup build run plan"
builds="build run plan"
# tags, and their grammar's neighbours
row "$builds" '--tag "rel/UPPER" is not an image reference: the repository name rel/UPPER has upper-case letters' -- -t rel/UPPER
row "$builds" "--tag \"x:\" is not an image reference: the tag after ':' is empty" -- -t x:
row "$builds" '--tag ":latest" is not an image reference: it has no repository name' -- -t :latest
row "$builds" '--tag "-oops" is not an image reference' -- -t=-oops
row "$builds" 'is not an image reference: the tag aaaaaaaa' -- -t "x:$(printf 'a%.0s' $(seq 200))"
row "$builds" '--tag "x:v1\n" is not an image reference' -- -t $'x:v1\n'
row "$builds" '--tag "a..b" is not an image reference' -- -t a..b
row "$builds" 'the action input tags "Rel/App:1" is not an image reference' INPUT_TAGS=$'ok/app:1\nRel/App:1' --
row "$builds" 'HOIST_TAG "bad tag" is not an image reference' 'HOIST_TAG=bad tag' --
row "$builds" '--output name="up/X" is not an image reference' -- -o type=image,name=up/X
# platforms
row "$all" '--platform "windows/amd64" is not a platform hoist builds' -- --platform windows/amd64
row "$all" '--platform "linux/arm64/v99" variant v99 of arm64 does not exist' -- --platform linux/arm64/v99
row "$all" '--platform "linux/amd64/v2/extra" is not a platform' -- --platform linux/amd64/v2/extra
row "$all" '--platform "" is not a platform: use os/arch[/variant], e.g. linux/arm64, linux/arm/v7 (in "linux/amd64,,")' -- --platform linux/amd64,,
row "$all" '--platform "" is not a platform: use os/arch[/variant], e.g. linux/arm64, linux/arm/v7 (in ",")' -- --platform ,
row "$all" 'the action input platforms "linux/mips128" names no architecture' INPUT_PLATFORMS=linux/amd64,linux/mips128 --
# the Dockerfile
row "$builds" "--file \"$ctx/dir\" is a directory" -- -f "$ctx/dir"
row "$builds" '--file "/dev/zero" is not a regular file' -- -f /dev/zero
row "$builds" "--file \"$WORK/fifo\" is not a regular file" -- -f "$WORK/fifo"
row "$builds" "the action input file \"$WORK/fifo\" is not a regular file" "INPUT_FILE=$WORK/fifo" --
# driver options: checked locally, and against the engine before anything is made
row "setup run plan" '--driver-opt image="UPPER/Case:bad tag" is not an image reference' -- --driver-opt 'image=UPPER/Case:bad tag'
row "setup run plan" '--driver-opt cgroup-parent="../../escape" must stay inside the engine'"'"'s cgroups' -- --driver-opt cgroup-parent=../../escape
row "setup run" '--driver-opt network="bogus-'$$'": the engine has no such network' -- --driver-opt network=bogus-$$
row "setup run" 'the action input driver-opts cpuset-cpus="999" names CPU 999, but the engine has' "INPUT_DRIVER-OPTS=image=$HOIST_TEST_BUILDKIT_IMAGE,cpuset-cpus=999" --
row "setup run plan" '--qemu-image "Qemu:" is not an image reference' -- --qemu-image Qemu:
# where the builder's state travels (docs/state.md)
row "setup run plan" '--state-from "type=s3,bucket=b": the type must be registry or local' -- --state-from type=s3,bucket=b
row "setup run plan" 'HOIST_STATE_FROM "type=local,dest=/x" needs src=DIR' HOIST_STATE_FROM=type=local,dest=/x --
row "run plan" '--state-to "Bad:Ref:x" is not an image reference' -- --state-to type=registry,ref=Bad:Ref:x
row "run plan" 'the action input state-max-size "lots" is not a size: give e.g. 2g, 512m' GITHUB_ACTIONS=true INPUT_STATE-MAX-SIZE=lots --
row "setup run plan" '--insecure-registry "http://r.io" is not a registry host' -- --insecure-registry http://r.io

# Every problem at once, local and engine alike.
row "run" '--driver-opt network="bogus-'$$'": the engine has no such network' -- -t rel/UPPER --platform windows/amd64 --driver-opt network=bogus-$$
expect_contains "$ERR" '--tag "rel/UPPER" is not an image reference' "all at once"
expect_contains "$ERR" '--platform "windows/amd64" is not a platform hoist builds' "all at once"
note "$rows refusals, the engine unchanged after each"
