#!/usr/bin/env bash
# The buildkitd config and the registry CA it names are copied into the builder before it
# starts, at buildx's paths, with the TOML pointing at the copies; buildkitd runs with it.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
use_builder cfg
ctr=buildx_buildkit_${BUILDER,,}0

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=reg -keyout "$WORK/key.pem" -out "$WORK/ca.pem" 2>/dev/null
cat >"$WORK/buildkitd.toml" <<TOML
# a comment
[registry."$HOIST_TEST_REGISTRY"]
  http = true
  insecure = true
[registry."myreg.example:5000"]
  ca = ["$WORK/ca.pem"]
TOML
run_hoist setup --builder "$BUILDER" --driver-opt "image=$HOIST_TEST_BUILDKIT_IMAGE" --buildkitd-config "$WORK/buildkitd.toml"
expect_eq 0 "$RC" "setup: $ERR"
expect_eq "$(cat "$WORK/ca.pem")" "$(docker exec "$ctr" cat /etc/buildkit/certs/myreg.example_5000/ca.pem)" "CA copied"
toml=$(docker exec "$ctr" cat /etc/buildkit/buildkitd.toml)
expect_contains "$toml" 'ca = ["/etc/buildkit/certs/myreg.example_5000/ca.pem"]' "CA path rewritten"
expect_contains "$(docker inspect -f '{{json .Config.Cmd}}' "$ctr")" '"--config","/etc/buildkit/buildkitd.toml"' "--config passed"
expect_eq "0755 0644" "$(docker exec "$ctr" stat -c %a /etc/buildkit/certs | sed 's/^/0/') $(docker exec "$ctr" stat -c %a /etc/buildkit/buildkitd.toml | sed 's/^/0/')" "modes"

run_hoist setup --builder "$BUILDER" --driver-opt "image=$HOIST_TEST_BUILDKIT_IMAGE" \
  --buildkitd-config-inline "[registry.\"x\"]
  ca = [\"$WORK/missing.pem\"]"
expect_eq 64 "$RC" "a CA that does not exist"
expect_contains "$ERR" "buildkitd config --buildkitd-config-inline:2: cannot read the ca file \"$WORK/missing.pem\"" "names file and line"
