#!/usr/bin/env bash
# --ssh reaches RUN --mount=type=ssh as buildx's does: the ssh agent of this machine
# (SSH_AUTH_SOCK, carried into the builder by hoist's helper) answers `ssh-add -l` in RUN with
# its key; a key file given as --ssh ID=PATH is handed to buildctl in memory and answers too;
# a required ssh mount without --ssh fails. The private key shows in no output.
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
command -v ssh-agent >/dev/null && command -v ssh-add >/dev/null || skip "no openssh-client"
setup_builder sshfwd
ctx=$WORK/ctx
mkdir -p "$ctx/bin"
# ssh-add with its loader and libraries, to run on the busybox base.
cp /usr/bin/ssh-add "$ctx/bin/"
for lib in $(ldd /usr/bin/ssh-add | awk '/=>/ {print $3} /ld-linux/ {print $1}'); do cp -L "$lib" "$ctx/bin/"; done
ssh_add='/ctx/bin/ld-linux-x86-64.so.2 --library-path /ctx/bin /ctx/bin/ssh-add -l'
cat >"$ctx/Dockerfile" <<DF
FROM $HOIST_TEST_BASE_IMAGE AS agent
COPY bin /ctx/bin
RUN --mount=type=ssh,required=true $ssh_add >/keys
FROM $HOIST_TEST_BASE_IMAGE AS keyfile
COPY bin /ctx/bin
RUN --mount=type=ssh,id=deploy,required=true $ssh_add >/keys
FROM scratch AS out-agent
COPY --from=agent /keys /
FROM scratch AS out-keyfile
COPY --from=keyfile /keys /
DF
ssh-keygen -q -t ed25519 -N '' -C "hoist-agent-$$" -f "$WORK/agent_key"
ssh-keygen -q -t ed25519 -N '' -C "hoist-file-$$" -f "$WORK/deploy_key"
eval "$(ssh-agent -a "$WORK/agent.sock" -s)" >/dev/null
on_exit "kill $SSH_AGENT_PID"
ssh-add -q "$WORK/agent_key"

run_hoist build --builder "$BUILDER" --ssh default --target out-agent -o "type=local,dest=$WORK/o1" "$ctx"
expect_eq 0 "$RC" "--ssh default: $ERR"
expect_contains "$(cat "$WORK/o1/keys")" "hoist-agent-$$ (ED25519)" "the agent's key listed in RUN"

run_hoist build --builder "$BUILDER" --ssh "deploy=$WORK/deploy_key" --target out-keyfile \
  -o "type=local,dest=$WORK/o2" "$ctx"
expect_eq 0 "$RC" "--ssh deploy=KEYFILE: $ERR"
# A key from a file carries no comment: its fingerprint is the proof.
expect_contains "$(cat "$WORK/o2/keys")" "$(ssh-keygen -lf "$WORK/deploy_key.pub" | cut -d' ' -f2)" \
  "the key file's key listed in RUN"
expect_not_contains "$OUT$ERR" "$(sed -n 2p "$WORK/deploy_key")" "the private key in hoist's output"

env -u SSH_AUTH_SOCK "$HOIST" build --builder "$BUILDER" --no-cache --target out-agent -o "type=local,dest=$WORK/o3" "$ctx" \
  >"$WORK/nossh.log" 2>&1 && fail "a required ssh mount built without --ssh"
expect_contains "$(cat "$WORK/nossh.log")" "ssh" "the failure names the ssh mount"
rc=0
env -u SSH_AUTH_SOCK "$HOIST" build --builder "$BUILDER" --ssh default --target out-agent "$ctx" >"$WORK/nosock.log" 2>&1 || rc=$?
expect_eq 64 "$rc" "--ssh default without an agent"
expect_contains "$(cat "$WORK/nosock.log")" "--ssh default forwards the ssh agent, and SSH_AUTH_SOCK is not set" "the fix"
