#!/usr/bin/env bash
# A setup killed in another PID namespace (a job container) while it held the builder's engine
# lock: the next setup says who holds it, when the lease ends and the way out, then takes it
# over when the lease ends (bootstrap timeout + 30 s, not hours); teardown --force takes it
# over at once.
# test: serial — machine-wide pgrep; bounded waits
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
command -v unshare >/dev/null || skip "no unshare (util-linux)"
[ "$(id -u)" = 0 ] || skip "unshare --pid needs root"
use_builder stale
# A buildkitd that listens where buildctl does not look keeps setup waiting, lock held.
unshare --pid --fork --kill-child=KILL --mount-proc "$HOIST" setup "${SETUP_ARGS[@]}" --bootstrap-timeout 5s \
  --buildkitd-flags "--addr unix:///run/buildkit/elsewhere.sock" >"$WORK/killed.log" 2>&1 &
pid=$!
lock=hoist_lock_buildx_buildkit_${BUILDER}0
# The killed hoist (SIGKILLed as unshare's child dies) is really gone.
gone_for_good() {
  local i
  for i in $(seq 50); do pgrep -f "elsewhere.sock" >/dev/null || return 0; sleep 0.1; done
  fail "the killed setup still runs"
}
for i in $(seq 100); do docker inspect "$lock" >/dev/null 2>&1 && break; sleep 0.1; done
docker inspect "$lock" >/dev/null 2>&1 || fail "the first setup never took the lock: $(cat "$WORK/killed.log")"
kill -KILL "$pid"; wait "$pid" || true
gone_for_good
on_exit "docker rm -f -v $lock"
docker inspect "$lock" >/dev/null || fail "the killed setup's lock is gone already"

start=$(date +%s)
run_hoist setup "${SETUP_ARGS[@]}"
secs=$(( $(date +%s) - start ))
expect_eq 0 "$RC" "the next setup after a stale lock ($ERR)"
expect_contains "$ERR" "its lease ends in" "the wait says when the lease ends"
expect_contains "$ERR" "hoist teardown --force takes the builder over now" "the wait names the way out"
expect_contains "$ERR" "taking over the stale lock" "the next setup took the lock over"
[ "$secs" -le 50 ] || fail "the next setup waited ${secs}s for a lease of 5s + 30s"
fault_row "setup SIGKILLed in another PID namespace, lock held" 137 "its lock, until its lease (35 s here)" "yes, after ${secs}s"

# teardown --force does not wait for a lease.
unshare --pid --fork --kill-child=KILL --mount-proc "$HOIST" setup "${SETUP_ARGS[@]}" --bootstrap-timeout 60s \
  --buildkitd-flags "--addr unix:///run/buildkit/elsewhere.sock" >"$WORK/killed2.log" 2>&1 &
pid=$!
for i in $(seq 100); do docker inspect "$lock" >/dev/null 2>&1 && break; sleep 0.1; done
kill -KILL "$pid"; wait "$pid" || true
gone_for_good
start=$(date +%s)
run_hoist teardown --builder "$BUILDER" --force --keep-state=false
secs=$(( $(date +%s) - start ))
expect_eq 0 "$RC" "teardown --force over a stale lock ($ERR)"
[ "$secs" -le 15 ] || fail "teardown --force waited ${secs}s"
