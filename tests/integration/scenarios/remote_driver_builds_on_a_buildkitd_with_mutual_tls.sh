#!/usr/bin/env bash
# buildx's remote driver: a buildkitd that runs already, on loopback TCP with mutual TLS
# (certificates made here with openssl). `hoist setup --driver remote` records the builder in
# buildx's store and makes nothing on the daemon; `hoist build` builds and pushes through a
# client container on the local engine that has no network (hoist carries buildctl's
# connection to the endpoint); the daemon's cache serves the second build; --load lands on
# the local engine; `hoist run` does the whole job; a wrong CA, no client certificate and a
# daemon that is not there are refused with a clear error (exit 69), bad options before
# anything connects (exit 64). buildx v0.38 lists the builder and builds on it. Teardown
# leaves the daemon running with its cache, no client container is left, and no certificate
# reaches a container's config, argv or the logs.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
export BUILDX_CONFIG=$WORK/buildx
BUILDER=rmt-$$
tls_buildkitd
t0=$(date +%s)
c=$BUILDKITD_CERTS
endpoint=$BUILDKITD_ENDPOINT
daemon=$BUILDKITD_CONTAINER
tls=cacert=$c/ca.pem,cert=$c/client.pem,key=$c/client.key
image=(--driver-opt "image=$HOIST_TEST_BUILDKIT_IMAGE")
on_exit "'$HOIST' teardown --builder '$BUILDER'"
clients() { docker ps -aq --filter label=dev.hoist.role=remote-client --filter "label=dev.hoist.builder=$BUILDER"; }

# Bad input: every problem at once, exit 64, nothing recorded.
run_hoist setup --builder "$BUILDER" --driver remote --driver-opt "cert=$c/client.pem,memory=1g"
expect_eq 64 "$RC" "bad remote options"
expect_contains "$ERR" "needs --endpoint" "the missing endpoint"
expect_contains "$ERR" "cert and key go together" "cert without key"
expect_contains "$ERR" "TLS needs cacert" "cert without a CA"
expect_contains "$ERR" '"memory" is not an option of the remote driver' "a docker-container option"
run_hoist setup --builder "$BUILDER" --driver remote --endpoint "http://127.0.0.1:1234"
expect_eq 64 "$RC" "a URL that is not BuildKit's"
expect_contains "$ERR" "give tcp://HOST:PORT or unix:///PATH" "the endpoint's forms"
[ ! -e "$BUILDX_CONFIG/instances/${BUILDER,,}" ] || fail "a refused setup recorded the builder"

# Refused by the daemon: a wrong CA, no client certificate; not there at all.
run_hoist setup --builder "$BUILDER" --driver remote --endpoint "$endpoint" "${image[@]}" \
  --driver-opt "cacert=$c/other.pem,cert=$c/client.pem,key=$c/client.key"
expect_eq 69 "$RC" "a CA that did not sign the daemon's certificate"
expect_contains "$ERR" "does not answer" "the wrong CA's error"
expect_contains "$ERR" "certificate" "the wrong CA's cause"
run_hoist setup --builder "$BUILDER" --driver remote --endpoint "$endpoint" "${image[@]}" \
  --driver-opt "cacert=$c/ca.pem"
expect_eq 69 "$RC" "no client certificate"
expect_contains "$ERR" "$endpoint" "the error names the endpoint"
run_hoist setup --builder "$BUILDER" --driver remote --endpoint "tcp://127.0.0.1:$(free_port 127.0.0.1)" \
  "${image[@]}" --driver-opt "$tls"
expect_eq 69 "$RC" "no daemon at the endpoint"
[ ! -e "$BUILDX_CONFIG/instances/${BUILDER,,}" ] || fail "a failed setup recorded the builder"
expect_eq "" "$(clients)" "client containers left by the failed setups"

# Setup: the store entry as buildx writes it, the daemon's platforms.
run_hoist setup --builder "$BUILDER" --driver remote --endpoint "$endpoint" "${image[@]}" --driver-opt "$tls"
expect_eq 0 "$RC" "setup on the remote daemon: $ERR"
expect_contains "$OUT" "driver:     remote, at $endpoint" "setup's report"
expect_contains "$OUT" "platforms:  linux/amd64" "the daemon's platforms"
entry=$BUILDX_CONFIG/instances/${BUILDER,,}
expect_eq remote "$(jq -r .Driver "$entry")" "the store's driver"
expect_eq "$endpoint" "$(jq -r '.Nodes[0].Endpoint' "$entry")" "the store's endpoint"
expect_eq "$c/ca.pem" "$(jq -r '.Nodes[0].DriverOpts.cacert' "$entry")" "the store keeps the CA's path"
run_hoist inspect --builder "$BUILDER"
expect_eq 0 "$RC" "inspect: $ERR"
expect_contains "$OUT" "buildkit:   v" "inspect asks the daemon"
run_hoist doctor --builder "$BUILDER"
expect_contains "$OUT" "ok    remote        builder $BUILDER: BuildKit v" "doctor asks the remote daemon"
expect_contains "$OUT" "at $endpoint over TLS" "doctor's finding names the endpoint"

# Build and push; the second build is served by the daemon's cache.
mkdir -p "$WORK/ctx"
echo "remote-$$" >"$WORK/ctx/stamp"
cat >"$WORK/ctx/Dockerfile" <<DF
FROM $HOIST_TEST_BASE_IMAGE
COPY stamp /stamp
RUN cp /stamp /built && echo ran >/ran
DF
ref=$HOIST_TEST_REGISTRY/hoist/it-remote-$$:1
run_hoist build --builder "$BUILDER" --progress plain -t "$ref" --push "$WORK/ctx"
expect_eq 0 "$RC" "build and push on the remote daemon: $ERR"
command -v skopeo >/dev/null || skip "no skopeo (scripts/deps test) to read the pushed image"
skopeo inspect --tls-verify=false "docker://$ref" >"$WORK/pushed.json" || fail "skopeo cannot read $ref"
expect_eq amd64 "$(jq -r .Architecture "$WORK/pushed.json")" "the pushed image"
run_hoist build --builder "$BUILDER" --progress plain -o "type=local,dest=$WORK/out" "$WORK/ctx"
expect_eq 0 "$RC" "second build: $ERR"
expect_eq "remote-$$" "$(cat "$WORK/out/built")" "the local output's file"
expect_contains "$ERR" "CACHED" "the daemon's cache served the second build"
img=hoist-it-remote-load-$$:1
on_exit "docker image rm -f $img"
run_hoist build --builder "$BUILDER" --progress plain --load -t "$img" "$WORK/ctx"
expect_eq 0 "$RC" "--load from the remote daemon: $ERR"
expect_eq "remote-$$" "$(docker run --rm "$img" cat /built)" "the loaded image on the local engine"
expect_eq "" "$(clients)" "client containers left after the builds"

# buildx lists hoist's remote builder and builds on it.
if [ -x "$HOIST_TEST_BUILDX_CONFIG/cli-plugins/docker-buildx" ]; then
  bx() { DOCKER_CONFIG=$HOIST_TEST_BUILDX_CONFIG docker buildx "$@"; }
  expect_contains "$(bx ls 2>&1)" "$BUILDER" "buildx lists hoist's remote builder"
  bx build --builder "$BUILDER" --progress plain -o "type=local,dest=$WORK/bx" "$WORK/ctx" >"$WORK/bx.log" 2>&1 \
    || fail "buildx build on hoist's remote builder: $(tail -5 "$WORK/bx.log")"
  expect_eq "remote-$$" "$(cat "$WORK/bx/built")" "buildx built on hoist's remote builder"
elif [ "${HOIST_TEST_STRICT:-0}" = 1 ]; then
  fail "no buildx peer (scripts/testenv up)"
fi

# Teardown: the store entry goes, the daemon and its cache stay.
run_hoist teardown --builder "$BUILDER"
expect_eq 0 "$RC" "teardown: $ERR"
expect_contains "$OUT" "are as they were" "teardown's report"
[ ! -e "$entry" ] || fail "teardown left the store entry"
expect_eq true "$(docker inspect -f '{{.State.Running}}' "$daemon")" "the daemon runs after teardown"

# The whole job: run's setup, build and teardown on the daemon, its cache warm.
run_hoist run --builder "$BUILDER" --driver remote --endpoint "$endpoint" "${image[@]}" \
  --driver-opt "$tls" --progress plain -o "type=local,dest=$WORK/run" "$WORK/ctx"
expect_eq 0 "$RC" "hoist run on the remote daemon: $ERR"
expect_eq "remote-$$" "$(cat "$WORK/run/built")" "run's output"
expect_contains "$ERR" "CACHED" "run used the daemon's cache"
[ ! -e "$entry" ] || fail "run left the store entry it made"
expect_eq "" "$(clients)" "client containers left after run"

# No certificate anywhere but its file: the logs, the daemon's container, hoist's output.
key=$(sed -n 2p "$c/client.key")
for f in "$WORK"/*.log; do expect_not_contains "$(cat "$f")" "$key" "the client key in $f"; done
expect_not_contains "$(docker inspect "$daemon")" "$key" "the client key in the daemon's container"
expect_not_contains "$OUT$ERR" "$key" "the client key in hoist's output"
execs=$(docker events --since "$t0" --until "$(( $(date +%s) + 1 ))" --filter label=dev.hoist.role=remote-client \
  --format '{{.Action}}')
expect_contains "$execs" "--addr unix:///tmp/hoist-buildkitd.sock --tlsservername 127.0.0.1 --tlscacert /proc/self/fd/" \
  "buildctl's certificates as files in memory"
expect_not_contains "$execs" "$key" "the client key in a client container's argv"

# A name buildx's store holds for another driver is not taken over.
mkdir -p "$BUILDX_CONFIG/instances"
printf '{"Name":"dc-%s","Driver":"docker-container","Nodes":[{"Name":"dc-%s0","Endpoint":"default"}],"Dynamic":false}' \
  "$$" "$$" >"$BUILDX_CONFIG/instances/dc-$$"
run_hoist setup --builder "dc-$$" --driver remote --endpoint "$endpoint" "${image[@]}" --driver-opt "$tls"
expect_eq 64 "$RC" "a docker-container builder's name"
expect_contains "$ERR" "exists already with another driver than remote" "the name's owner"
expect_eq docker-container "$(jq -r .Driver "$BUILDX_CONFIG/instances/dc-$$")" "the other builder's entry"

# The daemon goes away: inspect says so, a build fails naming the endpoint, teardown still
# forgets the builder (with --keep-state=false too: the daemon's cache is never hoist's to
# remove) and refuses to save a state the daemon keeps.
run_hoist setup --builder "$BUILDER" --driver remote --endpoint "$endpoint" "${image[@]}" --driver-opt "$tls"
expect_eq 0 "$RC" "setup again: $ERR"
docker stop "$daemon" >/dev/null
run_hoist inspect --builder "$BUILDER"
expect_eq 0 "$RC" "inspect of a builder whose daemon is down: $ERR"
expect_contains "$OUT" "driver:     remote, at $endpoint (inactive)" "inspect's state"
expect_contains "$ERR" "does not answer" "inspect says why"
run_hoist doctor --builder "$BUILDER"
expect_eq 69 "$RC" "doctor on a remote builder whose daemon is down"
expect_contains "$OUT" "fail  remote" "doctor's finding for the daemon"
expect_contains "$OUT" "fix: start the daemon at $endpoint" "doctor's fix"
run_hoist build --builder "$BUILDER" --progress plain -o "type=local,dest=$WORK/down" "$WORK/ctx"
expect_eq 69 "$RC" "a build on a daemon that is down"
expect_contains "$ERR" "$endpoint does not answer" "the build's error names the endpoint"
run_hoist teardown --builder "$BUILDER" --state-to "type=local,dest=$WORK/state"
expect_eq 64 "$RC" "teardown asked to save a state the daemon keeps"
run_hoist teardown --builder "$BUILDER" --keep-state=false
expect_eq 0 "$RC" "teardown of a builder whose daemon is down: $ERR"
[ ! -e "$entry" ] || fail "teardown left the store entry"
expect_eq "" "$(clients)" "client containers left after the daemon went away"
