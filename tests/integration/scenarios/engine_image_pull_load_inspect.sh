#!/usr/bin/env bash
# Images: pull from a registry (a loopback docker-registry the engine trusts), inspect, remove;
# a pull of a missing tag fails with the registry's word; load of a docker-save tar reports
# the loaded image; load of garbage fails although the engine answers 200.
source "$(dirname "$0")/../common.sh"
require_engine
require_probe
command -v docker-registry >/dev/null || skip "Debian's docker-registry is not installed (scripts/deps test)"
[ -x /bin/busybox ] || skip "no static busybox to make an image from (busybox-static)"

# A tiny image made from the host's static busybox.
mkdir -p "$WORK/root/bin"
cp /bin/busybox "$WORK/root/bin/busybox"
ln -s busybox "$WORK/root/bin/sh"
img=hoist.local/it-pull-$$:v1
on_exit "docker rmi -f $img"
tar -C "$WORK/root" -c . | docker import - "$img" >/dev/null

# A registry on loopback, which the engine treats as insecure by default.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$WORK/registry.yml" <<YML
version: 0.1
log: {level: warn}
storage: {filesystem: {rootdirectory: $WORK/storage}}
http: {addr: 127.0.0.1:$port}
YML
docker-registry serve "$WORK/registry.yml" >"$WORK/registry.log" 2>&1 &
on_exit "kill $!"
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done
ref=127.0.0.1:$port/hoist/it:v1
on_exit "docker rmi -f $ref"
docker tag "$img" "$ref"
docker push -q "$ref" >/dev/null
docker save "$img" >"$WORK/img.tar"
docker rmi "$ref" "$img" >/dev/null

"$PROBE" image-pull "$ref" >"$WORK/pull.out"
expect_contains "$(cat "$WORK/pull.out")" "Digest: sha256:" "pull progress"
expect_eq "[\"$ref\"]" "$("$PROBE" image-inspect "$ref" | jq -c .RepoTags)" "inspect after pull"
expect_eq 1 "$("$PROBE" image-rm "$ref")" "remove"
expect_eq null "$("$PROBE" image-inspect "$ref")" "inspect of a removed image"

set +e
"$PROBE" image-pull "127.0.0.1:$port/hoist/it:missing" >/dev/null 2>"$WORK/err"; rc=$?
set -e
expect_eq 1 "$rc" "pull of a missing tag fails"
expect_contains "$(cat "$WORK/err")" "manifest unknown" "the registry's message"

expect_eq "loaded $img" "$("$PROBE" image-load <"$WORK/img.tar")" "load reports the image"
expect_eq "[\"$img\"]" "$("$PROBE" image-inspect "$img" | jq -c .RepoTags)" "inspect after load"

set +e
head -c 5000 /dev/urandom | "$PROBE" image-load >/dev/null 2>"$WORK/err"; rc=$?
set -e
expect_eq 1 "$rc" "load of garbage fails"
