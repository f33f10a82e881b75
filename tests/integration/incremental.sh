# tests/integration/incremental.sh — the incremental context's checks (issue 26), for a mirror
# on the state volume (a context too large for the builder's memory) and one in the builder's
# memory (a small context): build_incremental_context_*. Source after common.sh, with MIRROR_AT
# set to "volume" or "memory".
#
# What RUN sees of the context must be the context after .dockerignore, every time: after each
# change below, hoist's build and the buildx peer's build of the same directory on the same
# builder list the same entries (type, mode, size, mtime, link target) and contents:
# - a file rewritten with the same size; - a file removed, another renamed;
# - a mode changed, a symlink retargeted; - a file replaced by a directory and the other way;
# - a directory excluded by .dockerignore; - two builds of the context at once (one takes the
#   mirror, the other sends the context whole), beside a build of another context;
# - a file with a whole-second mtime rewritten with the same size and time (hoist sees it where
#   BuildKit's own sync, and so buildx, keeps the old bytes).
# Each hoist build says how many files it sent: only the changed ones once the mirror is warm.
# Once it is, a build tells the difference from the mirror's manifest as this machine kept it
# (no listing); a kept manifest that is not the mirror's (a build from elsewhere, one cut short)
# is refused by the helper's check and the mirror listed: the build still sees the context.
# shellcheck shell=bash

case ${MIRROR_AT:-} in
  volume) LARGE_BYTES=9000000 MIRRORS=/var/lib/buildkit/hoist-mirror ;; # over the memory's 8 MiB
  memory) LARGE_BYTES=200000 MIRRORS=/dev/shm/hoist-mirror ;;
  *) fail "MIRROR_AT: volume or memory, not '${MIRROR_AT:-}'" ;;
esac

export XDG_CACHE_HOME=$WORK/cache # the kept manifests, this scenario's own
[ -x "$HOIST_TEST_BUILDX_CONFIG/cli-plugins/docker-buildx" ] || fail "no buildx peer"
setup_builder incr
c=$WORK/ctx
mkdir -p "$c/src/deep" "$c/dir-to-file" "$c/cache"
head -c "$LARGE_BYTES" /dev/urandom >"$c/large"
for i in $(seq 1 40); do echo "file $i" >"$c/src/f$i"; done
echo keep >"$c/src/deep/keep"
echo x >"$c/dir-to-file/inner"
echo "to be a dir" >"$c/file-to-dir"
echo cached >"$c/cache/c"
ln -s src/f1 "$c/link"
printf 'FROM %s\nRUN --mount=type=bind,target=/ctx cd /ctx && find . -mindepth 1 | sort | xargs stat -c "%%n %%F %%a %%s %%Y %%N" >/out && find . -type f ! -name large | sort | xargs md5sum >>/out && md5sum large >>/out\nFROM scratch\nCOPY --from=0 /out /out\n' \
  "$HOIST_TEST_BASE_IMAGE" >"$c/Dockerfile"
bx() { DOCKER_CONFIG=$HOIST_TEST_BUILDX_CONFIG docker buildx "$@"; }

# same STEP WANT-CHANGED: hoist and buildx see the same context; hoist sent WANT-CHANGED files
# ("" for any number).
same() {
  local step=$1 want=$2
  run_hoist build --builder "$BUILDER" --debug --progress plain -o "type=local,dest=$WORK/h-$step" "$c"
  expect_eq 0 "$RC" "$step: hoist build: $ERR"
  bx build --builder "$BUILDER" --progress plain -o "type=local,dest=$WORK/b-$step" "$c" \
    >"$WORK/b-$step.log" 2>&1 || fail "$step: buildx build: $(tail -5 "$WORK/b-$step.log")"
  [ "$(cat "$WORK/h-$step/out")" = "$(cat "$WORK/b-$step/out")" ] ||
    fail "$step: RUN sees another context from hoist than from buildx: $(diff "$WORK/b-$step/out" "$WORK/h-$step/out")"
  local sent
  sent=$(grep -o 'files ([0-9]* changed)' <<<"$ERR" | grep -o '[0-9]*' | tail -1)
  [ -n "$sent" ] || fail "$step: the build went without its mirror: $(grep 'built in' <<<"$ERR")"
  [ -z "$want" ] || expect_eq "$want" "$sent" "$step: files sent to the mirror"
  expect_contains "$ERR" "the context's mirror $MIRRORS/" "$step: where its mirror is"
  note "$step: as buildx sees it, $sent files sent"
}

same first ""
printf 'FILE 1\n' >"$c/src/f1" # same size, new content
same rewritten 1
rm "$c/src/f2"; mv "$c/src/f3" "$c/src/f3-renamed"
same removed-and-renamed 1
chmod 0600 "$c/src/f4"; ln -sfn src/f5 "$c/link"
same mode-and-link 2
rm -r "$c/dir-to-file"; echo "now a file" >"$c/dir-to-file"
rm "$c/file-to-dir"; mkdir "$c/file-to-dir"; echo inside >"$c/file-to-dir/x"
same file-and-directory-swapped 2
printf 'cache\n' >"$c/.dockerignore"
same ignored 1
expect_not_contains "$(cat "$WORK/h-ignored/out")" "./cache" "an excluded directory"

# Warm: the manifest kept here tells the difference. Then a kept manifest that is not the
# mirror's: f7 changes and is built (the mirror holds the new bytes), then f7 and the kept
# manifest are put back as they were before. Told from that manifest, f7 looks unchanged; the
# helper finds the mirror is not what it says, the mirror is listed, and f7's old bytes go.
kept=$(ls "$XDG_CACHE_HOME"/hoist/mirrors/mirror-* 2>/dev/null) || fail "no manifest kept in $XDG_CACHE_HOME/hoist/mirrors"
[ "$(wc -l <<<"$kept")" = 1 ] || fail "one mirror, manifests kept: $kept"
cp -p "$c/src/f7" "$WORK/f7.before"
cp -p "$kept" "$WORK/kept.before"
printf 'FILE 7\n' >"$c/src/f7"
same changed-on-the-kept-manifest 1
expect_contains "$ERR" "its manifest as kept here" "a warm build's mirror"
expect_not_contains "$ERR" "its manifest as listed there" "a warm build's mirror"
cp -p "$WORK/f7.before" "$c/src/f7"
cp -p "$WORK/kept.before" "$kept"
same kept-manifest-not-the-mirrors 1
expect_contains "$ERR" "its manifest as listed there" "a build whose kept manifest is not the mirror's"
expect_contains "$(cat "$WORK/h-kept-manifest-not-the-mirrors/out")" "$(md5sum <"$c/src/f7" | cut -d' ' -f1)  ./src/f7" \
  "f7's bytes as they are now"

# A file with a whole-second mtime (as an unpacked archive or a tool that sets times leaves it)
# rewritten with the same size and time: BuildKit's sync compares stat and keeps the old bytes
# (buildx's build of the same directory shows them); hoist's content key sees the new ones,
# through the mirror and, for a small context, in the builder's memory alike.
s=$WORK/small
mkdir -p "$s"
printf 'FROM %s\nCOPY stamped /stamped\nRUN md5sum /stamped >/out\nFROM scratch\nCOPY --from=0 /out /out\n' \
  "$HOIST_TEST_BASE_IMAGE" >"$s/Dockerfile"
for v in AAAA BBBB; do
  for dir in "$c" "$s"; do
    echo "$v" >"$dir/stamped"
    touch -d @1700000000 "$dir/stamped"
    run_hoist build --builder "$BUILDER" --progress plain -o "type=local,dest=$WORK/stamped-$v" "$dir"
    expect_eq 0 "$RC" "stamped $v in $dir: $ERR"
    expect_contains "$(cat "$WORK/stamped-$v/out")" "$(md5sum <"$dir/stamped" | cut -d' ' -f1)" \
      "the bytes of the rewritten whole-second file in $dir ($v)"
    rm -rf "$WORK/stamped-$v"
  done
  rm -rf "$WORK/b-stamped"
  bx build --builder "$BUILDER" -o "type=local,dest=$WORK/b-stamped" "$s" >/dev/null 2>&1 || true
done
note "buildx's build of the small context after the rewrite saw $(cut -d' ' -f1 "$WORK/b-stamped/out" 2>/dev/null) (its bytes: $(md5sum <"$s/stamped" | cut -d' ' -f1))"

# Two builds of the context at once, and one of another context: each sees its own.
mkdir -p "$WORK/other"; echo other >"$WORK/other/o"
printf 'FROM %s\nCOPY o /o\nRUN cat /o >/out\nFROM scratch\nCOPY --from=0 /out /out\n' "$HOIST_TEST_BASE_IMAGE" >"$WORK/other/Dockerfile"
printf 'FILE 6\n' >"$c/src/f6"
for n in 1 2; do
  "$HOIST" build --builder "$BUILDER" --progress plain -o "type=local,dest=$WORK/h-at-once-$n" "$c" >"$WORK/at-once-$n.log" 2>&1 &
  eval "pid$n=$!"
done
"$HOIST" build --builder "$BUILDER" -o "type=local,dest=$WORK/h-other" "$WORK/other" >"$WORK/other.log" 2>&1 ||
  fail "the other context: $(tail -3 "$WORK/other.log")"
wait "$pid1" || fail "build 1 at once: $(tail -3 "$WORK/at-once-1.log")"
wait "$pid2" || fail "build 2 at once: $(tail -3 "$WORK/at-once-2.log")"
bx build --builder "$BUILDER" --progress plain -o "type=local,dest=$WORK/b-at-once" "$c" >"$WORK/b-at-once.log" 2>&1 ||
  fail "buildx at once: $(tail -3 "$WORK/b-at-once.log")"
for n in 1 2; do
  [ "$(cat "$WORK/h-at-once-$n/out")" = "$(cat "$WORK/b-at-once/out")" ] ||
    fail "build $n at once saw another context: $(diff "$WORK/b-at-once/out" "$WORK/h-at-once-$n/out")"
done
expect_eq other "$(cat "$WORK/h-other/out")" "the other context's build"
expect_eq "" "$(docker exec "buildx_buildkit_${BUILDER}0" sh -c 'ls -d /var/lib/buildkit/hoist-build-* 2>/dev/null' || true)" \
  "work directories left"
