#!/usr/bin/env bash
# The GitLab template's .hoist-dind job as a Kubernetes executor runs it: a dind-style engine
# (a dockerd of its own with TLS and client certificates on localhost:2376, as the docker:dind
# service listens) whose client certificates the runner shares at /certs/client, the job in
# the job image with GitLab's variables. The base image comes through the dependency proxy
# (CI_DEPENDENCY_PROXY_*, a registry demanding a login) in one job and with DOCKER_AUTH_CONFIG's
# login (a File variable: the path of a file holding it) in the next; the image is pushed to CI_REGISTRY_IMAGE; the engine counts as ephemeral,
# so the builder's state travels through the project's registry (hoist-state), and the next job
# on a fresh engine starts from it. A job with neither login cannot pull the base image and says
# so.
# test: serial — fixed port 2376, its own dockerd; rewrites out/image
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
command -v dockerd >/dev/null || skip "no dockerd binary to start a dind-style engine with"
command -v openssl >/dev/null || skip "no openssl to make certificates with"
command -v skopeo >/dev/null || skip "no skopeo (scripts/deps test)"
command -v ip >/dev/null || skip "no ip (iproute2) to make a bridge for the engine"
/usr/bin/python3 -c 'import yaml' 2>/dev/null || skip "no python3-yaml (scripts/deps test)"
[ "$(id -u)" = 0 ] || skip "starting a dockerd needs root"
! ss -ltn 2>/dev/null | grep -q '[:.]2376 ' || skip "port 2376 is taken on this machine"

# The dind service's certificates: a CA, the server's for localhost, the client's in
# /certs/client (ca.pem, cert.pem, key.pem), as dind writes them.
c=$WORK/certs; mkdir -p "$c/client" "$c/server"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=dind-ca -keyout "$c/ca-key.pem" -out "$c/client/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj /CN=docker -keyout "$c/server/key.pem" -out "$c/server.csr" 2>/dev/null
printf 'subjectAltName=DNS:docker,DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$c/server.ext"
openssl x509 -req -in "$c/server.csr" -CA "$c/client/ca.pem" -CAkey "$c/ca-key.pem" -CAcreateserial -days 1 -extfile "$c/server.ext" -out "$c/server/cert.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj /CN=client -keyout "$c/client/key.pem" -out "$c/client.csr" 2>/dev/null
printf 'extendedKeyUsage=clientAuth\n' >"$c/client.ext"
openssl x509 -req -in "$c/client.csr" -CA "$c/client/ca.pem" -CAkey "$c/ca-key.pem" -CAcreateserial -days 1 -extfile "$c/client.ext" -out "$c/client/cert.pem" 2>/dev/null
chmod 644 "$c"/client/*.pem

# dind_up: a fresh engine each job, as each job gets its own dind service.
d=$WORK/dind br=hoistdind$$
ip link add "$br" type bridge && ip addr add 10.212.$(( $$ % 200 + 10 )).1/24 dev "$br" && ip link set "$br" up
on_exit "ip link del $br"
dind_up() {
  rm -rf "$d" && mkdir -p "$d/data" "$d/exec"
  printf '{"storage-driver": "%s"}' "$(docker info --format '{{.Driver}}')" >"$d/daemon.json"
  setsid dockerd --config-file "$d/daemon.json" --host tcp://127.0.0.1:2376 --tlsverify \
    --tlscacert "$c/client/ca.pem" --tlscert "$c/server/cert.pem" --tlskey "$c/server/key.pem" \
    --data-root "$d/data" --exec-root "$d/exec" --pidfile "$d/pid" --bridge "$br" \
    --iptables=false --ip-masq=false >"$WORK/dind.log" 2>&1 </dev/null &
  echo $! >"$WORK/dind.pid"
  local i
  for i in $(seq 100); do dind ps >/dev/null 2>&1 && break; sleep 0.2; done
  dind ps >/dev/null || fail "the dind-style engine did not start: $(tail -5 "$WORK/dind.log")"
  docker save "$HOIST_TEST_BUILDKIT_IMAGE" | dind load >/dev/null || fail "loading the BuildKit image into it"
}
dind_down() {
  [ -f "$WORK/dind.pid" ] || return 0
  dind ps -aq | xargs -r docker --tlsverify --tlscacert "$c/client/ca.pem" --tlscert "$c/client/cert.pem" \
    --tlskey "$c/client/key.pem" -H tcp://127.0.0.1:2376 rm -f -v >/dev/null 2>&1 || true
  local pid; pid=$(cat "$WORK/dind.pid"); kill "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  rm -f "$WORK/dind.pid"; rm -rf "$d" 2>/dev/null || true
}
dind() { docker --tlsverify --tlscacert "$c/client/ca.pem" --tlscert "$c/client/cert.pem" --tlskey "$c/client/key.pem" -H tcp://127.0.0.1:2376 "$@"; }
on_exit dind_down

# The registry the dependency proxy and DOCKER_AUTH_CONFIG log in to, holding the base image.
htpasswd_registry proxyuser proxy-secret
skopeo copy --all --src-tls-verify=false --dest-tls-verify=false --dest-creds proxyuser:proxy-secret \
  "docker://$HOIST_TEST_BASE_IMAGE" "docker://$AUTH_REGISTRY/group/dependency_proxy/containers/busybox:1" >/dev/null \
  || fail "could not put the base image into the login registry"

job_image=hoist-it-dind-job-$$:1
on_exit "docker image rm -f $job_image"
HOIST_IMAGE=$job_image HOIST_BUILDER=gl-dind-image-$$ HOIST_DRIVER_OPT="image=$HOIST_TEST_BUILDKIT_IMAGE" \
  "$ROOT/scripts/image" >"$WORK/image.log" 2>&1 || fail "make image: $(tail -15 "$WORK/image.log")"
on_exit "docker volume rm -f buildx_buildkit_gl-dind-image-$$0_state"
gitlab_job_script "$ROOT/ci/hoist.gitlab-ci.yml" .hoist-dind >"$WORK/job.sh" || fail "the template's job script: $(cat "$WORK/job.sh")"
grep -q 'DOCKER_CERT_PATH="/certs/client"' "$WORK/job.sh" || fail "the dind job's variables: $(grep export "$WORK/job.sh")"

mkdir -p "$WORK/project"
printf 'ARG BASE\nFROM $BASE\nRUN echo built >/built\n' >"$WORK/project/Dockerfile"
repo=$HOIST_TEST_REGISTRY/group/dind-$$
job() { # N [ENV...]: the job as a Kubernetes executor runs it, DOCKER_HOST on localhost:2376
  local n=$1; shift
  docker run --rm --network host --entrypoint /bin/sh -v "$c/client:/certs/client:ro" \
    -v "$WORK/project:/builds/group/app" -w /builds/group/app -v "$WORK/job.sh:/job.sh:ro" \
    -v "$WORK/buildkitd.toml:/etc/hoist-test/buildkitd.toml:ro" \
    -e GITLAB_CI=true -e CI_JOB_ID="$n" -e CI_JOB_NAME=build -e CI_PROJECT_PATH=group/app \
    -e CI_PROJECT_DIR=/builds/group/app -e CI_REGISTRY_IMAGE="$repo" -e CI_COMMIT_REF_SLUG=main \
    -e CI_COMMIT_BRANCH=main -e CI_DEFAULT_BRANCH=main -e CI_COMMIT_SHORT_SHA=abc1234 \
    -e CI_PIPELINE_SOURCE=push -e DOCKER_HOST=tcp://localhost:2376 -e CI_REGISTRY="$HOIST_TEST_REGISTRY" \
    -e CI_REGISTRY_USER=gitlab-ci-token -e CI_REGISTRY_PASSWORD=job-token-$$ \
    -e HOIST_EXTRA_ARGS="--builder dind-$$ --driver-opt image=$HOIST_TEST_BUILDKIT_IMAGE --buildkitd-config /etc/hoist-test/buildkitd.toml --insecure-registry $HOIST_TEST_REGISTRY --build-arg BASE=$AUTH_REGISTRY/group/dependency_proxy/containers/busybox:1" \
    "$@" "$job_image" -e /job.sh
}

# Job 1: the dependency proxy's login.
dind_up
job 1 -e CI_DEPENDENCY_PROXY_SERVER="$AUTH_REGISTRY" -e CI_DEPENDENCY_PROXY_USER=proxyuser \
  -e CI_DEPENDENCY_PROXY_PASSWORD=proxy-secret \
  -e CI_DEPENDENCY_PROXY_GROUP_IMAGE_PREFIX="$AUTH_REGISTRY/group/dependency_proxy/containers" \
  >"$WORK/job1.log" 2>&1 || fail "job 1 (dependency proxy): $(tail -25 "$WORK/job1.log")"
skopeo inspect --tls-verify=false --raw "docker://$repo:latest" >/dev/null || fail "job 1 pushed no image: $(tail -15 "$WORK/job1.log")"
skopeo inspect --tls-verify=false --raw "docker://$repo/hoist-state:main" >/dev/null \
  || fail "the dind engine's builder state was not saved to the registry: $(grep -i state "$WORK/job1.log" | tail -5)"
expect_not_contains "$(cat "$WORK/job1.log")" "proxy-secret" "the proxy's password in the log"
dind_down

# Job 2: a fresh engine; DOCKER_AUTH_CONFIG's login, as a File variable (GitLab puts the
# value in a file and the file's path in the variable; merge's scenario has it inline); the
# state from job 1.
dind_up
auth=$(printf 'proxyuser:proxy-secret' | base64)
printf '{"auths":{"%s":{"auth":"%s"}}}' "$AUTH_REGISTRY" "$auth" >"$WORK/DOCKER_AUTH_CONFIG"
job 2 -v "$WORK/DOCKER_AUTH_CONFIG:/builds/group/app.tmp/DOCKER_AUTH_CONFIG:ro" \
  -e DOCKER_AUTH_CONFIG=/builds/group/app.tmp/DOCKER_AUTH_CONFIG >"$WORK/job2.log" 2>&1 \
  || fail "job 2 (DOCKER_AUTH_CONFIG as a file): $(tail -25 "$WORK/job2.log")"
expect_contains "$(cat "$WORK/job2.log")" "hoist-state:main" "job 2 starts from the state job 1 saved"
expect_contains "$(cat "$WORK/job2.log")" "CACHED" "job 2's build is served from that state"
dind_down

# Job 3: no login for the base image's registry.
dind_up
set +e
job 3 >"$WORK/job3.log" 2>&1
rc=$?
set -e
[ "$rc" != 0 ] || fail "job 3 pulled the base image without a login"
expect_contains "$(cat "$WORK/job3.log")" "$AUTH_REGISTRY" "job 3 names the registry it could not pull from"
