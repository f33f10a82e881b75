#!/usr/bin/env bash
# setup --platform registers QEMU only for platforms that are neither native nor registered
# with the F flag: --qemu host writes the host's qemu-user-static with F, and the builder then
# lists the platform; nothing is done when nothing is needed; --qemu off warns; an installer
# image that cannot be had fails clearly before the builder is made. A build whose setup
# registered nothing (setup and build as separate steps, the platforms on the build's) registers
# what it needs itself.
# test: serial — removes and registers binfmt_misc entries
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
[ "$(id -u)" = 0 ] || skip "registering binfmt_misc entries needs root"
[ -w /proc/sys/fs/binfmt_misc/register ] || skip "binfmt_misc is not mounted writable"
[ -x /usr/bin/qemu-s390x-static ] || skip "no qemu-user-static (scripts/deps test installs it)"
use_builder qemu
entry=/proc/sys/fs/binfmt_misc/qemu-s390x
[ ! -e "$entry" ] || echo -1 >"$entry" # start from a kernel without s390x
on_exit "[ -e $entry ] && echo -1 > $entry"

run_hoist setup "${SETUP_ARGS[@]}" --platform linux/amd64,linux/arm64 --platform linux/s390x --qemu host
expect_eq 0 "$RC" "setup: $ERR"
expect_contains "$ERR" "QEMU: registered s390x with the host's qemu-user-static" "registers what is missing"
expect_not_contains "$ERR" "registered aarch64" "arm64 was registered already"
expect_contains "$(grep ^flags "$entry")" "F" "registered with the F flag"
expect_contains "$(cat "$entry")" "interpreter /usr/libexec/qemu-binfmt/s390x-binfmt-P" "the host's emulator, through Debian's wrapper that keeps argv[0]"
expect_contains "$(cat "$entry")" "flags: PO" "argv[0] preserved (P), as Debian registers it"
expect_contains "$OUT" "linux/s390x" "the builder lists the emulated platform"

"$HOIST" teardown --builder "$BUILDER" >/dev/null
run_hoist setup "${SETUP_ARGS[@]}" --platform linux/s390x,linux/386 --qemu host
expect_eq 0 "$RC" "setup with nothing to do"
expect_contains "$ERR" "QEMU: linux/s390x already emulated" "nothing done when registered"
"$HOIST" teardown --builder "$BUILDER" >/dev/null

echo -1 >"$entry"
run_hoist setup "${SETUP_ARGS[@]}" --platform linux/s390x --qemu off
expect_eq 0 "$RC" "setup with --qemu off"
expect_contains "$ERR" "hoist: warning: QEMU: no emulator registered for s390x and --qemu=off" "warning"
[ ! -e "$entry" ] || fail "--qemu off registered something"
"$HOIST" teardown --builder "$BUILDER" >/dev/null

run_hoist setup "${SETUP_ARGS[@]}" --platform linux/s390x --qemu image --qemu-image hoist.local/no-binfmt:1
expect_eq 69 "$RC" "an installer image that cannot be had"
expect_contains "$ERR" "cannot pull the QEMU installer image \"hoist.local/no-binfmt:1\"" "message"
expect_contains "$ERR" "hint: --qemu host" "hint"
expect_eq "" "$(docker ps -aq --filter name=buildx_buildkit_${BUILDER,,}0)" "no builder made after the failure"

# The split form: setup asks for no platform, the build for s390x.
run_hoist setup "${SETUP_ARGS[@]}"
expect_eq 0 "$RC" "setup without platforms: $ERR"
[ ! -e "$entry" ] || fail "setup without platforms registered s390x"
mkdir -p "$WORK/ctx"
echo s390x >"$WORK/ctx/f"
printf 'FROM scratch\nCOPY f /f\n' >"$WORK/ctx/Dockerfile"
run_hoist build --builder "$BUILDER" --platform linux/s390x --qemu host -o "type=local,dest=$WORK/out" "$WORK/ctx"
expect_eq 0 "$RC" "build for s390x after a setup without it: $ERR"
expect_contains "$ERR" "QEMU: registered s390x with the host's qemu-user-static" "the build registers what it needs"
expect_contains "$(grep ^flags "$entry")" "F" "registered by the build with the F flag"
expect_eq s390x "$(cat "$WORK/out/f")" "the s390x build's output"
run_hoist build --builder "$BUILDER" --platform linux/s390x -o "type=local,dest=$WORK/out2" "$WORK/ctx"
expect_eq 0 "$RC" "a second s390x build: $ERR"
expect_not_contains "$ERR" "QEMU: registered" "nothing registered when nothing is needed"
"$HOIST" teardown --builder "$BUILDER" >/dev/null

run_hoist setup "${SETUP_ARGS[@]}" --platform linux/vax
expect_eq 64 "$RC" "an unknown platform"
expect_contains "$ERR" '--platform "linux/vax" names no architecture Linux runs on' "message"
