#!/usr/bin/env bash
# Volumes: create with labels (again returns the same), inspect, list by label, a volume in
# use refuses removal (409), remove, inspect of a missing one is nothing.
source "$(dirname "$0")/../common.sh"
require_testenv
require_probe

vol=hoist-it-vol-$$
on_exit "docker volume rm -f $vol"
"$PROBE" volume-create "$vol" "hoist.it=$$" | jq -e --arg v "$vol" '.Name == $v' >/dev/null || fail "create"
"$PROBE" volume-create "$vol" "hoist.it=$$" >/dev/null || fail "create again returns the existing volume"
expect_eq "$$" "$("$PROBE" volume-inspect "$vol" | jq -r '.Labels["hoist.it"]')" "label"
expect_eq "$vol" "$("$PROBE" volume-ls "hoist.it=$$")" "list by label"

ctr=hoist-it-volctr-$$
on_exit "docker rm -f -v $ctr"
docker create --name "$ctr" -v "$vol:/data" "$HOIST_TEST_BUILDKIT_IMAGE" >/dev/null
set +e
"$PROBE" volume-rm "$vol" 2>"$WORK/err"; rc=$?
set -e
expect_eq 1 "$rc" "removing a volume in use fails"
expect_contains "$(cat "$WORK/err")" "status 409" "in use is a 409"
docker rm -f -v "$ctr" >/dev/null
expect_eq 1 "$("$PROBE" volume-rm "$vol")" "remove"
expect_eq 0 "$("$PROBE" volume-rm "$vol")" "remove again reports none"
expect_eq null "$("$PROBE" volume-inspect "$vol")" "inspect of a missing volume"
