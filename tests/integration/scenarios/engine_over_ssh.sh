#!/usr/bin/env bash
# DOCKER_HOST=ssh://USER@HOST:PORT reaches the engine as the docker CLI does: the system's
# OpenSSH client runs `docker system dial-stdio` on the far side (an sshd on loopback here,
# with keys and known_hosts made by the test, the user's own ~/.ssh/config choosing the key:
# hoist runs as a user of the test's own, whose home ssh reads, with no engine of its own).
# A whole run goes through it: setup, a build whose context goes up and whose local output
# comes down, teardown. A key the server does not know fails with ssh's words, exit 69, and
# nothing made; no ssh process outlives hoist.
# test: serial — machine-wide pgrep of dial-stdio; adds and removes a user
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
[ -x /usr/sbin/sshd ] || skip "no sshd (scripts/deps test installs openssh-server)"
command -v ssh >/dev/null || skip "no ssh client"
command -v docker >/dev/null || skip "no docker CLI for the far side's dial-stdio"
use_builder ssh

command -v useradd >/dev/null || skip "no useradd to make the test's user"
[ "$(id -u)" = 0 ] || skip "making a user and running sshd need root"
user=hoistssh$$
useradd -M -d "$WORK/home" -s /bin/sh "$user"
on_exit "userdel $user"
chmod 711 "$WORK"
s=$WORK/ssh; mkdir -p "$s" "$WORK/home/.ssh" /run/sshd
ssh-keygen -q -t ed25519 -N '' -f "$s/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$WORK/home/.ssh/id_hoist"
ssh-keygen -q -t ed25519 -N '' -f "$WORK/home/.ssh/id_other"
cp "$WORK/home/.ssh/id_hoist.pub" "$s/authorized_keys"
port=$(free_port 127.0.0.1)
cat >"$s/sshd_config" <<CFG
Port $port
ListenAddress 127.0.0.1
HostKey $s/host_key
AuthorizedKeysFile $s/authorized_keys
PidFile $s/sshd.pid
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
CFG
/usr/sbin/sshd -D -f "$s/sshd_config" -E "$s/sshd.log" &
on_exit "kill $!"
for _ in $(seq 50); do (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
echo "[127.0.0.1]:$port $(cat "$s/host_key.pub")" >"$WORK/home/.ssh/known_hosts"
cat >"$WORK/home/.ssh/config" <<CFG
Host 127.0.0.1
  IdentityFile $WORK/home/.ssh/id_hoist
  IdentitiesOnly yes
  BatchMode yes
  StrictHostKeyChecking yes
CFG
chmod 600 "$WORK/home/.ssh/config" "$WORK/home/.ssh/id_"*
chown -R "$user" "$WORK/home"

mkdir -p "$WORK/ctx" "$WORK/out"
echo "over ssh $$" >"$WORK/ctx/f"
printf 'FROM scratch\nCOPY f /f\n' >"$WORK/ctx/Dockerfile"
chmod -R a+rX "$WORK/ctx" && chown "$user" "$WORK/out" "$WORK"
ssh_hoist() {
  set +e
  runuser -u "$user" -- env -i PATH="$PATH" HOME="$WORK/home" DOCKER_HOST="ssh://root@127.0.0.1:$port" \
    "$HOIST" "$@" >"$WORK/home/stdout" 2>"$WORK/home/stderr"
  RC=$?
  set -e
  OUT=$(cat "$WORK/home/stdout")
  ERR=$(cat "$WORK/home/stderr")
}
ssh_hoist run "${SETUP_ARGS[@]}" --keep-state=false -o "type=local,dest=$WORK/out/r" "$WORK/ctx"
expect_eq 0 "$RC" "hoist run through ssh: $ERR"
expect_eq "over ssh $$" "$(cat "$WORK/out/r/f" 2>/dev/null)" "the build's output, down through ssh"
expect_contains "$ERR" "builder $BUILDER created" "the builder was made on the engine behind ssh"
expect_eq "" "$(docker ps -aq --filter "name=^/buildx_buildkit_${BUILDER,,}0\$")" "the builder after the run"
for _ in $(seq 20); do pgrep -f "dial-stdio" >/dev/null || break; sleep 0.1; done
expect_eq "" "$(pgrep -af 'system dial-stdio' || true)" "ssh processes after hoist exited"

# A key the server does not know: ssh's words, the hint, nothing made.
sed -i "s/id_hoist/id_other/" "$WORK/home/.ssh/config"
ssh_hoist setup "${SETUP_ARGS[@]}"
expect_eq 69 "$RC" "an unknown key"
expect_contains "$ERR" "ssh://root@127.0.0.1:$port" "names the endpoint"
expect_contains "$ERR" "Permission denied" "ssh's own words"
expect_contains "$ERR" "docker system dial-stdio" "the hint names what hoist runs"
expect_eq "" "$(docker ps -aq --filter "name=^/buildx_buildkit_${BUILDER,,}0\$")" "a builder made without a login"
