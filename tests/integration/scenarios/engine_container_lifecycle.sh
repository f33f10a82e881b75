#!/usr/bin/env bash
# Containers: create (409 on a taken name), start (twice is fine), inspect, list by label and
# name, logs, stop, remove (gone is not an error).
source "$(dirname "$0")/../common.sh"
require_testenv
require_probe

name=hoist-it-ctr-$$
on_exit "docker rm -f -v $name"
cfg='{"Image":"'$HOIST_TEST_BUILDKIT_IMAGE'","Entrypoint":["sh","-c","echo started; echo oops >&2; sleep 600"],"Labels":{"hoist.it":"'$name'"}}'
id=$("$PROBE" container-create "$name" "$cfg")
[ ${#id} -eq 64 ] || fail "create returned no id: $id"
set +e
"$PROBE" container-create "$name" "$cfg" >/dev/null 2>"$WORK/err"; rc=$?
set -e
expect_eq 1 "$rc" "second create with the same name fails"
expect_contains "$(cat "$WORK/err")" "status 409" "name conflict is a 409"

"$PROBE" container-start "$name"
"$PROBE" container-start "$name" # already running: not an error
expect_eq true "$("$PROBE" container-inspect "$name" | jq -r .State.Running)" "running after start"
expect_eq "${id:0:12}" "$("$PROBE" container-ls label "hoist.it=$name")" "list by label"
expect_eq "${id:0:12}" "$("$PROBE" container-ls name "$name")" "list by name"
for _ in 1 2 3 4 5 6 7 8 9 10; do
  logs=$("$PROBE" container-logs "$name")
  case "$logs" in *oops*) break ;; esac
  sleep 0.3
done
expect_contains "$logs" "started" "logs carry stdout"
expect_contains "$logs" "oops" "logs carry stderr"

"$PROBE" container-stop "$name"
expect_eq false "$("$PROBE" container-inspect "$name" | jq -r .State.Running)" "stopped"
expect_eq 1 "$("$PROBE" container-rm "$name")" "remove"
expect_eq 0 "$("$PROBE" container-rm "$name")" "removing again reports none"
expect_eq null "$("$PROBE" container-inspect "$name")" "inspect of a removed container"
