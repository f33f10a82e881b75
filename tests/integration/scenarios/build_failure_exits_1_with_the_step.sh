#!/usr/bin/env bash
# A failing RUN: exit 1 (the user's build failed), the failing step and its log tail shown,
# no work directory left in the builder. Bad options: 64, all problems at once, nothing sent.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
setup_builder fail
mkdir -p "$WORK/ctx"
printf 'FROM %s\nRUN echo about-to-fail && exit 3\n' "$HOIST_TEST_BASE_IMAGE" >"$WORK/ctx/Dockerfile"
run_hoist build --builder "$BUILDER" "$WORK/ctx"
expect_eq 1 "$RC" "exit code of a failed build"
expect_contains "$ERR" "about-to-fail" "the step's log"
expect_contains "$ERR" "RUN echo about-to-fail && exit 3" "the failing step"
expect_contains "$ERR" "hoist: error: the build failed" "error line"
expect_contains "$ERR" "hoist: error: Dockerfile:2: step \"[2/2] RUN echo about-to-fail && exit 3\"" "the Dockerfile line"
expect_eq "" "$(docker exec "buildx_buildkit_${BUILDER,,}0" sh -c 'ls -d /tmp/hoist-build-* /var/lib/buildkit/hoist-build-* /dev/shm/hoist-build-* 2>/dev/null')" "work dirs left"

SSH_AUTH_SOCK= run_hoist build --builder "$BUILDER" --push --output type=bogus --secret id=x,env=NOPE_$$ \
  --cache-to type=registry --add-host nohost --ssh=default "$WORK/nothere"
expect_eq 64 "$RC" "bad options"
for want in 'the build context "'"$WORK"'/nothere" is not a directory' \
  '--push needs at least one --tag' '--output type="bogus" is not one of' \
  "--secret id=x: the variable NOPE_$$ is not set" '--cache-to type=registry needs ref=IMAGE' \
  '--add-host "nohost" is not HOST:IP' '--ssh default forwards the ssh agent, and SSH_AUTH_SOCK is not set'; do
  expect_contains "$ERR" "$want" "problem"
done

run_hoist build --builder "no-such-builder-$$" "$WORK/ctx"
expect_eq 69 "$RC" "no builder"
expect_contains "$ERR" "hint: hoist setup --builder no-such-builder-$$ makes it" "hint"
