#!/usr/bin/env bash
# A build whose builder was killed with it (the container SIGKILLed, its helper too) leaves its
# work dir on the kept state volume and its credential dir in the container; the next setup,
# which starts the builder again, removes both, since no build can run in a daemon that has
# just started.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
setup_builder leftover
ctr=buildx_buildkit_${BUILDER}0
mkdir -p "$WORK/ctx"
head -c 2000000 /dev/urandom >"$WORK/ctx/payload"
printf 'ARG BASE\nFROM $BASE\nCOPY payload /\nRUN sleep 20\n' >"$WORK/ctx/Dockerfile"
"$HOIST" build --builder "$BUILDER" --no-cache --build-arg "BASE=$HOIST_TEST_BASE_IMAGE" "$WORK/ctx" \
  >"$WORK/build.log" 2>&1 &
pid=$!
for i in $(seq 100); do docker top "$ctr" -eo pid,args 2>/dev/null | grep -q 'buildctl build' && break; sleep 0.2; done
docker kill "$ctr" >/dev/null
set +e; wait "$pid"; rc=$?; set -e
[ "$rc" != 0 ] || fail "the build whose builder died exited 0"
docker start "$ctr" >/dev/null # only to look: the daemon runs no build of the dead one
left=$(builder_leftovers "$ctr")
expect_contains "$left" "workdir /var/lib/buildkit/hoist-build-" "the dead build's work dir on the volume"
expect_contains "$left" "credentials tmp/hoist-build-" "the dead build's credentials in the builder"
docker stop "$ctr" >/dev/null
run_hoist setup "${SETUP_ARGS[@]}"
expect_eq 0 "$RC" "setup after the dead build ($ERR)"
expect_eq "" "$(builder_leftovers "$ctr")" "leftovers after the next setup"
fault_row "builder SIGKILLed mid-build (helper too)" "$rc" "work dir and credentials, until the next setup" "yes: cleaned"
