#!/usr/bin/env bash
# A secret (from a file and from the environment) reaches RUN --mount=type=secret and appears
# nowhere else: not in hoist's output, not in buildctl's argv or the builder's config, not in
# the image's layers.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
setup_builder secret
img=hoist.local/it-secret-$$:1
on_exit "docker rmi -f $img"
file_secret=file-s3cr3t-$$-value
env_secret=env-s3cr3t-$$-value
printf '%s' "$file_secret" >"$WORK/token"

mkdir -p "$WORK/ctx"
# The Dockerfile holds only the secrets' hashes: the secrets themselves must not be in anything
# the test put in the build, so that finding them anywhere is a leak.
fh=$(printf '%s' "$file_secret" | sha256sum | cut -d' ' -f1)
eh=$(printf '%s' "$env_secret" | sha256sum | cut -d' ' -f1)
cat >"$WORK/ctx/Dockerfile" <<DF
FROM $HOIST_TEST_BASE_IMAGE
RUN --mount=type=secret,id=tok --mount=type=secret,id=api,env=API \
    [ "\$(sha256sum </run/secrets/tok | cut -d' ' -f1)" = "$fh" ] && \
    [ "\$(printf '%s' "\$API" | sha256sum | cut -d' ' -f1)" = "$eh" ] && echo secrets-ok >/ok
DF
MY_API=$env_secret run_hoist build --builder "$BUILDER" --secret "id=tok,src=$WORK/token" \
  --secret id=api,env=MY_API --load -t "$img" --progress plain "$WORK/ctx"
expect_eq 0 "$RC" "build: $ERR"
expect_eq secrets-ok "$(docker run --rm "$img" cat /ok)" "RUN saw both secrets"
for s in "$file_secret" "$env_secret"; do
  expect_not_contains "$OUT$ERR" "$s" "hoist's output"
  expect_not_contains "$(docker inspect "buildx_buildkit_${BUILDER,,}0")" "$s" "builder config"
  # Every file of the saved image, layers unpacked too, into one file: a pipe into grep -q
  # could hide a match behind SIGPIPE under pipefail.
  docker save "$img" -o "$WORK/image.tar"
  rm -rf "$WORK/image" && mkdir -p "$WORK/image" && tar -C "$WORK/image" -xf "$WORK/image.tar"
  find "$WORK/image" -name '*.tar' -exec tar -xOf {} \; >"$WORK/layers.bin" 2>/dev/null || true
  cat "$WORK/image"/*.json "$WORK/image"/*/*.json >>"$WORK/layers.bin" 2>/dev/null || true
  [ -s "$WORK/layers.bin" ] || fail "could not read the image's files"
  if grep -aqF "$s" "$WORK/layers.bin"; then fail "secret in the image"; fi
  if docker exec "buildx_buildkit_${BUILDER,,}0" sh -c "grep -rqs '$s' /tmp /etc/buildkit"; then
    fail "secret in a file in the builder"
  fi
done
expect_eq "" "$(docker exec "buildx_buildkit_${BUILDER,,}0" sh -c 'ls -d /tmp/hoist-build-* /var/lib/buildkit/hoist-build-* /dev/shm/hoist-build-* 2>/dev/null')" "work dirs left"
