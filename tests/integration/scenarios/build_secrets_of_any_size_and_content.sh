#!/usr/bin/env bash
# Secrets of any size BuildKit takes and any content reach RUN intact: 500 KiB of random bytes
# (NULs included) from a file, 300 KiB of text lines from a file, a multi-line value from the
# environment. None of them is in an exec's argv, the builder's files or its state volume.
# Over BuildKit's 500 KiB limit (its client's, which buildx has too) a secret is refused
# before anything runs, naming the input; the buildx peer refuses the same file.
# test: serial — samples buildctl's process inside a RUN of a few seconds
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
setup_builder secsize
ctr=buildx_buildkit_${BUILDER,,}0
marker=m4rk-$$-
head -c 512000 /dev/urandom >"$WORK/binary"
printf '\0\0%s-in-binary\0' "$marker" | dd of="$WORK/binary" bs=1 seek=1000 conv=notrunc 2>/dev/null
for i in $(seq 5000); do printf '%stext-line-%040d\n' "$marker" "$i"; done >"$WORK/text"
truncate -s 307200 "$WORK/text"
multi=$(printf '%s\n' "${marker}first-line" "${marker}second-line" "" "${marker}last-line")
hash() { sha256sum "$@" | cut -d' ' -f1; }

mkdir -p "$WORK/ctx"
cat >"$WORK/ctx/Dockerfile" <<DF
FROM $HOIST_TEST_BASE_IMAGE
RUN --mount=type=secret,id=bin --mount=type=secret,id=txt --mount=type=secret,id=multi \
    mkdir /out && sha256sum /run/secrets/bin /run/secrets/txt /run/secrets/multi >/out/sums && \
    sleep 3
FROM scratch
COPY --from=0 /out /
DF
# Every process's command line and environment in the builder, sampled while the build runs.
(while :; do
  docker exec "$ctr" sh -c 'for p in /proc/[0-9]*; do tr "\0" " " <$p/cmdline; echo; tr "\0" " " <$p/environ; echo; done' 2>/dev/null
  sleep 0.2
done) >"$WORK/procs" &
poller=$!
on_exit "kill $poller"
MULTI=$multi run_hoist build --builder "$BUILDER" --progress plain \
  --secret "id=bin,src=$WORK/binary" --secret "id=txt,src=$WORK/text" --secret id=multi,env=MULTI \
  -o "type=local,dest=$WORK/out" "$WORK/ctx"
expect_eq 0 "$RC" "build: $ERR"
sums=$(cat "$WORK/out/sums")
expect_contains "$sums" "$(hash "$WORK/binary")  /run/secrets/bin" "500 KiB binary intact"
expect_contains "$sums" "$(hash "$WORK/text")  /run/secrets/txt" "300 KiB text intact"
expect_contains "$sums" "$(printf '%s' "$multi" | hash)  /run/secrets/multi" "multi-line intact"

# Nowhere else: hoist's output, any process's argv or environment, files in the builder, the
# state volume.
expect_not_contains "$OUT$ERR" "$marker" "hoist's output"
kill "$poller"
procs=$(cat "$WORK/procs")
expect_contains "$procs" "buildctl build" "the sampler saw buildctl"
expect_contains "$procs" "id=bin,src=/proc/self/fd/3" "buildctl reads the secret from memory"
expect_not_contains "$procs" "$marker" "a process's argv or environment"
docker exec "$ctr" sh -c "grep -rals '$marker' /tmp /etc /var/lib/buildkit" >"$WORK/found" 2>/dev/null || true
expect_eq "" "$(cat "$WORK/found")" "files in the builder or on its state volume holding a secret"

# Over the limit: refused before anything runs, as buildx does.
head -c 1048576 /dev/urandom >"$WORK/big"
run_hoist build --builder "$BUILDER" --secret "id=big,src=$WORK/big" -o "type=local,dest=$WORK/out2" "$WORK/ctx"
expect_eq 64 "$RC" "1 MiB secret: exit; $ERR"
expect_contains "$ERR" "--secret id=big is over BuildKit's 500 KiB limit" "names the input"
if [ -x "$HOIST_TEST_BUILDX_CONFIG/cli-plugins/docker-buildx" ]; then
  DOCKER_CONFIG=$HOIST_TEST_BUILDX_CONFIG docker buildx build --builder "$BUILDER" \
    --secret "id=big,src=$WORK/big" -o "type=local,dest=$WORK/out3" "$WORK/ctx" >"$WORK/bx.log" 2>&1 \
    && fail "buildx took a 1 MiB secret: BuildKit's limit moved, hoist's must follow"
  expect_contains "$(cat "$WORK/bx.log")" "too big" "buildx refuses it too"
fi
