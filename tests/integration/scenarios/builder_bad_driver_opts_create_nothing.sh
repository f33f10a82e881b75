#!/usr/bin/env bash
# Bad driver-opts and setup options are refused before any engine call: exit 64, every
# problem on its own line naming the option and the accepted form, and nothing created.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
use_builder bad
export DOCKER_HOST=unix:///nonexistent.sock # proves no engine call happens before the check

run_hoist setup --builder "$BUILDER" --driver-opt memory=lots,cpu-quota=fast \
  --driver-opt default-load=yes --driver-opt memroy=1g --driver-opt env.=x \
  --driver-opt restart-policy=sometimes --driver-opt memory-swap=2g --driver-opt cpuset-cpus=a-b \
  --driver-opt bogus --buildkitd-flags "--debug 'unclosed" --image-pull sometimes \
  --bootstrap-timeout soon --buildkitd-config /nonexistent.toml \
  --result-file /nonexistent-dir/result.json --capture-env /nonexistent-dir/ci.json
expect_eq 64 "$RC" "exit code"
for want in \
  '--driver-opt memory="lots" is not a size' \
  '--driver-opt cpu-quota="fast" must be microseconds' \
  '--driver-opt default-load="yes" must be true or false' \
  'unknown driver-opt "memroy" for the docker-container driver; did you mean "memory"?' \
  '--driver-opt "env.=x" names no variable: use env.NAME=VALUE' \
  '--driver-opt restart-policy="sometimes" must be no, always, unless-stopped or on-failure' \
  '--driver-opt cpuset-cpus="a-b" must list CPUs' \
  '--driver-opt "bogus" is not KEY=VALUE' \
  '--buildkitd-flags "--debug '"'"'unclosed" does not split into words' \
  '--image-pull "sometimes" must be one of always, missing, never' \
  '--bootstrap-timeout "soon" is not a duration' \
  '--buildkitd-config "/nonexistent.toml" does not exist' \
  '--result-file "/nonexistent-dir/result.json" is in a directory that does not exist' \
  '--capture-env "/nonexistent-dir/ci.json" is in a directory that does not exist'; do
  expect_contains "$ERR" "hoist: error: $want" "problem"
done
expect_contains "$ERR" "hoist: see 'hoist setup --help'" "guidance"
unset DOCKER_HOST
expect_eq "" "$(docker ps -aq --filter name=buildx_buildkit_${BUILDER,,}0)" "containers created"
expect_eq "" "$(docker volume ls -q --filter name=buildx_buildkit_${BUILDER,,}0_state)" "volumes created"
[ ! -e "$BUILDX_CONFIG/instances/${BUILDER,,}" ] || fail "a buildx store entry was written"
