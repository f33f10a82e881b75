#!/usr/bin/env bash
# `hoist --help` lists the commands that work, hides the ones that do not yet, and every
# command's help shows its options with their HOIST_* variables.
source "$(dirname "$0")/../common.sh"
require_binary

run_hoist --help
expect_eq 0 "$RC" "exit code of --help"
expect_contains "$OUT" "Usage: hoist COMMAND" "overview"
for cmd in setup build teardown run inspect doctor plan version help; do
  expect_contains "$OUT" "  $cmd " "command list"
done

run_hoist
expect_eq 0 "$RC" "exit code with no arguments"
expect_contains "$OUT" "Usage: hoist COMMAND" "no arguments shows help"

run_hoist help version
expect_eq 0 "$RC" "exit code of help version"
expect_contains "$OUT" "Usage: hoist version" "command help"
expect_contains "$OUT" "HOIST_BUILDER" "command help names the variable"
expect_contains "$OUT" "--builder, --name NAME" "alias shown"
