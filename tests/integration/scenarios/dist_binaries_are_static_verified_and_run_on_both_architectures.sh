#!/usr/bin/env bash
# make dist's release binaries: dist/SHA256SUMS verifies them, both are fully static and of
# their architecture, amd64 is this checkout's build, and arm64 — cross-compiled — runs under
# QEMU (qemu-aarch64-static, not relying on binfmt_misc): version, --help, and a real doctor
# against the engine socket.
source "$(dirname "$0")/../common.sh"
require_binary
cd "$ROOT/dist" 2>/dev/null || fail "no dist/ (make dist)"
sha256sum --quiet -c SHA256SUMS || fail "dist/ does not match SHA256SUMS"
expect_eq "hoist-linux-amd64 hoist-linux-arm64" "$(awk '{print $2}' SHA256SUMS | sort | tr '\n' ' ' | sed 's/ $//')" "SHA256SUMS names"
file -b hoist-linux-amd64 | grep -q 'statically linked' || fail "amd64 not static: $(file -b hoist-linux-amd64)"
file -b hoist-linux-amd64 | grep -q 'x86-64' || fail "amd64 binary is not x86-64: $(file -b hoist-linux-amd64)"
file -b hoist-linux-arm64 | grep -q 'statically linked' || fail "arm64 not static: $(file -b hoist-linux-arm64)"
file -b hoist-linux-arm64 | grep -q 'ARM aarch64' || fail "arm64 binary is not aarch64: $(file -b hoist-linux-arm64)"
[ "$(dpkg --print-architecture)" != amd64 ] || cmp -s hoist-linux-amd64 "$HOIST" || fail "dist/hoist-linux-amd64 is not out/hoist"
for b in hoist-linux-amd64 hoist-linux-arm64; do
  size=$(stat -c %s "$b")
  [ "$size" -lt $((12 * 1024 * 1024)) ] || fail "$b is $size bytes, over the 12 MB target"
done

qemu=/usr/bin/qemu-aarch64-static
[ -x "$qemu" ] || skip "no $qemu (scripts/deps test)"
out=$("$qemu" ./hoist-linux-arm64 version) || fail "arm64 version: $out"
expect_contains "$out" "hoist $(cat "$ROOT/VERSION")" "arm64 version"
expect_contains "$out" "platform:       linux/arm64" "arm64 platform"
expect_contains "$out" "static" "arm64 linkage"
out=$("$qemu" ./hoist-linux-arm64 --help) || fail "arm64 --help: $out"
expect_contains "$out" "Usage: hoist COMMAND" "arm64 help"
require_engine
set +e
out=$("$qemu" ./hoist-linux-arm64 doctor 2>&1); rc=$?
set -e
expect_eq 0 "$rc" "arm64 doctor's exit code ($out)"
expect_contains "$out" "ok    engine        Docker $(docker version --format '{{.Server.Version}}')" "arm64 doctor reached the engine"
