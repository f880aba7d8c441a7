#!/usr/bin/env bash
# realtime-sync benchmark: full load (W1) and backlog apply (W2), PostgreSQL 15 -> PostgreSQL 15,
# on two fresh local clusters, with the shared workload in ../shared/bench (beside this checkout). See bench/README.md.
#
#   bench/run.sh [--n N] [--count C] [--streams K] [--seed S] [--timeout SECONDS] [--java-opts "..."]
#
#   --n N          rows in orders (default 2000000)
#   --count C      W2 single-row changes (default 200000)
#   --streams K    client sessions that produce W2 on the source (drive.sh; default 4); not timed
#   --seed S       first W2 stream seed (default 1)
#   --timeout S    bound for every wait (default 1800 s = 30 min)
#   --java-opts O  JVM options for the sync (default -Xmx1g, or $JAVA_OPTS; without -Xmx the heap grows to 1/4 of RAM)
#
# Prints progress on stderr and the summary block on stdout (also saved in bench/work/results/).
# Exit status: 0 when every phase finished and verified MATCH, 1 otherwise, 2 on bad usage.
set -Eeuo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
WL="${BENCH_WORKLOAD:-$ROOT/../shared/bench}"
PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"
WORK="$BENCH/work/run"
RESULTS="$BENCH/work/results"

N=2000000; COUNT=200000; STREAMS=4; SEED=1; TIMEOUT=1800; JOPTS="${JAVA_OPTS:--Xmx1g}"
usage() { sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --n) N="${2:?--n N}"; shift 2;;
    --count) COUNT="${2:?--count C}"; shift 2;;
    --streams) STREAMS="${2:?--streams K}"; shift 2;;
    --seed) SEED="${2:?--seed S}"; shift 2;;
    --timeout) TIMEOUT="${2:?--timeout S}"; shift 2;;
    --java-opts) JOPTS="${2?--java-opts OPTS}"; shift 2;;
    -h|--help) usage; exit 0;;
    *) echo "run.sh: unknown option $1 (try --help)" >&2; exit 2;;
  esac
done
for v in N COUNT STREAMS SEED TIMEOUT; do
  [[ "${!v}" =~ ^[0-9]+$ ]] && [ "${!v}" -gt 0 -o "$v" = SEED ] || { echo "run.sh: $v must be a positive integer" >&2; exit 2; }
done

# ---------------------------------------------------------------- helpers
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.1f", b - a}'; }          # secs T0 T1
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN{if (b > a) printf "%.0f", n / (b - a); else print "-"}'; }  # rate N T0 T1
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{if (a != "-" && b != "-" && b > 0) printf "%.2f", a / b; else print "-"}'; }
log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S.%3N)" "$*" >&2; }
hms() { date -u -d "@$1" +%H:%M:%S.%3N; }
alive() { local s; s="$(ps -o stat= -p "$1" 2>/dev/null)" || return 1; [[ -n "$s" && "$s" != Z* ]]; }
kib_to_mib() { awk -v k="$1" 'BEGIN{if (k ~ /^[0-9]+$/) printf "%.0f", k / 1024; else print "-"}'; }

T_SCRIPT=$(now)
FAILURES=()
SYNC_PID=""; SAMPLER_PID=""; HELPER_PIDS=()
STARTED_CLUSTERS=()
export PGPASSWORD=bench PGUSER=postgres PGCONNECT_TIMEOUT=10

stop_cluster() {  # name
  local d="$WORK/$1/data"
  [ -f "$d/postmaster.pid" ] || return 0
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$d" -m fast -w -t 60 stop >/dev/null 2>&1 \
    || runuser -u postgres -- "$PGBIN/pg_ctl" -D "$d" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
}

cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM ERR
  for p in "${HELPER_PIDS[@]}" $SAMPLER_PID; do [ -n "$p" ] && kill "$p" 2>/dev/null; done
  if [ -n "$SYNC_PID" ] && alive "$SYNC_PID"; then
    log "cleanup: stopping realtime-sync (pid $SYNC_PID)"
    kill -TERM "$SYNC_PID" 2>/dev/null
    for _ in $(seq 1 300); do alive "$SYNC_PID" || break; sleep 0.2; done
    alive "$SYNC_PID" && kill -KILL "$SYNC_PID" 2>/dev/null
    wait "$SYNC_PID" 2>/dev/null
  fi
  for c in "${STARTED_CLUSTERS[@]}"; do log "cleanup: stopping cluster $c"; stop_cluster "$c"; done
  exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated"; exit 143' TERM
trap 'log "unexpected error (status $?) at line $LINENO: $BASH_COMMAND"' ERR

# run_bounded SECONDS COMMAND-STRING: runs the string with bash (pipefail) in its own process group, killed after
# SECONDS; returns the command's status (124 on timeout).
run_bounded() { timeout -k 10 "$1" bash -o pipefail -c "$2"; }

# ---------------------------------------------------------------- 1. prerequisites
if [ ! -x "$PGBIN/postgres" ]; then
  log "PostgreSQL 15 server missing: apt-get install -y postgresql-15"
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-15 >&2
fi
for tool in psql pg_dump java timeout runuser awk ss; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing" >&2; exit 1; }
done
[ -x "$WL/gen.sh" ] || { echo "run.sh: workload not found at $WL (set BENCH_WORKLOAD)" >&2; exit 1; }
if [ ! -f "$ROOT/target/realtime-sync.jar" ]; then
  log "building target/realtime-sync.jar (mvn -q -B -o package -DskipTests)"
  (cd "$ROOT" && mvn -q -B -o package -DskipTests) >&2
fi

# A previous run that was killed may have left its clusters running: stop them, then start from scratch.
for c in source target; do stop_cluster "$c"; done
RUN_RESULTS="$RESULTS/$(date -u +%Y%m%dT%H%M%SZ)-n$N"
rm -rf "$WORK"; mkdir -p "$WORK" "$RUN_RESULTS"
chmod 755 "$BENCH/work" "$WORK"
# Run a private copy of the jar and the task: the repository may be rebuilt while the benchmark runs.
cp "$ROOT/target/realtime-sync.jar" "$WORK/realtime-sync.jar"
cp "$ROOT/examples/postgres-to-postgres.yaml" "$WORK/postgres-to-postgres.yaml"
JAR_INFO="$(stat -c '%y' "$ROOT/target/realtime-sync.jar" | cut -d. -f1), sha256 $(sha256sum "$WORK/realtime-sync.jar" | cut -c1-12)"
GIT_REV="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"

free_port() {  # first port >= $1 that nothing listens on and that is not in $2
  local p="$1"
  while [ -n "$(ss -ltnH "( sport = :$p )" 2>/dev/null)" ] || [ "$p" = "${2:-}" ]; do p=$((p + 1)); done
  echo "$p"
}
# The machine may be shared: sample the 1-minute load average every 2 s, and note other JVMs / PostgreSQL servers.
( while :; do echo "$(date +%s.%N) $(cut -d' ' -f1 /proc/loadavg)"; sleep 2; done ) > "$WORK/loadavg.tsv" &
HELPER_PIDS+=($!)
foreign() { ps -eo pid=,comm= | awk '$2 == "java" || $2 == "postgres" {print $2}' | sort | uniq -c | tr -s ' ' | paste -sd, -; }
FOREIGN_START="$(foreign)"; FOREIGN_START="${FOREIGN_START:-none}"
load_during() {  # load_during T0 T1 -> "avg A, max M"
  awk -v a="$1" -v b="$2" '$1 >= a && $1 <= b {s += $2; n++; if ($2 > m) m = $2}
    END {if (n) printf "avg %.1f, max %.1f (%d samples)", s / n, m, n; else print "-"}' "$WORK/loadavg.tsv"
}
SRC_PORT=$(free_port 55432); TGT_PORT=$(free_port $((SRC_PORT + 1)) "$SRC_PORT")

init_cluster() {  # name port extra-settings...
  local name="$1" port="$2"; shift 2
  local dir="$WORK/$name"
  mkdir -p "$dir"; chown postgres:postgres "$dir"; chmod 700 "$dir"
  echo bench > "$WORK/pwfile"; chmod 644 "$WORK/pwfile"
  runuser -u postgres -- "$PGBIN/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C --no-sync \
    --auth-local=trust --auth-host=scram-sha-256 --pwfile="$WORK/pwfile" >"$WORK/initdb-$name.log" 2>&1 \
    || { cat "$WORK/initdb-$name.log" >&2; exit 1; }
  rm -f "$WORK/pwfile"
  {
    echo "# bench/run.sh"
    echo "listen_addresses = '127.0.0.1'"
    echo "port = $port"
    echo "unix_socket_directories = '$dir'"
    echo "timezone = 'UTC'"
    echo "log_timezone = 'UTC'"
    for s in "$@"; do echo "$s"; done
  } >> "$dir/data/postgresql.conf"
  STARTED_CLUSTERS+=("$name")
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null \
    || { tail -20 "$dir/server.log" >&2; exit 1; }
}
log "creating clusters: source on 127.0.0.1:$SRC_PORT, target on 127.0.0.1:$TGT_PORT (under $WORK)"
init_cluster source "$SRC_PORT" "wal_level = logical" "max_replication_slots = 10" "max_wal_senders = 10"
init_cluster target "$TGT_PORT"

PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres)
src() { "${PSQL[@]}" -p "$SRC_PORT" -d bench "$@"; }
tgt() { local db="$1"; shift; "${PSQL[@]}" -p "$TGT_PORT" -d "$db" "$@"; }
srcq() { src -At -c "$1"; }
tgtq() { tgt "$1" -At -c "$2"; }
"${PSQL[@]}" -p "$SRC_PORT" -d postgres -c "CREATE DATABASE bench"
"${PSQL[@]}" -p "$TGT_PORT" -d postgres -c "CREATE DATABASE sync" -c "CREATE DATABASE baseline"
SRC_EP="pg://postgres@127.0.0.1:$SRC_PORT/bench"
TGT_EP="pg://postgres@127.0.0.1:$TGT_PORT/sync"
SRC_PSQL_CMD="psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p $SRC_PORT -U postgres -d bench"
TGT_PSQL_CMD="psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p $TGT_PORT -U postgres"

SETTINGS_SQL="SELECT string_agg(name || '=' || current_setting(name), ' ' ORDER BY o)
  FROM unnest(ARRAY['shared_buffers','synchronous_commit','fsync','full_page_writes','wal_level','max_wal_size',
                    'max_replication_slots','max_wal_senders','work_mem','maintenance_work_mem','TimeZone']) WITH ORDINALITY AS s(name, o)"
SRC_SETTINGS="$(srcq "$SETTINGS_SQL")"
TGT_SETTINGS="$(tgtq sync "$SETTINGS_SQL")"
PG_VERSION="$(srcq "SELECT version()" | sed 's/ on x86_64.*//; s/,.*//')"
log "source settings: $SRC_SETTINGS"
log "target settings: $TGT_SETTINGS"

export SOURCE_HOST=127.0.0.1 SOURCE_PORT="$SRC_PORT" SOURCE_DATABASE=bench SOURCE_USER=postgres SOURCE_PASSWORD=bench
export TARGET_JDBC_URL="jdbc:postgresql://127.0.0.1:$TGT_PORT/sync" TARGET_USER=postgres TARGET_PASSWORD=bench

# ---------------------------------------------------------------- sync process control
# start_sync PHASE: launches the JVM (its pid is SYNC_PID, its start time SYNC_T0) and a 1 s RSS sampler.
start_sync() {
  SYNC_LOG="$WORK/sync-$1.log"; RSS_LOG="$WORK/rss-$1.tsv"
  echo "# epoch VmRSS_kB VmHWM_kB" > "$RSS_LOG"
  SYNC_T0=$(now)
  # shellcheck disable=SC2086
  ( cd "$ROOT" && exec java $JOPTS -jar "$WORK/realtime-sync.jar" run "$WORK/postgres-to-postgres.yaml" ) >>"$SYNC_LOG" 2>&1 &
  SYNC_PID=$!
  log "$1: realtime-sync started (pid $SYNC_PID, log $SYNC_LOG)"
  ( while [ -r "/proc/$SYNC_PID/status" ]; do
      awk -v t="$(date +%s)" '/^VmRSS/{r=$2} /^VmHWM/{h=$2} END{if (r != "") print t, r, h}' "/proc/$SYNC_PID/status" 2>/dev/null
      sleep 1
    done >> "$RSS_LOG" ) &
  SAMPLER_PID=$!
}
# peak_rss_mib: the JVM's peak resident set so far (kernel VmHWM), or the largest sampled value once it is gone.
peak_rss_mib() {
  local k
  k="$(awk '/^VmHWM/{print $2}' "/proc/$SYNC_PID/status" 2>/dev/null || true)"
  [ -n "$k" ] || k="$(awk 'NR > 1 && $3 > m {m = $3} END{print m + 0}' "$RSS_LOG")"
  kib_to_mib "$k"
}
# stop_sync: SIGTERM, wait up to 120 s (then SIGKILL); sets STOP_INFO.
stop_sync() {
  local t0 rc=0 how="exit"
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
  SYNC_PID=""; SAMPLER_PID=""; SYNC_LOG=""
}
# phase_guard PHASE DEADLINE: fails the phase when the JVM died or the deadline passed.
phase_guard() {
  if ! alive "$SYNC_PID"; then
    local rc=0 why
    wait "$SYNC_PID" 2>/dev/null || rc=$?
    case "$rc" in
      143) why="143: SIGTERM, not sent by this script";; 137) why="137: SIGKILL (OOM killer or another process)";;
      129|130) why="$rc: SIGHUP/SIGINT";; *) why="$rc";;
    esac
    SYNC_PID=""
    PHASE_ERR="realtime-sync exited during $1 with status $why (log: $(basename "$SYNC_LOG"))"; return 1
  fi
  if awk -v d="$2" -v t="$(now)" 'BEGIN{exit !(t > d)}'; then
    PHASE_ERR="$1 timed out after ${TIMEOUT} s"; return 1
  fi
}
# forget_helper PID: after a helper was reaped its pid may be reused, so cleanup must never signal it again.
forget_helper() { local keep=() p; for p in "${HELPER_PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done; HELPER_PIDS=("${keep[@]}"); }
# wait_for_fence PHASE SEQ DEADLINE: runs the shared wait_fence.sh against the target and polls it, the JVM and the
# deadline every 0.1 s.
wait_for_fence() {
  local left rc=0 wf
  left=$(awk -v d="$3" -v t="$(now)" 'BEGIN{l = int(d - t); print (l < 1 ? 1 : l)}')
  "$WL/wait_fence.sh" "$TGT_EP" "$2" "$left" >/dev/null 2>"$WORK/wait_fence-$1.err" &
  wf=$!; HELPER_PIDS+=("$wf")
  while alive "$wf"; do
    phase_guard "$1" "$3" || { kill "$wf" 2>/dev/null; wait "$wf" 2>/dev/null; forget_helper "$wf"; return 1; }
    sleep 0.1
  done
  wait "$wf" || rc=$?
  forget_helper "$wf"
  if [ "$rc" -ne 0 ]; then
    if grep -q 'not reached' "$WORK/wait_fence-$1.err"; then PHASE_ERR="$1 timed out after ${TIMEOUT} s (fence $2 not visible on the target)"
    else PHASE_ERR="$1: wait_fence.sh failed ($(tr '\n' ' ' < "$WORK/wait_fence-$1.err"))"; fi
    return 1
  fi
}
# run_verify PHASE DB: verify.sh source vs a target database (orders, bench_fence); sets VERIFY_RESULT, VERIFY_OUT.
run_verify() {
  local out rc=0 ep="pg://postgres@127.0.0.1:$TGT_PORT/$2"
  out="$(timeout -k 10 "$TIMEOUT" "$WL/verify.sh" "$SRC_EP" "$ep" orders bench_fence 2>&1)" || rc=$?
  VERIFY_OUT="$out"
  if [ "$rc" -eq 0 ] && ! grep -q MISMATCH <<<"$out"; then VERIFY_RESULT=MATCH
  elif grep -q MISMATCH <<<"$out"; then VERIFY_RESULT=MISMATCH
  else VERIFY_RESULT="ERROR (status $rc)"; fi
  log "verify $1: $VERIFY_RESULT"; printf '%s\n' "$out" | sed 's/^/    /' >&2
}
sync_reported() {  # max rate in the sync's own progress lines
  grep -o 'row changes committed ([0-9]* rows/s)' "$1" 2>/dev/null | grep -o '[0-9]* rows/s' | sort -n | tail -1 || true
}
log_problems() {  # WARN/ERROR lines and exceptions of a sync log (for the summary)
  grep -E ' (WARN|ERROR|FATAL) |Exception|realtime-sync:' "$1" 2>/dev/null | head -20 || true
}

# ---------------------------------------------------------------- summary
W1_LOAD_S=-; W1_BASE_S=-; W1_BASE_RATE=-; W1_BASE_VERIFY=-; W1_SYNC_S=-; W1_SYNC_RATE=-; W1_RATIO=-; W1_RSS=-
W1_LOAD=-; W2_LOAD=-; W2_FENCE_NOTE=-; W1_VERIFY=-; W1_STARTUP_S=-; W1_SLOT_S=-; W1_NET_RATE=-; W2_ACTIVE_S=-; W2_NET_RATE=-; W1_FENCE_NOTE=-; W1_STOP=-; W1_REPORTED=-
W2_PRODUCE=-; W2_BACKLOG=-; W2_SYNC_S=-; W2_SYNC_RATE=-; W2_RATIO=-; W2_RSS=-; W2_VERIFY=-; W2_STOP=-; W2_REPORTED=-
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
summary() {
  local status="OK"
  [ ${#FAILURES[@]} -eq 0 ] || status="FAIL"
  {
    echo "==================== realtime-sync benchmark summary ===================="
    echo "N (orders rows)              $N"
    echo "jar                          target/realtime-sync.jar ($JAR_INFO; HEAD $GIT_REV)"
    echo "W1 full load"
    echo "  source load (gen.sh)       ${W1_LOAD_S} s"
    echo "  baseline pg_dump | psql    ${W1_BASE_S} s   ${W1_BASE_RATE} rows/s   verify: ${W1_BASE_VERIFY}"
    echo "  realtime-sync              ${W1_SYNC_S} s   ${W1_SYNC_RATE} rows/s   (JVM start -> all N rows + fence on target)"
    echo "    start-up                 slot after ${W1_SLOT_S} s, target tables after ${W1_STARTUP_S} s; ${W1_NET_RATE} rows/s from then on"
    echo "  ratio sync / baseline      ${W1_RATIO}"
    echo "  completion check           ${W1_FENCE_NOTE}"
    echo "  sync's own peak report     ${W1_REPORTED:--}"
    echo "  peak RSS of sync JVM       ${W1_RSS} MiB"
    echo "  machine load during sync   ${W1_LOAD}"
    echo "  verify (orders, fence)     ${W1_VERIFY}"
    echo "  graceful stop              ${W1_STOP}"
    echo "W2 backlog ($COUNT single-row changes: 40% insert / 40% update / 20% delete; seeds $SEED..$((SEED + STREAMS - 1)))"
    echo "  produced on source         ${W2_PRODUCE}"
    echo "  slot backlog at restart    ${W2_BACKLOG}"
    echo "  realtime-sync drain        ${W2_SYNC_S} s   ${W2_SYNC_RATE} changes/s   (JVM start -> fence on target)"
    echo "    start-up                 streaming (slot active) after ${W2_ACTIVE_S} s; ${W2_NET_RATE} changes/s from then on"
    echo "  ratio vs W1 baseline       ${W2_RATIO}   (W2 changes/s / W1 pg_dump|psql rows/s)"
    echo "  sync's own peak report     ${W2_REPORTED:--}"
    echo "  completion check           ${W2_FENCE_NOTE}"
    echo "  peak RSS of sync JVM       ${W2_RSS} MiB"
    echo "  machine load during sync   ${W2_LOAD}"
    echo "  verify (orders, fence)     ${W2_VERIFY}"
    echo "  graceful stop              ${W2_STOP}"
    echo "machine"
    echo "  cpus / memory              $(nproc) / $(awk '/MemTotal/{printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) ($(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1))"
    echo "  kernel / java              $(uname -r) / $(java -version 2>&1 | head -1) $([ -n "$JOPTS" ] && echo "opts: $JOPTS" || echo "(default options, max heap $(java -XX:+PrintFlagsFinal -version 2>/dev/null | awk '/ MaxHeapSize /{printf "%.0f MiB", $4 / 1048576}'))")"
    echo "  PostgreSQL                 $PG_VERSION (source and target clusters on this machine)"
    echo "  source settings            $SRC_SETTINGS"
    echo "  target settings            $TGT_SETTINGS"
    echo "  load average start / end   $LOAD_START / $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "  java/postgres processes    at start: ${FOREIGN_START} (the 2 clusters of this run add ~14 postgres)"
    echo "total wall time              $(secs "$T_SCRIPT" "$(now)") s"
    echo "result                       $status"
    for f in "${FAILURES[@]}"; do echo "  - $f"; done
    echo "=========================================================================="
  } | tee "$RUN_RESULTS/summary.txt"
}
finish() {  # finish: summary, exit status; keeps the logs of this run next to its summary
  summary
  cp "$WORK"/sync-*.log "$WORK"/rss-*.tsv "$WORK"/loadavg.tsv "$WORK"/*.err "$RUN_RESULTS/" 2>/dev/null || true
  log "summary and logs kept in $RUN_RESULTS"
  [ ${#FAILURES[@]} -eq 0 ] || exit 1
  exit 0
}
abort() {
  FAILURES+=("$1"); log "FAILED: $1"
  if [ -n "${SYNC_LOG:-}" ] && [ -f "$SYNC_LOG" ]; then
    log "first problems and last lines of $SYNC_LOG:"
    { log_problems "$SYNC_LOG" | head -5; echo "..."; tail -15 "$SYNC_LOG"; } | cut -c1-300 | sed 's/^/    sync| /' >&2
  fi
  finish
}

# ---------------------------------------------------------------- 2. W1 full load
log "W1: loading orders ($N rows) into the source"
t=$(now)
run_bounded "$TIMEOUT" "'$WL/gen.sh' pg schema | $SRC_PSQL_CMD >/dev/null && '$WL/gen.sh' pg orders $N | $SRC_PSQL_CMD >/dev/null" \
  || abort "W1: loading the source failed or timed out"
W1_LOAD_S=$(secs "$t" "$(now)")
[ "$(srcq "SELECT count(*) FROM orders")" = "$N" ] || abort "W1: source does not hold $N orders rows"

log "W1 baseline: pg_dump -t orders -t bench_fence | psql (into database baseline on the target cluster)"
tgtq postgres "CHECKPOINT" >/dev/null; srcq "CHECKPOINT" >/dev/null
t=$(now)
run_bounded "$TIMEOUT" "pg_dump -h 127.0.0.1 -p $SRC_PORT -U postgres -d bench -t orders -t bench_fence | $TGT_PSQL_CMD -d baseline >/dev/null" \
  || abort "W1 baseline: pg_dump | psql failed or timed out"
t1=$(now); W1_BASE_S=$(secs "$t" "$t1"); W1_BASE_RATE=$(rate "$N" "$t" "$t1")
log "W1 baseline: $W1_BASE_S s, $W1_BASE_RATE rows/s"
run_verify baseline baseline; W1_BASE_VERIFY="$VERIFY_RESULT"
[ "$W1_BASE_VERIFY" = MATCH ] || FAILURES+=("W1 baseline copy verify: $W1_BASE_VERIFY")

tgtq postgres "CHECKPOINT" >/dev/null
start_sync w1
DEADLINE=$(awk -v t="$SYNC_T0" -v d="$TIMEOUT" 'BEGIN{printf "%.3f", t + d}')
# The full load is a snapshot taken when the replication slot is created. A fence bumped before that is part of
# the snapshot (seeing it on the target says nothing about orders); one bumped after the slot exists is streamed,
# i.e. delivered after the whole snapshot. So: wait for the slot, bump the fence, wait for it on the target, and
# then also check count(orders) = N, which makes the result correct even if the bump did land in the snapshot.
until [ "$(srcq "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'realtime_sync'")" = 1 ]; do
  phase_guard W1 "$DEADLINE" || abort "$PHASE_ERR"; sleep 0.1
done
SEQ1=$(date +%s%3N)
"$WL/gen.sh" pg fence "$SEQ1" | src >/dev/null
W1_SLOT_S=$(secs "$SYNC_T0" "$(now)")
log "W1: slot created after $W1_SLOT_S s; fence $SEQ1 bumped on the source"
until [ "$(tgtq sync "SELECT to_regclass('public.orders') IS NOT NULL AND to_regclass('public.bench_fence') IS NOT NULL")" = t ]; do
  phase_guard W1 "$DEADLINE" || abort "$PHASE_ERR"; sleep 0.1
done
T_TABLES=$(now); W1_STARTUP_S=$(secs "$SYNC_T0" "$T_TABLES")
wait_for_fence W1 "$SEQ1" "$DEADLINE" || abort "$PHASE_ERR"
T_FENCE=$(now)
c="$(tgtq sync "SELECT count(*) FROM orders" || true)"
if [ "$c" = "$N" ]; then
  W1_FENCE_NOTE="fence seen after $(secs "$SYNC_T0" "$T_FENCE") s with all $N rows already visible"
else
  W1_FENCE_NOTE="fence seen after $(secs "$SYNC_T0" "$T_FENCE") s with only $c rows visible; then polled count(*)"
  until [ "$(tgtq sync "SELECT count(*) FROM orders")" = "$N" ]; do
    phase_guard W1 "$DEADLINE" || abort "$PHASE_ERR"; sleep 0.5
  done
fi
T_DONE=$(now)
W1_RSS=$(peak_rss_mib)
W1_SYNC_S=$(secs "$SYNC_T0" "$T_DONE"); W1_SYNC_RATE=$(rate "$N" "$SYNC_T0" "$T_DONE"); W1_RATIO=$(ratio "$W1_SYNC_RATE" "$W1_BASE_RATE")
W1_NET_RATE=$(rate "$N" "$T_TABLES" "$T_DONE")
W1_LOAD="$(load_during "$SYNC_T0" "$T_DONE")"
log "W1: sync started $(hms "$SYNC_T0"), tables $(hms "$T_TABLES"), fence seen $(hms "$T_FENCE"), done $(hms "$T_DONE")"
log "W1 sync: $W1_SYNC_S s, $W1_SYNC_RATE rows/s (ratio $W1_RATIO), peak RSS $W1_RSS MiB"
run_verify W1 sync; W1_VERIFY="$VERIFY_RESULT"
[ "$W1_VERIFY" = MATCH ] || FAILURES+=("W1 verify: $W1_VERIFY")

# ---------------------------------------------------------------- 3. W2 backlog
log "W2: stopping realtime-sync (SIGTERM)"
stop_sync; W1_STOP="$STOP_INFO"
W1_REPORTED="$(sync_reported "$WORK/sync-w1.log")"
[[ "$W1_STOP" == exit* ]] || FAILURES+=("W1 stop: $W1_STOP")

log "W2: producing $COUNT changes on the source (drive.sh, $STREAMS sessions)"
t=$(now)
run_bounded "$TIMEOUT" "'$WL/drive.sh' pg w2 --n $N --count $COUNT --streams $STREAMS --seed0 $SEED -- $SRC_PSQL_CMD" \
  2>"$WORK/drive-w2.err" || { cat "$WORK/drive-w2.err" >&2; abort "W2: producing the changes failed or timed out"; }
t1=$(now)
W2_PRODUCE="$(secs "$t" "$t1") s, $(rate "$COUNT" "$t" "$t1") changes/s ($STREAMS sessions; not part of the measurement)"
SEQ2=$(date +%s%3N)
"$WL/gen.sh" pg fence "$SEQ2" | src >/dev/null
W2_BACKLOG="$(srcq "SELECT pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)) FROM pg_replication_slots WHERE slot_name = 'realtime_sync'") of WAL"
log "W2: $W2_PRODUCE; fence $SEQ2; backlog $W2_BACKLOG"
SRC_COUNT_W2="$(srcq "SELECT count(*) FROM orders")"
srcq "CHECKPOINT" >/dev/null; tgtq postgres "CHECKPOINT" >/dev/null

start_sync w2
DEADLINE=$(awk -v t="$SYNC_T0" -v d="$TIMEOUT" 'BEGIN{printf "%.3f", t + d}')
until [ "$(srcq "SELECT active FROM pg_replication_slots WHERE slot_name = 'realtime_sync'")" = t ]; do
  phase_guard W2 "$DEADLINE" || abort "$PHASE_ERR"; sleep 0.1
done
T_ACTIVE=$(now); W2_ACTIVE_S=$(secs "$SYNC_T0" "$T_ACTIVE")
wait_for_fence W2 "$SEQ2" "$DEADLINE" || abort "$PHASE_ERR"
T_DONE=$(now)
# The fence method relies on commit-order apply: right when the fence is visible, the row count must already be final.
c="$(tgtq sync "SELECT count(*) FROM orders" || true)"; T_COUNTED=$(now)
if [ "$c" = "$SRC_COUNT_W2" ]; then
  W2_FENCE_NOTE="count(orders) right after the fence (+$(secs "$T_DONE" "$T_COUNTED") s) = $c = source"
else
  W2_FENCE_NOTE="count(orders) right after the fence (+$(secs "$T_DONE" "$T_COUNTED") s) = $c, source has $SRC_COUNT_W2: fence applied before earlier changes"
  FAILURES+=("W2: $W2_FENCE_NOTE")
fi
W2_NET_RATE=$(rate "$COUNT" "$T_ACTIVE" "$T_DONE")
W2_LOAD="$(load_during "$SYNC_T0" "$T_DONE")"
log "W2: sync started $(hms "$SYNC_T0"), slot active $(hms "$T_ACTIVE"), fence seen $(hms "$T_DONE"); $W2_FENCE_NOTE"
W2_RSS=$(peak_rss_mib)
W2_SYNC_S=$(secs "$SYNC_T0" "$T_DONE"); W2_SYNC_RATE=$(rate "$COUNT" "$SYNC_T0" "$T_DONE"); W2_RATIO=$(ratio "$W2_SYNC_RATE" "$W1_BASE_RATE")
log "W2 sync: $W2_SYNC_S s, $W2_SYNC_RATE changes/s (ratio $W2_RATIO), peak RSS $W2_RSS MiB"
run_verify W2 sync; W2_VERIFY="$VERIFY_RESULT"
[ "$W2_VERIFY" = MATCH ] || FAILURES+=("W2 verify: $W2_VERIFY")
stop_sync; W2_STOP="$STOP_INFO"
W2_REPORTED="$(sync_reported "$WORK/sync-w2.log")"
[[ "$W2_STOP" == exit* ]] || FAILURES+=("W2 stop: $W2_STOP")

for p in w1 w2; do
  probs="$(log_problems "$WORK/sync-$p.log")"
  [ -z "$probs" ] || { log "warnings/errors in sync-$p.log:"; printf '%s\n' "$probs" | sed 's/^/    /' >&2; }
done
finish
