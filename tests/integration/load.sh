# tests/integration/load.sh — jobs for the load scenarios (load_*) and `make load`: each job
# builds a context of its own and its output is checked by content, never by exit code alone.
# Source after common.sh.
# shellcheck shell=bash

LOAD_T=1700000000 # every context file's mtime: the worst case for BuildKit's file sync

# load_context DIR ID KIND [SLEEP]: a context whose output /out must read "ID"; f in every
# context has the same size and mtime. KIND picks one of four Dockerfiles (0-3), so jobs differ
# in their steps too: a plain COPY, a build arg, a second stage, a named context (DIR/src).
# SLEEP seconds of a last step keep the job building while others come and go.
load_context() {
  local dir=$1 id=$2 kind=$3 sleep=${4:-0}
  mkdir -p "$dir/src"
  printf '%-24s\n' "$id" >"$dir/f"
  printf '%-24s\n' "$id" >"$dir/src/f"
  local base=$HOIST_TEST_BASE_IMAGE
  case $((kind % 4)) in
    0) printf 'FROM %s AS result\nCOPY f /f\nRUN cat /f | tr -d " " >/out\n' "$base" ;;
    1) printf 'FROM %s AS result\nARG N=1\nCOPY f /f\nRUN cat /f | tr -d " " >/out && echo "$N" >/n\n' "$base" ;;
    2) printf 'FROM %s AS a\nCOPY f /f\nFROM %s AS result\nCOPY --from=a /f /g\nRUN tr -d " " </g >/out\n' "$base" "$base" ;;
    3) printf 'FROM %s AS result\nCOPY --from=src f /f\nRUN cat /f | tr -d " " >/out\n' "$base" ;;
  esac >"$dir/Dockerfile"
  [ "$sleep" = 0 ] || printf 'RUN sleep %s\n' "$sleep" >>"$dir/Dockerfile"
  printf 'FROM scratch\nCOPY --from=result /out /out\n' >>"$dir/Dockerfile"
  find "$dir" -exec touch -h -d "@$LOAD_T" {} +
}

# load_args DIR KIND OUT: the build arguments of a load_context job writing its output to OUT.
load_args() {
  local dir=$1 kind=$2 out=$3
  LOAD_ARGS=(--progress plain -o "type=local,dest=$out")
  [ $((kind % 4)) -ne 3 ] || LOAD_ARGS+=(--build-context "src=$dir/src")
  LOAD_ARGS+=("$dir")
}

# load_identity N: the CI identity of job N as env assignments in LOAD_ENV: local, a GitHub
# job, a GitLab job, or one of two matrix legs of one GitHub job.
load_identity() {
  local n=$1 gh=$WORK/gh-$1
  mkdir -p "$gh"
  touch "$gh/output" "$gh/summary" "$gh/state"
  local github=(GITHUB_ACTIONS=true GITHUB_REPOSITORY=o/load GITHUB_RUN_ID=$((100 + n))
                GITHUB_WORKSPACE=$WORK GITHUB_OUTPUT=$gh/output GITHUB_STEP_SUMMARY=$gh/summary
                GITHUB_STATE=$gh/state)
  case $((n % 5)) in
    0) LOAD_ENV=() ;;
    1) LOAD_ENV=("${github[@]}" GITHUB_JOB=build-$n) ;;
    2) LOAD_ENV=(GITLAB_CI=true CI_PROJECT_PATH=g/load CI_JOB_ID=$((200 + n)) CI_JOB_NAME=job-$n
                 CI_PIPELINE_ID=9 CI_PROJECT_DIR=$WORK) ;;
    3 | 4) LOAD_ENV=("${github[@]}" GITHUB_JOB=matrix HOIST_CI_LEG=leg-$n) ;;
  esac
}

# load_check NAME ID OUT LOG RC: the job's exit code is 0 and its output is its own.
load_check() {
  local name=$1 id=$2 out=$3 log=$4 rc=$5
  [ "$rc" = 0 ] || fail "$name: exit $rc: $(tail -5 "$log")"
  [ -f "$out/out" ] || fail "$name: exit 0 and no output: $(tail -5 "$log")"
  local got
  got=$(cat "$out/out")
  [ "$got" = "$id" ] || fail "$name: WRONG RESULT: built '$got', its own context holds '$id' ($(grep -c CACHED "$log" || true) steps cached)"
}

# load_builder_leftovers CONTAINER: what the builds left in the builder (work dirs, credentials).
load_builder_leftovers() {
  docker exec "$1" sh -c 'ls -d /tmp/hoist-build-* /dev/shm/hoist-build-* /var/lib/buildkit/hoist-build-* 2>/dev/null' || true
}

# load_stats WHAT JOBS CONCURRENCY STARTED LOG...: a row for `make load`'s report (when
# HOIST_LOAD_STATS names a file): what ran, how many jobs, how many at once, the seconds since
# STARTED (date +%s%N), and how many times the jobs waited for another (from their logs).
load_stats() {
  local what=$1 jobs=$2 concurrency=$3 started=$4; shift 4
  [ -n "${HOIST_LOAD_STATS:-}" ] || return 0
  local waits ms
  waits=$(cat "$@" 2>/dev/null | grep -c '^hoist: waiting for' || true)
  ms=$(( ($(date +%s%N) - started) / 1000000 ))
  printf '%s\t%s\t%s\t%s\t%s\n' "$what" "$jobs" "$concurrency" "$waits" "$ms" >>"$HOIST_LOAD_STATS"
}
