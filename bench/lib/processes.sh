# Sourced by the bench drivers (run.sh, run_transactions.sh): the temporary directory and the
# processes a run starts, stopped and removed on exit (also on Ctrl-C), whatever happens.
#
#   bench_processes hearth-bench   # TMP=/tmp/hearth-bench.XXXXXX, PIDS=(), the EXIT trap
#   PIDS+=("$pid")                 # killed and waited for on exit
#   cleanup_extra() { ...; }       # optional: runs on exit before TMP is removed
#   stop PID                       # SIGTERM, up to 10 s, then SIGKILL
#   wait_line FILE PATTERN PID     # waits up to 30 s for PATTERN in FILE while PID lives
#
# Needs die (message, exit 1) from the driver.

bench_processes() {
  TMP=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
  PIDS=()
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

# shellcheck disable=SC2317  # called by the trap
bench_cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if declare -F cleanup_extra >/dev/null; then cleanup_extra; fi
  rm -rf "$TMP"
}

stop() {
  local pid=$1 i
  kill "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

wait_line() {
  local file=$1 pattern=$2 pid=$3 i
  for ((i = 0; i < 300; i++)); do
    grep -q "$pattern" "$file" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$file" >&2; die "process $pid exited before '$pattern'"; }
    sleep 0.1
  done
  cat "$file" >&2
  die "no '$pattern' in $file after 30 s"
}
