#!/usr/bin/env bash
# hoist's own registry calls (merge, the state's snapshots) reach each registry as the builders'
# buildkitd config says, as BuildKit's resolver does: a registry with a self-signed certificate
# is refused (exit 69, with the setting that helps) until the config says insecure = true, then
# spoken to over TLS unverified, or names its certificate (ca = [...]), then verified with it; insecure = true with http = true on a registry that speaks only
# http falls back to http; a state snapshot goes to a registry the config marks http = true
# without --insecure-registry, and to the TLS registry marked insecure. skopeo reads each result.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
command -v docker-registry >/dev/null || skip "Debian's docker-registry is not installed"
command -v skopeo >/dev/null || skip "no skopeo (scripts/deps test)"
tls_registry
base=${HOIST_TEST_BASE_IMAGE%:*}
skopeo inspect --tls-verify=false --raw "docker://$HOIST_TEST_BASE_IMAGE" >"$WORK/base.json" || fail "the base image"
amd=$base@$(jq -r '.manifests[] | select(.platform.architecture == "amd64") | .digest' "$WORK/base.json")
arm=$base@$(jq -r '.manifests[] | select(.platform.architecture == "arm64") | .digest' "$WORK/base.json")

# Not trusted, not marked: refused, saying what to set.
DOCKER_HOST=unix:///nonexistent/docker.sock run_hoist merge --tag "$TLS_REGISTRY/team/app:1" \
  --insecure-registry "$HOIST_TEST_REGISTRY" "$amd" "$arm"
expect_eq 69 "$RC" "a registry whose certificate is not trusted"
expect_contains "$ERR" "insecure = true under [registry.\"$TLS_REGISTRY\"]" "the setting that helps"

# insecure = true: TLS, unverified.
cat >"$WORK/buildkitd.toml" <<TOML
[registry."$HOIST_TEST_REGISTRY"]
  http = true
[registry."$TLS_REGISTRY"]
  insecure = true
TOML
DOCKER_HOST=unix:///nonexistent/docker.sock run_hoist merge --tag "$TLS_REGISTRY/team/app:1" \
  --buildkitd-config "$WORK/buildkitd.toml" "$amd" "$arm"
expect_eq 0 "$RC" "merge into the insecure registry: $ERR"
skopeo inspect --cert-dir /nonexistent --tls-verify=false --raw "docker://$TLS_REGISTRY/team/app:1" >"$WORK/index.json" \
  || fail "skopeo cannot read what was pushed over TLS"
expect_eq "$(printf '%s' "$OUT" | tail -1)" "sha256:$(sha256sum <"$WORK/index.json" | cut -d' ' -f1)" "the index pushed"

# ca = [...]: TLS verified against the registry's own certificate.
cat >"$WORK/ca.toml" <<TOML
[registry."$HOIST_TEST_REGISTRY"]
  http = true
[registry."$TLS_REGISTRY"]
  ca = ["$TLS_REGISTRY_CA"]
TOML
DOCKER_HOST=unix:///nonexistent/docker.sock run_hoist merge --tag "$TLS_REGISTRY/team/app:2" \
  --buildkitd-config "$WORK/ca.toml" "$amd" "$arm"
expect_eq 0 "$RC" "merge trusting the registry's ca: $ERR"
skopeo inspect --tls-verify=false --raw "docker://$TLS_REGISTRY/team/app:2" | cmp -s - "$WORK/index.json" \
  || fail "the index pushed with the registry's ca differs"

# insecure = true and http = true on a registry speaking only http: TLS fails, http serves.
cat >"$WORK/fallback.toml" <<TOML
[registry."$HOIST_TEST_REGISTRY"]
  http = true
  insecure = true
TOML
DOCKER_HOST=unix:///nonexistent/docker.sock run_hoist merge --tag "$HOIST_TEST_REGISTRY/tls-$$/app:1" \
  --buildkitd-config "$WORK/fallback.toml" "$amd" "$arm"
expect_eq 0 "$RC" "merge falling back to http: $ERR"
skopeo inspect --tls-verify=false --raw "docker://$HOIST_TEST_REGISTRY/tls-$$/app:1" | cmp -s - "$WORK/index.json" \
  || fail "the index pushed over the http fallback differs"

# The state's snapshots: to the TLS registry marked insecure, and to the test registry marked
# http by the builder's config alone.
use_builder tlsstate
mkdir -p "$WORK/ctx"
printf 'FROM %s\nRUN echo %s >/x\n' "$HOIST_TEST_BASE_IMAGE" "$$" >"$WORK/ctx/Dockerfile"
for to in "$TLS_REGISTRY/hoist-state:1" "$HOIST_TEST_REGISTRY/tls-$$/hoist-state:1"; do
  run_hoist run --builder "$BUILDER" --driver-opt "image=$HOIST_TEST_BUILDKIT_IMAGE" \
    --buildkitd-config "$WORK/buildkitd.toml" --keep-state=false --state-to "type=registry,ref=$to" "$WORK/ctx"
  expect_eq 0 "$RC" "run saving its state to $to: $ERR"
  expect_contains "$ERR" "state saved to type=registry,ref=$to" "the state saved to $to"
  skopeo inspect --tls-verify=false --raw "docker://$to" | jq -e '.artifactType == "application/vnd.hoist.state.v1"' >/dev/null \
    || fail "no state snapshot at $to"
done
