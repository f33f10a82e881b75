#!/usr/bin/env bash
# A second dockerd listening on TCP with TLS and client-certificate verification, reached
# through DOCKER_HOST + DOCKER_TLS_VERIFY + DOCKER_CERT_PATH and through a docker context:
# ping, a chunked image load, an exec whose stdin is half-closed over TLS, and a held exec
# released over TLS.
# test: serial — starts a dockerd and a host bridge; a start window
source "$(dirname "$0")/../common.sh"
require_engine
require_probe
command -v dockerd >/dev/null || skip "no dockerd binary to start a second engine with"
command -v openssl >/dev/null || skip "no openssl to make certificates with"
[ -x /bin/busybox ] || skip "no static busybox to make an image from (busybox-static)"

# Certificates: a CA, a server certificate for 127.0.0.1, a client certificate.
c=$WORK/certs; mkdir -p "$c"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=hoist-test-ca -keyout "$c/ca-key.pem" -out "$c/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout "$c/server-key.pem" -out "$c/server.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >"$c/server.ext"
openssl x509 -req -in "$c/server.csr" -CA "$c/ca.pem" -CAkey "$c/ca-key.pem" -CAcreateserial -days 1 -extfile "$c/server.ext" -out "$c/server-cert.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj /CN=client -keyout "$c/key.pem" -out "$c/client.csr" 2>/dev/null
printf 'extendedKeyUsage=clientAuth\n' >"$c/client.ext"
openssl x509 -req -in "$c/client.csr" -CA "$c/ca.pem" -CAkey "$c/ca-key.pem" -CAcreateserial -days 1 -extfile "$c/client.ext" -out "$c/cert.pem" 2>/dev/null

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
d=$WORK/dockerd; mkdir -p "$d/data" "$d/exec"
# Its own configuration file: the machine's may name a data root of its own.
echo '{"storage-driver": "vfs"}' >"$d/daemon.json"
# A bridge of its own: with --bridge none dockerd deletes docker0, the machine engine's bridge.
command -v ip >/dev/null || skip "no ip (iproute2) to make a bridge for the second engine"
br=hoistit$$
ip link add "$br" type bridge
on_exit "ip link del $br"
dockerd --config-file "$d/daemon.json" --host "tcp://127.0.0.1:$port" --tlsverify --tlscacert "$c/ca.pem" \
  --tlscert "$c/server-cert.pem" --tlskey "$c/server-key.pem" \
  --data-root "$d/data" --exec-root "$d/exec" --pidfile "$d/pid" \
  --bridge "$br" --iptables=false --ip-masq=false >"$d/log" 2>&1 &
dpid=$!
on_exit "kill $dpid 2>/dev/null; for i in \$(seq 50); do kill -0 $dpid 2>/dev/null || break; sleep 0.2; done; rm -rf '$d'"

export DOCKER_HOST=tcp://127.0.0.1:$port DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=$c
for _ in $(seq 100); do "$PROBE" ping >/dev/null 2>&1 && break; kill -0 $dpid 2>/dev/null || break; sleep 0.2; done
"$PROBE" ping >"$WORK/ping" 2>"$WORK/ping.err" || fail "TLS ping failed: $(cat "$WORK/ping.err"); dockerd: $(tail -5 "$d/log")"
expect_contains "$(cat "$WORK/ping")" "negotiated 1." "ping over TLS"
expect_contains "$("$PROBE" endpoint)" "DOCKER_HOST with DOCKER_TLS_VERIFY" "origin names the TLS variables"

# Without the client certificate the engine refuses us, and the message says what to check.
mkdir -p "$WORK/nocert" && cp "$c/ca.pem" "$WORK/nocert/"
set +e
DOCKER_CERT_PATH=$WORK/nocert "$PROBE" ping >/dev/null 2>"$WORK/err"; rc=$?
set -e
expect_eq 69 "$rc" "no client certificate: unavailable"

# A chunked upload (image load) and an exec with stdin over TLS.
mkdir -p "$WORK/root/bin" && cp /bin/busybox "$WORK/root/bin/" && ln -s busybox "$WORK/root/bin/sh"
img=hoist.local/tls-it:v1
(unset DOCKER_HOST DOCKER_TLS_VERIFY DOCKER_CERT_PATH
 tar -C "$WORK/root" -c . | docker import - "$img" >/dev/null
 docker save "$img" >"$WORK/img.tar"
 docker rmi "$img" >/dev/null)
expect_eq "loaded $img" "$("$PROBE" image-load <"$WORK/img.tar")" "image load over TLS"
"$PROBE" container-create tls-it '{"Image":"'$img'","Entrypoint":["/bin/sh","-c","sleep 600"],"HostConfig":{"NetworkMode":"none"}}' >/dev/null
"$PROBE" container-start tls-it
head -c 5000000 /dev/urandom >"$WORK/in"
"$PROBE" exec tls-it /bin/busybox cat <"$WORK/in" >"$WORK/out"
expect_eq "$(sha256sum <"$WORK/in")" "$(sha256sum <"$WORK/out")" "exec stdin round trip over TLS"
# A held process (a build's helper) sees end of file when it is released, and the engine's
# closing the stream tells the end: within the wait, which a stdin never closed would use up.
expect_eq ended "$("$PROBE" hold tls-it /bin/busybox sh -c 'cat >/dev/null; echo released >/held')" "a held exec released over TLS"
expect_eq released "$("$PROBE" exec-noin tls-it /bin/busybox cat /held)" "what the held process did after its stdin closed"

# The same engine through a docker context with its TLS files.
cfg=$WORK/docker-config
id=$(printf tls-it | sha256sum | cut -d' ' -f1)
mkdir -p "$cfg/contexts/meta/$id" "$cfg/contexts/tls/$id/docker"
printf '{"Name":"tls-it","Metadata":{},"Endpoints":{"docker":{"Host":"tcp://127.0.0.1:%s","SkipTLSVerify":false}}}' "$port" >"$cfg/contexts/meta/$id/meta.json"
cp "$c/ca.pem" "$c/cert.pem" "$c/key.pem" "$cfg/contexts/tls/$id/docker/"
out=$(env -u DOCKER_HOST -u DOCKER_TLS_VERIFY -u DOCKER_CERT_PATH DOCKER_CONFIG="$cfg" DOCKER_CONTEXT=tls-it "$PROBE" container-ls name tls-it)
expect_eq 1 "$(echo "$out" | grep -c .)" "the context reaches the TLS engine"
"$PROBE" container-rm tls-it >/dev/null
