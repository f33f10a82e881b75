#!/usr/bin/env bash
# hoist merge against a registry that demands Docker's bearer tokens, as ghcr.io, Docker Hub and
# GitLab's registry do: Debian's docker-registry in `auth: token` mode, with a token server
# signing RS256 JWTs. The docker config's basic login gets a token for the push (the images
# copied from another registry, streamed); an identitytoken is sent as an OAuth2 refresh token
# (a merge into another repository there, blobs mounted across repositories); a wrong password
# is refused with the registry's words and a hint, nothing pushed. GitLab's DOCKER_AUTH_CONFIG
# and dependency proxy logins serve as well as the docker config's. skopeo reads the result with
# the same credentials. No password or token shows in hoist's output.
source "$(dirname "$0")/../common.sh"
require_binary
command -v docker-registry >/dev/null || skip "Debian's docker-registry is not installed"
command -v skopeo >/dev/null || skip "no skopeo (scripts/deps test)"
require_testenv
pass=token-pass-$$-secret
identity=identity-$$-refresh-secret
token_registry hoist-user "$pass" "$identity"
base=${HOIST_TEST_BASE_IMAGE%:*}
skopeo inspect --tls-verify=false --raw "docker://$HOIST_TEST_BASE_IMAGE" >"$WORK/base.json" || fail "the base image"
amd=$base@$(jq -r '.manifests[] | select(.platform.architecture == "amd64") | .digest' "$WORK/base.json")
arm=$base@$(jq -r '.manifests[] | select(.platform.architecture == "arm64") | .digest' "$WORK/base.json")
export DOCKER_HOST=unix:///nonexistent/docker.sock
insecure=(--insecure-registry "$HOIST_TEST_REGISTRY" --insecure-registry "$TOKEN_REGISTRY")

# Basic credentials from the docker config: a token for pull,push.
mkdir -p "$WORK/basic"
printf '{"auths": {"%s": {"auth": "%s"}}}\n' "$TOKEN_REGISTRY" "$(printf 'hoist-user:%s' "$pass" | base64 -w0)" >"$WORK/basic/config.json"
DOCKER_CONFIG=$WORK/basic run_hoist merge --tag "$TOKEN_REGISTRY/team/app:1" "${insecure[@]}" "$amd" "$arm"
expect_eq 0 "$RC" "merge into the token registry: $ERR"
digest=$(printf '%s' "$OUT" | tail -1)
expect_contains "$(cat "$WORK/token-server.log")" "grant hoist-user repository:team/app:pull,push" "the token asked with the login"
skopeo inspect --tls-verify=false --creds "hoist-user:$pass" --raw "docker://$TOKEN_REGISTRY/team/app:1" >"$WORK/index.json" \
  || fail "skopeo cannot read what was pushed"
expect_eq "$digest" "sha256:$(sha256sum <"$WORK/index.json" | cut -d' ' -f1)" "the index pushed"
expect_eq "amd64 arm64" "$(jq -r '[.manifests[].platform.architecture] | join(" ")' "$WORK/index.json")" "its platforms"
skopeo copy -q --all --src-tls-verify=false --src-creds "hoist-user:$pass" "docker://$TOKEN_REGISTRY/team/app:1" "oci:$WORK/copy:x" \
  || fail "the copied blobs are not all there"

# An identity token: the realm is asked with it as a refresh token.
mkdir -p "$WORK/identity"
printf '{"auths": {"%s": {"auth": "%s", "identitytoken": "%s"}}}\n' "$TOKEN_REGISTRY" \
  "$(printf '<token>:' | base64 -w0)" "$identity" >"$WORK/identity/config.json"
DOCKER_CONFIG=$WORK/identity run_hoist merge --tag "$TOKEN_REGISTRY/team/copy:2" "${insecure[@]}" "$TOKEN_REGISTRY/team/app@$digest"
expect_eq 0 "$RC" "merge with an identity token: $ERR"
expect_contains "$(cat "$WORK/token-server.log")" "grant identity repository:team/copy:pull,push repository:team/app:pull" \
  "the mount's token covers both repositories"
skopeo inspect --tls-verify=false --creds "hoist-user:$pass" --raw "docker://$TOKEN_REGISTRY/team/copy:2" | cmp -s - "$WORK/index.json" \
  || fail "team/copy:2 is not the same index"

# GitLab's logins: DOCKER_AUTH_CONFIG (a config.json's content in a variable) with an empty
# docker config, then the dependency proxy's CI_DEPENDENCY_PROXY_* login.
mkdir -p "$WORK/empty"
DOCKER_CONFIG=$WORK/empty DOCKER_AUTH_CONFIG="$(cat "$WORK/basic/config.json")" \
  run_hoist merge --tag "$TOKEN_REGISTRY/team/gitlab:3" "${insecure[@]}" "$amd" "$arm"
expect_eq 0 "$RC" "merge with DOCKER_AUTH_CONFIG's login: $ERR"
DOCKER_CONFIG=$WORK/empty GITLAB_CI=true CI_JOB_ID=1 CI_PROJECT_PATH=g/p CI_DEPENDENCY_PROXY_SERVER="$TOKEN_REGISTRY" \
  CI_DEPENDENCY_PROXY_USER=hoist-user CI_DEPENDENCY_PROXY_PASSWORD="$pass" \
  run_hoist merge --tag "$TOKEN_REGISTRY/team/gitlab:4" "${insecure[@]}" "$amd" "$arm"
expect_eq 0 "$RC" "merge with the dependency proxy's login: $ERR"
for t in 3 4; do
  skopeo inspect --tls-verify=false --creds "hoist-user:$pass" --raw "docker://$TOKEN_REGISTRY/team/gitlab:$t" \
    | cmp -s - "$WORK/index.json" || fail "team/gitlab:$t is not the merged index"
done
DOCKER_CONFIG=$WORK/empty DOCKER_AUTH_CONFIG='{"auths": ' run_hoist merge --tag "$TOKEN_REGISTRY/team/gitlab:5" "${insecure[@]}" "$amd" "$arm"
expect_eq 78 "$RC" "a DOCKER_AUTH_CONFIG that is not JSON"
expect_contains "$ERR" "DOCKER_AUTH_CONFIG is not a docker configuration" "the variable named"

# A wrong password: refused, said so, nothing pushed.
mkdir -p "$WORK/wrong"
printf '{"auths": {"%s": {"auth": "%s"}}}\n' "$TOKEN_REGISTRY" "$(printf 'hoist-user:wrong-%s' "$pass" | base64 -w0)" >"$WORK/wrong/config.json"
DOCKER_CONFIG=$WORK/wrong run_hoist merge --tag "$TOKEN_REGISTRY/team/app:wrong" "${insecure[@]}" "$amd" "$arm"
expect_eq 69 "$RC" "a wrong password"
expect_contains "$ERR" "the registry $TOKEN_REGISTRY refused a token" "the refusal"
expect_contains "$ERR" "hint: log in to $TOKEN_REGISTRY" "the way out"
skopeo inspect --tls-verify=false --creds "hoist-user:$pass" --raw "docker://$TOKEN_REGISTRY/team/app:wrong" >/dev/null 2>&1 \
  && fail "a tag was pushed with a wrong password"
for f in "$WORK/stdout" "$WORK/stderr"; do
  grep -q -e "$pass" -e "$identity" "$f" && fail "a secret in hoist's output"
done
true
