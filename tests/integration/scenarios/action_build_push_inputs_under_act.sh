#!/usr/bin/env bash
# build-push-action's inputs through a real runner implementation (act): `secrets` lines reach
# RUN --mount=type=secret (a quoted multi-line value, a trailing newline and spaces intact) and appear in no log, the pushed
# image carries metadata-action's index: and manifest: annotations where buildx puts them, and
# `call: check` fails the step on a Dockerfile with lint problems. The CI defaults applied are
# named on one log line; the input ci-defaults: false turns them off.
# test: serial — its act job writes ~/.docker/buildx and act's shared cache store
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
source "$ROOT/tests/integration/act.sh"
command -v skopeo >/dev/null || skip "no skopeo (scripts/deps test)"
id=$$
token=tok-$$-s3cr3t
for b in parity-$id parity-check-$id; do act_cleanup_builder "$b"; done
act_repo parity.yml
mkdir -p "$ACT_REPO/app" "$ACT_REPO/lint"
th=$(printf '%s' "$token" | sha256sum | cut -d' ' -f1)
ch=$(printf -- '-----BEGIN TEST-----\nline-of-the-cert\n-----END TEST-----' | sha256sum | cut -d' ' -f1)
# As build-push-action keeps them (its toolkit reads `secrets` untrimmed): the newline and the
# spaces are the secrets' own bytes.
trail=$(printf 'ends with a newline\n' | sha256sum | cut -d' ' -f1)
pad=$(printf '  spaced  ' | sha256sum | cut -d' ' -f1)
cat >"$ACT_REPO/app/Dockerfile" <<DF
ARG BASE
FROM \$BASE
RUN --mount=type=secret,id=GIT_AUTH_TOKEN,required=true --mount=type=secret,id=CERT,required=true \\
    --mount=type=secret,id=TRAIL,required=true --mount=type=secret,id=PAD,required=true \\
    [ "\$(sha256sum </run/secrets/GIT_AUTH_TOKEN | cut -d' ' -f1)" = "$th" ] && \\
    [ "\$(sha256sum </run/secrets/CERT | cut -d' ' -f1)" = "$ch" ] && \\
    [ "\$(sha256sum </run/secrets/TRAIL | cut -d' ' -f1)" = "$trail" ] && \\
    [ "\$(sha256sum </run/secrets/PAD | cut -d' ' -f1)" = "$pad" ] && echo secrets-ok >/ok
DF
printf 'FROM %s as base\ncopy . /x\n' "$HOIST_TEST_BASE_IMAGE" >"$ACT_REPO/lint/Dockerfile"
act_commit
release_server
act_run parity.yml --env "HOIST_TEST_TOKEN=$token"
act_job_succeeded secrets
act_job_succeeded check
expect_not_contains "$ACT_OUT" "$token" "the token in the log"
expect_contains "$ACT_OUT" "echoed ***" "the token masked in later steps"
expect_not_contains "$ACT_OUT" "line-of-the-cert" "the multi-line secret in the log"
expect_contains "$ACT_OUT" "Check complete, 2 warnings have been found!" "the check's report"
expect_eq 1 "$(grep -c '^\[[^]]*/secrets *\] .*hoist: CI defaults: label org.opencontainers.image.source=' "$ACT_LOG")" \
  "the CI defaults' log line in the job that keeps them"
expect_eq 0 "$(grep -c '^\[[^]]*/check *\] .*CI defaults' "$ACT_LOG")" "CI defaults with the input ci-defaults: false"

ref=$HOIST_TEST_REGISTRY/hoist/act-parity-$id:1
idx=$(skopeo inspect --raw --tls-verify=false "docker://$ref")
expect_eq "from the workflow" "$(jq -r '.annotations["org.opencontainers.image.description"]' <<<"$idx")" "index annotation"
m=$(jq -r '.manifests[] | select(.platform.os == "linux") | .digest' <<<"$idx" | head -1)
expect_eq parity "$(skopeo inspect --raw --tls-verify=false "docker://${ref%:*}@$m" | jq -r '.annotations["org.opencontainers.image.title"]')" "manifest annotation"
