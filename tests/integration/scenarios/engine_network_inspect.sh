#!/usr/bin/env bash
# Network inspect: the default bridge is found with its id and driver; a missing network is
# nothing rather than an error.
source "$(dirname "$0")/../common.sh"
require_engine
require_probe

"$PROBE" network-inspect bridge >"$WORK/net.json"
expect_eq "$(docker network inspect bridge -f '{{.Id}}')" "$(jq -r .Id "$WORK/net.json")" "bridge id"
expect_eq bridge "$(jq -r .Driver "$WORK/net.json")" "bridge driver"
expect_eq null "$("$PROBE" network-inspect hoist-no-such-net-$$)" "missing network"
