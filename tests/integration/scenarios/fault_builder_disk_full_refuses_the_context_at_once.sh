#!/usr/bin/env bash
# A builder whose disk cannot take the build's files (its state volume a 32 MiB tmpfs, the
# context 96 MB of random bytes): the helper refuses as soon as a write fails, hoist stops
# sending and says why (exit 69, the builder named, the helper's reason; not a connection the
# engine reset), and the builder is left with nothing of the build (its context's mirror
# included) and still builds.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
use_builder diskfull
ctr=buildx_buildkit_${BUILDER,,}0
docker volume create --driver local --opt type=tmpfs --opt device=tmpfs --opt o=size=32m \
  "${ctr}_state" >/dev/null
run_hoist setup "${SETUP_ARGS[@]}"
expect_eq 0 "$RC" "setup on the small volume: $ERR"
mkdir -p "$WORK/ctx"
head -c 96000000 /dev/urandom >"$WORK/ctx/big"
printf 'FROM scratch\nCOPY big /\n' >"$WORK/ctx/Dockerfile"
run_hoist build --builder "$BUILDER" --progress plain "$WORK/ctx"
expect_eq 69 "$RC" "the exit code when the builder cannot take the files ($ERR)"
expect_contains "$ERR" "the builder could not take the build's files: " "the refusal"
expect_contains "$ERR" "No space left on device" "the helper's reason"
expect_not_contains "$ERR" "reset" "a reset connection instead of the reason"
expect_eq "" "$(builder_leftovers "$ctr")" "what the refused build left in the builder"
# Too large for the builder's memory, the context went to its mirror on the state volume: the
# half it took is gone with the refusal, not left to fill the disk.
mirrored=$(docker run --rm --volumes-from "$ctr" --entrypoint /bin/sh "$HOIST_TEST_BUILDKIT_IMAGE" \
  -c 'ls /var/lib/buildkit/hoist-mirror/ 2>/dev/null' | grep -v '\.lock$' || true)
expect_eq "" "$mirrored" "the mirror the refused build left on the state volume"
rm "$WORK/ctx/big"
printf 'FROM scratch\nCOPY Dockerfile /\n' >"$WORK/ctx/Dockerfile"
run_hoist build --builder "$BUILDER" --progress plain "$WORK/ctx"
expect_eq 0 "$RC" "a build once the context fits ($ERR)"
fault_row "builder's disk full while the context unpacks" "69" "nothing" "yes"
