#!/usr/bin/env bash
# The live terminal view (report::LivePanel), driven as a user meets it: hoist build and hoist
# run in a real terminal (tmux, 120×30), two platforms, a step that prints a line a second for
# six seconds. The screen, read with capture-pane at moments: the context upload as a live line
# (files, bytes, rate), then as a kept line; a running step with its timer (which advances)
# under the header and its latest log line; the panel after the terminal is resized (one header,
# nothing wrapped); after Ctrl-C (the build stopped in the builder, the running steps marked
# unfinished, the error, a usable prompt); hoist run's setup phases and teardown in the same
# view; colours unless NO_COLOR. Off a terminal nothing changes: plain lines, no escapes.
# test: serial — asserts a timer's and a redraw's timing
source "$(dirname "$0")/../common.sh"
require_binary
require_testenv
command -v tmux >/dev/null || skip "no tmux (scripts/deps test)"
[ "$HOIST_TEST_QEMU" = 1 ] || skip "no arm64 emulation here (HOIST_TEST_QEMU=0)"
setup_builder tty
ctr=buildx_buildkit_${BUILDER}0
mkdir -p "$WORK/ctx"
cat >"$WORK/ctx/Dockerfile" <<'DOCKERFILE'
ARG BASE
FROM $BASE
ARG TARGETARCH
ARG TICKS=6
RUN i=0; while [ $i -lt $TICKS ]; do i=$((i + 1)); echo "tick $i on $TARGETARCH"; sleep 1; done
DOCKERFILE
# A context that takes a moment to send: 1 GiB of zeros (sparse: nothing to write here).
truncate -s 1G "$WORK/ctx/big"

export TMUX_TMPDIR=$WORK/tmux
mkdir -p "$TMUX_TMPDIR"
on_exit "tmux kill-server"
tmux new-session -d -s t -x 120 -y 30 -e "TERM=xterm-256color" "bash --norc --noprofile"
sleep 0.5
type_line() { tmux send-keys -t t "$1" Enter; }
screen() { tmux capture-pane -p -t t; }
# until SECONDS REGEX: polls the screen until a line matches (the screen in $SCREEN).
until_screen() {
  local deadline=$((SECONDS + $1))
  while [ $SECONDS -lt $deadline ]; do
    SCREEN=$(screen)
    grep -Eq "$2" <<<"$SCREEN" && return 0
    sleep 0.05
  done
  fail "the screen never showed /$2/ within $1s; it shows:
$SCREEN"
}
type_line "cd '$WORK' && export PS1='prompt\$ ' && clear"
build="'$HOIST' build --builder $BUILDER --platform linux/amd64,linux/arm64 --build-arg BASE=$HOIST_TEST_BASE_IMAGE --no-cache ctx"

note "hoist build: the upload, then a running step"
# The first build's step ticks for 20 s: time for every look below and the Ctrl-C while it
# runs, on a slow machine too. Later builds tick for the default 6 s.
type_line "${build% ctx} --build-arg TICKS=20 ctx"
until_screen 30 '=> uploading context: 2 files, [0-9.]+ MiB of [0-9.]+ MiB, [0-9.]+ MiB/s'
until_screen 30 '^context: 2 files, 10[0-9][0-9]\.[0-9] MiB sent in [0-9.]+s \([0-9.]+ MiB/s\)'
note "$(grep -E '^context: ' <<<"$SCREEN")"
until_screen 30 '^    tick [2-9] on (amd64|arm64)$'
step='^ => #[0-9]+ \[linux/(amd64|arm64) 2/2\] RUN i=0; while .* ([0-9]+\.[0-9])s$'
grep -Eq "$step" <<<"$SCREEN" || fail "no running step with its timer: $SCREEN"
expect_eq 1 "$(grep -c '^\[+\] hoist build · builder '"$BUILDER"' · linux/amd64, linux/arm64  [0-9.]*s$' <<<"$SCREEN")" "the header, once"
# One platform's timer, looked at twice 1.2 s apart.
line=$(grep -E "$step" <<<"$SCREEN" | head -1)
platform=$(sed -E 's/.*\[(linux\/[a-z0-9]+) 2\/2\].*/\1/' <<<"$line")
first=$(sed -E 's/.* ([0-9.]+)s$/\1/' <<<"$line")
sleep 1.2
SCREEN=$(screen)
second=$(grep -E "$step" <<<"$SCREEN" | grep -F "[$platform 2/2]" | head -1 | sed -E 's/.* ([0-9.]+)s$/\1/')
[ -n "$second" ] || fail "the $platform step is no longer shown running: $SCREEN"
python3 -c "import sys; sys.exit(0 if float('$second') >= float('$first') + 0.8 else 1)" \
  || fail "the $platform step's timer did not advance: $first then $second"
# The latest log line is the step's own, right under it.
grep -A4 -E "$step" <<<"$(screen)" | grep -Eq '^    tick ([3-9]|1[0-9]|20) on ' || fail "no recent log line under the step: $(screen)"
note "resized to 80×24"
tmux resize-window -t t -x 80 -y 24
sleep 0.6
SCREEN=$(screen)
expect_eq 1 "$(grep -c '^\[+\] hoist build' <<<"$SCREEN")" "headers after the resize (a half-erased frame shows two)"
grep -Eq '^ => #[0-9]+ \[linux/(amd64|arm64) 2/2\] RUN .* [0-9]+\.[0-9]s$' <<<"$SCREEN" \
  || fail "the running step's line does not fit 80 columns with its timer: $SCREEN"
note "Ctrl-C"
tmux send-keys -t t C-c
until_screen 20 '^prompt\$ ?$'
expect_contains "$SCREEN" "hoist: error: cancelled by signal 2" "the error after Ctrl-C"
grep -Eq '^#[0-9]+ \[linux/(amd64|arm64) 2/2\] RUN .*unfinished$' <<<"$SCREEN" || fail "the running steps are not marked unfinished: $SCREEN"
expect_eq "" "$(sed -n '/hoist: error: cancelled/,$p' <<<"$SCREEN" | grep -E '^\[\+\]|^ => ' || true)" "what the panel left below the error"
type_line "echo usable-\$((6*7))"
until_screen 5 '^usable-42$'
expect_eq "" "$(docker exec "$ctr" ps -o args 2>/dev/null | grep -E '^buildctl' || true)" "buildctl in the builder after Ctrl-C"

note "colours: on a terminal, not with NO_COLOR"
type_line "clear && $build"
until_screen 40 '^prompt\$ ?$'
colours=$(tmux capture-pane -e -p -t t -S -60)
expect_contains "$colours" $'\033[32m' "the finished steps' colour"
type_line "clear && NO_COLOR=1 $build"
until_screen 40 '^prompt\$ ?$'
expect_not_contains "$(tmux capture-pane -e -p -t t -S -60 | grep -v '^prompt')" $'\033[3' "colours with NO_COLOR"

note "hoist run: setup, build and teardown in one view"
run_builder=ttyrun-$$
on_exit "'$HOIST' teardown --builder $run_builder --keep-state=false --force; docker rm -f -v buildx_buildkit_${run_builder}0; docker volume rm -f buildx_buildkit_${run_builder}0_state"
type_line "clear && '$HOIST' run --builder $run_builder --driver-opt image=$HOIST_TEST_BUILDKIT_IMAGE --buildkitd-config $HOIST_TEST_BUILDKITD_CONFIG --keep-state=false --platform linux/amd64,linux/arm64 --build-arg BASE=$HOIST_TEST_BASE_IMAGE ctx"
until_screen 20 '^\[\+\] hoist run · builder '"$run_builder"
until_screen 60 '^prompt\$ ?$'
for phase in "creating container buildx_buildkit_${run_builder}0" "booting BuildKit in buildx_buildkit_${run_builder}0" \
             "builder $run_builder: removed, state volume removed" "run finished in"; do
  grep -Eq "^ => $phase.* [0-9.]+s$" <<<"$SCREEN" || fail "no phase '$phase' with its time: $SCREEN"
done
grep -Eq '^#[0-9]+ \[linux/arm64 2/2\] RUN .* DONE [0-9.]+s$' <<<"$SCREEN" || fail "no finished arm64 step: $SCREEN"

note "off a terminal: plain lines, no escapes"
"$HOIST" build --builder "$BUILDER" --platform linux/amd64 --build-arg "BASE=$HOIST_TEST_BASE_IMAGE" "$WORK/ctx" >/dev/null 2>"$WORK/plain.log" \
  || fail "the plain build: $(cat "$WORK/plain.log")"
expect_not_contains "$(cat "$WORK/plain.log")" $'\033' "escapes in the plain log"
grep -Eq '^#[0-9]+ (DONE [0-9.]+s|CACHED)$' "$WORK/plain.log" || fail "no plain step lines: $(cat "$WORK/plain.log")"
