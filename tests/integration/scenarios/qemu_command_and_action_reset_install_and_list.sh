#!/usr/bin/env bash
# docker/setup-qemu-action's job alone: `hoist qemu` registers the emulators of --platform,
# removes every registered one first with --reset, and prints the platforms the engine runs
# (native first, in the binfmt image's order); the QEMU action does the same under act with
# setup-qemu-action's defaults (platforms: all) and sets its platforms output; a build step
# after a setup step with no platforms registers the emulator its own platform needs, and the
# job's summary has one block, the build's. The kernel's
# registrations are the machine's: the ones there before are put back at the end.
# test: serial — resets and registers binfmt_misc
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
[ "$(id -u)" = 0 ] || skip "registering binfmt_misc entries needs root"
[ -w /proc/sys/fs/binfmt_misc/register ] || skip "binfmt_misc is not mounted writable"
[ -x /usr/bin/qemu-s390x-static ] || skip "no qemu-user-static (scripts/deps test installs it)"
[ "$(uname -m)" = x86_64 ] || skip "the expected lists are an amd64 engine's"
source "$ROOT/tests/integration/act.sh"
BINFMT=/proc/sys/fs/binfmt_misc
mapfile -t before < <(cd "$BINFMT" && ls -1 | grep '^qemu-' || true)
restore_binfmt() {
  local e n
  for e in "$BINFMT"/qemu-*; do [ -e "$e" ] && echo -1 >"$e"; done
  for n in "${before[@]}"; do grep -v '^#' "/usr/lib/binfmt.d/$n.conf" >"$BINFMT/register"; done
}
on_exit restore_binfmt
has_f() { grep -q '^flags:.*F' "$BINFMT/qemu-$1" 2>/dev/null; }

[ ! -e "$BINFMT/qemu-s390x" ] || echo -1 >"$BINFMT/qemu-s390x"
run_hoist qemu --platform linux/s390x --qemu host
expect_eq 0 "$RC" "qemu --platform linux/s390x: $ERR"
expect_contains "$ERR" "QEMU: registered s390x with the host's qemu-user-static" "registers what is missing"
has_f s390x || fail "s390x is not registered with the F flag"
expect_contains ",$OUT," ",linux/s390x," "the emulated platform is listed"
expect_contains ",$OUT," ",linux/amd64," "the native platform is listed"

run_hoist qemu --reset --platform riscv64 --qemu host
expect_eq 0 "$RC" "qemu --reset: $ERR"
expect_contains "$ERR" "QEMU: removed" "says what it removed"
expect_contains "$ERR" "qemu-s390x" "the s390x registration was among them"
[ ! -e "$BINFMT/qemu-s390x" ] || fail "--reset left qemu-s390x"
[ ! -e "$BINFMT/qemu-aarch64" ] || fail "--reset left qemu-aarch64"
has_f riscv64 || fail "riscv64 is not registered again after the reset"
expect_eq "linux/amd64,linux/riscv64,linux/386" "$OUT" "the platforms the engine runs after the reset"

run_hoist qemu --platform linux/vax
expect_eq 64 "$RC" "an unknown platform"
expect_contains "$ERR" '--platform "linux/vax"' "names the input"
run_hoist qemu --qemu off
expect_eq 64 "$RC" "--qemu off"
expect_contains "$ERR" "--qemu=off registers nothing" "names the input"

# The action with its defaults: every emulator the host has, after removing all.
want=linux/amd64
for p in arm64:aarch64 riscv64:riscv64 ppc64le:ppc64le s390x:s390x 386: mips64le:mips64el \
         mips64:mips64 loong64:loongarch64 arm/v7:arm arm/v6:arm; do
  q=${p#*:}
  if [ -z "$q" ] || { [ -x "/usr/bin/qemu-$q-static" ] && [ -f "/usr/lib/binfmt.d/qemu-$q.conf" ]; }; then
    want+=",linux/${p%%:*}"
  fi
done
id=$$
act_cleanup_builder "qsplit-$id"
act_repo qemu.yml
mkdir -p "$ACT_REPO/app"
# sleep is one of busybox's applets: it runs only where the registration keeps argv[0].
printf 'ARG BASE\nFROM $BASE\nRUN sleep 0 && uname -m >/built\nFROM scratch\nCOPY --from=0 /built /built\n' >"$ACT_REPO/app/Dockerfile"
act_commit
# The engine cannot run arm64 until the build step registers it.
[ ! -e "$BINFMT/qemu-aarch64" ] || echo -1 >"$BINFMT/qemu-aarch64"
release_server
act_run qemu.yml --env "HOIST_TEST_WANT_PLATFORMS=$want"
act_job_succeeded split
split_log=$(grep '/split *\]' "$ACT_LOG")
expect_contains "$split_log" "QEMU: registered aarch64" "the build step registered the emulator its platform needs"
expect_contains "$split_log" "built=aarch64" "the build ran for arm64"
expect_eq 1 "$(grep -c 'Summary - ## hoist' <<<"$split_log")" "one summary block for the job (the build's): $(grep 'Summary - ' <<<"$split_log")"
expect_contains "$split_log" "Summary - ## hoist build" "the block is the build's"
act_job_succeeded qemu
expect_not_contains "$(grep '/qemu *\]' "$ACT_LOG")" "Summary - " "no summary block from the QEMU step"
expect_contains "$ACT_OUT" "available=$want" "the platforms output"
has_f aarch64 || fail "the action did not register aarch64"
expect_contains "$(cat "$BINFMT/qemu-aarch64")" "interpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P" "registered by hoist after the reset, Debian's wrapper kept"
expect_contains "$ACT_OUT" "QEMU: removed" "the action's reset"
