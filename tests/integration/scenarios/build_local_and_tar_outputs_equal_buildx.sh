#!/usr/bin/env bash
# The files an output writes, hoist's against the buildx peer's on the same builder: a tree
# with set-group-ID and sticky directories (2775, 1777), a set-user-ID file, odd modes,
# symlinks (dangling, absolute, to a directory), hard links, a 200-character name and names
# with spaces, newlines-free odd bytes and dots. -o type=local must give the same paths,
# types, modes, link targets, link counts and contents; -o type=tar the same entries.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
[ -x "$HOIST_TEST_BUILDX_CONFIG/cli-plugins/docker-buildx" ] || skip "no buildx peer"
use_builder outs
bx() { DOCKER_CONFIG=$HOIST_TEST_BUILDX_CONFIG docker buildx "$@"; }
run_hoist setup "${SETUP_ARGS[@]}"
expect_eq 0 "$RC" "setup: $ERR"
mkdir -p "$WORK/ctx"
long=$(printf 'l%.0s' $(seq 200))
cat >"$WORK/ctx/Dockerfile" <<DF
FROM $HOIST_TEST_BASE_IMAGE AS tree
RUN mkdir -p /t/shared /t/tmp /t/dir/sub && chmod 2775 /t/shared && chmod 1777 /t/tmp \\
 && echo s >/t/suid && chmod 4755 /t/suid && echo g >/t/sgid && chmod 2711 /t/sgid \\
 && echo r >/t/readonly && chmod 0400 /t/readonly && echo x >/t/dir/sub/x && chmod 0705 /t/dir \\
 && ln -s /etc/passwd /t/abs && ln -s nowhere /t/dangling && ln -s dir /t/dirlink \\
 && echo h >/t/hard1 && ln /t/hard1 /t/hard2 \\
 && echo n >"/t/$long" && echo sp >"/t/with space" && echo d >"/t/v1..2.txt" && echo e >"/t/..hidden" \\
 && echo q >"/t/q'uote" && echo u >"/t/ü-utf8"
FROM scratch
COPY --from=tree /t /
DF

for tool in hoist buildx; do
  for type in local tar; do
    dest=$WORK/$tool-$type
    [ $type = tar ] && dest=$dest.tar
    if [ $tool = hoist ]; then
      "$HOIST" build --builder "$BUILDER" --output "type=$type,dest=$dest" "$WORK/ctx" >"$WORK/$tool-$type.log" 2>&1
    else
      bx build --builder "$BUILDER" --output "type=$type,dest=$dest" "$WORK/ctx" >"$WORK/$tool-$type.log" 2>&1
    fi || fail "$tool -o type=$type: $(tail -5 "$WORK/$tool-$type.log")"
  done
done

# listing DIR: every entry's path, type, mode (special bits too), link count, link target and
# content digest, sorted.
listing() {
  (cd "$1" && find . -mindepth 1 -printf '%p|%y|%#m|%n|%l|' -exec sh -c \
    '[ -f "$1" ] && [ ! -L "$1" ] && sha256sum <"$1" | cut -c1-16 || echo' _ {} \; | sort)
}
listing "$WORK/hoist-local" >"$WORK/hoist-local.txt"
listing "$WORK/buildx-local" >"$WORK/buildx-local.txt"
diff "$WORK/buildx-local.txt" "$WORK/hoist-local.txt" >"$WORK/local.diff" \
  || fail "-o type=local differs from buildx's (< buildx, > hoist): $(cat "$WORK/local.diff")"
# The listing shows what it claims to compare.
expect_contains "$(cat "$WORK/hoist-local.txt")" "./shared|d|02775|" "the set-group-ID directory"
expect_contains "$(cat "$WORK/hoist-local.txt")" "./tmp|d|01777|" "the sticky directory"
expect_contains "$(cat "$WORK/hoist-local.txt")" "./hard1|f|0644|2|" "the hard link's count"
expect_contains "$(cat "$WORK/hoist-local.txt")" "./dangling|l|0777|1|nowhere|" "the dangling symlink"

tar_listing() { tar -tvf "$1" --numeric-owner --full-time | awk '{ $4 = ""; $5 = ""; print }' | sort; }
tar_listing "$WORK/hoist-tar.tar" >"$WORK/hoist-tar.txt"
tar_listing "$WORK/buildx-tar.tar" >"$WORK/buildx-tar.txt"
diff "$WORK/buildx-tar.txt" "$WORK/hoist-tar.txt" >"$WORK/tar.diff" \
  || fail "-o type=tar differs from buildx's (< buildx, > hoist): $(cat "$WORK/tar.diff")"
expect_contains "$(cat "$WORK/hoist-tar.txt")" "drwxrwsr-x" "the tar's set-group-ID directory"
