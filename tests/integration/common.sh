# tests/integration/common.sh — shared helpers for integration scenarios.
#
# A scenario is tests/integration/scenarios/<behaviour>.sh: it sources this file, checks one
# behaviour of the built binary against real parts, and exits 0 (pass), 125 (skip: a part it
# needs is missing, said loudly), or anything else (fail). tests/integration/run runs them.
# shellcheck shell=bash
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HOIST=${HOIST:-$ROOT/out/hoist}
SCENARIO=$(basename "$0" .sh)
# One work directory per scenario; run keeps it when the scenario fails.
WORK=${HOIST_TEST_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/hoist-it-$SCENARIO.XXXXXX")}
mkdir -p "$WORK"

# A scenario runs as outside any CI job unless it says otherwise: the job running this suite
# (CI=true, a GitHub or GitLab runner) must not change what hoist does here, e.g. turn the
# terminal view off. Scenarios that test a CI's behaviour set its variables themselves.
for _v in $(compgen -e); do
  case "$_v" in
    CI | CI_* | GITHUB_* | GITLAB_* | RUNNER_* | ACTIONS_*) unset "$_v" ;;
  esac
done
unset _v

_cleanups=()
# on_exit CMD: run CMD (a string) when the scenario ends, last registered first.
on_exit() { _cleanups=("$1" "${_cleanups[@]}"); }
_run_cleanups() {
  local rc=$?
  for c in "${_cleanups[@]}"; do eval "$c" >/dev/null 2>&1 || true; done
  exit "$rc"
}
trap _run_cleanups EXIT
# Any command that fails unexpectedly fails the scenario with exit 1: its own status could be
# 125 (the docker CLI's own error code), which would read as a skip.
# Under "set +e" a failing command is expected and left to the scenario.
_on_err() {
  local rc=$?
  [[ $- == *e* ]] || return 0
  echo "FAIL: $SCENARIO: command failed (exit $rc): $BASH_COMMAND" >&2
  exit 1
}
trap _on_err ERR

# fail MSG: the scenario failed.
fail() { echo "FAIL: $SCENARIO: $*" >&2; exit 1; }
# skip MSG: the scenario cannot run here; said loudly, counted as skipped (a failure when strict).
skip() { echo "SKIP: $SCENARIO: $*" >&2; exit 125; }
# note MSG: progress for the log.
note() { echo "  $SCENARIO: $*" >&2; }

# expect_eq WANT GOT WHAT
expect_eq() { [ "$1" = "$2" ] || fail "$3: want '$1', got '$2'"; }
# expect_contains HAYSTACK NEEDLE WHAT
expect_contains() { case "$1" in *"$2"*) ;; *) fail "$3: '$2' not found in: $1" ;; esac; }
# expect_not_contains HAYSTACK NEEDLE WHAT
expect_not_contains() { case "$1" in *"$2"*) fail "$3: '$2' found in: $1" ;; *) ;; esac; }

# run_hoist ARGS...: runs the binary, capturing stdout in $OUT, stderr in $ERR, exit code in $RC.
run_hoist() {
  set +e
  "$HOIST" "$@" >"$WORK/stdout" 2>"$WORK/stderr"
  RC=$?
  set -e
  OUT=$(cat "$WORK/stdout")
  ERR=$(cat "$WORK/stderr")
}

require_binary() { [ -x "$HOIST" ] || fail "no binary at $HOIST (run make first)"; }

# require_engine: skip unless a Docker engine answers.
require_engine() {
  command -v docker >/dev/null 2>&1 || skip "no docker client to check the engine with"
  timeout 10 docker version >/dev/null 2>&1 || skip "no Docker engine answers (DOCKER_HOST=${DOCKER_HOST:-unset})"
}

# require_testenv: load scripts/testenv env (BuildKit image, registry, base image, QEMU, buildx peer).
require_testenv() {
  require_engine
  local envs
  envs=$("$ROOT/scripts/testenv" env 2>"$WORK/testenv.err") || skip "test environment not up: $(cat "$WORK/testenv.err")"
  eval "$envs"
}

# require_probe: the engine test tool (tests/tools/EngineProbe.cpp), built by make test.
PROBE=${PROBE:-$ROOT/out/engine-probe}
require_probe() { [ -x "$PROBE" ] || fail "no engine probe at $PROBE (run make out/engine-probe)"; }

# start_sleeper NAME: a running container from the test BuildKit image that only sleeps, for
# exec and archive calls; removed when the scenario ends.
start_sleeper() {
  local name=$1
  on_exit "docker rm -f -v $name"
  docker run -d --name "$name" --entrypoint sleep "$HOIST_TEST_BUILDKIT_IMAGE" 3600 >/dev/null
}

# max_rss_kb FILE: the "maxrss_kb N" line engine-probe --rss wrote to FILE.
max_rss_kb() { sed -n 's/^maxrss_kb //p' "$1" | tail -1; }

# require_two_engines: the test environment's second engine (as $two), arm64 emulation and
# skopeo, or a skip saying which is missing.
require_two_engines() {
  [ -n "${HOIST_TEST_PRIVILEGED_DOCKER_HOST:-}" ] || skip "no second engine (scripts/testenv up makes one)"
  [ "$HOIST_TEST_QEMU" = 1 ] || skip "no arm64 emulation here (HOIST_TEST_QEMU=0)"
  command -v skopeo >/dev/null || skip "no skopeo (scripts/deps test)"
  two=$HOIST_TEST_PRIVILEGED_DOCKER_HOST
}

# remove_node ENGINE NODE: a node's builder, its lock and its state volume gone from ENGINE.
remove_node() {
  DOCKER_HOST=$1 docker rm -f -v "buildx_buildkit_$2" "hoist_lock_buildx_buildkit_$2" >/dev/null 2>&1 || true
  DOCKER_HOST=$1 docker volume rm -f "buildx_buildkit_$2_state" >/dev/null 2>&1 || true
}

# forget_node ENGINE NODE: remove_node when the scenario ends.
forget_node() { on_exit "remove_node '$1' '$2'"; }

# use_builder NAME: a builder name unique to this scenario, torn down (state volume too) when
# the scenario ends; buildx's store goes to the work dir. Sets $BUILDER and $SETUP_ARGS.
use_builder() {
  BUILDER=$1-$$
  export BUILDX_CONFIG=$WORK/buildx
  SETUP_ARGS=(--builder "$BUILDER" --driver-opt "image=$HOIST_TEST_BUILDKIT_IMAGE"
              --buildkitd-config "$HOIST_TEST_BUILDKITD_CONFIG")
  on_exit "'$HOIST' teardown --builder '$BUILDER' --keep-state=false --force; docker rm -f -v buildx_buildkit_${BUILDER,,}0; docker volume rm -f buildx_buildkit_${BUILDER,,}0_state"
}

# builder_build CONTAINER DOCKERFILE-TEXT: runs buildctl in the builder on a context made in
# it; prints buildctl's plain progress.
builder_build() {
  local ctr=$1 dockerfile=$2
  docker exec -i "$ctr" sh -c "rm -rf /tmp/ctx && mkdir -p /tmp/ctx && cat >/tmp/ctx/Dockerfile" <<<"$dockerfile"
  docker exec "$ctr" buildctl build --progress plain --frontend dockerfile.v0 \
    --local context=/tmp/ctx --local dockerfile=/tmp/ctx 2>&1
}

# setup_builder NAME: use_builder NAME, then `hoist setup` it (fails the scenario if it fails).
setup_builder() {
  use_builder "$1"
  run_hoist setup "${SETUP_ARGS[@]}" "${@:2}"
  [ "$RC" = 0 ] || fail "hoist setup: $ERR"
}

# release_server [DIR]: serves DIR (default: dist/ laid out as the release of VERSION, as
# `make dist` made it) over http on loopback until the scenario ends; sets
# HOIST_TEST_RELEASE_URL.
release_server() {
  local dir=${1:-}
  if [ -z "$dir" ]; then
    [ -f "$ROOT/dist/SHA256SUMS" ] || fail "no dist/SHA256SUMS (make dist)"
    dir=$WORK/releases
    mkdir -p "$dir/v$(cat "$ROOT/VERSION")"
    cp "$ROOT"/dist/hoist-linux-* "$ROOT/dist/SHA256SUMS" "$dir/v$(cat "$ROOT/VERSION")/"
  fi
  local port_file=$WORK/release-server.port
  rm -f "$port_file"
  python3 - "$dir" "$port_file" >"$WORK/release-server.log" 2>&1 <<'PY' &
import functools, http.server, sys
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
open(sys.argv[2], "w").write(str(server.server_address[1]))
server.serve_forever()
PY
  on_exit "kill $!"
  local i
  for i in $(seq 50); do [ -s "$port_file" ] && break; sleep 0.1; done
  [ -s "$port_file" ] || fail "the release server did not start: $(cat "$WORK/release-server.log")"
  HOIST_TEST_RELEASE_URL=http://127.0.0.1:$(cat "$port_file")
}

# fault_row FAULT EXIT LEFT NEXT: one row of the fault table tests/integration/run prints at its
# end: the fault, hoist's exit code, what was left behind, whether the next run recovered.
fault_row() {
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"${HOIST_TEST_FAULTS:-/dev/null}"
}

# builder_leftovers CONTAINER: what a build left in the builder: processes of buildctl, work
# dirs on the state volume, credential dirs in /tmp, contexts in /dev/shm while it runs (one a
# line; empty when clean).
builder_leftovers() {
  docker top "$1" -eo pid,args 2>/dev/null | grep -E 'buildctl build|__hold' | sed 's/^/process /' || true
  docker run --rm --volumes-from "$1" --entrypoint /bin/sh "$HOIST_TEST_BUILDKIT_IMAGE" \
    -c 'ls -d /var/lib/buildkit/hoist-build-* 2>/dev/null' | sed 's/^/workdir /' || true
  docker cp "$1:/tmp" - 2>/dev/null | tar -t 2>/dev/null | grep -E '^tmp/hoist-build-[^/]+/$' | sed 's/^/credentials /' || true
  # docker cp does not see into /dev/shm, and a builder without a shell has nothing to list it.
  docker exec "$1" sh -c 'ls -d /dev/shm/hoist-build-* 2>/dev/null' 2>/dev/null | grep '^/dev/shm/' | sed 's/^/inputs /' || true
}

# git_server ROOT TOKEN [tls]: serves the bare repositories under ROOT over git's smart HTTP
# (git http-backend) on the bridge gateway, where builders reach it, until the scenario ends:
# ROOT/open/… to anyone, ROOT/private/… only with "Authorization: basic base64(x-access-token:
# TOKEN)" (what BuildKit sends for a GIT_AUTH_TOKEN secret). Sets GIT_SERVER (host:port); with
# tls, serves https with a certificate for the gateway's address, its CA in GIT_SERVER_CA.
git_server() {
  local root=$1 token=$2 tls=${3:-} gw=${HOIST_TEST_REGISTRY%:*}
  local port_file=$WORK/git-server.port cert=""
  rm -f "$port_file"
  if [ "$tls" = tls ]; then
    cert=$WORK/git-server.pem
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=hoist-git -addext "subjectAltName=IP:$gw" \
      -keyout "$WORK/git-server.key" -out "$cert" >/dev/null 2>&1 || fail "openssl could not make a certificate"
    GIT_SERVER_CA=$cert
  fi
  python3 - "$root" "$token" "$gw" "$port_file" "$cert" >"$WORK/git-server.log" 2>&1 <<'PY' &
import base64, http.server, os, ssl, subprocess, sys
root, token, host, port_file, cert = sys.argv[1:6]
want = "basic " + base64.b64encode(("x-access-token:" + token).encode()).decode()
class Git(http.server.BaseHTTPRequestHandler):
    def serve(self):
        path, _, query = self.path.partition("?")
        if path.startswith("/private/") and self.headers.get("Authorization", "").lower() != want.lower():
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="git"')
            self.end_headers()
            return
        env = dict(os.environ, GIT_PROJECT_ROOT=root, GIT_HTTP_EXPORT_ALL="1", PATH_INFO=path,
                   QUERY_STRING=query, REQUEST_METHOD=self.command,
                   CONTENT_TYPE=self.headers.get("Content-Type", ""), REMOTE_ADDR="127.0.0.1",
                   CONTENT_LENGTH=self.headers.get("Content-Length", "0"))
        body = self.rfile.read(int(self.headers.get("Content-Length", "0") or 0))
        out = subprocess.run(["git", "http-backend"], input=body, env=env, capture_output=True).stdout
        head, _, data = out.partition(b"\r\n\r\n")
        status = 200
        headers = []
        for line in head.decode().split("\r\n"):
            k, _, v = line.partition(": ")
            if k.lower() == "status":
                status = int(v.split()[0])
            elif k:
                headers.append((k, v))
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    do_GET = do_POST = serve
server = http.server.ThreadingHTTPServer((host, 0), Git)
if cert:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, cert[:-4] + ".key")
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
open(port_file, "w").write(str(server.server_address[1]))
server.serve_forever()
PY
  on_exit "kill $!"
  local i
  for i in $(seq 50); do [ -s "$port_file" ] && break; sleep 0.1; done
  [ -s "$port_file" ] || fail "the git server did not start: $(cat "$WORK/git-server.log")"
  GIT_SERVER=$gw:$(cat "$port_file")
}

# git_repo BARE-DIR SRC-DIR: a bare repository at BARE-DIR holding SRC-DIR's files as one
# commit on main; prints the commit.
git_repo() {
  local bare=$1 src=$2
  git -C "$src" init -q -b main
  git -C "$src" add -A
  git -C "$src" -c user.name=hoist -c user.email=hoist@example.invalid commit -qm "scenario $SCENARIO"
  mkdir -p "$(dirname "$bare")"
  git clone -q --bare "$src" "$bare"
  git -C "$src" rev-parse HEAD
}

# free_port HOST: a TCP port free on HOST now.
free_port() {
  python3 -c 'import socket, sys; s = socket.socket(); s.bind((sys.argv[1], 0)); print(s.getsockname()[1])' "$1"
}

# gitlab_job_script TEMPLATE [JOB]: the template's JOB (default .hoist-socket) as GitLab's runner makes its
# shell script, read with a real YAML parser: the template's variables (global, then the
# job's) where the pipeline does not set them, then before_script and script.
gitlab_job_script() {
  /usr/bin/python3 - "$1" "${2:-.hoist-socket}" <<'PY'
import sys, yaml
t = yaml.safe_load(open(sys.argv[1]))
assert t["variables"]["HOIST_VERSION"], "the template pins no HOIST_VERSION"
job = dict(t[".hoist-base"])
job["variables"] = {**job["variables"], **t[sys.argv[2]]["variables"]}
for k, v in list(t["variables"].items()) + list(job["variables"].items()):
    print(f'[ -n "${{{k}+x}}" ] || export {k}="{v}"')
for line in job["before_script"] + job["script"]:
    print(line)
PY
}

# tls_buildkitd: a buildkitd (the test environment's BuildKit image) on the host's loopback
# TCP demanding mutual TLS, with certificates made here by openssl (a CA, the daemon's for
# 127.0.0.1, a client's, and another CA that signed neither), until the scenario ends. Sets
# BUILDKITD_ENDPOINT (tcp://127.0.0.1:PORT), BUILDKITD_CERTS (the directory: ca.pem,
# client.pem, client.key, other.pem) and BUILDKITD_CONTAINER.
tls_buildkitd() {
  command -v openssl >/dev/null || skip "no openssl to make the certificates"
  local c=$WORK/buildkitd-certs port name i
  mkdir -p "$c"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=hoist test CA" -keyout "$c/ca.key" \
    -out "$c/ca.pem" >/dev/null 2>&1 || fail "openssl could not make the CA"
  for name in server client; do
    openssl req -newkey rsa:2048 -nodes -subj "/CN=$name" -keyout "$c/$name.key" -out "$c/$name.csr" >/dev/null 2>&1
    if [ $name = server ]; then
      printf 'extendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1\n' >"$c/$name.ext"
    else
      printf 'extendedKeyUsage=clientAuth\n' >"$c/$name.ext"
    fi
    openssl x509 -req -in "$c/$name.csr" -CA "$c/ca.pem" -CAkey "$c/ca.key" -CAcreateserial -days 2 \
      -extfile "$c/$name.ext" -out "$c/$name.pem" >/dev/null 2>&1 || fail "openssl could not sign $name"
  done
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=another CA" -keyout "$c/other.key" \
    -out "$c/other.pem" >/dev/null 2>&1
  chmod 644 "$c"/*.pem "$c"/*.key
  port=$(free_port 127.0.0.1)
  BUILDKITD_CONTAINER=hoist-it-buildkitd-$$
  # shellcheck disable=SC2086
  docker run -d --name "$BUILDKITD_CONTAINER" --network host $HOIST_TEST_BUILDKIT_RUN_FLAGS \
    -v "$c:/certs:ro" -v "$HOIST_TEST_BUILDKITD_CONFIG:/etc/buildkit/buildkitd.toml:ro" \
    "$HOIST_TEST_BUILDKIT_IMAGE" --addr "tcp://127.0.0.1:$port" --tlscert /certs/server.pem \
    --tlskey /certs/server.key --tlscacert /certs/ca.pem >/dev/null
  on_exit "docker rm -f -v $BUILDKITD_CONTAINER"
  for i in $(seq 100); do
    docker exec "$BUILDKITD_CONTAINER" buildctl --addr "tcp://127.0.0.1:$port" --tlscacert /certs/ca.pem \
      --tlscert /certs/client.pem --tlskey /certs/client.key debug workers >/dev/null 2>&1 && break
    sleep 0.2
  done
  BUILDKITD_ENDPOINT=tcp://127.0.0.1:$port
  BUILDKITD_CERTS=$c
}

# tls_registry: Debian's docker-registry speaking TLS with a self-signed certificate (for the
# bridge gateway's address), no auth, until the scenario ends. Sets TLS_REGISTRY (host:port)
# and TLS_REGISTRY_CA (the certificate).
tls_registry() {
  local gw=${HOIST_TEST_REGISTRY%:*} dir=$WORK/tls-registry port i
  mkdir -p "$dir"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$gw" -addext "subjectAltName=IP:$gw" \
    -keyout "$dir/key.pem" -out "$dir/cert.pem" >/dev/null 2>&1 || fail "openssl could not make the registry's certificate"
  port=$(free_port "$gw")
  cat >"$dir/registry.yml" <<YML
version: 0.1
log: {level: warn}
storage: {filesystem: {rootdirectory: $dir/storage}, delete: {enabled: true}}
http: {addr: $gw:$port, tls: {certificate: $dir/cert.pem, key: $dir/key.pem}}
YML
  docker-registry serve "$dir/registry.yml" >"$WORK/tls-registry.log" 2>&1 &
  on_exit "kill $!"
  for i in $(seq 50); do curl -sk -o /dev/null "https://$gw:$port/v2/" && break; sleep 0.1; done
  curl -sk -o /dev/null "https://$gw:$port/v2/" || fail "the TLS registry did not start: $(cat "$WORK/tls-registry.log")"
  TLS_REGISTRY=$gw:$port
  TLS_REGISTRY_CA=$dir/cert.pem
}

# htpasswd_registry USER PASSWORD: Debian's docker-registry demanding USER:PASSWORD (basic
# auth), on the bridge gateway, plain http, until the scenario ends; and $WORK/buildkitd.toml
# marking it and the test registry plain http for builders. Sets AUTH_REGISTRY (host:port).
htpasswd_registry() {
  local user=$1 password=$2 gw=${HOIST_TEST_REGISTRY%:*} port hash
  command -v docker-registry >/dev/null || skip "Debian's docker-registry is not installed"
  hash=$(python3 -W ignore -c 'import crypt,sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH)))' "$password")
  echo "$user:$hash" >"$WORK/htpasswd"
  port=$(free_port "$gw")
  cat >"$WORK/registry.yml" <<YML
version: 0.1
log: {level: warn}
storage: {filesystem: {rootdirectory: $WORK/storage}}
http: {addr: $gw:$port}
auth: {htpasswd: {realm: hoist-it, path: $WORK/htpasswd}}
YML
  docker-registry serve "$WORK/registry.yml" >"$WORK/registry.log" 2>&1 &
  on_exit "kill $!"
  local i
  for i in $(seq 50); do curl -s -o /dev/null "http://$gw:$port/v2/" && break; sleep 0.1; done
  AUTH_REGISTRY=$gw:$port
  printf '[registry."%s"]\n  http = true\n  insecure = true\n[registry."%s"]\n  http = true\n  insecure = true\n' \
    "$HOIST_TEST_REGISTRY" "$AUTH_REGISTRY" >"$WORK/buildkitd.toml"
}

# token_registry USER PASSWORD [IDENTITY-TOKEN]: Debian's docker-registry demanding Docker's
# bearer tokens (auth: token), and a token server issuing them (RS256 JWTs signed with openssl,
# the certificate in the registry's rootcertbundle) for USER:PASSWORD by basic auth, or for
# IDENTITY-TOKEN as an OAuth2 refresh token; both on the bridge gateway, plain http, until the
# scenario ends. Sets TOKEN_REGISTRY (host:port); the token server logs each grant to
# $WORK/token-server.log.
token_registry() {
  local user=$1 password=$2 identity=${3:-} gw=${HOIST_TEST_REGISTRY%:*}
  local dir=$WORK/token-registry port_file=$WORK/token-registry/token.port port i
  mkdir -p "$dir"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=hoist-token-issuer \
    -keyout "$dir/issuer.key" -out "$dir/issuer.pem" >/dev/null 2>&1 || fail "openssl could not make the issuer"
  python3 - "$gw" "$port_file" "$dir" "$user" "$password" "$identity" >"$WORK/token-server.log" 2>&1 <<'PY' &
import base64, http.server, json, subprocess, sys, time, urllib.parse
host, port_file, d, user, password, identity = sys.argv[1:7]
der = subprocess.run(["openssl", "x509", "-in", d + "/issuer.pem", "-outform", "DER"],
                     capture_output=True, check=True).stdout
def b64(b): return base64.urlsafe_b64encode(b).rstrip(b"=").decode()
def jwt(service, scopes, who):
    access = []
    for s in scopes:
        kind, name, actions = s.split(":")[0], ":".join(s.split(":")[1:-1]), s.split(":")[-1]
        access.append({"type": kind, "name": name, "actions": actions.split(",")})
    now = int(time.time())
    head = b64(json.dumps({"alg": "RS256", "typ": "JWT", "x5c": [base64.b64encode(der).decode()]}).encode())
    body = b64(json.dumps({"iss": "hoist-token-issuer", "sub": who, "aud": service, "exp": now + 300,
                           "nbf": now - 10, "iat": now, "jti": str(time.time_ns()), "access": access}).encode())
    sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", d + "/issuer.key"],
                         input=(head + "." + body).encode(), capture_output=True, check=True).stdout
    return head + "." + body + "." + b64(sig)
class Tokens(http.server.BaseHTTPRequestHandler):
    def answer(self, q, who):
        if not who:
            self.send_response(401); self.end_headers(); return
        scopes = q.get("scope", [])
        print("grant", who, " ".join(scopes), flush=True)
        t = jwt(q.get("service", [""])[0], scopes, who)
        data = json.dumps({"token": t, "access_token": t, "expires_in": 300}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def do_GET(self):
        q = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
        auth = self.headers.get("Authorization", "")
        ok = auth == "Basic " + base64.b64encode((user + ":" + password).encode()).decode()
        self.answer(q, user if ok else "")
    def do_POST(self):
        form = urllib.parse.parse_qs(self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode())
        ok = identity and form.get("grant_type") == ["refresh_token"] and form.get("refresh_token") == [identity]
        self.answer(form, "identity" if ok else "")
    def log_message(self, *a): pass
server = http.server.ThreadingHTTPServer((host, 0), Tokens)
open(port_file, "w").write(str(server.server_address[1]))
server.serve_forever()
PY
  on_exit "kill $!"
  for i in $(seq 50); do [ -s "$port_file" ] && break; sleep 0.1; done
  [ -s "$port_file" ] || fail "the token server did not start: $(cat "$WORK/token-server.log")"
  port=$(free_port "$gw")
  cat >"$dir/registry.yml" <<YML
version: 0.1
log: {level: warn}
storage: {filesystem: {rootdirectory: $dir/storage}, delete: {enabled: true}}
http: {addr: $gw:$port}
auth:
  token:
    realm: http://$gw:$(cat "$port_file")/token
    service: hoist-test-registry
    issuer: hoist-token-issuer
    rootcertbundle: $dir/issuer.pem
YML
  docker-registry serve "$dir/registry.yml" >"$WORK/token-registry.log" 2>&1 &
  on_exit "kill $!"
  for i in $(seq 50); do curl -s -o /dev/null "http://$gw:$port/v2/" && break; sleep 0.1; done
  TOKEN_REGISTRY=$gw:$port
}
