# bench/lib/common.sh: helpers shared by bench/run.sh (sourced, not run).
# Time, rates, logging, process bookkeeping, the summary collector and the sync JVM control.

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.1f", b - a}'; }          # secs T0 T1
# sync_cpu: CPU seconds (user + system) the sync JVM has used so far; "-" when it is gone.
sync_cpu() { awk -v hz="$(getconf CLK_TCK)" '{sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / hz}' "/proc/$SYNC_PID/stat" 2>/dev/null || echo -; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN{if (b > a) printf "%.0f", n / (b - a); else print "-"}'; }  # rate N T0 T1
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{if (a != "-" && b != "-" && a != "" && b != "" && b > 0) printf "%.2f", a / b; else print "-"}'; }
log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S.%3N)" "$*" >&2; }
hms() { date -u -d "@$1" +%H:%M:%S.%3N; }
alive() { local s; s="$(ps -o stat= -p "$1" 2>/dev/null)" || return 1; [[ -n "$s" && "$s" != Z* ]]; }
kib_to_mib() { awk -v k="$1" 'BEGIN{if (k ~ /^[0-9]+$/) printf "%.0f", k / 1024; else print "-"}'; }
deadline_in() { awk -v t="$(now)" -v d="$1" 'BEGIN{printf "%.3f", t + d}'; }
past() { awk -v d="$1" -v t="$(now)" 'BEGIN{exit !(t > d)}'; }
# run_bounded SECONDS COMMAND-STRING: runs the string with bash (pipefail), killed after SECONDS; returns its status
# (124 on timeout).
run_bounded() { timeout -k 10 "$1" bash -o pipefail -c "$2"; }

# ---------------------------------------------------------------- summary collector
# Every phase appends its lines to the section of its pair (pp: PostgreSQL -> PostgreSQL, mp: MariaDB ->
# PostgreSQL, mm: MariaDB -> MariaDB, ms: the MariaDB source itself); summary() prints them in that order.
out() { local sec="$1"; shift; printf '%s\n' "$*" >> "$WORK/summary-$sec.part"; }
fail() { FAILURES+=("$1"); log "FAILED: $1"; }
goal_rss() {  # goal_rss MIB -> "612 MiB (goal <= 512 MiB: NOT met)"
  if [[ "$1" =~ ^[0-9]+$ ]]; then
    if [ "$1" -le "$RSS_GOAL" ]; then echo "$1 MiB (goal <= $RSS_GOAL MiB: met)"; else echo "$1 MiB (goal <= $RSS_GOAL MiB: NOT met)"; fi
  else echo "-"; fi
}

# ---------------------------------------------------------------- sync process control
# One sync JVM at a time. Its task (pp, pm, mp, mm) decides the example file and the environment.
#   start_sync TASK PHASE   launches the JVM (SYNC_PID, SYNC_T0, SYNC_LOG) and a 0.5 s RSS sampler (RSS_LOG)
#   stop_sync               SIGTERM, wait up to 120 s (then SIGKILL); sets STOP_INFO
#   sync_guard LABEL DEADLINE   fails (PHASE_ERR) when the JVM died or the deadline passed
task_yaml() { case "$1" in pp) echo postgres-to-postgres.yaml;; pm) echo postgres-to-mariadb.yaml;; mp) echo mysql-to-postgres.yaml;; mm) echo mysql-to-mysql.yaml;; esac; }
task_env() {  # prints the environment of a task as NAME=VALUE words for env(1)
  case "$1" in
    pp) echo "SOURCE_HOST=127.0.0.1 SOURCE_PORT=$PGS_PORT SOURCE_DATABASE=bench SOURCE_USER=postgres SOURCE_PASSWORD=bench" \
             "TARGET_JDBC_URL=jdbc:postgresql://127.0.0.1:$PGT_PORT/sync TARGET_USER=postgres TARGET_PASSWORD=bench";;
    pm) echo "SOURCE_HOST=127.0.0.1 SOURCE_PORT=$PGS_PORT SOURCE_DATABASE=bench SOURCE_USER=postgres SOURCE_PASSWORD=bench" \
             "TARGET_JDBC_URL=jdbc:mariadb://127.0.0.1:$MT_PORT/psync TARGET_USER=bench TARGET_PASSWORD=bench";;
    mp) echo "SOURCE_HOST=127.0.0.1 SOURCE_PORT=$MS_PORT SOURCE_DATABASE=bench SOURCE_USER=bench SOURCE_PASSWORD=bench SOURCE_FLAVOUR=mariadb" \
             "TARGET_JDBC_URL=jdbc:postgresql://127.0.0.1:$PGT_PORT/msync TARGET_USER=postgres TARGET_PASSWORD=bench";;
    mm) echo "SOURCE_HOST=127.0.0.1 SOURCE_PORT=$MS_PORT SOURCE_DATABASE=bench SOURCE_USER=bench SOURCE_PASSWORD=bench SOURCE_FLAVOUR=mariadb" \
             "TARGET_JDBC_URL=jdbc:mariadb://127.0.0.1:$MT_PORT/sync TARGET_USER=bench TARGET_PASSWORD=bench";;
  esac
}
start_sync() {
  local task="$1" phase="$2"
  [ "$(task_src "$task")" = pg ] || drop_dump_threads
  SYNC_TASK="$task"; SYNC_LOG="$WORK/sync-$task-$phase.log"; RSS_LOG="$WORK/rss-$task-$phase.tsv"
  echo "# epoch VmRSS_kB VmHWM_kB" > "$RSS_LOG"
  SYNC_T0=$(now)
  # shellcheck disable=SC2046,SC2086
  ( cd "$WORK" && exec env $(task_env "$task") java $JOPTS -jar "$WORK/realtime-sync.jar" run "$WORK/$(task_yaml "$task")" $RUN_ARGS ) >>"$SYNC_LOG" 2>&1 &
  SYNC_PID=$!
  log "$task $phase: realtime-sync started (pid $SYNC_PID, $(task_yaml "$task"), log $(basename "$SYNC_LOG"))"
  ( while [ -r "/proc/$SYNC_PID/status" ]; do
      awk -v t="$(date +%s.%N)" '/^VmRSS/{r=$2} /^VmHWM/{h=$2} END{if (r != "") printf "%.1f %s %s\n", t, r, h}' "/proc/$SYNC_PID/status" 2>/dev/null
      sleep 0.5
    done >> "$RSS_LOG" ) &
  SAMPLER_PID=$!
}
vm_kib() {  # vm_kib FIELD: VmRSS/VmHWM of the running sync in KiB, or "" when it is gone
  awk -v f="$1:" '$1 == f {print $2}' "/proc/$SYNC_PID/status" 2>/dev/null || true
}
# peak_rss_mib: the JVM's peak resident set so far (kernel VmHWM), or the largest sampled value once it is gone.
peak_rss_mib() {
  local k; k="$(vm_kib VmHWM)"
  [ -n "$k" ] || k="$(awk 'NR > 1 && $3 > m {m = $3} END{print m + 0}' "$RSS_LOG")"
  kib_to_mib "$k"
}
stop_sync() {
  local t0 rc=0 how="exit"
  STOP_INFO="-"
  [ -n "$SYNC_PID" ] || return 0
  t0=$(now)
  if alive "$SYNC_PID"; then
    kill -TERM "$SYNC_PID" 2>/dev/null || true
    for _ in $(seq 1 600); do alive "$SYNC_PID" || break; sleep 0.2; done
    if alive "$SYNC_PID"; then how="KILLED (no exit 120 s after SIGTERM)"; kill -KILL "$SYNC_PID" 2>/dev/null || true; fi
  else
    how="had already exited"
  fi
  wait "$SYNC_PID" 2>/dev/null || rc=$?
  kill "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true
  STOP_INFO="$how status $rc after $(secs "$t0" "$(now)") s"
  log "realtime-sync stopped: $STOP_INFO"
  [[ "$STOP_INFO" == exit* ]] || fail "$SYNC_TASK: graceful stop: $STOP_INFO"
  SYNC_PID=""; SAMPLER_PID=""
}
sync_guard() {
  if [ -n "$SYNC_PID" ] && ! alive "$SYNC_PID"; then
    local rc=0 why
    wait "$SYNC_PID" 2>/dev/null || rc=$?
    case "$rc" in
      143) why="143: SIGTERM, not sent by this script";; 137) why="137: SIGKILL (OOM killer or another process)";;
      129|130) why="$rc: SIGHUP/SIGINT";; *) why="$rc";;
    esac
    kill "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true
    SYNC_PID=""; SAMPLER_PID=""
    PHASE_ERR="realtime-sync exited during $1 with status $why (log: $(basename "$SYNC_LOG")): $(log_problems "$SYNC_LOG" | grep -E 'ERROR|FATAL|Exception|realtime-sync:' | head -1 | cut -c1-240)"
    return 1
  fi
  if past "$2"; then PHASE_ERR="$1 timed out after ${TIMEOUT} s"; return 1; fi
}
# phase_failed LABEL: records PHASE_ERR as a failure, shows the sync log's first problems and stops the JVM.
phase_failed() {
  fail "$1: $PHASE_ERR"
  if [ -n "${SYNC_LOG:-}" ] && [ -f "$SYNC_LOG" ]; then
    log "first problems and last lines of $SYNC_LOG:"
    { log_problems "$SYNC_LOG" | head -5; echo "..."; tail -15 "$SYNC_LOG"; } | cut -c1-300 | sed 's/^/    sync| /' >&2
  fi
  stop_sync
}
forget_helper() { local keep=() p; for p in "${HELPER_PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done; HELPER_PIDS=("${keep[@]}"); }
# wait_fence_ep LABEL ENDPOINT SEQ DEADLINE: runs the shared wait_fence.sh and polls it, the sync JVM (if one runs)
# and the deadline every 0.1 s. Sets PHASE_ERR on failure.
wait_fence_ep() {
  local label="$1" ep="$2" seq="$3" dl="$4" left rc=0 wf
  left=$(awk -v d="$dl" -v t="$(now)" 'BEGIN{l = int(d - t); print (l < 1 ? 1 : l)}')
  "$WL/wait_fence.sh" "$ep" "$seq" "$left" >/dev/null 2>"$WORK/wait_fence-$label.err" &
  wf=$!; HELPER_PIDS+=("$wf")
  while alive "$wf"; do
    sync_guard "$label" "$dl" || { kill "$wf" 2>/dev/null; wait "$wf" 2>/dev/null; forget_helper "$wf"; return 1; }
    sleep 0.1
  done
  wait "$wf" || rc=$?
  forget_helper "$wf"
  if [ "$rc" -ne 0 ]; then
    if grep -q 'not reached' "$WORK/wait_fence-$label.err"; then PHASE_ERR="$label timed out after ${TIMEOUT} s (fence $seq not visible on the target)"
    else PHASE_ERR="$label: wait_fence.sh failed ($(tr '\n' ' ' < "$WORK/wait_fence-$label.err"))"; fi
    return 1
  fi
}
# run_verify LABEL SRC_EP TGT_EP TABLE...: shared verify.sh; sets VERIFY_RESULT (MATCH, MISMATCH or ERROR ...).
run_verify() {
  local label="$1" a="$2" b="$3" out rc=0; shift 3
  out="$(timeout -k 10 "$TIMEOUT" "$WL/verify.sh" "$a" "$b" "$@" 2>&1)" || rc=$?
  VERIFY_OUT="$out"
  if [ "$rc" -eq 0 ] && ! grep -q MISMATCH <<<"$out"; then VERIFY_RESULT=MATCH
  elif grep -q MISMATCH <<<"$out"; then VERIFY_RESULT=MISMATCH
  else VERIFY_RESULT="ERROR (status $rc: $(grep -m1 -E 'ERROR|error' <<<"$out" | cut -c1-160))"; fi
  log "verify $label ($*): $VERIFY_RESULT"; printf '%s\n' "$out" | grep -v "^verify	t[0-9][0-9][0-9]	MATCH" | sed 's/^/    /' >&2
  printf '%s\n' "$out" > "$WORK/verify-$label.out"
}
sync_reported() {  # max rate in the sync's own progress lines: committed changes, and the chunked full load's totals
  grep -o -E 'row changes committed \([0-9]* rows/s\)|full load: [0-9,]* of about [0-9,]* rows \([0-9]*%\), [0-9,]* rows/s' "$1" 2>/dev/null \
    | grep -o -E '[0-9,]+ rows/s' | tr -d , | sort -n | tail -1 || true
}
log_problems() {  # WARN/ERROR lines and exceptions of a sync log, without the known start-up WARN noise
  grep -E ' (WARN|ERROR|FATAL) |Exception|realtime-sync:' "$1" 2>/dev/null \
    | grep -v -E 'is deprecated, use to|Found a not connector specific implementation' | head -20 || true
}
