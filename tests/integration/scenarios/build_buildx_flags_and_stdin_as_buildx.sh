#!/usr/bin/env bash
# buildx build's flags a switching user brings, on the same builder as the buildx peer (issue 27,
# item 8): the context as a tar on stdin (plain and gzip), a Dockerfile alone on stdin with an
# empty context, `-f -`; --progress rawjson (BuildKit's status as JSON lines) and none; -D;
# --resource and docker build's -m/--cpu-shares reaching RUN's cgroup exactly as buildx's
# --resource does; --rm accepted, --squash refused with the reason (exit 64), never
# "unknown option"; nothing read from stdin left behind.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
[ -x "$HOIST_TEST_BUILDX_CONFIG/cli-plugins/docker-buildx" ] || fail "no buildx peer"
setup_builder flags
bx() { DOCKER_CONFIG=$HOIST_TEST_BUILDX_CONFIG docker buildx "$@"; }
export TMPDIR=$WORK/tmp
mkdir -p "$TMPDIR"
c=$WORK/ctx
mkdir -p "$c"
echo "from the tar" >"$c/file"
printf 'FROM scratch\nCOPY file /file\n' >"$c/Dockerfile"

# The context as a tar on stdin, plain and gzip-compressed.
"$HOIST" build --builder "$BUILDER" -o "type=local,dest=$WORK/tar" - < <(tar -C "$c" -c .) \
  >"$WORK/tar.log" 2>&1 || fail "a tar context on stdin: $(tail -3 "$WORK/tar.log")"
expect_eq "from the tar" "$(cat "$WORK/tar/file")" "the file of the tar on stdin"
"$HOIST" build --builder "$BUILDER" -o "type=local,dest=$WORK/tgz" - < <(tar -C "$c" -cz .) \
  >"$WORK/tgz.log" 2>&1 || fail "a gzip tar context on stdin: $(tail -3 "$WORK/tgz.log")"
expect_eq "from the tar" "$(cat "$WORK/tgz/file")" "the file of the gzip tar on stdin"

# A Dockerfile alone on stdin: an empty context, as buildx gives it.
df=$(printf 'FROM %s\nRUN --mount=type=bind,target=/ctx ls -A /ctx | wc -l >/n\nFROM scratch\nCOPY --from=0 /n /n\n' "$HOIST_TEST_BASE_IMAGE")
"$HOIST" build --builder "$BUILDER" -o "type=local,dest=$WORK/df" - <<<"$df" >"$WORK/df.log" 2>&1 ||
  fail "a Dockerfile on stdin: $(tail -3 "$WORK/df.log")"
bx build --builder "$BUILDER" -o "type=local,dest=$WORK/df-bx" - <<<"$df" >"$WORK/df-bx.log" 2>&1 ||
  fail "buildx, a Dockerfile on stdin: $(tail -3 "$WORK/df-bx.log")"
expect_eq "$(cat "$WORK/df-bx/n")" "$(cat "$WORK/df/n")" "what RUN sees of the context (buildx: $(cat "$WORK/df-bx/n") entries)"
# -f -: the Dockerfile on stdin, the context a directory.
"$HOIST" build --builder "$BUILDER" -f - -o "type=local,dest=$WORK/f" "$c" \
  <<<"$(printf 'FROM scratch\nCOPY file /again\n')" >"$WORK/f.log" 2>&1 || fail "-f -: $(tail -3 "$WORK/f.log")"
expect_eq "from the tar" "$(cat "$WORK/f/again")" "the file through -f -"
run_hoist build --builder "$BUILDER" -f - -
expect_eq 64 "$RC" "stdin asked for twice"
expect_contains "$ERR" "both ask for stdin" "the reason"
expect_eq "" "$(ls -A "$TMPDIR")" "what stdin's files left in TMPDIR"

# --progress rawjson: every line of the progress is a SolveStatus object, as buildx prints.
run_hoist build --builder "$BUILDER" --progress rawjson --no-cache "$c"
expect_eq 0 "$RC" "rawjson: $ERR"
statuses=$(grep -c '^{' <<<"$ERR" || true)
[ "$statuses" -gt 0 ] || fail "no JSON status lines: $ERR"
grep '^{' <<<"$ERR" | jq -e 'has("vertexes") or has("statuses") or has("logs") or has("warnings")' >/dev/null ||
  fail "a rawjson line that is not a SolveStatus: $ERR"
expect_not_contains "$ERR" "#1 " "plain progress lines under rawjson"
run_hoist build --builder "$BUILDER" --progress none "$c"
expect_eq 0 "$RC" "none: $ERR"
expect_not_contains "$ERR" "DONE" "progress under none"
run_hoist build --builder "$BUILDER" -D "$c"
expect_contains "$ERR" "exec buildctl" "-D's debug log"

# Resource limits: what RUN's cgroup says, against buildx's --resource on the same builder.
printf 'FROM %s\nRUN (cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/cpu.weight 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/cpu/cpu.shares) >/limits\nFROM scratch\nCOPY --from=0 /limits /limits\n' \
  "$HOIST_TEST_BASE_IMAGE" >"$WORK/limits.Dockerfile"
run_hoist build --builder "$BUILDER" -f "$WORK/limits.Dockerfile" -m 64m --cpu-shares 512 --rm --force-rm \
  -o "type=local,dest=$WORK/lim-h" "$c"
expect_eq 0 "$RC" "-m, --cpu-shares, --rm: $ERR"
bx build --builder "$BUILDER" -f "$WORK/limits.Dockerfile" --resource memory=64m --resource cpu-shares=512 \
  -o "type=local,dest=$WORK/lim-b" "$c" >"$WORK/lim-b.log" 2>&1 || fail "buildx --resource: $(tail -3 "$WORK/lim-b.log")"
expect_eq "$(cat "$WORK/lim-b/limits")" "$(cat "$WORK/lim-h/limits")" "RUN's limits, hoist against buildx"
expect_contains "$(cat "$WORK/lim-h/limits")" "67108864" "64m of memory"
run_hoist build --builder "$BUILDER" --squash --memory lots "$c"
expect_eq 64 "$RC" "--squash"
expect_contains "$ERR" "--squash is docker build's legacy flag" "why --squash is refused"
expect_contains "$ERR" "--memory \"lots\" is not a size" "a bad -m named as typed"
expect_not_contains "$ERR" "unknown option" "a legacy flag taken for unknown"
