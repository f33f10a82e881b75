#!/usr/bin/env bash
# A command of the design that is not implemented yet says so (exit 69), never pretends.
source "$(dirname "$0")/../common.sh"
require_binary

listed=$("$HOIST" --help)
checked=0
for cmd in setup build teardown run inspect doctor plan; do
  # A command that help lists is implemented; the others must say they are not.
  grep -q "^  $cmd " <<<"$listed" && continue
  checked=$((checked + 1))
  run_hoist "$cmd"
  expect_eq 69 "$RC" "exit code of hoist $cmd"
  expect_contains "$ERR" "hoist: error: 'hoist $cmd' is not supported yet" "message of hoist $cmd"
done
[ $checked -gt 0 ] || note "every command of the design is implemented; nothing left to check"
