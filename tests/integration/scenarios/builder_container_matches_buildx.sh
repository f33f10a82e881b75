#!/usr/bin/env bash
# For a set of driver-opts, the container hoist creates equals, field by field, the one the
# buildx peer creates in the same run (and the golden record of real buildx). The only
# difference allowed is the security mode an engine that refuses privileged containers forces.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
[ -x "$HOIST_TEST_BUILDX_CONFIG/cli-plugins/docker-buildx" ] || skip "no buildx peer"
use_builder match
peer=peer$$
bx() { DOCKER_CONFIG=$HOIST_TEST_BUILDX_CONFIG BUILDX_CONFIG=$WORK/buildx-peer docker buildx "$@"; }
on_exit "DOCKER_CONFIG=$HOIST_TEST_BUILDX_CONFIG BUILDX_CONFIG=$WORK/buildx-peer docker buildx rm $peer; docker rm -f -v buildx_buildkit_${peer}0; docker volume rm -f buildx_buildkit_${peer}0_state"

compare() { # OPTS...: create both with these driver-opts, compare the fields buildx sets
  local opts=("$@") args=()
  for o in "${opts[@]}"; do args+=(--driver-opt "$o"); done
  bx rm "$peer" >/dev/null 2>&1 || true
  docker rm -f -v "buildx_buildkit_${peer}0" >/dev/null 2>&1 || true
  bx create --name "$peer" --driver docker-container "${args[@]}" >/dev/null
  # buildx creates the container on bootstrap; on an engine that refuses privileged containers
  # its start fails, but the container it created is there to compare.
  bx inspect --bootstrap "$peer" >/dev/null 2>&1 || true
  docker inspect "buildx_buildkit_${peer}0" >"$WORK/peer.json" || fail "buildx created no container for ${opts[*]}"
  run_hoist setup --builder "$BUILDER" "${args[@]}"
  expect_eq 0 "$RC" "hoist setup ${opts[*]}: $ERR"
  docker inspect "buildx_buildkit_${BUILDER,,}0" >"$WORK/hoist.json"
  local fields='.[0] | {Image: .Config.Image, Cmd: .Config.Cmd, Entrypoint: .Config.Entrypoint,
    Env: ((.Config.Env // []) - (.Config.Env // [] | map(select(startswith("PATH=") or startswith("BUILDKIT_HOST=")))) | sort),
    Init: .HostConfig.Init, RestartPolicy: .HostConfig.RestartPolicy, NetworkMode: .HostConfig.NetworkMode,
    CgroupParent: .HostConfig.CgroupParent, Memory: .HostConfig.Memory, MemorySwap: .HostConfig.MemorySwap,
    CpuQuota: .HostConfig.CpuQuota, CpuPeriod: .HostConfig.CpuPeriod, CpuShares: .HostConfig.CpuShares,
    CpusetCpus: .HostConfig.CpusetCpus, CpusetMems: .HostConfig.CpusetMems, UsernsMode: .HostConfig.UsernsMode,
    StateMount: [.HostConfig.Mounts[] | select(.Type=="volume") | {Type, Target}]}'
  local a b
  a=$(jq -S "$fields" "$WORK/peer.json"); b=$(jq -S "$fields" "$WORK/hoist.json")
  [ "$a" = "$b" ] || fail "containers differ for ${opts[*]}: $(diff <(echo "$a") <(echo "$b"))"
  expect_eq "buildx_buildkit_${BUILDER,,}0_state" \
    "$(jq -r '.[0].HostConfig.Mounts[] | select(.Type=="volume") | .Source' "$WORK/hoist.json")" "state volume name"
  if [ "$HOIST_TEST_PRIVILEGED" = 1 ]; then
    expect_eq true "$(jq -r '.[0].HostConfig.Privileged' "$WORK/hoist.json")" "privileged like buildx"
  else
    expect_eq '["ALL"]' "$(jq -c '.[0].HostConfig.CapAdd' "$WORK/hoist.json")" "capability fallback"
  fi
  "$HOIST" teardown --builder "$BUILDER" >/dev/null
  note "same container as buildx for ${opts[*]}"
}

img=$HOIST_TEST_BUILDKIT_IMAGE
compare "image=$img" "memory=512m" "cpu-quota=50000" "env.FOO=bar" "network=host"
compare "image=$img" "cgroup-parent=/foo" "restart-policy=on-failure:3" "memory=1g" "memory-swap=2g" \
  "cpuset-cpus=0" "cpu-shares=512" "cpu-period=100000"
compare "image=$img"

# The golden record of what real buildx created for the first set, on the same engine version.
golden=$ROOT/../shared/golden/buildx-container-config.json
if [ -f "$golden" ]; then
  run_hoist setup --builder "$BUILDER" --driver-opt "image=$img,memory=512m,cpu-quota=50000,env.FOO=bar,network=host"
  docker inspect "buildx_buildkit_${BUILDER,,}0" >"$WORK/hoist.json"
  want=$(jq -S '.cases[0].HostConfig | {RestartPolicy, CgroupParent, Memory, MemorySwap, CpuQuota, Init, NetworkMode}' "$golden")
  got=$(jq -S '.[0].HostConfig | {RestartPolicy, CgroupParent, Memory, MemorySwap, CpuQuota, Init, NetworkMode}' "$WORK/hoist.json")
  [ "$want" = "$got" ] || fail "differs from the golden buildx record: $(diff <(echo "$want") <(echo "$got"))"
  expect_eq '["--allow-insecure-entitlement=network.host"]' "$(jq -c '.[0].Config.Cmd' "$WORK/hoist.json")" "Cmd as golden"
fi
